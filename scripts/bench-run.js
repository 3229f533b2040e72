#!/usr/bin/env node
/**
 * `npm run bench`: the synth bench (bench.js) and the config bench (bench-config.js); with
 * `-- --clusters N[,N...]`, the fleet bench (bench-fleet.js) instead.
 */
const { spawnSync } = require("child_process");
const path = require("path");

const args = process.argv.slice(2);
const scripts = args.includes("--clusters") ? [["bench-fleet.js", args]] : [["bench.js", []], ["bench-config.js", args]];
for (const [script, scriptArgs] of scripts) {
  const result = spawnSync(process.execPath, [path.join(__dirname, script), ...scriptArgs], { stdio: "inherit" });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
