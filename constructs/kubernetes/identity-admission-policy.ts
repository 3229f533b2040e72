import { Construct } from "constructs";
import { Fn, ITerraformDependable, Token } from "cdktf";
import { Manifest } from "@cdktf/provider-kubernetes/lib/manifest";
import { Sleep } from "@cdktf/provider-time/lib/sleep";
import { RULES } from "../../config/naming-rules";
import { SPC_API_VERSION } from "./secret-provider-class";

const ADMISSION_API_VERSION = "admissionregistration.k8s.io/v1";

/** One namespace of the config and the identities its SecretProviderClasses may name. */
export interface NamespaceIdentities {
  readonly namespace: string;
  /** Client ids of the federated identities the config assigns to this namespace's workloads. */
  readonly workloadClientIds: readonly string[];
  /** Whether a workload of this namespace mounts through the add-on identity. */
  readonly addon: boolean;
}

export interface IdentityAdmissionPolicyProps {
  /** Name of the ValidatingAdmissionPolicy and of its binding (cluster-scoped, one per config and cluster). */
  readonly name: string;
  /** Every namespace of the config; every other namespace may name none of these identities. */
  readonly namespaces: readonly NamespaceIdentities[];
  /**
   * Client id of the AKS add-on's identity, which sits on the nodes.
   * @default - no add-on identity (helm driver): no namespace may use a VM managed identity
   */
  readonly addonClientId?: string;
}

/**
 * The rules, after how the Azure provider picks its identity (provider v1.7.0,
 * pkg/provider/provider.go and pkg/auth/auth.go): values are trimmed and read with Go's
 * strconv.ParseBool, so "1", "t", "TRUE" and "True" are true as well; pod identity wins over the
 * VM identity, which wins over a nodePublishSecretRef service principal, which wins over
 * workload identity (`clientID`); in VM mode `userAssignedIdentityID` picks the node's identity,
 * and empty means the node's default one.
 */
const GO_TRUE = ["1", "t", "T", "TRUE", "true", "True"];

/** Five refresh intervals of the API servers' policy source (below), for the watch and the compile. */
const ENFORCEMENT_WAIT = "5s";

/**
 * A ValidatingAdmissionPolicy and its binding (admissionregistration.k8s.io/v1, GA since
 * Kubernetes 1.30, evaluated in the API server: no webhook, no controller) that refuse a
 * SecretProviderClass of the Azure provider naming an identity its namespace was not given:
 *  - the VM managed identity (`useVMManagedIdentity`), i.e. the add-on identity on the nodes,
 *    only in the namespaces the config grants the add-on identity, and only that identity;
 *  - in a namespace of the config, only the `clientID`s of its own workloads' identities;
 *  - in any other namespace, none of the app's identities;
 *  - the deprecated pod identity nowhere: it picks the identity outside the SecretProviderClass.
 * The Azure provider's maintainers call the VM identity "Not secure. Do not use this option"
 * because any pod of the cluster can name it
 * (https://github.com/Azure/secrets-store-csi-driver-provider-azure/issues/837); the grants on
 * the vault cannot tell pods apart, so the cluster must.
 * Each message names the namespace, the SecretProviderClass, the identity and the rule.
 */
export class IdentityAdmissionPolicy extends Construct {
  readonly policy: Record<string, unknown>;
  readonly binding: Record<string, unknown>;
  /** The wait after the binding: SecretProviderClasses depend on it, so none is created or changed unchecked. */
  readonly ready: ITerraformDependable;

  constructor(scope: Construct, id: string, props: IdentityAdmissionPolicyProps) {
    super(scope, id);
    if (!Token.isUnresolved(props.name) && !RULES.dns1123Label.pattern.test(props.name)) {
      throw new Error(`IdentityAdmissionPolicy name ${JSON.stringify(props.name)} is invalid: must be ${RULES.dns1123Label.allowed}`);
    }
    const seen = new Set<string>();
    for (const ns of props.namespaces) {
      if (!RULES.dns1123Label.pattern.test(ns.namespace)) {
        throw new Error(`IdentityAdmissionPolicy namespace ${JSON.stringify(ns.namespace)} is invalid: must be ${RULES.dns1123Label.allowed}`);
      }
      if (seen.has(ns.namespace)) throw new Error(`IdentityAdmissionPolicy lists namespace ${JSON.stringify(ns.namespace)} twice`);
      seen.add(ns.namespace);
      if (ns.addon && props.addonClientId === undefined) {
        throw new Error(`IdentityAdmissionPolicy: namespace ${ns.namespace} is granted the add-on identity, but addonClientId is not set`);
      }
    }
    this.policy = {
      apiVersion: ADMISSION_API_VERSION,
      kind: "ValidatingAdmissionPolicy",
      metadata: { name: props.name },
      spec: {
        failurePolicy: "Fail",
        matchConstraints: {
          resourceRules: [{
            apiGroups: [SPC_API_VERSION.split("/")[0]],
            // v1 and the still-served v1alpha1 alike.
            apiVersions: ["*"],
            operations: ["CREATE", "UPDATE"],
            resources: ["secretproviderclasses"],
          }],
        },
        // The driver finds the provider by its socket, <provider>.sock; lower-cased, so a Windows
        // node's case-insensitive file system cannot reach the Azure provider unchecked.
        matchConditions: [{ name: "azure-provider", expression: "has(object.spec.provider) && object.spec.provider.lowerAscii() == 'azure'" }],
        variables: variables(props),
        validations: VALIDATIONS,
      },
    };
    this.binding = {
      apiVersion: ADMISSION_API_VERSION,
      kind: "ValidatingAdmissionPolicyBinding",
      metadata: { name: props.name },
      // No matchResources: every namespace, those outside the config above all.
      spec: { policyName: props.name, validationActions: ["Deny"] },
    };
    const policy = new Manifest(this, "policy", { manifest: this.policy });
    const binding = new Manifest(this, "binding", { manifest: this.binding, dependsOn: [policy] });
    // Each API server compiles policies in the background, refreshed every second
    // (k8s.io/apiserver v0.34.2, pkg/admission/plugin/policy/generic/policy_source.go,
    // policyRefreshIntervalDefault): a SecretProviderClass created right after a change of the
    // policy (a new add-on namespace, a new identity) would still be judged by the previous one.
    // The wait is replaced, and so waits again, exactly when the policy or the binding changes.
    this.ready = new Sleep(this, "enforced", {
      createDuration: ENFORCEMENT_WAIT,
      triggers: { policy: Fn.sha256(Fn.jsonencode([policy.manifest, binding.manifest])) },
      dependsOn: [binding],
    });
  }
}

