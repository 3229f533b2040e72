import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { AppConfig } from "../config/types";
import { buildApp } from "../stacks/build-app";
import { synthesizeAtomically } from "../stacks/synthesize";
import { configFrom, dataOf, synthApp } from "./helpers/synth";

// Required untyped: its typings pull in lib.dom, which doubles `tsc --noEmit` time.
const { parse } = require("@cdktf/hcl2json") as { parse(file: string, hcl: string): Promise<any> };

const AZURERM = {
  type: "azurerm",
  resourceGroupName: "rg-tfstate",
  storageAccountName: "sttfstate001",
  containerName: "tfstate",
  keyPrefix: "aks-kv/",
};
const CLOUD = { type: "cloud", organization: "contoso", hostname: "tfe.contoso.example", workspaces: { platform: "aks-kv-platform", workload: "aks-kv-workload" } };

function synthHcl(config: AppConfig): string {
  const outdir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "cdktf-hcl-")), "cdktf.out");
  process.env.SYNTH_HCL_OUTPUT = "true";
  try {
    synthesizeAtomically((dir) => buildApp(config, { outdir: dir }).app, outdir);
  } finally {
    delete process.env.SYNTH_HCL_OUTPUT;
  }
  return outdir;
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
    const s = synthApp();
    const [state] = dataOf(s.stackJson("workload"), "terraform_remote_state");
    expect(state).toEqual({ backend: "local", config: s.stackJson("platform").terraform.backend.local });
    expect(s.stackJson("workload").terraform.backend.local.path).toBe("../../../state/workload.tfstate");
    expect({ platform: s.stackJson("platform").terraform.backend, workloadRemoteState: state }).toMatchSnapshot();
  });

  test("azurerm: one key per stack, Entra ID auth, and a remote state that mirrors the platform's", () => {
    const s = synthApp(configFrom((raw) => (raw.backend = AZURERM)));
    const platformBackend = s.stackJson("platform").terraform.backend.azurerm;
    expect(platformBackend).toEqual({
      resource_group_name: "rg-tfstate", storage_account_name: "sttfstate001", container_name: "tfstate",
      key: "aks-kv/platform.tfstate", use_azuread_auth: true,
    });
    expect(s.stackJson("workload").terraform.backend.azurerm.key).toBe("aks-kv/workload.tfstate");
    const [state] = dataOf(s.stackJson("workload"), "terraform_remote_state");
    expect(state).toEqual({ backend: "azurerm", config: platformBackend });
    expect({ platform: platformBackend, workloadRemoteState: state }).toMatchSnapshot();
  });

  test("cloud: a named workspace per stack, read back through the remote backend", () => {
    const s = synthApp(configFrom((raw) => (raw.backend = CLOUD)));
    expect(s.stackJson("platform").terraform.cloud).toEqual({
      organization: "contoso", hostname: "tfe.contoso.example", workspaces: { name: "aks-kv-platform" },
    });
    expect(s.stackJson("workload").terraform.cloud.workspaces).toEqual({ name: "aks-kv-workload" });
    const [state] = dataOf(s.stackJson("workload"), "terraform_remote_state");
    expect(state).toEqual({ backend: "remote", config: { organization: "contoso", hostname: "tfe.contoso.example", workspaces: { name: "aks-kv-platform" } } });
    expect({ platform: s.stackJson("platform").terraform.cloud, workloadRemoteState: state }).toMatchSnapshot();
  });

  test.each([["local", undefined], ["azurerm", AZURERM], ["cloud", CLOUD]])("%s: no credential appears in the output", (_name, backend) => {
    const s = synthApp(configFrom((raw) => backend && (raw.backend = backend)));
    for (const stack of ["platform", "workload"] as const) {
      expect(s.stackText(stack)).not.toMatch(/access_key|sas_token|client_secret|"token"|client_certificate_password/);
    }
  });
});

describe("HCL output", () => {
  const outdir = synthHcl(configFrom());
  const json = synthApp();

  test.each(["platform", "workload"] as const)("%s: cdk.tf parses and declares what the JSON output declares", async (stack) => {
    const folder = path.join(outdir, "stacks", stack);
    expect(fs.readdirSync(folder).filter((f) => f.startsWith("cdk.tf"))).toEqual(["cdk.tf"]);
    const hcl = await parse("cdk.tf", fs.readFileSync(path.join(folder, "cdk.tf"), "utf8"));
    const fromJson = json.stackJson(stack);
    expect(declared(hcl)).toEqual(declared(fromJson));
    const [terraform] = hcl.terraform;
    expect(terraform.required_version).toBe(">= 1.11");
    expect(terraform.backend).toEqual({ local: [fromJson.terraform.backend.local] });
  });

  test("writes helm's kubernetes settings as nested attributes, as helm provider 3 requires", () => {
    const hcl = fs.readFileSync(path.join(outdir, "stacks", "workload", "cdk.tf"), "utf8");
    expect(hcl).toMatch(/provider "helm" \{\s*kubernetes = \{/);
    expect(hcl).toMatch(/\bexec = \{/);
  });

  test("writes depends_on as references, not quoted strings", () => {
    const hcl = fs.readFileSync(path.join(outdir, "stacks", "platform", "cdk.tf"), "utf8");
    expect(hcl).toMatch(/depends_on = \[\s*azurerm_role_assignment\./);
    expect(hcl).not.toMatch(/depends_on = \[\s*"/);
  });

  test("a JSON synth after an HCL synth leaves only cdk.tf.json in each stack folder", () => {
    synthesizeAtomically((dir) => buildApp(configFrom(), { outdir: dir }).app, outdir);
    for (const stack of ["platform", "workload"]) {
      expect(fs.readdirSync(path.join(outdir, "stacks", stack)).filter((f) => f.startsWith("cdk.tf"))).toEqual(["cdk.tf.json"]);
    }
  });
});
