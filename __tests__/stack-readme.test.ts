import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { TerraformOutput, TerraformVariable, Testing } from "cdktf";
import { loadConfig } from "../config/load-config";
import { ReadableStack } from "../stacks/readable-stack";
import { KUBELOGIN_RUNNER_NEEDS, renderStackReadme } from "../synth/stack-readme";
import { configFrom, sharedSynthOutput, synthOutput } from "./helpers/synth";
import { canSynthesize } from "./helpers/terraform";
import { tempDir } from "./helpers/temp";
import { readDoc } from "./helpers/docs";

const ROOT = path.resolve(__dirname, "..");
const STACKS = ["platform", "workload"] as const;

const readme = (outdir: string, stack: string) => fs.readFileSync(path.join(outdir, "stacks", stack, "README.md"), "utf8");
const stackJson = (outdir: string, stack: string) => JSON.parse(fs.readFileSync(path.join(outdir, "stacks", stack, "cdk.tf.json"), "utf8"));

describe.each([["JSON", false], ["HCL", true]])("the generated stack README, %s output", (_kind, hcl) => {
  const outdir = sharedSynthOutput(configFrom(), hcl ? "hcl" : "json");

  test.each(STACKS)("%s: is written into the stack folder and names the file Terraform reads", (stack) => {
    expect(readme(outdir, stack)).toContain(hcl ? "Terraform reads `cdk.tf` (HCL)" : "Terraform reads `cdk.tf.json`");
  });

  test("platform: lists every input with its TF_VAR_ name, and exports those a run needs", () => {
    const text = readme(outdir, "platform");
    for (const name of ["deployer_ip_ranges", "secret_db_password", "secret_api_key"]) {
      expect(text).toMatch(new RegExp(`\\| \`${name}\` \\|.*\\| \`TF_VAR_${name}\` \\|`));
      expect(text).toContain(`export TF_VAR_${name}=`);
    }
    expect(text).toMatch(/\| `secret_db_password` \|.*\| `string` \| n\/a \| when the apply writes it \| yes, ephemeral/);
    expect(text).toContain("export ARM_SUBSCRIPTION_ID=");
    expect(text).toContain("Checked at plan:\n\n- `deployer_ip_ranges`: Set TF_VAR_deployer_ip_ranges");
  });

  test("platform: lists every output, the provider with its source and version, and the local state file", () => {
    const text = readme(outdir, "platform");
    for (const output of ["key_vault_name", "tenant_id", "cluster_name", "secrets_provider_identity_client_id"]) {
      expect(text).toMatch(new RegExp(`\\| \`${output}\` \\| \\S.* \\| no \\|`));
    }
    expect(text).toContain("| azurerm | `hashicorp/azurerm` | `4.55.0` |");
    expect(text).toContain("Terraform `>= 1.11`.");
    expect(text).toContain("Local state file `../../../state/kvcsi/platform.tfstate`, relative to this folder");
  });

  test("tells which stack to apply first, in both directions", () => {
    expect(readme(outdir, "workload")).toContain("Apply `platform` first: this stack reads its outputs through `terraform_remote_state`.");
    expect(readme(outdir, "platform")).toContain("`workload` reads this stack's outputs: apply it after this one, and destroy it before this one.");
    expect(readme(outdir, "platform")).toContain("To tear down, destroy `workload` first");
  });

  test("workload: lists its three providers, the kubelogin it needs, and the plain commands", () => {
    const text = readme(outdir, "workload");
    for (const p of ["azurerm", "helm", "kubernetes"]) expect(text).toContain(`| ${p} | \`hashicorp/${p}\` |`);
    expect(text).toContain("get their token from `kubelogin` (login mode `azurecli`), which must be on the PATH. " +
      "The machine that runs Terraform provides: `az login` (in CI, after a login step such as `azure/login`).");
    expect(text).toContain("```sh\nexport ARM_SUBSCRIPTION_ID=\"$(az account show --query id -o tsv)\"\n\nterraform init\nterraform plan -out tfplan\nterraform apply tfplan\n```");
  });
});

