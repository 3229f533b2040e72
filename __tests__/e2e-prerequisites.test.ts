import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { tempDir } from "./helpers/temp";

const NODE_SH = path.resolve(__dirname, "../scripts/e2e/node.sh");

/** A PATH holding only the named commands (links to the machine's own). */
function pathWith(commands: readonly string[]): string {
  const bin = tempDir("e2e-path-");
  for (const command of commands) {
    const found = spawnSync("bash", ["-c", `command -v ${command}`], { encoding: "utf8" }).stdout.trim();
    if (!found) throw new Error(`${command} is not installed`);
    fs.symlinkSync(found, path.join(bin, command));
  }
  return bin;
}

/** node.sh with `args`, on a PATH without containerd, runc, the CNI plugins' packages or Go. */
function nodeShWithoutPackages(args: readonly string[]) {
  const bash = spawnSync("bash", ["-c", "command -v bash"], { encoding: "utf8" }).stdout.trim();
  return spawnSync(bash, [NODE_SH, ...args], { encoding: "utf8", env: { PATH: pathWith(["dirname", "id", "grep", "awk", "sed", "sort"]) } });
}

describe("npm run test:e2e on a machine that cannot run it", () => {
  test("exits 3 (skipped, never passed) and names every missing prerequisite with where to get it", () => {
    const run = nodeShWithoutPackages(["check"]);
    expect(run.status).toBe(3);
    for (const command of ["containerd", "containerd-shim-runc-v2", "runc", "ctr", "ip", "umount", "flock", "go"]) {
      expect(run.stderr).toContain(`e2e: cannot run: no ${command} on the PATH`);
    }
    expect(run.stderr).toContain("(Debian packages: containerd runc containernetworking-plugins iproute2 mount util-linux)");
    expect(run.stdout).toBe("");
  });

  test("the full test command checks first, so a missing prerequisite is never reported as a failure or a pass", () => {
    const run = nodeShWithoutPackages(["test"]);
    expect(run.status).toBe(3);
    expect(run.stderr).toMatch(/^e2e: cannot run: /m);
  });
});

describe("the Debian packages the e2e run needs", () => {
  test("CI installs exactly the ones node.sh names when they are missing", () => {
    const list = (file: string, name: string) => {
      const m = new RegExp(`^${name}=\\(([^)]*)\\)`, "m").exec(fs.readFileSync(path.resolve(__dirname, "..", file), "utf8"));
      if (!m) throw new Error(`${file} has no ${name}=(...)`);
      return m[1].trim().split(/\s+/);
    };
    const nodeSh = list("scripts/e2e/node.sh", "PACKAGES");
    expect(nodeSh).toContain("containerd");
    expect(list(".ci/run", "E2E_PACKAGES")).toEqual(nodeSh);
  });
});
