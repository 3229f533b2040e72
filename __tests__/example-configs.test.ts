import * as fs from "fs";
import * as path from "path";
import { loadConfig } from "../config/load-config";
import { resourcesOf, synthAny, synthApp } from "./helpers/synth";

const ROOT = path.resolve(__dirname, "..");
const ENVS = fs.readdirSync(path.join(ROOT, "envs")).filter((f) => f.endsWith(".json"));

describe("shipped example configs", () => {
  test.each(ENVS)("envs/%s parses and synthesizes without a baseline error", (file) => {
    const config = loadConfig({ CONFIG: `envs/${file}` }, ROOT);
    const manifest = synthAny(config).manifest();
    const errors = Object.values(manifest.stacks).flatMap((st: any) => st.annotations).filter((a: any) => a.level === "@cdktf/error");
    expect(errors).toEqual([]);
  });

  test("the README's complete example is envs/example.json", () => {
    const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
    const block = /<!-- example-config -->\s*```json\n([\s\S]*?)```/.exec(readme);
    expect(block).not.toBeNull();
    expect(JSON.parse(block![1])).toEqual(JSON.parse(fs.readFileSync(path.join(ROOT, "envs/example.json"), "utf8")));
  });

  test("the README's two set-up commands are the package scripts that exist", () => {
    const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
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

    test("mounts with workload identity and syncs no Kubernetes Secret", () => {
      const spcs = resourcesOf(s.stackJson("workload"), "kubernetes_manifest").map((m) => m.manifest).filter((m) => m.kind === "SecretProviderClass");
      expect(spcs.map((m) => Object.keys(m.spec.parameters).includes("clientID"))).toEqual([true]);
      expect(spcs[0].spec).not.toHaveProperty("secretObjects");
    });
  });
});
