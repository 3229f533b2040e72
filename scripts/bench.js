#!/usr/bin/env node
/**
 * `npm run bench`: times the cdktf.json app command against the floor (`require('cdktf')`) in
 * the same run, and reports the median ratio, peak memory, `npm test` and `tsc --noEmit` wall
 * time against the targets. Targets live here, not in timed tests.
 */
const { spawnSync } = require("child_process");
const fs = require("fs");
const os = require("os");
const path = require("path");

const ROOT = path.resolve(__dirname, "..");
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const TARGETS = { ratio: 3, peakMb: 300, testSeconds: 30, tscSeconds: 3 };
const RSS_PRELOAD = path.join(__dirname, "report-max-rss.js");

function split(command) {
  return command.split(/\s+/).filter(Boolean);
}

/** Runs `argv` (a node command) once; returns wall seconds and the process's peak RSS in MB. */
function measure(argv, env = {}) {
  const rssFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "bench-")), "rss");
  const [node, ...args] = argv;
  if (node !== "node") throw new Error(`bench measures node commands, got ${argv.join(" ")}`);
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, ["-r", RSS_PRELOAD, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env, BENCH_RSS_FILE: rssFile },
    stdio: ["ignore", "ignore", "pipe"],
  });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (result.status !== 0) throw new Error(`${argv.join(" ")} failed: ${result.stderr}`);
  return { seconds, peakMb: Number(fs.readFileSync(rssFile, "utf8")) / 1024 };
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function timeShell(command, args) {
  const start = process.hrtime.bigint();
  const result = spawnSync(command, args, { cwd: ROOT, stdio: ["ignore", "ignore", "pipe"], env: process.env });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (result.status !== 0) throw new Error(`${command} ${args.join(" ")} failed: ${result.stderr}`);
  return seconds;
}

const appCommand = split(JSON.parse(fs.readFileSync(path.join(ROOT, "cdktf.json"), "utf8")).app);
const floorCommand = ["node", "-e", "require('cdktf')"];
const outdir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "bench-out-")), "cdktf.out");

// The first app run starts with an empty transpile cache (as right after `npm ci`); it also
// warms the caches for the paired runs, which interleave floor and app so noise hits both alike.
fs.rmSync(path.join(ROOT, "node_modules", ".cache", "ts-register"), { recursive: true, force: true });
measure(floorCommand);
const cold = measure(appCommand, { CDKTF_OUTDIR: outdir });
const floor = [];
const app = [];
const ratios = [];
for (let i = 0; i < RUNS; i++) {
  const f = measure(floorCommand);
  const a = measure(appCommand, { CDKTF_OUTDIR: outdir });
  floor.push(f);
  app.push(a);
  ratios.push(a.seconds / f.seconds);
}
const peakMb = Math.max(...app.map((r) => r.peakMb));
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
const rows = [
  ["floor: node -e \"require('cdktf')\"", `${median(floor.map((r) => r.seconds)).toFixed(3)} s median`, ""],
  [`app: ${appCommand.join(" ")}`, `${median(app.map((r) => r.seconds)).toFixed(3)} s median`, ""],
  ["app, first run after npm ci (empty transpile cache)", `${cold.seconds.toFixed(3)} s`, `${(cold.seconds / median(floor.map((r) => r.seconds))).toFixed(2)}x floor`],
  ["app / floor (median of paired runs)", `${median(ratios).toFixed(2)}x`, `<= ${TARGETS.ratio}x ${verdict(median(ratios) <= TARGETS.ratio)}`],
  ["app peak memory (max RSS)", `${peakMb.toFixed(0)} MB`, `<= ${TARGETS.peakMb} MB ${verdict(peakMb <= TARGETS.peakMb)}`],
  ["tsc --noEmit (app), cold (fresh clone)", `${tscSeconds.toFixed(2)} s`, `<= ${TARGETS.tscSeconds} s ${verdict(tscSeconds <= TARGETS.tscSeconds)}`],
  ["tsc --noEmit (app), warm (incremental)", `${tscWarmSeconds.toFixed(2)} s`, ""],
  ["tsc --noEmit -p tsconfig.dev.json (app + tests), cold", `${tscDevSeconds.toFixed(2)} s`, "no target"],
  ["npm test", Number.isNaN(testSeconds) ? "-" : `${testSeconds.toFixed(1)} s`, `<= ${TARGETS.testSeconds} s ${Number.isNaN(testSeconds) ? "skipped" : verdict(testSeconds <= TARGETS.testSeconds)}`],
];
console.log(`bench on ${os.cpus().length} cores, ${RUNS} paired runs, node ${process.version}`);
for (const [what, value, target] of rows) console.log(`${what.padEnd(62)} ${value.padStart(14)}  ${target}`);
