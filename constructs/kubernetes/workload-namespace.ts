import { Construct } from "constructs";
import { ITerraformDependable } from "cdktf";
import { NamespaceV1 } from "@cdktf/provider-kubernetes/lib/namespace-v1";
import { NetworkPolicyV1 } from "@cdktf/provider-kubernetes/lib/network-policy-v1";
import { RULES } from "../../config/naming-rules";

/**
 * Pod Security Admission's "restricted" level, enforced at the newest version the cluster knows
 * (https://kubernetes.io/docs/concepts/security/pod-security-admission/#pod-security-admission-labels-for-namespaces).
 */
export const POD_SECURITY_RESTRICTED = { "pod-security.kubernetes.io/enforce": "restricted", "pod-security.kubernetes.io/enforce-version": "latest" };

export interface WorkloadNamespaceProps {
  readonly name: string;
}

/**
 * A namespace for secret-mounting apps: Pod Security "restricted" is enforced, and a
 * default-deny NetworkPolicy blocks all pod traffic. The CSI driver fetches secrets on the node,
 * so pods need no network for that; teams add their own allow policies (they are additive).
 * Several apps may share one namespace.
 */
export class WorkloadNamespace extends Construct {
  readonly name: string;
  /** Everything in the namespace must be created after this. */
  readonly ready: ITerraformDependable;

  constructor(scope: Construct, id: string, props: WorkloadNamespaceProps) {
    super(scope, id);
    if (!RULES.dns1123Label.pattern.test(props.name)) {
      throw new Error(`WorkloadNamespace name ${JSON.stringify(props.name)} is invalid: must be ${RULES.dns1123Label.allowed}`);
    }
    const namespace = new NamespaceV1(this, "namespace", {
      metadata: {
        name: props.name,
        labels: POD_SECURITY_RESTRICTED,
      },
    });
    new NetworkPolicyV1(this, "default-deny", {
      metadata: { name: "default-deny-all", namespace: props.name },
      spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] },
      dependsOn: [namespace],
    });
    this.name = props.name;
    this.ready = namespace;
  }
}
