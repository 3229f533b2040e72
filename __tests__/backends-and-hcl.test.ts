import * as fs from "fs";
import * as path from "path";
import { loadConfig } from "../config/load-config";
import { AppConfig } from "../config/types";
import { buildApp } from "../stacks/build-app";
import { synthesizeAtomically } from "../synth/synthesize";
import { configFrom, dataOf, sharedSynthApp, sharedSynthOutput, synthOutput } from "./helpers/synth";

// Required untyped: its typings pull in lib.dom, which doubles `tsc --noEmit` time.
const { parse } = require("@cdktf/hcl2json") as { parse(file: string, hcl: string): Promise<any> };

const ROOT = path.resolve(__dirname, "..");

const AZURERM = {
  type: "azurerm",
  resourceGroupName: "rg-tfstate",
  storageAccountName: "sttfstate001",
  containerName: "tfstate",
  keyPrefix: "aks-kv/",
};
const CLOUD = { type: "cloud", organization: "contoso", hostname: "tfe.contoso.example", workspaces: { platform: "aks-kv-platform", workload: "aks-kv-workload" } };

/**
 * Collects where a parsed cdk.tf differs from cdk.tf.json. hcl2json reports every block as a
 * list and every bare expression as "${...}"; depends_on and ignore_changes references and
 * variable types are bare expressions in HCL and strings in JSON, so those are compared without
 * the wrapper.
 */
function differencesOf(hcl: any, json: any, at: string, out: string[]): void {
  const bare = (v: any) => (typeof v === "string" ? v.replace(/^\$\{(.*)\}$/s, "$1") : v);
  if (json !== null && typeof json === "object" && !Array.isArray(json)) {
    const value = Array.isArray(hcl) && hcl.length === 1 ? hcl[0] : hcl;
    if (value === null || typeof value !== "object" || Array.isArray(value)) {
      out.push(`${at}: ${JSON.stringify(hcl)} in HCL, an object in JSON`);
      return;
    }
    for (const k of new Set([...Object.keys(json).filter((k) => k !== "//"), ...Object.keys(value)])) {
      differencesOf(value[k], json[k], `${at}.${k}`, out);
    }
  } else if (Array.isArray(json)) {
    if (!Array.isArray(hcl) || hcl.length !== json.length) out.push(`${at}: ${JSON.stringify(hcl)} in HCL, ${JSON.stringify(json)} in JSON`);
    else json.forEach((item, i) => differencesOf(hcl[i], item, `${at}[${i}]`, out));
  } else if (hcl !== json && !(/\.((depends_on|ignore_changes)\[\d+\]|type)$/.test(at) && bare(hcl) === json)) {
    out.push(`${at}: ${JSON.stringify(hcl)} in HCL, ${JSON.stringify(json)} in JSON`);
  }
}

/** Names of every top-level Terraform object a configuration declares. */
function declared(config: any) {
  const names = (block: any) => Object.entries(block ?? {}).flatMap(([type, items]) => Object.keys(items as object).map((n) => `${type}.${n}`)).sort();
  return {
    resources: names(config.resource),
    data: names(config.data),
    outputs: Object.keys(config.output ?? {}).sort(),
    variables: Object.keys(config.variable ?? {}).sort(),
    providers: Object.keys(config.provider ?? {}).sort(),
  };
}

describe("backends", () => {
  test("local: the workload reads the platform state file the platform writes", () => {
    const s = sharedSynthApp();
    const [state] = dataOf(s.stackJson("workload"), "terraform_remote_state");
    expect(state).toEqual({ backend: "local", config: s.stackJson("platform").terraform.backend.local });
    expect(s.stackJson("workload").terraform.backend.local.path).toBe("../../../state/kvcsi/workload.tfstate");
    expect({ platform: s.stackJson("platform").terraform.backend, workloadRemoteState: state }).toMatchSnapshot();
  });

  test("azurerm: one key per stack, Entra ID auth, and a remote state that mirrors the platform's", () => {
    const s = sharedSynthApp(configFrom((raw) => (raw.backend = AZURERM)));
    const platformBackend = s.stackJson("platform").terraform.backend.azurerm;
    expect(platformBackend).toEqual({
      resource_group_name: "rg-tfstate", storage_account_name: "sttfstate001", container_name: "tfstate",
      key: "aks-kv/kvcsi/platform.tfstate", use_azuread_auth: true,
    });
    expect(s.stackJson("workload").terraform.backend.azurerm.key).toBe("aks-kv/kvcsi/workload.tfstate");
    const [state] = dataOf(s.stackJson("workload"), "terraform_remote_state");
    expect(state).toEqual({ backend: "azurerm", config: platformBackend });
    expect({ platform: platformBackend, workloadRemoteState: state }).toMatchSnapshot();
  });

  test("cloud: a named workspace per stack, read back through the remote backend", () => {
    const s = sharedSynthApp(configFrom((raw) => (raw.backend = CLOUD)));
    expect(s.stackJson("platform").terraform.cloud).toEqual({
      organization: "contoso", hostname: "tfe.contoso.example", workspaces: { name: "aks-kv-platform" },
    });
    expect(s.stackJson("workload").terraform.cloud.workspaces).toEqual({ name: "aks-kv-workload" });
    const [state] = dataOf(s.stackJson("workload"), "terraform_remote_state");
    expect(state).toEqual({ backend: "remote", config: { organization: "contoso", hostname: "tfe.contoso.example", workspaces: { name: "aks-kv-platform" } } });
    expect({ platform: s.stackJson("platform").terraform.cloud, workloadRemoteState: state }).toMatchSnapshot();
  });

  test.each([["local", undefined], ["azurerm", AZURERM], ["cloud", CLOUD]])("%s: no credential appears in the output", (_name, backend) => {
    const s = sharedSynthApp(configFrom((raw) => backend && (raw.backend = backend)));
    for (const stack of ["platform", "workload"] as const) {
      expect(s.stackText(stack)).not.toMatch(/access_key|sas_token|client_secret|"token"|client_certificate_password/);
    }
  });
});