/** A CEL string literal; JSON's escapes are CEL's. */
const cel = (value: string): string => JSON.stringify(value);
const celList = (values: readonly string[]): string => `[${values.map(cel).join(", ")}]`;

function variables(props: IdentityAdmissionPolicyProps): { name: string; expression: string }[] {
  const param = (key: string) => `('${key}' in variables.parameters ? variables.parameters['${key}'].trim() : '')`;
  const byNamespace = props.namespaces.map((ns) => `${cel(ns.namespace)}: ${celList(ns.workloadClientIds)}.map(id, id.lowerAscii())`);
  const allIds = [...new Set(props.namespaces.flatMap((ns) => ns.workloadClientIds))];
  return [
    { name: "parameters", expression: "has(object.spec.parameters) ? object.spec.parameters : {}" },
    { name: "podIdentity", expression: `${param("usePodIdentity")} in ${celList(GO_TRUE)}` },
    { name: "vmIdentity", expression: `${param("useVMManagedIdentity")} in ${celList(GO_TRUE)}` },
    { name: "vmClientId", expression: `${param("userAssignedIdentityID")}.lowerAscii()` },
    { name: "clientId", expression: `${param("clientID")}.lowerAscii()` },
    { name: "workloadIdentities", expression: `{${byNamespace.join(", ")}}` },
    { name: "addonNamespaces", expression: celList(props.namespaces.filter((ns) => ns.addon).map((ns) => ns.namespace)) },
    { name: "addonClientId", expression: `${cel(props.addonClientId ?? "")}.lowerAscii()` },
    {
      name: "appIdentities",
      expression: `${celList(allIds)}.map(id, id.lowerAscii())${props.addonClientId === undefined ? "" : " + [variables.addonClientId]"}`,
    },
    { name: "spc", expression: "'SecretProviderClass ' + request.namespace + '/' + object.metadata.name" },
  ];
}

const VALIDATIONS = [
  {
    expression: "!variables.podIdentity",
    reason: "Forbidden",
    message: "usePodIdentity is refused (rule: no pod identity)",
    messageExpression: "variables.spc + ' sets usePodIdentity: namespace ' + request.namespace + ' may not use pod identity " +
      "(rule: no pod identity; it picks the identity outside the SecretProviderClass, so no identity here can be checked)'",
  },
  {
    expression: "!variables.vmIdentity || (request.namespace in variables.addonNamespaces && variables.vmClientId == variables.addonClientId)",
    reason: "Forbidden",
    message: "the VM managed identity is refused in this namespace (rule: the add-on identity only in the namespaces the config grants it)",
    messageExpression: "variables.spc + ' names the VM managed identity ' + " +
      "(variables.vmClientId == '' ? '(the node\\'s default identity)' : variables.vmClientId) + ': namespace ' + request.namespace + " +
      "(request.namespace in variables.addonNamespaces" +
      " ? ' may use only the add-on identity ' + variables.addonClientId" +
      " : ' is not granted the add-on identity') + " +
      "' (rule: the add-on identity only in the namespaces the config grants it: ' + " +
      "(variables.addonNamespaces.size() == 0 ? 'none' : variables.addonNamespaces.join(', ')) + ')'",
  },
  {
    expression: "variables.podIdentity || variables.vmIdentity || !(request.namespace in variables.workloadIdentities) || " +
      "variables.clientId in variables.workloadIdentities[request.namespace]",
    reason: "Forbidden",
    message: "the clientID is not an identity the config assigns to this namespace (rule: only the namespace's own workload identities)",
    messageExpression: "variables.spc + ' names clientID ' + (variables.clientId == '' ? '(none)' : variables.clientId) + " +
      "': namespace ' + request.namespace + ' is assigned ' + " +
      "(variables.workloadIdentities[request.namespace].size() == 0 ? 'no workload identity' : variables.workloadIdentities[request.namespace].join(', ')) + " +
      "' (rule: only the namespace\\'s own workload identities)'",
  },
  {
    expression: "request.namespace in variables.workloadIdentities || !(variables.clientId in variables.appIdentities)",
    reason: "Forbidden",
    message: "the clientID is an identity of this app, and this namespace is not in its config (rule: no identity of the app outside its namespaces)",
    messageExpression: "variables.spc + ' names clientID ' + variables.clientId + ': namespace ' + request.namespace + " +
      "' is not in the config, and the identity belongs to one of its workloads (rule: no identity of the app outside its namespaces)'",
  },
];
