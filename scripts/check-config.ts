/**
 * Validates the selected config before `cdktf synth` starts, so a bad config yields one clean
 * report (no CLI banner, no stack trace), a non-zero exit, and an untouched cdktf.out.
 */
import { loadConfig } from "../config/load-config";
import { exitOnUserError } from "../config/user-error";

exitOnUserError(() => loadConfig());
