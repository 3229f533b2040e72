import { WorkloadNamespace } from "../constructs/kubernetes";
import { kubernetesStack, synthesized } from "./helpers/stacks";

describe("WorkloadNamespace", () => {
  test("enforces the restricted Pod Security level and denies all pod traffic", () => {
    const stack = kubernetesStack();
    new WorkloadNamespace(stack, "ns", { name: "shop" });
    expect(synthesized(stack, "kubernetes_namespace_v1")[0].metadata).toEqual({
      name: "shop",
      labels: { "pod-security.kubernetes.io/enforce": "restricted", "pod-security.kubernetes.io/enforce-version": "latest" },
    });
    expect(synthesized(stack, "kubernetes_network_policy_v1")[0]).toEqual(expect.objectContaining({
      metadata: { name: "default-deny-all", namespace: "shop" },
      spec: { pod_selector: {}, policy_types: ["Ingress", "Egress"] },
    }));
  });

  test("fails when the name is not a DNS-1123 label", () => {
    expect(() => new WorkloadNamespace(kubernetesStack(), "ns", { name: "Shop_1" })).toThrow(
      'WorkloadNamespace name "Shop_1" is invalid: must be a DNS-1123 label',
    );
  });
});