describe("the workload README says what the machine that runs Terraform needs for the cluster", () => {
  test("with kubeloginMode spn: the service principal's variables, not az login", () => {
    const text = readme(synthOutput(configFrom((raw) => ((raw.cluster ??= {}).kubeloginMode = "spn")), "json"), "workload");
    expect(text).toContain("get their token from `kubelogin` (login mode `spn`), which must be on the PATH. " +
      "The machine that runs Terraform provides: `AAD_SERVICE_PRINCIPAL_CLIENT_ID` and `AAD_SERVICE_PRINCIPAL_CLIENT_SECRET`");
    expect(text).not.toContain("az login` (in CI");
  });

  test("with a kubeconfig connection: the kubeconfig and its context, no kubelogin", () => {
    const connection = { type: "kubeconfig", path: "~/.kube/ci-config", context: "ci-runner" };
    const text = readme(synthOutput(configFrom((raw) => ((raw.cluster ??= {}).connection = connection)), "json"), "workload");
    expect(text).toContain("The kubernetes and helm providers use context `ci-runner` of the kubeconfig `~/.kube/ci-config` on the machine that runs Terraform");
    expect(text).not.toContain("get their token from");
  });

  test("names, for every kubelogin mode, only what the Cluster access table (docs/cluster-access.md) names for it", () => {
    const section = readDoc("docs/cluster-access.md").split("## Cluster access")[1].split("\n## ")[0];
    const rows = section.split("\n").filter((l) => l.startsWith("| ") && !l.startsWith("| where"));
    for (const [mode, needs] of Object.entries(KUBELOGIN_RUNNER_NEEDS)) {
      expect(rows.some((r) => r.split(" | ")[1].includes(`\`${mode}\``))).toBe(true);
      for (const token of needs.match(/`[^`]+`/g) ?? []) expect(rows.join("\n")).toContain(token);
    }
  });
});

test("the JSON and the HCL synth document the same inputs, outputs and resources", () => {
  const [json, hcl] = [sharedSynthOutput(configFrom(), "json"), sharedSynthOutput(configFrom(), "hcl")];
  for (const stack of STACKS) {
    const body = (text: string) => text.replace(/Terraform reads `[^`]+` \([^)]*\)/, "");
    expect(body(readme(hcl, stack))).toBe(body(readme(json, stack)));
  }
});

for (const [env, where] of [
  ["envs/example.json", "Azure Storage: blob `shop/shop/platform.tfstate` in container `tfstate` of storage account `sttfstateshop` (resource group `rg-tfstate`)."],
  ["envs/terraform-cloud.json", "HCP Terraform / Terraform Enterprise: organization `my-org` on `app.terraform.io`, workspace `aks-kv-platform`."],
]) {
  const config = loadConfig({ CONFIG: env }, ROOT);
  (canSynthesize(config) ? test : test.skip)(`${env}: says where the platform's state lives`, () => {
    expect(readme(sharedSynthOutput(config, "json"), "platform")).toContain(where);
  });
}

test("holds no machine path and no secret value", () => {
  const marker = "s3cr3t-VALUE-that-must-not-leak";
  const saved = { ...process.env };
  Object.assign(process.env, { TF_VAR_secret_db_password: marker, TF_VAR_secret_api_key: marker });
  let outdir: string;
  try {
    outdir = synthOutput(configFrom(), "json");
  } finally {
    process.env = saved;
  }
  for (const stack of STACKS) {
    const text = readme(outdir, stack);
    expect(text).not.toContain(marker);
    for (const machinePath of [outdir, path.dirname(outdir), ROOT, os.tmpdir(), os.homedir()]) expect(text).not.toContain(machinePath);
    // Every path it shows is relative.
    expect(text).not.toMatch(/(^|[\s`'"(])\/(?!\/)[\w.-]+\//m);
  }
});

test("a sensitive variable's default is never shown, and a pipe in a description stays inside its cell", () => {
  const text = renderStackReadme({
    name: "s",
    file: "cdk.tf.json",
    after: [],
    before: [],
    config: {
      variable: {
        token: { type: "string", sensitive: true, default: "not-for-readme", description: "a | b" },
      },
    },
  });
  expect(text).not.toContain("not-for-readme");
  expect(text).toContain("| `token` | a \\| b | `string` | n/a | no | yes | `TF_VAR_token` |");
});

test("every variable and output has a description, checked at synth", () => {
  const app = Testing.app({ outdir: tempDir() });
  const stack = new ReadableStack(app, "stack");
  new TerraformVariable(stack, "undocumented_input", { type: "string" });
  new TerraformOutput(stack, "undocumented_output", { value: "x" });
  expect(() => app.synth()).toThrow(/stack\/undocumented_input has no description[\s\S]*stack\/undocumented_output has no description/);
});

test.each([["default", configFrom()], ["envs/example.json", loadConfig({ CONFIG: "envs/example.json" }, ROOT)]])(
  "%s: secret variables are sensitive and ephemeral, and every variable and output is described", (_name, config) => {
    const outdir = sharedSynthOutput(config, "json");
    for (const stack of STACKS) {
      const json = stackJson(outdir, stack);
      for (const [name, v] of Object.entries<any>(json.variable ?? {})) {
        expect(v.description).toMatch(/\S/);
        if (name.startsWith("secret_")) expect(v).toEqual(expect.objectContaining({ sensitive: true, ephemeral: true }));
      }
      for (const o of Object.values<any>(json.output ?? {})) expect(o.description).toMatch(/\S/);
    }
  });

describe("a helm-driver cluster's READMEs say why the csi-driver stack goes between platform and workload", () => {
  const outdir = synthOutput(loadConfig({ CONFIG: "envs/helm-driver.json" }, ROOT), "json");

  test("the csi-driver README reads the platform and installs the CRD the workload plans against", () => {
    expect(readme(outdir, "csi-driver")).toContain("Apply `platform` first: this stack reads its outputs through `terraform_remote_state`. " +
      "`workload` needs the CRD this stack installs when planned: apply it after this one, and destroy it before this one.");
  });

  test("the workload README applies csi-driver first for the CRD, not for outputs", () => {
    expect(readme(outdir, "workload")).toContain("Apply `platform` first: this stack reads its outputs through `terraform_remote_state`. " +
      "Apply `csi-driver` first too: it installs the SecretProviderClass CRD, which `kubernetes_manifest` needs when this stack is planned.");
  });
});

test("a stack that reads no state says what it needs its predecessor for", () => {
  const text = renderStackReadme({ name: "csi-driver", file: "cdk.tf.json", after: ["platform"], before: [], config: {} });
  expect(text).toContain("Apply `platform` first: this stack works on the cluster it creates.");
});
