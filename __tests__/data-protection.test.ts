import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { SecretV1 } from "@cdktf/provider-kubernetes/lib/secret-v1";
import { buildApp } from "../stacks/build-app";
import { synthesizeAtomically, SynthesisError } from "../synth/synthesize";
import { resourceOf } from "./helpers/stacks";
import { loadConfig } from "../config/load-config";
import { canSynthesize } from "./helpers/terraform";
import { configFrom, resourcesOf, sharedSynthApp, synthAny, synthApp } from "./helpers/synth";
import { tempDir } from "./helpers/temp";

const ROOT = path.resolve(__dirname, "..");
/** The cdktf.json app command, with paths made absolute so it also runs from another directory. */
const RUN_APP = (JSON.parse(fs.readFileSync(path.join(ROOT, "cdktf.json"), "utf8")).app as string)
  .split(/\s+/).slice(1).map((arg) => (arg.startsWith("./") || arg.endsWith(".ts") ? path.join(ROOT, arg) : arg));
const SENTINELS = { TF_VAR_secret_db_password: "SENTINEL-db-4f1c9a7e", TF_VAR_secret_api_key: "SENTINEL-api-93b2d0c5" };

const tmp = tempDir;

/** Runs the app command exactly as cdktf.json does, from `cwd`, into `outdir`. */
function runApp(outdir: string, env: Record<string, string> = {}, cwd = ROOT) {
  return spawnSync(process.execPath, RUN_APP, { cwd, env: { ...process.env, CDKTF_OUTDIR: outdir, ...env }, encoding: "utf8" });
}

/** Every file under `dir` with its bytes, keyed by relative path. */
function readTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else out[path.relative(dir, full)] = fs.readFileSync(full, "latin1");
    }
  };
  walk(dir);
  return out;
}

describe("secret values never reach the output", () => {
  test.each([["JSON", "false"], ["HCL", "true"]])("%s output holds no byte of the secret values from TF_VAR_*", (_kind, hcl) => {
    const outdir = path.join(tmp("leak-"), "cdktf.out");
    const result = runApp(outdir, { ...SENTINELS, SYNTH_HCL_OUTPUT: hcl });
    expect(result.status).toBe(0);
    const files = readTree(outdir);
    expect(Object.keys(files).length).toBeGreaterThan(2);
    const everything = Object.values(files).join("\n");
    for (const value of Object.values(SENTINELS)) {
      expect(everything).not.toContain(value);
      expect(everything).not.toContain(Buffer.from(value).toString("base64"));
    }
    expect(everything).toContain("secret_db_password");
  });
});

/**
 * The write guard (SecretVariable.recordWrites): without it a plan that writes a managed secret
 * without its TF_VAR_secret_* would send "" to Key Vault. Checked on every stack of every shipped
 * config that writes secrets, so a secret that loses its guard fails here, not only in a snapshot.
 */
describe("every managed secret of every shipped config has its write guard", () => {
  const configs = ["", ...fs.readdirSync(path.join(ROOT, "envs")).filter((f) => f.endsWith(".json")).map((f) => `envs/${f}`)];
  test.each(configs.map((c) => [c || "default config", c]))("%s", (_label, file) => {
    const config = loadConfig(file ? { CONFIG: file } : {}, ROOT);
    if (!canSynthesize(config)) return;
    const app = synthAny(config);
    let secrets = 0;
    for (const stack of app.stacks) {
      const json = app.stackJson(stack);
      const markers = Object.entries<any>(json.resource?.terraform_data ?? {});
      for (const [address, secret] of Object.entries<any>(json.resource?.azurerm_key_vault_secret ?? {})) {
        secrets++;
        const variable = `secret_${secret.name.toLowerCase().replace(/-/g, "_")}`;
        expect(secret.value_wo).toBe(`\${var.${variable} == null ? "" : var.${variable}}`);
        const guards = markers.filter(([, m]) => m.triggers_replace?.written_to === `\${azurerm_key_vault_secret.${address}.resource_versionless_id}`);
        expect(guards).toHaveLength(1);
        const [markerAddress, marker] = guards[0];
        expect(marker.triggers_replace.value_version).toBe(`\${azurerm_key_vault_secret.${address}.value_wo_version}`);
        expect(marker.input).toEqual({ written_at: "${plantimestamp()}" });
        expect(marker.lifecycle.ignore_changes).toEqual(["input"]);
        expect(marker.lifecycle.postcondition).toEqual([expect.objectContaining({
          condition: `\${var.${variable} != null || self.input.written_at != plantimestamp()}`,
        })]);
        const settles = Object.values<any>(json.resource.time_sleep).filter((t) => Object.values(t.triggers ?? {}).includes(`\${terraform_data.${markerAddress}.id}`));
        expect(settles).toEqual([expect.objectContaining({ create_duration: "1s" })]);
      }
    }
    expect(secrets).toBe(config.keyVault.secrets.filter((s) => s.source === "managed").length);
  });
});

