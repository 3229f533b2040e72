#!/usr/bin/env node
/**
 * `npm run bench -- --clusters N[,N...]` (default 1,10,50): times `npm run synth` end to end on a
 * generated fleet of N clusters (2 workloads and 5 secrets each, all secrets in the one vault),
 * and prints wall time, peak memory (max RSS of npm and the app) and seconds per cluster, against
 * the targets for 50 clusters: <= 5 s and <= 1 GB, growing no worse than linearly.
 */
const { spawnSync } = require("child_process");
const fs = require("fs");
const os = require("os");
const path = require("path");

const ROOT = path.resolve(__dirname, "..");
const RSS_PRELOAD = path.join(__dirname, "report-max-rss.js");
const NPM = process.platform === "win32" ? "npm.cmd" : "npm";
const TARGET = { clusters: 50, seconds: 5, peakMb: 1024 };
const RUNS = Number(process.env.BENCH_RUNS ?? 3);

/** A fleet config: cluster c<i> in alternating regions, its own /16, 2 workloads mounting its 5 secrets. */
function fleetConfig(n) {
  const clusters = [];
  const secrets = [];
  for (let i = 1; i <= n; i++) {
    const names = [1, 2, 3, 4, 5].map((j) => `c${i}-s${j}`);
    secrets.push(...names.map((name) => ({ name, expirationDate: "2027-12-31T00:00:00Z" })));
    clusters.push({
      name: `c${i}`,
      location: i % 2 ? "westeurope" : "northeurope",
      network: { vnetAddressSpace: `10.${i}.0.0/16`, clusterSubnetPrefix: `10.${i}.0.0/20`, endpointSubnetPrefix: `10.${i}.16.0/24` },
      workloads: [
        { name: "app-a", objects: names.slice(0, 3).map((objectName) => ({ objectName })) },
        { name: "app-b", identity: "workload", objects: names.slice(3).map((objectName) => ({ objectName })) },
      ],
    });
  }
  return { namePrefix: "bench", keyVault: { secrets }, clusters };
}

function measureSynth(configFile, outdir) {
  const rssDir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-fleet-rss-"));
  const start = process.hrtime.bigint();
  const result = spawnSync(NPM, ["run", "synth"], {
    cwd: ROOT,
    env: { ...process.env, CONFIG: configFile, CDKTF_OUTDIR: outdir, NODE_OPTIONS: `-r ${RSS_PRELOAD}`, BENCH_RSS_DIR: rssDir },
    stdio: ["ignore", "ignore", "pipe"],
  });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (result.status !== 0) throw new Error(`npm run synth failed: ${result.stderr}`);
  const kb = fs.readdirSync(rssDir).map((f) => Number(fs.readFileSync(path.join(rssDir, f), "utf8")));
  fs.rmSync(rssDir, { recursive: true, force: true });
  return { seconds, peakMb: Math.max(...kb) / 1024 };
}

function main(argv) {
  const at = argv.indexOf("--clusters");
  const given = at >= 0 && argv[at + 1] && !argv[at + 1].startsWith("--") ? argv[at + 1] : "1,10,50";
  const sizes = given.split(",").map(Number);
  if (sizes.some((n) => !Number.isInteger(n) || n < 1 || n > 250)) {
    console.error(`--clusters takes whole numbers from 1 to 250, comma-separated; got ${JSON.stringify(given)}`);
    return 2;
  }
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "bench-fleet-"));
  // Inside the project: the local backend's state paths need the output folder there.
  const outdir = path.join(ROOT, "cdktf.out.bench-fleet");
  const rows = [];
  try {
    for (const n of sizes) {
      const file = path.join(work, `fleet-${n}.json`);
      fs.writeFileSync(file, JSON.stringify(fleetConfig(n)));
      measureSynth(file, outdir); // warms the transpile cache and the file system
      const runs = Array.from({ length: RUNS }, () => measureSynth(file, outdir)).sort((a, b) => a.seconds - b.seconds);
      const median = runs[Math.floor(runs.length / 2)];
      rows.push({ n, seconds: median.seconds, peakMb: Math.max(...runs.map((r) => r.peakMb)) });
    }
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
    fs.rmSync(work, { recursive: true, force: true });
  }
  console.log(`fleet bench on ${os.cpus().length} cores (load ${os.loadavg()[0].toFixed(1)}), median of ${RUNS} runs, node ${process.version}`);
  console.log(`${"clusters".padStart(8)} ${"stacks".padStart(6)} ${"npm run synth".padStart(14)} ${"peak RSS".padStart(9)} ${"s/cluster".padStart(10)}  target`);
  for (const r of rows) {
    const target = r.n === TARGET.clusters
      ? `<= ${TARGET.seconds} s ${r.seconds <= TARGET.seconds ? "ok" : "MISSED"}, <= ${TARGET.peakMb} MB ${r.peakMb <= TARGET.peakMb ? "ok" : "MISSED"}`
      : "";
    console.log(`${String(r.n).padStart(8)} ${String(2 + 2 * r.n).padStart(6)} ${`${r.seconds.toFixed(2)} s`.padStart(14)} ` +
      `${`${r.peakMb.toFixed(0)} MB`.padStart(9)} ${(r.seconds / r.n).toFixed(3).padStart(10)}  ${target}`);
  }
  if (rows.length >= 2) {
    const [first, last] = [rows[0], rows[rows.length - 1]];
    // Linear growth: the extra time per extra cluster; a fixed start-up cost makes small N look dear per cluster.
    const marginal = (last.seconds - first.seconds) / (last.n - first.n);
    console.log(`marginal cost: ${(marginal * 1000).toFixed(0)} ms per added cluster between ${first.n} and ${last.n}`);
  }
  return 0;
}

if (require.main === module) process.exit(main(process.argv.slice(2)));
module.exports = { fleetConfig };
