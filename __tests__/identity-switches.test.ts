import * as fs from "fs";
import * as path from "path";
import { buildApp } from "../stacks/build-app";
import { synthesizeAtomically } from "../synth/synthesize";
import { configFrom } from "./helpers/synth";
import { tempDir } from "./helpers/temp";

const ADDON = (raw: any) => (raw.workloads[0].identity = "addon");

/** Synthesizes `mutate`'s config into `outdir` as npm run synth does; the warnings of the new output. */
function synthWarnings(outdir: string, mutate?: (raw: any) => void): string[] {
  synthesizeAtomically((dir) => buildApp(configFrom(mutate), { outdir: dir }).app, outdir);
  const manifest = JSON.parse(fs.readFileSync(path.join(outdir, "manifest.json"), "utf8"));
  return Object.values<any>(manifest.stacks).flatMap((s) => s.annotations)
    .filter((a) => a.level === "@cdktf/warn" && a.message.includes("switches from the add-on identity")).map((a) => a.message);
}

describe("a workload that moves from the add-on identity to its own", () => {
  test("warns once, when the previous output named the add-on identity at the same address, with the plan it causes", () => {
    const outdir = path.join(tempDir(), "cdktf.out");
    expect(synthWarnings(outdir, ADDON)).toEqual([]);
    expect(synthWarnings(outdir)).toEqual([
      "SecretProviderClass demo/demo-secrets (kubernetes_manifest.demo_secret_provider_class) switches from the add-on identity, which it " +
      "named in the previous output, to its workload's own federated identity. The plan creates that user-assigned identity, its " +
      "federated credential and its read grants, destroys the add-on identity's grants no other add-on workload needs, and updates " +
      "this SecretProviderClass and its ServiceAccount in place; the Deployment does not change. To keep the add-on identity, set " +
      "\"identity\": \"addon\" on the workload (docs/identity.md: Moving from the add-on default).",
    ]);
    // The output now names the workload identity: nothing switches any more.
    expect(synthWarnings(outdir)).toEqual([]);
  });

  test("does not warn on a fresh output folder, or when the workload keeps the add-on identity", () => {
    const outdir = path.join(tempDir(), "cdktf.out");
    expect(synthWarnings(outdir)).toEqual([]);
    const addon = path.join(tempDir(), "cdktf.out");
    expect(synthWarnings(addon, ADDON)).toEqual([]);
    expect(synthWarnings(addon, ADDON)).toEqual([]);
  });
});
