import * as path from "path";
import { DEFAULT_CONFIG } from "../../config/default-config";
import { loadConfig } from "../../config/load-config";
import { parseConfig } from "../../config/parse-config";
import { AppConfig, WorkloadConfig } from "../../config/types";
import { identityClientIdOutput } from "../../stacks/platform-outputs";
import { asList, CRD_FILE, deleteNamespaces, guidOf, kubectl, kubectlOk, platformOutputValue, SERVER_SIDE_APPLY, SHIPPED_WORKLOAD_STACKS, workloadObjects } from "./harness";

/**
 * The workload stack's ValidatingAdmissionPolicy on the real API server: the app's own
 * SecretProviderClasses are admitted for every shipped config, and one that names an identity its
 * namespace was not given is refused with a message naming the namespace, the identity and the rule.
 */

const ADMISSION_KINDS = ["ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding"];
const ADDON_ID = platformOutputValue("secrets_provider_identity_client_id");
/** A namespace no config names. */
const OUTSIDER = "intruder";

/** The workloads of a workload stack: the single cluster's, or one fleet cluster's. */
function workloadsOf(config: AppConfig, stack: string): readonly WorkloadConfig[] {
  if (!config.clusters) return config.workloads;
  return config.clusters.find((c) => `workload-${c.name}` === stack)!.workloads;
}

const clientIdOf = (w: WorkloadConfig) => platformOutputValue(identityClientIdOutput(w));

function createNamespace(name: string): void {
  kubectlOk(SERVER_SIDE_APPLY, JSON.stringify({ apiVersion: "v1", kind: "Namespace", metadata: { name } }));
}

/** A SecretProviderClass of the Azure provider in `namespace` with the given identity parameters. */
function spc(namespace: string, name: string, identity: Record<string, string>, provider = "azure"): any {
  return {
    apiVersion: "secrets-store.csi.x-k8s.io/v1",
    kind: "SecretProviderClass",
    metadata: { name, namespace },
    spec: {
      provider,
      parameters: { ...identity, keyvaultName: "kv-kvcsi-3f9a2c", tenantID: "6b2e4c1d-8f3a-4e5b-9c7d-0a1b2c3d4e5f", objects: "array: []\n" },
    },
  };
}
const addonIdentity = (id = ADDON_ID) => ({ usePodIdentity: "false", useVMManagedIdentity: "true", userAssignedIdentityID: id });
const workloadIdentity = (id: string) => ({ usePodIdentity: "false", clientID: id });

/** A create that the server judges but does not store. */
function tryCreate(object: any): { status: number | null; stderr: string } {
  const r = kubectl(["create", "--dry-run=server", "--validate=strict", "-f", "-"], JSON.stringify(object));
  return { status: r.status, stderr: r.stderr };
}

/**
 * Applies the policy and its binding, then waits until the API server enforces them: the policy
 * plugin loads them asynchronously, and an object created before would prove nothing.
 */
function applyPolicy(objects: readonly any[]): void {
  kubectlOk(SERVER_SIDE_APPLY, asList(objects.filter((o) => ADMISSION_KINDS.includes(o.kind))));
  createNamespace(OUTSIDER);
  const probe = spc(OUTSIDER, "probe", addonIdentity());
  const deadline = Date.now() + 30_000;
  while (tryCreate(probe).status === 0) {
    if (Date.now() > deadline) throw new Error("the admission policy is not enforced 30 s after it was applied");
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 250);
  }
}

beforeAll(() => {
  kubectlOk(["apply", "--server-side", "--validate=strict", "-f", CRD_FILE]);
  kubectlOk(["wait", "--for=condition=Established", "--timeout=60s", "crd/secretproviderclasses.secrets-store.csi.x-k8s.io"]);
});

