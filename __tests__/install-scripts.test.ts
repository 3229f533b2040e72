import * as path from "path";

// npm 11 blocks dependencies' install scripts unless package.json's allowScripts covers them, and
// ends `npm ci` with a warning listing every package it skipped. The two in our tree (both under
// cdktf-cli) need no script: each ships the native part for this platform ready to load.
const ROOT = path.resolve(__dirname, "..");
const pkg = require(path.join(ROOT, "package.json")) as { allowScripts?: Record<string, boolean> };
const lock = require(path.join(ROOT, "package-lock.json")) as { packages: Record<string, { hasInstallScript?: boolean }> };

const withInstallScripts = Object.entries(lock.packages)
  .filter(([, entry]) => entry.hasInstallScript)
  .map(([where]) => where.slice(where.lastIndexOf("node_modules/") + "node_modules/".length));

test("every dependency with an install script has a decision in allowScripts, so npm ci ends without a warning", () => {
  expect(withInstallScripts.length).toBeGreaterThan(0);
  expect(Object.keys(pkg.allowScripts ?? {}).sort()).toEqual([...new Set(withInstallScripts)].sort());
});

test("the denied scripts are not needed: cdktf-cli's pseudo-terminal and file watcher load as installed", () => {
  // cdktf-cli runs terraform in a pseudo-terminal for `npm run deploy`; the prebuilt binary for
  // this platform is in the package (its install script only checks that it loads).
  const pty = require("@cdktf/node-pty-prebuilt-multiarch") as { native: { fork?: unknown } };
  expect(typeof pty.native.fork).toBe("function");
  // Its native part comes from the platform package npm picks (watcher-linux-x64-glibc here).
  const watcher = require("@parcel/watcher") as { subscribe: unknown };
  expect(typeof watcher.subscribe).toBe("function");
});
