import { IConstruct } from "constructs";
import { Annotations } from "cdktf";
import { IDENTITY_LIMITS, ROLE_ASSIGNMENT_WARN_SHARE, roleAssignmentCount } from "../config/identity-limits";
import { AppConfig, GrantScope, WorkloadConfig } from "../config/types";

/**
 * Warns when more than one workload of a cluster mounts through the add-on identity. That identity
 * sits on the nodes, so the vault cannot tell its pods apart: every namespace that may use it
 * (the identity admission policy admits it in exactly these) can mount the union of what all of
 * them were granted. The Azure provider's maintainers: "Not secure. Do not use this option"
 * (https://github.com/Azure/secrets-store-csi-driver-provider-azure/issues/837).
 */
export function warnSharedAddonIdentity(scope: IConstruct, workloads: readonly WorkloadConfig[], grantScope: GrantScope): void {
  const sharing = workloads.filter((w) => w.identity === "addon");
  if (sharing.length < 2) return;
  const namespaces = [...new Set(sharing.map((w) => w.namespace))];
  const objects = [...new Set(sharing.flatMap((w) => w.objects.map((o) => `${o.objectType}/${o.objectName}`)))].sort();
  const readable = grantScope === "vault"
    ? "every secret, key and certificate of the vault (cluster.grantScope \"vault\")"
    : objects.join(", ");
  Annotations.of(scope).addWarning(
    `The add-on identity is shared by ${sharing.length} workloads (${sharing.map((w) => `${w.namespace}/${w.name}`).join(", ")}): ` +
    `any pod in ${namespaces.length === 1 ? "namespace" : "each of the namespaces"} ${namespaces.join(", ")} can mount ${readable}, ` +
    "not only what its own workload names. Give each workload its own federated identity (\"identity\": \"workload\", the hardened default).",
  );
}

/** Warns when the config's role assignments take more than the documented share of its subscription's limit. */
export function warnRoleAssignmentShare(scope: IConstruct, config: AppConfig): void {
  const { limit, source } = IDENTITY_LIMITS.roleAssignmentsPerSubscription;
  const { total, level } = roleAssignmentCount(config);
  if (level === "ok") return;
  Annotations.of(scope).addWarning(
    `This config creates ${total} role assignments, more than ${ROLE_ASSIGNMENT_WARN_SHARE * 100}% of Azure's ${limit} per subscription ` +
    `(${source}), and the subscription's other assignments count too: check its total (Access control (IAM) in the portal) before you apply, ` +
    "or set cluster.grantScope to \"vault\" (one grant per identity and role).",
  );
}
