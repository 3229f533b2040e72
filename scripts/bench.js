#!/usr/bin/env node
/**
 * `npm run bench`: times `npm run synth` end to end against a floor measured the same way in the
 * same run (`npm run bench:floor`, which only does `node -e "require('cdktf')"`, so npm's own
 * start-up sits on both sides), and reports the median ratio of paired runs, peak memory, the app
 * alone, `npm test` and `tsc --noEmit` wall time against the targets. Targets live here, not in
 * timed tests.
 */
const { spawnSync } = require("child_process");
const fs = require("fs");
const os = require("os");
const path = require("path");
const { median } = require("./bench-stats");

const ROOT = path.resolve(__dirname, "..");
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const TARGETS = { ratio: 2, peakMb: 300, testSeconds: 30, tscSeconds: 3 };
const RSS_PRELOAD = path.join(__dirname, "report-max-rss.js");
const NPM = process.platform === "win32" ? "npm.cmd" : "npm";

/**
 * Runs `command args` once; returns wall seconds and the peak RSS in MB of the largest node
 * process it started (npm is one, the app another), each reporting through the preload.
 */
function measure(command, args, env = {}) {
  const rssDir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-"));
  const start = process.hrtime.bigint();
  const result = spawnSync(command, args, {
    cwd: ROOT,
    env: { ...process.env, ...env, NODE_OPTIONS: `-r ${RSS_PRELOAD}`, BENCH_RSS_DIR: rssDir },
    stdio: ["ignore", "ignore", "pipe"],
  });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (result.status !== 0) throw new Error(`${command} ${args.join(" ")} failed: ${result.stderr}`);
  const kb = fs.readdirSync(rssDir).map((f) => Number(fs.readFileSync(path.join(rssDir, f), "utf8")));
  fs.rmSync(rssDir, { recursive: true, force: true });
  return { seconds, peakMb: Math.max(...kb) / 1024 };
}

function timeShell(command, args) {
  const start = process.hrtime.bigint();
  const result = spawnSync(command, args, { cwd: ROOT, stdio: ["ignore", "ignore", "pipe"], env: process.env });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (result.status !== 0) throw new Error(`${command} ${args.join(" ")} failed: ${result.stderr}`);
  return seconds;
}

// Inside the project: the local backend's state paths need the output folder there.
const outdir = path.join(ROOT, "cdktf.out.bench");
const synthEnv = { CDKTF_OUTDIR: outdir, CONFIG: "" };
const floorRun = () => measure(NPM, ["run", "bench:floor"]);
const synthRun = () => measure(NPM, ["run", "synth"], synthEnv);
const appRun = () => measure(process.execPath, ["-r", "./scripts/ts-register.js", "main.ts", "synth"], synthEnv);

// The first synth starts with an empty transpile cache (as right after `npm ci`); it also warms
// the caches for the paired runs, which interleave floor and synth so noise hits both alike.
fs.rmSync(path.join(ROOT, "node_modules", ".cache", "ts-register"), { recursive: true, force: true });
floorRun();
const cold = synthRun();
const floor = [];
const synth = [];
const app = [];
const ratios = [];
for (let i = 0; i < RUNS; i++) {
  const f = floorRun();
  const s = synthRun();
  app.push(appRun());
  floor.push(f);
  synth.push(s);
  ratios.push(s.seconds / f.seconds);
}
fs.rmSync(outdir, { recursive: true, force: true });
const peakMb = Math.max(...synth.map((r) => r.peakMb));
// Cold: no incremental build info, as on a fresh clone in CI. Warm: the developer's loop.
// tsconfig.json covers the app; tsconfig.dev.json adds the tests (and the jest typings).
const tscBin = path.join(ROOT, "node_modules/typescript/bin/tsc");
fs.rmSync(path.join(ROOT, "node_modules", ".cache", "tsconfig.tsbuildinfo"), { force: true });
fs.rmSync(path.join(ROOT, "node_modules", ".cache", "tsconfig.dev.tsbuildinfo"), { force: true });
const tscSeconds = timeShell(process.execPath, [tscBin, "--noEmit", "-p", ROOT]);
const tscWarmSeconds = timeShell(process.execPath, [tscBin, "--noEmit", "-p", ROOT]);
const tscDevSeconds = timeShell(process.execPath, [tscBin, "--noEmit", "-p", path.join(ROOT, "tsconfig.dev.json")]);
const testSeconds = process.env.BENCH_SKIP_TESTS ? NaN : timeShell("npm", ["test", "--silent"]);

const verdict = (ok) => (Number.isNaN(ok) ? "skipped" : ok ? "ok" : "MISSED");
const med = (runs) => median(runs.map((r) => r.seconds));
const rows = [
  ["floor: npm run bench:floor (node -e \"require('cdktf')\")", `${med(floor).toFixed(3)} s median`, `${Math.max(...floor.map((r) => r.peakMb)).toFixed(0)} MB`],
  ["npm run synth (end to end)", `${med(synth).toFixed(3)} s median`, ""],
  ["npm run synth, first run after npm ci (empty transpile cache)", `${cold.seconds.toFixed(3)} s`, `${(cold.seconds / med(floor)).toFixed(2)}x floor`],
  ["npm run synth / floor (median of paired runs)", `${median(ratios).toFixed(2)}x`, `<= ${TARGETS.ratio}x ${verdict(median(ratios) <= TARGETS.ratio)}`],
  ["npm run synth peak memory (max RSS of npm and the app)", `${peakMb.toFixed(0)} MB`, `<= ${TARGETS.peakMb} MB ${verdict(peakMb <= TARGETS.peakMb)}`],
  ["app alone: node -r ./scripts/ts-register.js main.ts synth", `${med(app).toFixed(3)} s median`, `${Math.max(...app.map((r) => r.peakMb)).toFixed(0)} MB`],
  ["tsc --noEmit (app), cold (fresh clone)", `${tscSeconds.toFixed(2)} s`, `<= ${TARGETS.tscSeconds} s ${verdict(tscSeconds <= TARGETS.tscSeconds)}`],
  ["tsc --noEmit (app), warm (incremental)", `${tscWarmSeconds.toFixed(2)} s`, ""],
  ["tsc --noEmit -p tsconfig.dev.json (app + tests), cold", `${tscDevSeconds.toFixed(2)} s`, "no target"],
  ["npm test", Number.isNaN(testSeconds) ? "-" : `${testSeconds.toFixed(1)} s`, `<= ${TARGETS.testSeconds} s ${Number.isNaN(testSeconds) ? "skipped" : verdict(testSeconds <= TARGETS.testSeconds)}`],
];
console.log(`bench on ${os.cpus().length} cores, ${RUNS} paired runs, node ${process.version}`);
for (const [what, value, target] of rows) console.log(`${what.padEnd(66)} ${value.padStart(14)}  ${target}`);
