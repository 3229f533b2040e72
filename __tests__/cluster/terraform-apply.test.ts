import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { configFrom, synthApp } from "../helpers/synth";
import { CRD_FILE, deleteNamespaces, KUBECONFIG, kubectlOk, liveObjects, platformOutputValue, SCRATCH, workloadObjects } from "./harness";

/**
 * `terraform apply` of the workload stack in `cluster.connection` "kubeconfig" mode against the
 * local API server, then a plan that must show no changes. Terraform cannot download providers
 * here, so this needs TF_PROVIDER_MIRROR: a filesystem mirror (https://developer.hashicorp.com/terraform/cli/config/config-file#filesystem_mirror)
 * holding the stack's required providers. Without it the tests are skipped, and say so.
 */
const config = configFrom((raw) => {
  (raw.cluster ??= {}).connection = { type: "kubeconfig", path: KUBECONFIG, context: "cluster-test" };
});
const stack = synthApp(config).stackJson("workload");
const MIRROR = process.env.TF_PROVIDER_MIRROR;

/** Why the Terraform step cannot run here, or undefined when it can. */
function unavailable(): string | undefined {
  if (spawnSync("terraform", ["version"]).status !== 0) return "terraform is not on the PATH";
  if (!MIRROR) return "TF_PROVIDER_MIRROR is not set (a filesystem mirror with the workload stack's providers)";
  const platform = `${process.platform}_${process.arch === "x64" ? "amd64" : process.arch}`;
  for (const [name, p] of Object.entries<any>(stack.terraform.required_providers)) {
    const type = p.source.split("/").pop();
    const dir = path.join(MIRROR, "registry.terraform.io", "hashicorp", type);
    const unpacked = path.join(dir, p.version, platform);
    const packed = path.join(dir, `terraform-provider-${type}_${p.version}_${platform}.zip`);
    if (!fs.existsSync(unpacked) && !fs.existsSync(packed)) return `provider ${name} ${p.version} (${platform}) is not in ${MIRROR}`;
  }
  return undefined;
}

const reason = unavailable();
const title = "terraform apply of the workload stack through cluster.connection \"kubeconfig\"";
if (reason) {
  // Loud on purpose: a skipped step must never read as a passed one. Straight to stderr, because
  // jest does not print the console output of a suite whose tests are all skipped.
  process.stderr.write(`\n*** SKIPPED: ${title}: ${reason}\n\n`);
}

(reason ? describe.skip : describe)(reason ? `${title} (SKIPPED: ${reason})` : title, () => {
  const project = path.join(SCRATCH, "terraform");
  const workdir = path.join(project, "cdktf.out", "stacks", "workload");
  const env = {
    ...process.env,
    TF_CLI_CONFIG_FILE: path.join(project, "terraformrc"),
    TF_IN_AUTOMATION: "1",
    TF_INPUT: "0",
    CHECKPOINT_DISABLE: "1",
  };
  const terraform = (...args: string[]) => spawnSync("terraform", [...args, "-no-color"], { cwd: workdir, env, encoding: "utf8", timeout: 600_000 });
  /** What a failed command said: Terraform's errors are on stderr, the plan before them on stdout. */
  const failure = (r: { status: number | null; stdout: string; stderr: string }) => (r.status === 0 ? "" : r.stderr || r.stdout);
  const objects = workloadObjects(config);

  beforeAll(() => {
    kubectlOk(["apply", "--server-side", "--validate=strict", "-f", CRD_FILE]);
    kubectlOk(["wait", "--for=condition=Established", "--timeout=60s", "crd/secretproviderclasses.secrets-store.csi.x-k8s.io"]);
    fs.mkdirSync(workdir, { recursive: true });
    fs.writeFileSync(env.TF_CLI_CONFIG_FILE,
      `provider_installation {\n  filesystem_mirror {\n    path    = ${JSON.stringify(MIRROR)}\n    include = ["registry.terraform.io/hashicorp/*"]\n  }\n}\n`);
    // The platform's state, holding only the outputs the workload stack reads.
    const outputs = [...JSON.stringify(stack).matchAll(/data\.terraform_remote_state\.platform\.outputs\.([a-z0-9_]+)/g)].map((m) => m[1]);
    const [remote] = Object.values<any>(stack.data.terraform_remote_state);
    expect(remote.backend).toBe("local");
    const platformState = path.resolve(workdir, remote.config.path);
    expect(platformState.startsWith(project + path.sep)).toBe(true);
    fs.mkdirSync(path.dirname(platformState), { recursive: true });
    fs.writeFileSync(platformState, JSON.stringify({
      version: 4, terraform_version: "1.11.4", serial: 1, lineage: "cluster-test-platform", resources: [], check_results: null,
      outputs: Object.fromEntries(outputs.map((o) => [o, { value: platformOutputValue(o), type: "string" }])),
    }));
    // The API server runs without nodes or controllers, so a rollout never completes; everything
    // else is the synthesized stack as shipped.
    const tf = structuredClone(stack);
    for (const d of Object.values<any>(tf.resource.kubernetes_deployment_v1 ?? {})) d.wait_for_rollout = false;
    fs.writeFileSync(path.join(workdir, "cdk.tf.json"), JSON.stringify(tf, null, 2));
  });
  afterAll(() => deleteNamespaces(objects));

  test("terraform init installs the providers from the mirror", () => {
    expect(failure(terraform("init", "-input=false"))).toBe("");
  });

  test("terraform apply creates every object of the stack", () => {
    const r = terraform("apply", "-auto-approve", "-input=false");
    expect(failure(r)).toBe("");
    // Every Kubernetes object, plus the identity admission policy's wait (time_sleep), which is none.
    const resources = Object.values<any>(stack.resource).reduce((sum, byName) => sum + Object.keys(byName).length, 0);
    expect(resources).toBe(objects.length + 1);
    expect(r.stdout).toMatch(new RegExp(`Apply complete! Resources: ${resources} added, 0 changed, 0 destroyed`));
    expect(liveObjects(objects)).toHaveLength(objects.length);
  });

  test("a second plan shows no changes (no perpetual diff from the API server's defaulting)", () => {
    const r = terraform("plan", "-detailed-exitcode", "-input=false");
    // -detailed-exitcode: 0 = no changes, 2 = changes, 1 = error.
    expect({ status: r.status, output: r.status === 2 ? r.stdout : failure(r) }).toEqual({ status: 0, output: "" });
    expect(r.stdout).toContain("No changes.");
  });
});
