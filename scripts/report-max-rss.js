// Preloaded by bench.js into every node process of a measured command (npm and the app): each
// writes its peak resident set size (KB) to its own file when it exits.
process.on("exit", () => require("fs").writeFileSync(`${process.env.BENCH_RSS_FILE}.${process.pid}`, String(process.resourceUsage().maxRSS)));