const HCL_CASES: [string, AppConfig][] = [
  ["default (local backend)", configFrom()],
  ["envs/example.json (azurerm backend, workload identity, synced secret)", loadConfig({ CONFIG: "envs/example.json" }, ROOT)],
  ["envs/terraform-cloud.json (cloud backend, local execution)", loadConfig({ CONFIG: "envs/terraform-cloud.json" }, ROOT)],
];

describe.each(HCL_CASES)("HCL output of %s", (_name, config) => {
  const outdir = sharedSynthOutput(config, "hcl");
  const json = sharedSynthApp(config);
  const hclOf = (stack: string) => parse("cdk.tf", fs.readFileSync(path.join(outdir, "stacks", stack, "cdk.tf"), "utf8"));

  test.each(["platform", "workload"] as const)("%s: cdk.tf parses and declares what the JSON output declares", async (stack) => {
    const folder = path.join(outdir, "stacks", stack);
    expect(fs.readdirSync(folder).filter((f) => f.startsWith("cdk.tf"))).toEqual(["cdk.tf"]);
    const hcl = await hclOf(stack);
    const fromJson = json.stackJson(stack);
    expect(declared(hcl)).toEqual(declared(fromJson));
    const [terraform] = hcl.terraform;
    expect(terraform.required_version).toBe(">= 1.11");
    const [kind] = Object.keys(fromJson.terraform.backend ?? { cloud: true });
    const expected = kind === "cloud" ? fromJson.terraform.cloud : fromJson.terraform.backend[kind];
    const actual = kind === "cloud" ? terraform.cloud[0] : terraform.backend[kind][0];
    expect(kind === "cloud" ? { ...actual, workspaces: actual.workspaces[0] } : actual).toEqual(expected);
  });

  test.each(["platform", "workload"] as const)("%s: every resource, data source, output, variable and provider has the JSON output's values", async (stack) => {
    const hcl = await hclOf(stack);
    const fromJson = json.stackJson(stack);
    const differences: string[] = [];
    for (const key of ["resource", "data", "output", "variable", "provider"]) differencesOf(hcl[key], fromJson[key], `${stack}.${key}`, differences);
    expect(differences).toEqual([]);
  });

  test("every kubernetes_manifest carries exactly the JSON output's manifest, lists included", async () => {
    const hcl = await hclOf("workload");
    const fromJson = json.stackJson("workload").resource.kubernetes_manifest;
    for (const [name, resource] of Object.entries<any>(fromJson)) {
      expect(hcl.resource.kubernetes_manifest[name][0].manifest).toEqual(resource.manifest);
    }
  });

  test("the workload's remote state in HCL reads the platform's backend", async () => {
    const hcl = await hclOf("workload");
    const [state] = hcl.data.terraform_remote_state.platform;
    expect(state.config).toEqual(dataOf(json.stackJson("workload"), "terraform_remote_state")[0].config);
  });
});

describe("HCL output repairs", () => {
  const outdir = sharedSynthOutput(configFrom(), "hcl");

  test("writes helm's kubernetes settings as nested attributes, as helm provider 3 requires", () => {
    const hcl = fs.readFileSync(path.join(outdir, "stacks", "workload", "cdk.tf"), "utf8");
    expect(hcl).toMatch(/provider "helm" \{\s*kubernetes = \{/);
    expect(hcl).toMatch(/\bexec = \{/);
  });

  test("writes depends_on and ignore_changes as references, not quoted strings", () => {
    const hcl = fs.readFileSync(path.join(outdir, "stacks", "platform", "cdk.tf"), "utf8");
    expect(hcl).toMatch(/depends_on += \[\s*time_sleep\./);
    expect(hcl).toMatch(/ignore_changes += \[\s*default_node_pool\[0\]\.node_count/);
    expect(hcl).not.toMatch(/(depends_on|ignore_changes) += \[\s*"/);
  });

  test("a JSON synth after an HCL synth leaves only cdk.tf.json in each stack folder", () => {
    // Its own HCL output: the others' is shared and only read.
    const outdir = synthOutput(configFrom(), "hcl");
    synthesizeAtomically((dir) => buildApp(configFrom(), { outdir: dir }).app, outdir);
    for (const stack of ["platform", "workload"]) {
      expect(fs.readdirSync(path.join(outdir, "stacks", stack)).filter((f) => f.startsWith("cdk.tf"))).toEqual(["cdk.tf.json"]);
    }
  });
});
