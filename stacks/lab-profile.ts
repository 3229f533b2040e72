import { IConstruct } from "constructs";
import { SecurityBaseline } from "../constructs/security";

/** What the lab profile relaxes, per construct, and why. Each becomes a warning at every synth when it takes effect. */
const reason = "lab profile, for a quick try-out; never for production";

export function relaxPlatformForLab(vault: IConstruct, cluster: IConstruct): void {
  relaxVaultForLab(vault);
  relaxClusterForLab(cluster);
}

export function relaxVaultForLab(vault: IConstruct): void {
  SecurityBaseline.allowException(vault, "kv-deny-by-default", `${reason}: the vault is reachable from any network (still RBAC-protected)`);
  SecurityBaseline.allowException(vault, "kv-prevent-destroy", `${reason}: the vault and its secrets can be destroyed (purge protection still keeps deleted data)`);
  SecurityBaseline.allowException(vault, "kv-secret-expiration", `${reason}: secrets may have no expiration date`);
}

export function relaxClusterForLab(cluster: IConstruct): void {
  SecurityBaseline.allowException(cluster, "aks-user-pool", `${reason}: a single node pool runs system and workload pods`);
  SecurityBaseline.allowException(cluster, "aks-local-accounts-disabled", `${reason}: local accounts allow certificate access without Entra ID`);
  SecurityBaseline.allowException(cluster, "aks-sla-tier", `${reason}: the Free tier has no uptime SLA`);
  SecurityBaseline.allowException(cluster, "aks-workload-identity", `${reason}: the OIDC issuer and workload identity may be off`);
}

export function relaxWorkloadsForLab(apps: readonly IConstruct[]): void {
  for (const app of apps) {
    SecurityBaseline.allowException(app, "pod-image-digest", "lab profile, for a quick try-out; never for production: the image may float on a tag");
    SecurityBaseline.allowException(app, "pod-image-pull-always",
      `${reason}: a pod may run an image cached on its node (a pre-loaded image on a node without registry access)`);
  }
}
