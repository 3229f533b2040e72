import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import { writeStackReadmes } from "../synth/stack-readme";
import { AppConfig } from "../config/types";
import { parseConfig } from "../config/parse-config";
import { configFrom, defaultRaw, resourcesOf, dataOf, sharedSynthApp, synthFleet, withoutMetadata } from "./helpers/synth";

const NOW = new Date("2026-06-01T00:00:00Z");
const VAULT_ID = "${data.terraform_remote_state.vault.outputs.key_vault_id}";

interface ClusterSpec { readonly name: string; readonly location: string; readonly octet: number; readonly mounts: readonly string[][] }

/** A fleet on the default config: one vault with three secrets, each cluster's workloads mounting the listed secrets. */
function fleet(specs: readonly ClusterSpec[], identity?: "addon" | "workload"): AppConfig {
  const raw = defaultRaw();
  delete raw.workloads;
  raw.keyVault.secrets.push({ name: "payments-key", expirationDate: "2027-12-31T00:00:00Z" });
  raw.clusters = specs.map((s) => ({
    name: s.name,
    location: s.location,
    network: { vnetAddressSpace: `10.${s.octet}.0.0/16`, clusterSubnetPrefix: `10.${s.octet}.0.0/20`, endpointSubnetPrefix: `10.${s.octet}.16.0/24` },
    workloads: s.mounts.map((objects, i) => ({ name: `app${i}`, identity, objects: objects.map((objectName) => ({ objectName })) })),
  }));
  return parseConfig(raw, "fleet test", NOW);
}

const WEU: ClusterSpec = { name: "weu", location: "westeurope", octet: 41, mounts: [["db-password", "api-key"], ["payments-key"]] };
const NEU: ClusterSpec = { name: "neu", location: "northeurope", octet: 42, mounts: [["db-password"]] };
const EUS: ClusterSpec = { name: "eus", location: "eastus", octet: 43, mounts: [["api-key"]] };
const THREE = [WEU, NEU, EUS];

const readerScopes = (stack: any) => resourcesOf(stack, "azurerm_role_assignment")
  .filter((r) => r.role_definition_name === "Key Vault Secrets User")
  .map((r) => r.scope)
  .sort();

describe("one cluster (no clusters key)", () => {
  test("keeps the stacks platform and workload and no fleet concept in the config", () => {
    const s = sharedSynthApp();
    expect(Object.keys(s.manifest().stacks).sort()).toEqual(["platform", "workload"]);
    expect(configFrom()).not.toHaveProperty("clusters");
  });

  // sha256 of each stack's configuration, without cdktf's metadata (it names the engine and its
  // version) and in one canonical JSON layout, as the default config synthesized on main before
  // the fleet (4fedbc5): the fleet changed none of it. Canonical, so cdktf and CDK Terrain
  // (scripts/cdk-terrain.sh) agree. A change that alters the default's output on purpose updates
  // these, and says so in its commit: the platform's changed with the vault's audit searches and
  // alerts (issue 23), both with the default workload's own federated identity and the identity
  // admission policy (issue 21), and the platform's with the write markers that follow the write,
  // Cilium, the pod range, the deployer's ranges and the cluster-admin wait (issue 19).
  test("synthesizes the same configuration as before the fleet", () => {
    const s = sharedSynthApp();
    const sha = (stack: "platform" | "workload") =>
      crypto.createHash("sha256").update(JSON.stringify(withoutMetadata(s.stackJson(stack)))).digest("hex");
    expect({ platform: sha("platform"), workload: sha("workload") }).toEqual({
      platform: "b47904de3b491cb38e7236abf55e287dffea6de4d02799277d14e486a8fec9da",
      workload: "9fe81c6c36a6e8945c47ce92c86c37ba7a916a2ff08f323a19671dc1908e0645",
    });
  });
});

