import { IdentityAdmissionPolicy } from "../constructs/kubernetes";
import { kubernetesStack, synthesized } from "./helpers/stacks";

const ADDON = "0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0";
const CHECKOUT = "11111111-2222-4333-8444-555555555555";

function build(props: Partial<ConstructorParameters<typeof IdentityAdmissionPolicy>[2]> = {}) {
  const stack = kubernetesStack();
  const policy = new IdentityAdmissionPolicy(stack, "identity-admission", {
    name: "shop-secretproviderclass-identities",
    namespaces: [{ namespace: "checkout", workloadClientIds: [CHECKOUT], addon: false }],
    ...props,
  });
  return { stack, policy };
}
const variable = (policy: IdentityAdmissionPolicy, name: string) =>
  ((policy.policy.spec as any).variables as { name: string; expression: string }[]).find((v) => v.name === name)!.expression;

describe("IdentityAdmissionPolicy", () => {
  test("with only the required props: a Deny binding for every namespace, failing closed, on both served versions", () => {
    const { stack, policy } = build();
    const manifests = synthesized(stack, "kubernetes_manifest");
    const binding = manifests.find((m) => m.manifest.kind === "ValidatingAdmissionPolicyBinding");
    expect(manifests.map((m) => m.manifest.kind).sort()).toEqual(["ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding"]);
    expect(policy.binding).toEqual({
      apiVersion: "admissionregistration.k8s.io/v1",
      kind: "ValidatingAdmissionPolicyBinding",
      metadata: { name: "shop-secretproviderclass-identities" },
      spec: { policyName: "shop-secretproviderclass-identities", validationActions: ["Deny"] },
    });
    const spec = policy.policy.spec as any;
    expect(spec.failurePolicy).toBe("Fail");
    expect(spec.matchConstraints.resourceRules).toEqual([{
      apiGroups: ["secrets-store.csi.x-k8s.io"], apiVersions: ["*"], operations: ["CREATE", "UPDATE"], resources: ["secretproviderclasses"],
    }]);
    expect(spec.matchConditions).toEqual([{ name: "azure-provider", expression: "has(object.spec.provider) && object.spec.provider.lowerAscii() == 'azure'" }]);
    expect(binding.depends_on).toEqual([expect.stringMatching(/^kubernetes_manifest\.identity-admission_policy/)]);
  });

  test("is ready for SecretProviderClasses only after a wait that follows every change of the policy or the binding", () => {
    const { stack, policy } = build();
    const [wait] = synthesized(stack, "time_sleep");
    expect(wait.create_duration).toBe("5s");
    expect(wait.depends_on).toEqual([expect.stringMatching(/^kubernetes_manifest\.identity-admission_binding/)]);
    expect(wait.triggers.policy).toMatch(/^\$\{sha256\(jsonencode\(\[kubernetes_manifest\.identity-admission_policy_[0-9A-F]+\.manifest, kubernetes_manifest\.identity-admission_binding_[0-9A-F]+\.manifest\]\)\)\}$/);
    expect((policy.ready as any).terraformResourceType).toBe("time_sleep");
  });

  test("without an add-on identity, no namespace may use a VM identity", () => {
    const { policy } = build();
    expect(variable(policy, "addonNamespaces")).toBe("[]");
    expect(variable(policy, "addonClientId")).toBe('"".lowerAscii()');
    expect(variable(policy, "appIdentities")).toBe(`["${CHECKOUT}"].map(id, id.lowerAscii())`);
  });

  test("grants the add-on identity to exactly the namespaces that use it, and counts it among the app's identities", () => {
    const { policy } = build({
      addonClientId: ADDON,
      namespaces: [
        { namespace: "checkout", workloadClientIds: [CHECKOUT], addon: false },
        { namespace: "reports", workloadClientIds: [], addon: true },
      ],
    });
    expect(variable(policy, "addonNamespaces")).toBe('["reports"]');
    expect(variable(policy, "workloadIdentities")).toBe(`{"checkout": ["${CHECKOUT}"].map(id, id.lowerAscii()), "reports": [].map(id, id.lowerAscii())}`);
    expect(variable(policy, "appIdentities")).toBe(`["${CHECKOUT}"].map(id, id.lowerAscii()) + [variables.addonClientId]`);
  });

  test("reads the identity parameters as the Azure provider does: trimmed, Go ParseBool's true spellings", () => {
    const { policy } = build();
    expect(variable(policy, "vmIdentity")).toBe("('useVMManagedIdentity' in variables.parameters ? variables.parameters['useVMManagedIdentity'].trim() : '') " +
      'in ["1", "t", "T", "TRUE", "true", "True"]');
    expect(variable(policy, "podIdentity")).toContain("'usePodIdentity'");
    expect(variable(policy, "clientId")).toBe("('clientID' in variables.parameters ? variables.parameters['clientID'].trim() : '').lowerAscii()");
  });

  test("names the namespace, the identity and the rule in every message", () => {
    const { policy } = build();
    for (const v of (policy.policy.spec as any).validations) {
      expect(v.messageExpression).toContain("request.namespace");
      expect(v.messageExpression).toContain("(rule: ");
      expect(v.message).toContain("(rule: ");
      expect(v.reason).toBe("Forbidden");
    }
  });

  test("fails when a namespace is granted the add-on identity without its client id", () => {
    expect(() => build({ namespaces: [{ namespace: "reports", workloadClientIds: [], addon: true }] }))
      .toThrow("IdentityAdmissionPolicy: namespace reports is granted the add-on identity, but addonClientId is not set");
  });

  test("fails when a namespace is not a DNS label, or listed twice", () => {
    expect(() => build({ namespaces: [{ namespace: "Checkout", workloadClientIds: [], addon: false }] })).toThrow("IdentityAdmissionPolicy namespace \"Checkout\" is invalid");
    const twice = { namespace: "checkout", workloadClientIds: [], addon: false };
    expect(() => build({ namespaces: [twice, twice] })).toThrow("IdentityAdmissionPolicy lists namespace \"checkout\" twice");
  });

  test("fails when the name is not a DNS label", () => {
    expect(() => build({ name: "Shop_Policy" })).toThrow("IdentityAdmissionPolicy name \"Shop_Policy\" is invalid");
  });
});
