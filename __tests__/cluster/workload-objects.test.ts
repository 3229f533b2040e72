import { DEFAULT_CONFIG } from "../../config/default-config";
import { parseConfig } from "../../config/parse-config";
import { asList, CRD_FILE, createDefaultServiceAccount, deleteNamespaces, kubectl, kubectlOk, liveObjects, podFromTemplate, resourceVersions, SERVER_SIDE_APPLY, SHIPPED_WORKLOAD_STACKS, workloadObjects } from "./harness";

// Required untyped, as in workload-stack.test.ts.
type Validator = ((data: unknown) => boolean) & { errors?: unknown[] };
const Ajv = require("ajv").default as new (options: object) => { compile(schema: object): Validator };
const validateSpc = new Ajv({ allErrors: true, strict: false }).compile(require("../schemas/secret-provider-class.schema.json"));


beforeAll(() => {
  kubectlOk(["apply", "--server-side", "--validate=strict", "-f", CRD_FILE]);
  kubectlOk(["wait", "--for=condition=Established", "--timeout=60s", "crd/secretproviderclasses.secrets-store.csi.x-k8s.io"]);
});

describe.each(SHIPPED_WORKLOAD_STACKS)("%s: the workload's objects on a real API server", (_label, config, stack) => {
  let objects: any[] = [];
  const namespaces = () => objects.filter((o) => o.kind === "Namespace");
  const deployments = () => objects.filter((o) => o.kind === "Deployment");

  beforeAll(() => {
    objects = workloadObjects(config, stack);
  });
  afterAll(() => deleteNamespaces(objects));

  test("declares every kind of object the issue names", () => {
    const kinds = new Set(objects.map((o) => o.kind));
    for (const kind of ["Namespace", "NetworkPolicy", "SecretProviderClass", "Deployment"]) expect(kinds).toContain(kind);
  });

  test("every object is accepted with strict field validation and without a warning", () => {
    const r = kubectl(SERVER_SIDE_APPLY, asList(objects));
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: "" });
    expect(liveObjects(objects)).toHaveLength(objects.length);
  });

  test("each Deployment's pod is admitted at its namespace's enforced Pod Security level", () => {
    expect(deployments().length).toBeGreaterThan(0);
    for (const deployment of deployments()) {
      const namespace = liveObjects(namespaces()).find((n) => n.metadata.name === deployment.metadata.namespace);
      // Without an enforce label the dry-run below would admit anything.
      expect(namespace.metadata.labels["pod-security.kubernetes.io/enforce"]).toBe("restricted");
      createDefaultServiceAccount(deployment.metadata.namespace);
      const r = kubectl(["create", "--dry-run=server", "--validate=strict", "-f", "-"], JSON.stringify(podFromTemplate(deployment)));
      expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: "" });
    }
  });

  test("a second apply of the same objects changes nothing", () => {
    const before = resourceVersions(objects);
    const r = kubectl(SERVER_SIDE_APPLY, asList(objects));
    expect(r.status).toBe(0);
    expect(resourceVersions(objects)).toEqual(before);
    // And the server computes no difference either (exit 0 = no differences).
    const diff = kubectl(["diff", "--server-side", "--field-manager=cluster-test", "-f", "-"], asList(objects));
    expect({ status: diff.status, stdout: diff.stdout }).toEqual({ status: 0, stdout: "" });
  });
});

describe("the harness rejects broken objects (it is not vacuous)", () => {
  let objects: any[] = [];
  beforeAll(() => {
    objects = workloadObjects(parseConfig(DEFAULT_CONFIG));
    kubectlOk(SERVER_SIDE_APPLY, asList(objects));
    for (const namespace of objects.filter((o) => o.kind === "Namespace")) createDefaultServiceAccount(namespace.metadata.name);
  });
  afterAll(() => deleteNamespaces(objects));
  const deployment = () => structuredClone(objects.find((o) => o.kind === "Deployment"));
  const spc = () => structuredClone(objects.find((o) => o.kind === "SecretProviderClass"));

  const withoutRunAsNonRoot = () => {
    const broken = deployment();
    const spec = broken.spec.template.spec;
    delete spec.securityContext?.runAsNonRoot;
    for (const c of [...spec.containers, ...(spec.initContainers ?? [])]) delete c.securityContext?.runAsNonRoot;
    return broken;
  };

  test("rejects a pod whose template drops runAsNonRoot, naming the violated control", () => {
    const r = kubectl(["create", "--dry-run=server", "-f", "-"], JSON.stringify(podFromTemplate(withoutRunAsNonRoot())));
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain("violates PodSecurity \"restricted:latest\"");
    expect(r.stderr).toContain("runAsNonRoot != true");
  });

  test("fails the apply of a Deployment whose template drops runAsNonRoot (Pod Security's warning is an error)", () => {
    const r = kubectl([...SERVER_SIDE_APPLY, "--dry-run=server"], JSON.stringify(withoutRunAsNonRoot()));
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain("would violate PodSecurity \"restricted:latest\"");
    expect(r.stderr).toContain("runAsNonRoot != true");
  });

  // A create, not an apply: server-side apply refuses both before validation, with a less telling message.
  test("rejects a SecretProviderClass whose parameter is not a string (the CRD's schema)", () => {
    const broken = spc();
    broken.metadata.name = "broken";
    broken.spec.parameters.usePodIdentity = false;
    const r = kubectl(["create", "--dry-run=server", "--validate=strict", "-f", "-"], JSON.stringify(broken));
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain("spec.parameters.usePodIdentity: Invalid value: \"boolean\": spec.parameters.usePodIdentity in body must be of type string");
  });

  // Why __tests__/schemas/secret-provider-class.schema.json stays: the CRD types parameters only as strings.
  test("accepts a SecretProviderClass without keyvaultName, which only the offline schema rejects", () => {
    const incomplete = spc();
    incomplete.metadata.name = "incomplete";
    delete incomplete.spec.parameters.keyvaultName;
    const r = kubectl(["create", "--dry-run=server", "--validate=strict", "-f", "-"], JSON.stringify(incomplete));
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: "" });
    expect(validateSpc(incomplete)).toBe(false);
    expect(validateSpc.errors).toContainEqual(expect.objectContaining({ params: { missingProperty: "keyvaultName" } }));
  });

  test("rejects a SecretProviderClass with a misspelt field (strict field validation)", () => {
    const broken = spc();
    broken.metadata.name = "broken";
    broken.spec.providr = broken.spec.provider;
    const r = kubectl(["create", "--dry-run=server", "--validate=strict", "-f", "-"], JSON.stringify(broken));
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain("unknown field \"spec.providr\"");
  });
});