describe.each(SHIPPED_WORKLOAD_STACKS)("%s: the identity admission policy", (_label, config, stack) => {
  let objects: any[] = [];
  let workloads: readonly WorkloadConfig[] = [];
  const spcs = () => objects.filter((o) => o.kind === "SecretProviderClass");

  beforeAll(() => {
    workloads = workloadsOf(config, stack);
    objects = workloadObjects(config, stack);
    kubectlOk(SERVER_SIDE_APPLY, asList(objects.filter((o) => o.kind === "Namespace")));
    applyPolicy(objects);
  });
  afterAll(() => {
    deleteNamespaces([...objects, { kind: "Namespace", metadata: { name: OUTSIDER } }]);
  });

  test("ships a policy and its binding with the workload's objects", () => {
    expect(objects.filter((o) => ADMISSION_KINDS.includes(o.kind)).map((o) => o.kind).sort()).toEqual(ADMISSION_KINDS);
  });

  test("admits every SecretProviderClass of the config", () => {
    expect(spcs().length).toBe(workloads.length);
    const r = kubectl(SERVER_SIDE_APPLY, asList(spcs()));
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: "" });
  });

  test("refuses a namespace outside the config that names the add-on identity", () => {
    const r = tryCreate(spc(OUTSIDER, "borrowed", addonIdentity()));
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain(`SecretProviderClass ${OUTSIDER}/borrowed names the VM managed identity ${ADDON_ID}: namespace ${OUTSIDER} is not granted the add-on identity`);
    expect(r.stderr).toContain("(rule: the add-on identity only in the namespaces the config grants it: ");
  });

  test("refuses a namespace outside the config that names a workload's client id", () => {
    for (const w of workloads.filter((x) => x.identity === "workload")) {
      const r = tryCreate(spc(OUTSIDER, "borrowed", workloadIdentity(clientIdOf(w))));
      expect(r.status).not.toBe(0);
      expect(r.stderr).toContain(`SecretProviderClass ${OUTSIDER}/borrowed names clientID ${clientIdOf(w)}: namespace ${OUTSIDER} is not in the config, ` +
        "and the identity belongs to one of its workloads (rule: no identity of the app outside its namespaces)");
    }
  });

  test("refuses a namespace of the config that names an identity of another namespace", () => {
    for (const w of workloads) {
      const own = workloads.filter((x) => x.namespace === w.namespace);
      const foreign = workloads.find((x) => x.identity === "workload" && !own.includes(x));
      const id = foreign ? clientIdOf(foreign) : guidOf(`another team's identity for ${w.namespace}`);
      const r = tryCreate(spc(w.namespace, "borrowed", workloadIdentity(id)));
      expect(r.status).not.toBe(0);
      expect(r.stderr).toContain(`SecretProviderClass ${w.namespace}/borrowed names clientID ${id}: namespace ${w.namespace} is assigned `);
      expect(r.stderr).toContain("(rule: only the namespace's own workload identities)");
    }
  });

  test("refuses an update that swaps the identity of an admitted SecretProviderClass", () => {
    kubectlOk(SERVER_SIDE_APPLY, asList(spcs()));
    for (const admitted of spcs()) {
      const swapped = structuredClone(admitted);
      const namespace = admitted.metadata.namespace;
      const stranger = guidOf(`swapped into ${namespace}`);
      if (swapped.spec.parameters.clientID) swapped.spec.parameters.clientID = stranger;
      else swapped.spec.parameters.userAssignedIdentityID = stranger;
      const r = kubectl(SERVER_SIDE_APPLY, JSON.stringify(swapped));
      expect(r.status).not.toBe(0);
      expect(r.stderr).toContain(`SecretProviderClass ${namespace}/${admitted.metadata.name} names `);
      expect(r.stderr).toContain(stranger);
      expect(r.stderr).toContain("(rule: ");
    }
  });
});

