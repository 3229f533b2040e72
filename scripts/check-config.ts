/**
 * Validates the selected config and nothing else: one clean report (no stack trace) and a
 * non-zero exit for a bad config. `npm run synth` makes the same check inside the app; this
 * entry point serves the config tests and `scripts/bench-config.js`.
 */
import { loadConfig } from "../config/load-config";
import { exitOnUserError } from "../config/user-error";

exitOnUserError(() => loadConfig());
