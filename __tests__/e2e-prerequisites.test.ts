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

describe("what the e2e run builds and runs", () => {
  const shellValue = (file: string, name: string) => {
    const m = new RegExp(`^${name}=("?)([^"\\n]*)\\1$`, "m").exec(fs.readFileSync(path.resolve(__dirname, "..", file), "utf8"));
    if (!m) throw new Error(`${file} has no ${name}=`);
    return m[2];
  };

  test("Reloader is built at the appVersion of the chart the app installs", () => {
    const { RELOADER_CHART } = require("../config/reloader-chart");
    expect(shellValue("scripts/e2e/build.sh", "RELOADER_VERSION")).toBe(RELOADER_CHART.appVersion);
  });

  test("the driver versions are the AKS add-on's first (also the cluster tests' CRDs), then a v1.6", () => {
    const run = spawnSync("bash", ["-c", 'source scripts/lib-go-modules.sh; printf "%s\\n" "$CSI_DRIVER_VERSION" "${CSI_DRIVER_E2E_VERSIONS[@]}"'],
      { cwd: path.resolve(__dirname, ".."), encoding: "utf8" });
    const [crd, ...versions] = run.stdout.trim().split("\n").map((line) => line.split(" ")[0]);
    expect(versions).toEqual([crd, expect.stringMatching(/^v1\.6\.\d+$/)]);
    expect(crd).toBe("v1.5.4");
  });

  test("node.sh sums the jest reports of its runs, one per driver version, and fails the sum when one run failed", () => {
    const dir = tempDir("e2e-reports-");
    const report = (passed: number, failed: number, title: string) => ({
      success: failed === 0, numTotalTests: passed + failed, numPassedTests: passed, numFailedTests: failed, numPendingTests: 0,
      numTotalTestSuites: 1, testResults: [{ name: title }],
    });
    fs.writeFileSync(path.join(dir, "r.v1"), JSON.stringify(report(20, 0, "a")));
    fs.writeFileSync(path.join(dir, "r.v2"), JSON.stringify(report(18, 2, "b")));
    const run = spawnSync("bash", ["-c", `source scripts/e2e/node.sh; merge_reports ${dir}/r ${dir}/r.v1 ${dir}/r.v2`],
      { cwd: path.resolve(__dirname, ".."), encoding: "utf8" });
    expect(run.stderr).toBe("");
    const merged = JSON.parse(fs.readFileSync(path.join(dir, "r"), "utf8"));
    expect(merged).toEqual(expect.objectContaining({ success: false, numTotalTests: 40, numPassedTests: 38, numFailedTests: 2, numTotalTestSuites: 2 }));
    expect(merged.testResults).toEqual([{ name: "a" }, { name: "b" }]);
  });

  test("a run whose report is missing (it died before jest wrote it) makes the sum fail", () => {
    const dir = tempDir("e2e-reports-");
    fs.writeFileSync(path.join(dir, "r.v1"), JSON.stringify({ success: true, numTotalTests: 3, numPassedTests: 3, numFailedTests: 0, testResults: [] }));
    spawnSync("bash", ["-c", `source scripts/e2e/node.sh; merge_reports ${dir}/r ${dir}/r.v1 ${dir}/r.v2`], { cwd: path.resolve(__dirname, "..") });
    expect(JSON.parse(fs.readFileSync(path.join(dir, "r"), "utf8"))).toEqual(expect.objectContaining({ success: false, numPassedTests: 3 }));
  });
});

describe("the order of the e2e test files on their shared node", () => {
  test("runs the seed's promises first, then status and rotation, then any other file by name", () => {
    const Order = require("./e2e/order.js");
    const files = ["zeta.test.ts", "rotation.test.ts", "alpha.test.ts", "status.test.ts", "secrets-as-files.test.ts"].map((f) => ({ path: `/e2e/${f}` }));
    expect(new Order().sort(files).map((t: { path: string }) => path.basename(t.path)))
      .toEqual(["secrets-as-files.test.ts", "status.test.ts", "rotation.test.ts", "alpha.test.ts", "zeta.test.ts"]);
  });
});