describe("the policy's rules, on a config with both identity modes (envs/example.json)", () => {
  let objects: any[] = [];
  let checkoutId = "";
  beforeAll(() => {
    const config = loadConfig({ CONFIG: "envs/example.json" }, path.resolve(__dirname, "../.."));
    checkoutId = clientIdOf(config.workloads.find((w) => w.name === "checkout")!);
    objects = workloadObjects(config);
    kubectlOk(SERVER_SIDE_APPLY, asList(objects.filter((o) => o.kind === "Namespace")));
    applyPolicy(objects);
  });
  afterAll(() => deleteNamespaces([...objects, { kind: "Namespace", metadata: { name: OUTSIDER } }]));

  test("admits the add-on identity in the namespace the config grants it", () => {
    expect(tryCreate(spc("reports", "again", addonIdentity()))).toEqual({ status: 0, stderr: "" });
  });

  test("refuses the add-on identity in a namespace of the config that is not granted it", () => {
    const r = tryCreate(spc("checkout", "borrowed", addonIdentity()));
    expect(r.stderr).toContain(`SecretProviderClass checkout/borrowed names the VM managed identity ${ADDON_ID}: namespace checkout is not granted ` +
      "the add-on identity (rule: the add-on identity only in the namespaces the config grants it: reports)");
  });

  test("reads booleans and ids the way the Azure provider does (Go's ParseBool, trimmed, any case of the id)", () => {
    for (const flag of ["1", "t", "T", "TRUE", "True", " true "]) {
      expect(tryCreate(spc(OUTSIDER, "spelled", { useVMManagedIdentity: flag, userAssignedIdentityID: ADDON_ID })).status).not.toBe(0);
    }
    const r = tryCreate(spc(OUTSIDER, "shouted", workloadIdentity(` ${checkoutId.toUpperCase()} `)));
    expect(r.stderr).toContain(`names clientID ${checkoutId}: namespace ${OUTSIDER} is not in the config`);
  });

  test("refuses a VM identity other than the add-on's, or the node's default one, even where the add-on identity is granted", () => {
    const kubelet = guidOf("the kubelet identity");
    expect(tryCreate(spc("reports", "kubelet", addonIdentity(kubelet))).stderr)
      .toContain(`SecretProviderClass reports/kubelet names the VM managed identity ${kubelet}: namespace reports may use only the add-on identity ${ADDON_ID}`);
    expect(tryCreate(spc("reports", "default", { useVMManagedIdentity: "true" })).stderr)
      .toContain("SecretProviderClass reports/default names the VM managed identity (the node's default identity): namespace reports may use only the add-on identity");
  });

  test("refuses the deprecated pod identity in every namespace", () => {
    for (const namespace of ["reports", "checkout", OUTSIDER]) {
      const r = tryCreate(spc(namespace, "pod-identity", { usePodIdentity: "True" }));
      expect(r.stderr).toContain(`SecretProviderClass ${namespace}/pod-identity sets usePodIdentity: namespace ${namespace} may not use pod identity (rule: no pod identity;`);
    }
  });

  test("refuses a SecretProviderClass of the config's namespace that names no identity", () => {
    expect(tryCreate(spc("checkout", "anonymous", {})).stderr)
      .toContain(`SecretProviderClass checkout/anonymous names clientID (none): namespace checkout is assigned ${checkoutId} (rule: only the namespace's own workload identities)`);
  });

  test("leaves other teams alone: their own identities outside the config, and other providers", () => {
    expect(tryCreate(spc(OUTSIDER, "their-own", workloadIdentity(guidOf("another team's identity"))))).toEqual({ status: 0, stderr: "" });
    expect(tryCreate(spc(OUTSIDER, "vault", addonIdentity(), "vault"))).toEqual({ status: 0, stderr: "" });
  });

  test("applies to the still-served v1alpha1 version too", () => {
    const old = { ...spc(OUTSIDER, "old-version", addonIdentity()), apiVersion: "secrets-store.csi.x-k8s.io/v1alpha1" };
    const r = tryCreate(old);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain(`SecretProviderClass ${OUTSIDER}/old-version names the VM managed identity ${ADDON_ID}`);
  });
});

describe("the policy of a fleet cluster that mounts nothing", () => {
  let objects: any[] = [];
  beforeAll(() => {
    const raw = JSON.parse(JSON.stringify(DEFAULT_CONFIG));
    delete raw.workloads;
    raw.clusters = [{ name: "empty" }];
    objects = workloadObjects(parseConfig(raw, "empty fleet cluster"), "workload-empty");
    applyPolicy(objects);
  });
  afterAll(() => deleteNamespaces([...objects, { kind: "Namespace", metadata: { name: OUTSIDER } }]));

  test("is shipped, and lets no namespace use the add-on identity", () => {
    expect(objects.map((o) => o.kind).sort()).toEqual(ADMISSION_KINDS);
    expect(tryCreate(spc(OUTSIDER, "borrowed", addonIdentity())).stderr)
      .toContain(`names the VM managed identity ${ADDON_ID}: namespace ${OUTSIDER} is not granted the add-on identity (rule: the add-on identity only in the namespaces the config grants it: none)`);
    expect(tryCreate(spc(OUTSIDER, "their-own", workloadIdentity(guidOf("another team's identity"))))).toEqual({ status: 0, stderr: "" });
  });
});