describe("a fleet of three clusters sharing one vault", () => {
  const s = synthFleet(fleet(THREE));

  test("has a vault stack, per cluster cluster-<name> and workload-<name>, and one vault-endpoints stack", () => {
    expect(Object.keys(s.manifest().stacks).sort()).toEqual(
      ["cluster-eus", "cluster-neu", "cluster-weu", "vault", "vault-endpoints", "workload-eus", "workload-neu", "workload-weu"]);
  });

  test("orders deploys vault, then the clusters side by side, then the endpoints, then each workload (destroy runs in reverse)", () => {
    const deps = Object.fromEntries(Object.entries<any>(s.manifest().stacks).map(([name, st]) => [name, st.dependencies]));
    expect(deps).toEqual({
      vault: [],
      "cluster-weu": ["vault"], "cluster-neu": ["vault"], "cluster-eus": ["vault"],
      "vault-endpoints": ["vault", "cluster-weu", "cluster-neu", "cluster-eus"],
      "workload-weu": ["cluster-weu", "vault-endpoints"], "workload-neu": ["cluster-neu", "vault-endpoints"], "workload-eus": ["cluster-eus", "vault-endpoints"],
    });
  });

  test("keeps the vault, its secrets and audit logs in the vault stack alone", () => {
    const vault = s.stackJson("vault");
    expect(resourcesOf(vault, "azurerm_key_vault")).toHaveLength(1);
    expect(resourcesOf(vault, "azurerm_key_vault_secret").map((r) => r.name).sort()).toEqual(["api-key", "db-password", "payments-key"]);
    expect(resourcesOf(vault, "azurerm_monitor_diagnostic_setting")).toHaveLength(1);
    expect(readerScopes(vault)).toEqual([]);
    for (const c of THREE) {
      const cluster = s.stackJson(`cluster-${c.name}`);
      expect(resourcesOf(cluster, "azurerm_key_vault")).toEqual([]);
      expect(resourcesOf(cluster, "azurerm_key_vault_secret")).toEqual([]);
    }
  });

  test("grants each cluster Key Vault Secrets User on exactly the secrets it mounts, per secret", () => {
    expect(readerScopes(s.stackJson("cluster-weu"))).toEqual(
      ["api-key", "db-password", "payments-key"].map((n) => `${VAULT_ID}/secrets/${n}`));
    expect(readerScopes(s.stackJson("cluster-neu"))).toEqual([`${VAULT_ID}/secrets/db-password`]);
    expect(readerScopes(s.stackJson("cluster-eus"))).toEqual([`${VAULT_ID}/secrets/api-key`]);
    // The secret only weu mounts is readable by no other cluster, and no grant covers the whole vault.
    for (const other of ["cluster-neu", "cluster-eus"]) {
      expect(readerScopes(s.stackJson(other)).some((scope: string) => scope.endsWith("/payments-key"))).toBe(false);
    }
    for (const c of THREE) expect(readerScopes(s.stackJson(`cluster-${c.name}`))).not.toContain(VAULT_ID);
  });

  test("grants to the cluster's own identities: its workloads' federated ones by default, or its add-on identity", () => {
    const readers = (stack: any) => resourcesOf(stack, "azurerm_role_assignment")
      .filter((r) => r.role_definition_name === "Key Vault Secrets User").map((g) => g.principal_id);
    expect(readers(s.stackJson("cluster-neu"))).toEqual(["${azurerm_user_assigned_identity.workload_identity_app0.principal_id}"]);
    expect(resourcesOf(s.stackJson("cluster-neu"), "azurerm_user_assigned_identity").map((i) => i.name)).toEqual(["id-kvcsi-neu-app0"]);
    const addon = fleet(THREE, "addon");
    expect(readers(synthFleet(addon).stackJson("cluster-neu"))).toEqual(["${azurerm_kubernetes_cluster.aks.key_vault_secrets_provider[0].secret_identity[0].object_id}"]);
  });

  test("links each cluster to the vault's state and each workload to its cluster's state", () => {
    for (const c of THREE) {
      const [vaultState] = dataOf(s.stackJson(`cluster-${c.name}`), "terraform_remote_state");
      expect(vaultState.config).toEqual({ path: "../../../state/kvcsi/vault.tfstate" });
      const [clusterState] = dataOf(s.stackJson(`workload-${c.name}`), "terraform_remote_state");
      expect(clusterState.config).toEqual({ path: `../../../state/kvcsi/cluster-${c.name}.tfstate` });
      expect(s.stackJson(`cluster-${c.name}`).terraform.backend).toEqual({ local: { path: `../../../state/kvcsi/cluster-${c.name}.tfstate` } });
    }
  });

  test("workloads mount from the shared vault through their cluster's outputs", () => {
    const workload = s.stackJson("workload-eus");
    const [spc] = resourcesOf(workload, "kubernetes_manifest");
    expect(spc.manifest.spec.parameters.keyvaultName).toBe("${data.terraform_remote_state.platform.outputs.key_vault_name}");
    const cluster = s.stackJson("cluster-eus");
    expect(cluster.output.key_vault_name.value).toBe("${data.terraform_remote_state.vault.outputs.key_vault_name}");
  });

  test("reaches the vault through a private endpoint in each cluster's own VNet, region and resource group", () => {
    const endpoints = s.stackJson("vault-endpoints");
    for (const c of THREE) {
      const cluster = s.stackJson(`cluster-${c.name}`);
      expect(resourcesOf(cluster, "azurerm_private_endpoint")).toEqual([]);
      expect(endpoints.resource.azurerm_private_endpoint[c.name]).toMatchObject({
        location: c.location,
        resource_group_name: `rg-kvcsi-${c.name}`,
        subnet_id: `\${data.terraform_remote_state.cluster_${c.name}.outputs.endpoint_subnet_id}`,
        private_service_connection: { private_connection_resource_id: VAULT_ID, subresource_names: ["vault"] },
        private_dns_zone_group: { name: "vault", private_dns_zone_ids: [`\${data.terraform_remote_state.cluster_${c.name}.outputs.vault_dns_zone_id}`] },
      });
      expect(cluster.output.endpoint_subnet_id.value).toBe("${azurerm_subnet.network_endpoint_subnet.id}");
      expect(cluster.output.vault_dns_zone_id.value).toBe("${azurerm_private_dns_zone.vault_access.id}");
      const [link] = resourcesOf(cluster, "azurerm_private_dns_zone_virtual_network_link");
      expect(link.virtual_network_id).toBe("${azurerm_virtual_network.vnet.id}");
      expect(resourcesOf(cluster, "azurerm_virtual_network")[0].address_space).toEqual([`10.${c.octet}.0.0/16`]);
      // The workload may mount only once the grants and the zone's link work: the outputs it reads wait for both.
      expect(cluster.output.key_vault_name.depends_on).toEqual(expect.arrayContaining([
        "time_sleep.key_vault_reader_grants_propagation", "azurerm_private_dns_zone_virtual_network_link.vault_access"]));
    }
  });

  test("creates the endpoints into the one vault one at a time, in config order: each waits for the one before", () => {
    const endpoints = s.stackJson("vault-endpoints").resource.azurerm_private_endpoint;
    expect(Object.keys(endpoints).sort()).toEqual(["eus", "neu", "weu"]);
    expect(endpoints.weu).not.toHaveProperty("depends_on");
    expect(endpoints.neu.depends_on).toEqual(["azurerm_private_endpoint.weu"]);
    expect(endpoints.eus.depends_on).toEqual(["azurerm_private_endpoint.neu"]);
  });

  test("tells plain Terraform users the order in the stack READMEs", () => {
    const readme = (stack: string) => fs.readFileSync(path.join(s.outdir, "stacks", stack, "README.md"), "utf8");
    writeStackReadmes(s.app, s.outdir);
    const endpoints = readme("vault-endpoints");
    expect(endpoints).toContain("Apply `vault`, `cluster-weu`, `cluster-neu`, `cluster-eus` first: this stack reads their outputs through `terraform_remote_state`.");
    expect(endpoints).toContain("one after another (each waits for the one before; destroy removes them in reverse), because Key Vault fails concurrent " +
      "private endpoint connections with ConflictError, which azurerm 4.55 does not retry (hashicorp/terraform-provider-azurerm#32261)");
    expect(endpoints).toContain("`workload-weu`, `workload-neu`, `workload-eus` mount through the endpoints this stack creates: apply them after this one");
    const workload = readme("workload-weu");
    expect(workload).toContain("Apply `cluster-weu` first: this stack reads its outputs through `terraform_remote_state`.");
    expect(workload).toContain("Apply `vault-endpoints` first too: it creates the private endpoint into the vault that this cluster's pods mount secrets through.");
  });

  test("matches the snapshot", () => {
    const stacks = Object.keys(s.manifest().stacks).sort();
    expect(Object.fromEntries(stacks.map((name) => [name, withoutMetadata(s.stackJson(name))]))).toMatchSnapshot();
  });
});

