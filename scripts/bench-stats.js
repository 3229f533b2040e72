/** Statistics shared by the benches (scripts/bench.js, scripts/bench-config.js). */
"use strict";

/** The middle value (the mean of the two middle ones for an even count): one slow run does not move it. */
function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

module.exports = { median };
