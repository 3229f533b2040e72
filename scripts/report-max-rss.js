// Preloaded by the benches: writes the process's peak resident set size (KB) when it exits, to
// BENCH_RSS_FILE, or (bench.js, which measures npm and the app it starts) to BENCH_RSS_DIR/<pid>.
process.on("exit", () => {
  const file = process.env.BENCH_RSS_DIR ? require("path").join(process.env.BENCH_RSS_DIR, String(process.pid)) : process.env.BENCH_RSS_FILE;
  require("fs").writeFileSync(file, String(process.resourceUsage().maxRSS));
});
