#!/usr/bin/env node
/**
 * Config-reading bench: how fast and how lean the app refuses a 50 MB config, and what
 * validating a config with 1,000 workloads costs. Each figure is the median of BENCH_RUNS runs
 * of the config check (scripts/check-config.ts, the same check `npm run synth` makes inside the
 * app before synthesizing), with its peak RSS taken by scripts/report-max-rss.js.
 */
const { spawnSync } = require("child_process");
const fs = require("fs");
const os = require("os");
const path = require("path");
const { median } = require("./bench-stats");
// The bench config uses the app's own demo image, so the pinned digest is written once.
require("./ts-register");
const { DEMO_IMAGE } = require("../config/demo-app");

const ROOT = path.resolve(__dirname, "..");
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const TARGETS = { refuseSeconds: 1, refusePeakMb: 200 };
const RSS_PRELOAD = path.join(__dirname, "report-max-rss.js");
const CHECK = ["-r", "./scripts/ts-register.js", "scripts/check-config.ts"];

/** Runs the config check once with CONFIG=file; returns wall seconds, peak RSS in MB and the exit status. */
function measure(file, dir) {
  const rssFile = path.join(dir, "rss");
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, ["-r", RSS_PRELOAD, ...CHECK], {
    cwd: ROOT,
    env: { ...process.env, CONFIG: file, INIT_CWD: "", BENCH_RSS_FILE: rssFile },
    stdio: ["ignore", "ignore", "pipe"],
    encoding: "utf8",
  });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return { seconds, peakMb: Number(fs.readFileSync(rssFile, "utf8")) / 1024, status: result.status, stderr: result.stderr };
}

/** Median time and peak of RUNS runs, after checking that the check ends as `expectStatus`. */
function bench(file, dir, expectStatus) {
  const runs = Array.from({ length: RUNS }, () => measure(file, dir));
  for (const r of runs) {
    if (r.status !== expectStatus) throw new Error(`CONFIG=${file}: exit ${r.status}, expected ${expectStatus}: ${r.stderr}`);
  }
  return { seconds: median(runs.map((r) => r.seconds)), peakMb: Math.max(...runs.map((r) => r.peakMb)) };
}

/** A valid hardened config with `count` workloads, each mounting both secrets, pretty-printed as people write it. */
function manyWorkloads(count) {
  const expirationDate = "2027-12-31T00:00:00Z";
  return JSON.stringify({
    namePrefix: "bench",
    tags: { project: "aks-keyvault-csi" },
    keyVault: { secrets: [{ name: "db-password", expirationDate }, { name: "api-key", expirationDate }] },
    workloads: Array.from({ length: count }, (_, i) => ({
      name: `app-${i}`,
      namespace: `team-${i % 50}`,
      image: DEMO_IMAGE,
      objects: [{ objectName: "db-password" }, { objectName: "api-key", objectAlias: "api-key.txt" }],
    })),
  }, null, 2);
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-config-"));
try {
  // 50 MB of real JSON text (a config whose tags hold a long value), written to disk, not sparse.
  const huge = path.join(dir, "huge.json");
  fs.writeFileSync(huge, `{"tags": {"note": "${"x".repeat(50 * 1024 * 1024)}"}}`);
  const many = path.join(dir, "many.json");
  fs.writeFileSync(many, manyWorkloads(1000));
  const small = path.join(dir, "small.json");
  fs.writeFileSync(small, manyWorkloads(1));

  measure(small, dir); // warms the transpile cache, as every later synth finds it
  const refuse = bench(huge, dir, 1);
  const one = bench(small, dir, 0);
  const thousand = bench(many, dir, 0);

  const verdict = (ok) => (ok ? "ok" : "MISSED");
  const kb = (file) => `${(fs.statSync(file).size / 1024).toFixed(0)} KB`;
  const rows = [
    ["refuse a 50 MB config: time", `${refuse.seconds.toFixed(3)} s`, `< ${TARGETS.refuseSeconds} s ${verdict(refuse.seconds < TARGETS.refuseSeconds)}`],
    ["refuse a 50 MB config: peak memory (max RSS)", `${refuse.peakMb.toFixed(0)} MB`, `< ${TARGETS.refusePeakMb} MB ${verdict(refuse.peakMb < TARGETS.refusePeakMb)}`],
    [`validate 1 workload (${kb(small)}): time`, `${one.seconds.toFixed(3)} s`, "baseline"],
    [`validate 1 workload: peak memory (max RSS)`, `${one.peakMb.toFixed(0)} MB`, "baseline"],
    [`validate 1,000 workloads (${kb(many)}): time`, `${thousand.seconds.toFixed(3)} s`, "no target"],
    ["validate 1,000 workloads: peak memory (max RSS)", `${thousand.peakMb.toFixed(0)} MB`, "no target"],
  ];
  console.log(`bench-config on ${os.cpus().length} cores, median of ${RUNS} runs of scripts/check-config.ts, node ${process.version}`);
  for (const [what, value, target] of rows) console.log(`${what.padEnd(62)} ${value.padStart(14)}  ${target}`);
  if (refuse.seconds >= TARGETS.refuseSeconds || refuse.peakMb >= TARGETS.refusePeakMb) process.exitCode = 1;
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
