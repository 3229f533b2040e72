import * as fs from "fs";
import * as os from "os";
import * as path from "path";

/** Temporary folders made by the helpers of the running test file. */
const tempDirs: string[] = [];

/**
 * A fresh temporary folder, removed after the test file's last test. Without the clean-up every
 * synthesized app left a folder behind: over a thousand after a few runs of the suite.
 */
export function tempDir(prefix = "cdktf-test-"): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}

/** Removes every folder tempDir made so far. */
export function removeTempDirs(): void {
  for (const dir of tempDirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

// Registered when a test file imports the helpers; the folders stay readable until all its tests ran.
afterAll(removeTempDirs);