describe("each cluster's own grant scope", () => {
  test("grants a cluster with cluster.grantScope \"vault\" on the whole vault, and its neighbour per secret", () => {
    const raw = defaultRaw();
    delete raw.workloads;
    raw.clusters = [
      { name: "weu", cluster: { grantScope: "vault" }, workloads: [{ name: "app", objects: [{ objectName: "db-password" }] }] },
      { name: "neu", network: { vnetAddressSpace: "10.42.0.0/16", clusterSubnetPrefix: "10.42.0.0/20", endpointSubnetPrefix: "10.42.16.0/24" },
        workloads: [{ name: "app", objects: [{ objectName: "db-password" }] }] },
    ];
    const config = parseConfig(raw, "fleet test", NOW);
    // The top-level cluster key is not part of a fleet: its grantScope is the default, "secret".
    expect(config.cluster.grantScope).toBe("secret");
    const s = synthFleet(config);
    expect(readerScopes(s.stackJson("cluster-weu"))).toEqual([VAULT_ID]);
    expect(readerScopes(s.stackJson("cluster-neu"))).toEqual([`${VAULT_ID}/secrets/db-password`]);
  });
});

describe("a cluster that mounts nothing", () => {
  test("gets no access to the vault at all", () => {
    const s = synthFleet(fleet([WEU, { name: "idle", location: "westeurope", octet: 44, mounts: [] }]));
    const idle = s.stackJson("cluster-idle");
    expect(resourcesOf(idle, "azurerm_role_assignment").filter((r) => String(r.role_definition_name).startsWith("Key Vault"))).toEqual([]);
    // Only the wait after the deployer's cluster-admin grant: no reader grant, so no reader wait.
    expect(resourcesOf(idle, "time_sleep").map((t) => Object.keys(t.triggers))).toEqual([["admin"]]);
  });
});