describe("data protection", () => {
  test("puts prevent_destroy on the vault and every managed secret by default", () => {
    const platform = sharedSynthApp().stackJson("platform");
    for (const resource of [...resourcesOf(platform, "azurerm_key_vault"), ...resourcesOf(platform, "azurerm_key_vault_secret")]) {
      expect(resource.lifecycle).toEqual(expect.objectContaining({ prevent_destroy: true }));
    }
  });

  test("drops prevent_destroy in a throwaway lab (keyVault.preventDestroy false), but keeps purge protection", () => {
    const platform = synthApp(configFrom((raw) => {
      raw.profile = "lab";
      raw.keyVault.preventDestroy = false;
    })).stackJson("platform");
    const [vault] = resourcesOf(platform, "azurerm_key_vault");
    expect(vault.lifecycle).toEqual({ prevent_destroy: false });
    expect(resourcesOf(platform, "azurerm_key_vault_secret").map((s) => s.lifecycle.prevent_destroy)).toEqual([false, false]);
    expect(vault.purge_protection_enabled).toBe(true);
  });

  test("keeps prevent_destroy in a lab that asks for it", () => {
    const platform = synthApp(configFrom((raw) => {
      raw.profile = "lab";
      raw.keyVault.preventDestroy = true;
    })).stackJson("platform");
    expect(resourcesOf(platform, "azurerm_key_vault")[0].lifecycle).toEqual({ prevent_destroy: true });
  });

  // A config that keeps the add-on identity (the seed's default) keeps the addresses of its grants.
  test("keeps the Terraform addresses of the vault, secrets, cluster and grants stable", () => {
    const platform = synthApp(configFrom((raw) => (raw.workloads[0].identity = "addon"))).stackJson("platform");
    const addresses = (type: string) => Object.keys(platform.resource[type]).map((name) => `${type}.${name}`);
    expect([
      ...addresses("azurerm_key_vault"),
      ...addresses("azurerm_key_vault_secret"),
      ...addresses("azurerm_kubernetes_cluster"),
      ...addresses("azurerm_role_assignment"),
    ].sort()).toEqual([
      "azurerm_key_vault.vault",
      "azurerm_key_vault_secret.api_key",
      "azurerm_key_vault_secret.db_password",
      "azurerm_kubernetes_cluster.aks",
      "azurerm_role_assignment.aks_cluster_network_contributor",
      "azurerm_role_assignment.aks_deployer_cluster_admin",
      "azurerm_role_assignment.key_vault_deployer_secrets_officer",
      "azurerm_role_assignment.key_vault_read_addon_secret_api_key",
      "azurerm_role_assignment.key_vault_read_addon_secret_db_password",
    ]);
  });

  test("keeps the Terraform addresses of the workload's namespace, SPC and Deployment stable", () => {
    const workload = sharedSynthApp().stackJson("workload");
    const addresses = Object.entries<any>(workload.resource).flatMap(([type, items]) => Object.keys(items).map((name) => `${type}.${name}`));
    expect(addresses.sort()).toEqual([
      "kubernetes_deployment_v1.demo",
      "kubernetes_manifest.demo_secret_provider_class",
      "kubernetes_manifest.identity_admission_binding",
      "kubernetes_manifest.identity_admission_policy",
      "kubernetes_namespace_v1.demo",
      "kubernetes_network_policy_v1.demo_default_deny",
      "kubernetes_service_account_v1.demo",
      "time_sleep.identity_admission_enforced",
    ]);
  });
});

