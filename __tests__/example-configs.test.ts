import * as fs from "fs";
import * as path from "path";
import { loadConfig } from "../config/load-config";
import { resourcesOf, synthAny, synthApp } from "./helpers/synth";
import { readDoc } from "./helpers/docs";

const ROOT = path.resolve(__dirname, "..");
const ENVS = fs.readdirSync(path.join(ROOT, "envs")).filter((f) => f.endsWith(".json"));

describe("shipped example configs", () => {
  test.each(ENVS)("envs/%s parses and synthesizes without a baseline error", (file) => {
    const config = loadConfig({ CONFIG: `envs/${file}` }, ROOT);
    const manifest = synthAny(config).manifest();
    const errors = Object.values(manifest.stacks).flatMap((st: any) => st.annotations).filter((a: any) => a.level === "@cdktf/error");
    expect(errors).toEqual([]);
  });

  test.each(ENVS)("envs/%s fixes no vault name and no firewall range in place of the deployer's", (file) => {
    const raw = JSON.parse(fs.readFileSync(path.join(ROOT, "envs", file), "utf8"));
    // A fixed, globally unique vault name collides for every user of the file (and purge
    // protection holds a deleted one for 90 days); the computed name is unique per subscription.
    expect(raw.keyVault ?? {}).not.toHaveProperty("name");
    // Terraform's own machine is admitted through TF_VAR_deployer_ip_ranges; a placeholder range
    // here would only read as if it did.
    expect(raw.keyVault?.allowedIpRanges ?? []).toEqual([]);
  });

  test("the complete example in docs/configuration.md is envs/example.json", () => {
    const readme = readDoc("docs/configuration.md");
    const block = /<!-- example-config -->\s*```json\n([\s\S]*?)```/.exec(readme);
    expect(block).not.toBeNull();
    expect(JSON.parse(block![1])).toEqual(JSON.parse(fs.readFileSync(path.join(ROOT, "envs/example.json"), "utf8")));
  });

  test("the README's two set-up commands are the package scripts that exist", () => {
    const readme = readDoc("README.md");
    const scripts = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")).scripts;
    expect(readme).toContain("npm ci && npm run synth");
    expect(readme).toContain("npm test ");
    expect(scripts.synth).toBe("node -r ./scripts/ts-register.js main.ts synth");
    expect(scripts.test).toBe("jest");
  });

  describe("envs/production.json", () => {
    const s = synthApp(loadConfig({ CONFIG: "envs/production.json" }, ROOT));
    const platform = s.stackJson("platform");
    const [cluster] = resourcesOf(platform, "azurerm_kubernetes_cluster");
    const pools = [cluster.default_node_pool, ...resourcesOf(platform, "azurerm_kubernetes_cluster_node_pool")];

    test("makes the API server private", () => {
      expect(cluster.private_cluster_enabled).toBe(true);
    });

    test("encrypts at host and puts the OS on ephemeral disks in every pool, on VM sizes whose temp disk fits it", () => {
      expect(pools).toHaveLength(2);
      for (const pool of pools) {
        expect(pool).toEqual(expect.objectContaining({ host_encryption_enabled: true, os_disk_type: "Ephemeral", vm_size: "Standard_D4ds_v5" }));
      }
    });

    test("reaches the vault only through a private endpoint", () => {
      const [vault] = resourcesOf(platform, "azurerm_key_vault");
      expect(vault.public_network_access_enabled).toBe(false);
      expect(vault.network_acls).toEqual(expect.objectContaining({ default_action: "Deny" }));
      expect(resourcesOf(platform, "azurerm_private_endpoint")).toHaveLength(1);
    });

    test("is deployable from a runner's VNet as docs/security.md's bootstrap order says: peered both ways, both private zones linked to it", () => {
      const readme = readDoc("docs/security.md");
      expect(readme).toContain("- **Bootstrap order** (`envs/production.json` is deployable this way):");
      const runner = loadConfig({ CONFIG: "envs/production.json" }, ROOT).network.runnerVnetId;
      expect(runner).toMatch(/\/virtualNetworks\//);
      expect(resourcesOf(platform, "azurerm_virtual_network_peering").map((p) => p.remote_virtual_network_id)).toEqual([runner, "${azurerm_virtual_network.vnet.id}"]);
      expect(resourcesOf(platform, "azurerm_private_dns_zone_virtual_network_link").filter((l) => l.virtual_network_id === runner).map((l) => l.name).sort())
        .toEqual(["api-server-dns-to-runner-vnet", "vault-dns-to-runner-vnet"]);
    });

    test("mounts with workload identity and syncs no Kubernetes Secret", () => {
      const spcs = resourcesOf(s.stackJson("workload"), "kubernetes_manifest").map((m) => m.manifest).filter((m) => m.kind === "SecretProviderClass");
      expect(spcs.map((m) => Object.keys(m.spec.parameters).includes("clientID"))).toEqual([true]);
      expect(spcs[0].spec).not.toHaveProperty("secretObjects");
    });
  });
});