describe("stable addresses", () => {
  const texts = (specs: readonly ClusterSpec[]) => {
    const s = synthFleet(fleet(specs));
    return Object.fromEntries(Object.keys(s.manifest().stacks).map((name) => [name, JSON.stringify(s.stackJson(name))]));
  };

  test("adding or removing a cluster changes nothing in the vault stack or another cluster's stacks; the endpoints stack gains or loses that endpoint", () => {
    const before = texts(THREE);
    const removed = texts([WEU, EUS]);
    const added = texts([...THREE, { name: "sea", location: "southeastasia", octet: 45, mounts: [["payments-key"]] }]);
    const own = (name: string) => name !== "vault-endpoints";
    for (const name of Object.keys(removed).filter(own)) expect(removed[name]).toBe(before[name]);
    for (const name of Object.keys(before).filter(own)) expect(added[name]).toBe(before[name]);
    expect(Object.keys(removed).sort()).toEqual(["cluster-eus", "cluster-weu", "vault", "vault-endpoints", "workload-eus", "workload-weu"]);
    expect(Object.keys(added)).toContain("cluster-sea");
    const endpoints = (t: Record<string, string>) => JSON.parse(t["vault-endpoints"]).resource.azurerm_private_endpoint;
    // The removed cluster's endpoint goes and the next one now waits for the one before it:
    // depends_on only orders, so no remaining endpoint is replaced.
    expect(Object.keys(endpoints(removed)).sort()).toEqual(["eus", "weu"]);
    expect(endpoints(removed).eus.depends_on).toEqual(["azurerm_private_endpoint.weu"]);
    const withoutOrder = ({ depends_on: _order, ...rest }: any) => rest;
    expect(withoutOrder(endpoints(removed).eus)).toEqual(withoutOrder(endpoints(before).eus));
    expect(Object.keys(endpoints(added)).sort()).toEqual(["eus", "neu", "sea", "weu"]);
    expect(endpoints(added).sea.depends_on).toEqual(["azurerm_private_endpoint.eus"]);
  });
});

describe("a fleet on Terraform Cloud", () => {
  test("gives every stack its own workspace, <namePrefix>-<stack>, and reads the one it depends on", () => {
    const raw = defaultRaw();
    delete raw.workloads;
    raw.backend = { type: "cloud", organization: "acme" };
    raw.clusters = [{ name: "weu", workloads: [{ name: "app", objects: [{ objectName: "api-key" }] }] }];
    const s = synthFleet(parseConfig(raw, "fleet test", NOW));
    expect(s.stackJson("vault").terraform.cloud.workspaces).toEqual({ name: "kvcsi-vault" });
    expect(s.stackJson("cluster-weu").terraform.cloud.workspaces).toEqual({ name: "kvcsi-cluster-weu" });
    expect(dataOf(s.stackJson("cluster-weu"), "terraform_remote_state")[0].config.workspaces).toEqual({ name: "kvcsi-vault" });
    expect(dataOf(s.stackJson("workload-weu"), "terraform_remote_state")[0].config.workspaces).toEqual({ name: "kvcsi-cluster-weu" });
    expect(s.stackJson("vault-endpoints").terraform.cloud.workspaces).toEqual({ name: "kvcsi-vault-endpoints" });
    expect(dataOf(s.stackJson("vault-endpoints"), "terraform_remote_state").map((d) => d.config.workspaces.name).sort()).toEqual(["kvcsi-cluster-weu", "kvcsi-vault"]);
  });
});

describe("a fleet where one cluster's workload restarts on rotation", () => {
  const raw = defaultRaw();
  delete raw.workloads;
  raw.clusters = [WEU, NEU].map((s, i) => ({
    name: s.name,
    location: s.location,
    network: { vnetAddressSpace: `10.${s.octet}.0.0/16`, clusterSubnetPrefix: `10.${s.octet}.0.0/20`, endpointSubnetPrefix: `10.${s.octet}.16.0/24` },
    workloads: [{ name: "app", objects: [{ objectName: "db-password" }], onRotation: i === 0 ? "restart" : "none" }],
  }));
  const s = synthFleet(parseConfig(raw, "fleet test", NOW));

  test("installs Reloader in that cluster's workload stack only", () => {
    expect(resourcesOf(s.stackJson("workload-weu"), "helm_release").map((r) => [r.chart, JSON.parse(r.values[0]).reloader.namespaces])).toEqual([["reloader", ["app"]]]);
    expect(resourcesOf(s.stackJson("workload-neu"), "helm_release")).toEqual([]);
  });
});
