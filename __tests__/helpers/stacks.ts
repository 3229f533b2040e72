import { Testing, TerraformResource, TerraformStack } from "cdktf";
import { AzurermProvider } from "@cdktf/provider-azurerm/lib/provider";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { tempDir } from "./temp";

/** An empty stack with the azurerm provider, for testing one Azure construct. */
export function azureStack(): TerraformStack {
  // An explicit outdir: without one, Testing.app makes a temp folder of its own that nobody removes.
  const stack = new TerraformStack(Testing.app({ outdir: tempDir() }), "test");
  new AzurermProvider(stack, "azurerm", { features: [{}] });
  return stack;
}

/** An empty stack with the kubernetes provider, for testing one Kubernetes construct. */
export function kubernetesStack(): TerraformStack {
  const stack = new TerraformStack(Testing.app({ outdir: tempDir() }), "test");
  new KubernetesProvider(stack, "kubernetes", {});
  return stack;
}

/** The first resource construct of `type` in `stack`, to override or inspect before synthesis. */
export function resourceOf(stack: TerraformStack, type: string): TerraformResource {
  const found = stack.node.findAll().find((c): c is TerraformResource => c instanceof TerraformResource && c.terraformResourceType === type);
  if (!found) throw new Error(`no ${type} in ${stack.node.id}`);
  return found;
}

/** Resources of one type that `stack` synthesizes. */
export function synthesized(stack: TerraformStack, type: string): any[] {
  return Object.values(JSON.parse(Testing.synth(stack)).resource?.[type] ?? {});
}
