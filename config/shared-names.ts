/**
 * Names that the stacks of one config share with each other: resource groups and Terraform Cloud
 * workspaces. Each stack must own its own, or two stacks plan the same objects.
 *
 * State files and blob keys need no check: they are `<stateName>/<stack>.tfstate`
 * (config/stack-names.ts), and stack names are distinct by construction (fleet cluster names are
 * unique and lowercase, and each kind of stack has its own prefix); a test holds that over
 * generated fleets. Workspaces are not derived alone: `platform` and `workload` are named in the
 * config, so they can meet each other or the derived `<stateName>-csi-driver`.
 */
import { Checker, show } from "./checker";
import { stackNamesOf, workspaceOf } from "./stack-names";
import type { AppConfig } from "./types";

/**
 * Azure resource group names are case-insensitive: "Resource names are case-insensitive unless
 * specifically noted in the valid characters column", and resource groups are not noted ("Naming
 * rules and restrictions for Azure resources", read 2026-12-04:
 * https://learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules), so
 * "rg-Fleet-WEU" is the group "rg-fleet-weu".
 * Terraform Cloud compares workspace names without case too (its API finds a workspace by any
 * casing of its name, as it does organizations: hashicorp/terraform-provider-tfe#299); two names
 * that differ only in case are refused, which is safe either way.
 */
const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** Reports every resource group and workspace that two stacks of `config` would share (or one would create and another needs). */
export function checkSharedNames(c: Checker, config: AppConfig): void {
  checkResourceGroups(c, config);
  checkWorkspaces(c, config);
}

function checkResourceGroups(c: Checker, config: AppConfig): void {
  const own = config.resourceGroup;
  const ownStack = config.clusters ? "vault" : "platform";
  const clusters = (config.clusters ?? []).map((cluster, i) => ({
    name: cluster.resourceGroupName,
    who: `the resource group stack cluster-${cluster.name} creates for clusters[${i}], rg-<namePrefix>-<name>`,
  }));
  const CASE = "Azure compares resource group names without case";

  for (const cluster of clusters.filter((cl) => same(cl.name, own.name))) {
    c.report("resourceGroup.name", own.existing
      ? `${show(own.name)} is looked up (resourceGroup.existing), but it is ${cluster.who} (${CASE}): the vault stack deploys first ` +
        "and finds no group, and destroying that cluster would delete the vault with it; choose another group"
      : `${show(own.name)} is also ${cluster.who} (${CASE}): both stacks would create one group, so the second apply fails because ` +
        "it exists, and the first destroy deletes the other stack's resources with it; choose another name");
  }
  if (config.backend.type !== "azurerm") return;
  // The state's group exists before the first plan (terraform init reads the state from it).
  const state = config.backend.resourceGroupName;
  if (!own.existing && same(own.name, state)) {
    c.report("resourceGroup.name", `${show(own.name)} is also backend.resourceGroupName, the group of the state's storage account (${CASE}): ` +
      `it exists before the first plan, so the ${ownStack} stack fails to create it, and its destroy would delete the state with it; ` +
      "set resourceGroup.existing to true to use that group, or choose another name");
  }
  for (const cluster of clusters.filter((cl) => same(cl.name, state))) {
    c.report("backend.resourceGroupName", `${show(state)} holds the state's storage account, but it is also ${cluster.who} (${CASE}): ` +
      "it exists before the first plan, so that stack fails to create it, and its destroy would delete the state with it; " +
      "keep the state in another group, or rename the cluster");
  }
}

function checkWorkspaces(c: Checker, config: AppConfig): void {
  const backend = config.backend;
  if (backend.type !== "cloud") return;
  // Only platform and workload are named in the config (backend.workspaces); every other stack's is <namePrefix>-<stack>.
  const configured = (stack: string) => stack === "platform" || stack === "workload";
  const seen: { stack: string; workspace: string }[] = [];
  for (const stack of stackNamesOf(config)) {
    const workspace = workspaceOf(backend, config.namePrefix, stack);
    if (workspace === "") continue; // a missing or invalid name, reported already
    const prior = seen.find((s) => same(s.workspace, workspace));
    seen.push({ stack, workspace });
    if (!prior) continue;
    // Report at the key that names a workspace; the other one is the stack it meets.
    const [given, other] = configured(stack) ? [{ stack, workspace }, prior] : [prior, { stack, workspace }];
    const otherName = configured(other.stack) ? `the ${other.stack} workspace` : `the ${other.stack} stack's workspace (<namePrefix>-${other.stack})`;
    const casing = other.workspace === given.workspace ? "" : ` ${show(other.workspace)} (workspace names are compared ignoring case)`;
    c.report(`backend.workspaces.${given.stack}`, `${show(given.workspace)} is also ${otherName}${casing}; each stack needs its own workspace`);
  }
}