describe("deterministic, all-or-nothing output", () => {
  test("the same config synthesizes byte-identically twice and from another working directory", () => {
    const first = path.join(tmp("det-a-"), "cdktf.out");
    const second = path.join(tmp("det-b-"), "cdktf.out");
    expect(runApp(first).status).toBe(0);
    expect(runApp(second, {}, tmp("elsewhere-")).status).toBe(0);
    const a = readTree(first);
    expect(readTree(second)).toEqual(a);
    expect(Object.values(a).join("\n")).not.toContain(path.dirname(first));
    expect(Object.values(a).join("\n")).not.toContain(ROOT);
  });

  test("a bad config prints one report without a stack trace, exits non-zero, and leaves cdktf.out byte-identical", () => {
    const dir = tmp("bad-");
    const outdir = path.join(dir, "cdktf.out");
    expect(runApp(outdir).status).toBe(0);
    const before = readTree(outdir);
    const config = path.join(dir, "bad.json");
    fs.writeFileSync(config, JSON.stringify({ keyVault: { name: "1-bad--name", softDeleteRetentionDays: 120 }, workloads: [{ name: "Demo", objects: [] }] }));
    const result = runApp(outdir, { CONFIG: config });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`Invalid config (${config}): 4 problems`);
    expect(result.stderr).toContain("keyVault.name:");
    expect(result.stderr).toContain("keyVault.softDeleteRetentionDays: must be a whole number from 7 to 90, got 120");
    expect(result.stderr).toContain("workloads[0].name:");
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(readTree(outdir)).toEqual(before);
    expect(fs.readdirSync(dir).sort()).toEqual(["bad.json", "cdktf.out"]);
  });

  test("a synthesis that breaks the SecurityBaseline leaves cdktf.out byte-identical and reports every error", () => {
    const outdir = path.join(tmp("baseline-"), "cdktf.out");
    expect(runApp(outdir).status).toBe(0);
    const before = readTree(outdir);
    let error: unknown;
    try {
      synthesizeAtomically((dir) => {
        const built = buildApp(configFrom(), { outdir: dir });
        // Both stacks break a rule, so the platform stack is fully synthesized before the workload fails.
        new SecretV1(built.workload, "leaky", { metadata: { name: "leaky" } });
        resourceOf(built.platform, "azurerm_key_vault").addOverride("purge_protection_enabled", false);
        return built.app;
      }, outdir);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SynthesisError);
    expect((error as SynthesisError).errors).toEqual([
      expect.stringContaining("[platform/key-vault/vault] SecurityBaseline kv-purge-protection:"),
      expect.stringContaining("[workload/leaky] SecurityBaseline k8s-no-secret-objects:"),
    ]);
    expect(readTree(outdir)).toEqual(before);
    expect(fs.readdirSync(path.dirname(outdir))).toEqual(["cdktf.out"]);
  });

  test("npm run synth with a bad config prints the report and exits non-zero before cdktf runs", () => {
    const config = path.join(tmp("npm-bad-"), "bad.json");
    fs.writeFileSync(config, JSON.stringify({ keyVault: { skuu: "standard" } }));
    let status = 0;
    let output = "";
    try {
      execFileSync("npm", ["run", "--silent", "synth"], { cwd: ROOT, env: { ...process.env, CONFIG: config }, encoding: "utf8", stdio: "pipe" });
    } catch (e: any) {
      status = e.status;
      output = `${e.stdout}${e.stderr}`;
    }
    expect(status).not.toBe(0);
    expect(output).toContain('keyVault.skuu: unknown key; did you mean "sku"?');
    expect(output).not.toMatch(/\n\s+at /);
  });
});
