// Preloaded by bench.js: writes the process's peak resident set size (KB) when it exits.
process.on("exit", () => require("fs").writeFileSync(process.env.BENCH_RSS_FILE, String(process.resourceUsage().maxRSS)));
