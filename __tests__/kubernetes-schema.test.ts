import { configFrom, resourcesOf, sharedSynthApp } from "./helpers/synth";

// The same converter `npm run scan` uses to hand the workload to checkov as YAML.
const { typedObject, validate } = require("../scripts/k8s-manifests.js") as {
  typedObject(type: string, body: unknown): any;
  validate(object: unknown): void;
};

const TYPED = ["kubernetes_namespace_v1", "kubernetes_service_account_v1", "kubernetes_network_policy_v1", "kubernetes_deployment_v1"];

function objectsOf(workload: any): any[] {
  return TYPED.flatMap((type) => resourcesOf(workload, type).map((body) => typedObject(type, body)));
}

describe.each([
  ["add-on identity", configFrom()],
  ["workload identity", configFrom((raw) => (raw.workloads[0].identity = "workload"))],
])("Kubernetes objects of the workload stack (%s)", (_mode, config) => {
  const objects = objectsOf(sharedSynthApp(config).stackJson("workload"));

  test("are the Namespace, ServiceAccount, NetworkPolicy and Deployment of the demo app", () => {
    expect(objects.map((o) => `${o.apiVersion} ${o.kind} ${o.metadata.name}`)).toEqual([
      "v1 Namespace demo",
      "v1 ServiceAccount demo",
      "networking.k8s.io/v1 NetworkPolicy default-deny-all",
      "apps/v1 Deployment demo",
    ]);
  });

  test("validate against the Kubernetes schema (kubernetes-models)", () => {
    for (const object of objects) expect(() => validate(object)).not.toThrow();
  });

  test("the Deployment's pod spec mounts the CSI volume read-only in the API shape", () => {
    const deployment = objects.find((o) => o.kind === "Deployment");
    expect(deployment.spec.template.spec.volumes[0]).toEqual({
      name: "secrets-store",
      csi: { driver: "secrets-store.csi.k8s.io", readOnly: true, volumeAttributes: { secretProviderClass: "demo-secrets" } },
    });
    expect(deployment.spec.template.spec.containers[0].volumeMounts[0]).toEqual({ name: "secrets-store", mountPath: "/mnt/secrets-store", readOnly: true });
  });
});

test("a Deployment with an HTTP probe and its own command validates too", () => {
  const config = configFrom((raw) => {
    raw.workloads[0].image = "registry.example/api:1@sha256:" + "c".repeat(64);
    raw.workloads[0].command = ["/api"];
    raw.workloads[0].probe = { httpGet: { path: "/healthz", port: 8080 } };
  });
  for (const object of objectsOf(sharedSynthApp(config).stackJson("workload"))) expect(() => validate(object)).not.toThrow();
});

test("the schema check rejects a Deployment the API server would reject", () => {
  const [body] = resourcesOf(sharedSynthApp().stackJson("workload"), "kubernetes_deployment_v1");
  const broken = typedObject("kubernetes_deployment_v1", body);
  broken.spec.template.spec.containers[0].securityContext.runAsNonRoot = "yes";
  expect(() => validate(broken)).toThrow(/does not match the Kubernetes schema/);
});
