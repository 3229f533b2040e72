import * as fs from "fs";
import * as path from "path";
import { Annotations, App, TerraformStack } from "cdktf";
import { SecretProviderClass } from "../constructs/kubernetes";

/**
 * Warns, on each SecretProviderClass that now names its workload's own federated identity
 * (`clientID`) but named the add-on identity (`useVMManagedIdentity`) at the same Terraform address
 * in the previous output of the same config: the change of the hardened default (issue 21), or a
 * config edit, then moves that workload to another identity, and the plan that follows creates and
 * destroys grants. A fresh checkout (CI, Terraform Cloud) has no previous output, which is why the
 * migration note in docs/identity.md says the same. Only JSON output is compared (cdk.tf.json); after an HCL
 * synth there is nothing to read, and no warning.
 */
export function warnIdentitySwitches(app: App, previousOutdir: string): void {
  for (const stack of app.node.findAll().filter(TerraformStack.isStack)) {
    const previous = previousManifests(path.join(previousOutdir, "stacks", stack.node.id, "cdk.tf.json"));
    if (!previous) continue;
    for (const spc of stack.node.findAll().filter((c): c is SecretProviderClass => c instanceof SecretProviderClass)) {
      const now = (spc.manifest.spec as { parameters: Record<string, string> }).parameters;
      if (!("clientID" in now)) continue;
      const address = stack.getLogicalId(spc.resource);
      if (previous[address]?.manifest?.spec?.parameters?.useVMManagedIdentity !== "true") continue;
      Annotations.of(spc).addWarning(
        `SecretProviderClass ${spc.namespace}/${spc.name} (kubernetes_manifest.${address}) switches from the add-on identity, which it ` +
        "named in the previous output, to its workload's own federated identity. The plan creates that user-assigned identity, its " +
        "federated credential and its read grants, destroys the add-on identity's grants no other add-on workload needs, and updates " +
        "this SecretProviderClass and its ServiceAccount in place; the Deployment does not change. To keep the add-on identity, set " +
        "\"identity\": \"addon\" on the workload (docs/identity.md: Moving from the add-on default).",
      );
    }
  }
}

/** The kubernetes_manifest resources of a previous cdk.tf.json, or undefined when there is none to read. */
function previousManifests(file: string): Record<string, any> | undefined {
  if (!fs.existsSync(file)) return undefined;
  try {
    return JSON.parse(fs.readFileSync(file, "utf8")).resource?.kubernetes_manifest ?? {};
  } catch {
    // A damaged file of the user's: the synth replaces it, and there is nothing to compare.
    return undefined;
  }
}
