import { Construct } from "constructs";
import { TerraformStack } from "cdktf";
import { AzurermProvider } from "@cdktf/provider-azurerm/lib/provider";
import { TimeProvider } from "@cdktf/provider-time/lib/provider";
import { AppConfig } from "../config/types";
import { ExternalSecretsCheck } from "../constructs/azure-keyvault";
import { IdentityAdmissionPolicy, MountIdentity, Reloader, SecretMountedApp, WorkloadNamespace } from "../constructs/kubernetes";
import { StackState } from "../constructs/terraform";
import { connectCluster } from "./cluster-access";
import { mountedExternalObjects } from "./cluster-parts";
import { relaxWorkloadsForLab } from "./lab-profile";
import { identityClientIdOutput, PLATFORM_OUTPUTS } from "./platform-outputs";
import { AppStack } from "./app-stack";

export interface WorkloadStackProps {
  readonly config: AppConfig;
  readonly state: StackState;
  /** Deployed first; its outputs are read through remote state. */
  readonly platform: TerraformStack;
  /**
   * The self-managed driver's stack (helm driver only), deployed before this one: at plan time
   * kubernetes_manifest asks the API server for the SecretProviderClass CRD, which the driver
   * chart installs. @default - the AKS add-on provides the driver with the cluster
   */
  readonly csiDriver?: TerraformStack;
  /**
   * A fleet's vault-endpoints stack, applied before this one: pods mount through the cluster's
   * private endpoint to the vault, which that stack creates. @default - the platform reaches the vault
   */
  readonly vaultEndpoints?: TerraformStack;
}

/**
 * The cluster's guard on SecretProviderClass identities, built from the same outputs as the
 * SecretProviderClasses themselves (identityClientIdOutput), so the policy and the objects it
 * admits cannot disagree. It lives in this stack, not the platform's: the platform creates the
 * cluster and has no Kubernetes provider, the csi-driver stack exists only with the helm driver,
 * and only this stack holds every client id (from the platform's outputs) and is applied to every
 * cluster that mounts secrets, add-on or helm, single or fleet.
 */
function identityAdmissionPolicy(stack: Construct, config: AppConfig, output: (name: string) => string): IdentityAdmissionPolicy {
  const namespaces = [...new Set(config.workloads.map((w) => w.namespace))].map((namespace) => {
    const own = config.workloads.filter((w) => w.namespace === namespace);
    return {
      namespace,
      workloadClientIds: own.filter((w) => w.identity === "workload").map((w) => output(identityClientIdOutput(w))),
      addon: own.some((w) => w.identity === "addon"),
    };
  });
  return new IdentityAdmissionPolicy(stack, "identity-admission", {
    name: `${config.namePrefix}-secretproviderclass-identities`,
    namespaces,
    addonClientId: namespaces.some((n) => n.addon) ? output(PLATFORM_OUTPUTS.secretsProviderClientId) : undefined,
  });
}

/**
 * The apps that mount Key Vault secrets. Every Azure value comes from the platform's outputs
 * through terraform_remote_state, so this stack can be planned by a team that only has the
 * platform's state, and `cdktf deploy '*'` orders it after the platform.
 */
export class WorkloadStack extends AppStack {
  readonly apps: SecretMountedApp[] = [];

  constructor(scope: Construct, id: string, props: WorkloadStackProps) {
    super(scope, id, { state: props.state, after: [props.platform, props.csiDriver, props.vaultEndpoints] });
    const { config } = props;
    const connection = config.cluster.connection;
    const mountedExternal = mountedExternalObjects(config.keyVault, config.workloads);
    // Only the AKS connection and the external-secrets check read Azure: a kubeconfig connection
    // that mounts no external secret needs no azurerm provider (and no Azure sign-in).
    if (connection.type === "aks" || mountedExternal.length > 0) new AzurermProvider(this, "azurerm", { features: [{}] });
    // The identity admission policy's wait (time_sleep) before any SecretProviderClass.
    new TimeProvider(this, "time", {});

    const platform = props.state.remoteState(this, "platform", props.platform.node.id);
    const output = (name: string) => platform.getString(name);
    connectCluster(this, config.cluster, output);

    const externalCheck = mountedExternal.length === 0 ? undefined : new ExternalSecretsCheck(this, "external-secrets", {
      keyVaultId: output(PLATFORM_OUTPUTS.keyVaultId),
      keyVaultName: output(PLATFORM_OUTPUTS.keyVaultName),
    });

    // Grouping keeps user-chosen names (DNS labels) from colliding with the stack's own construct IDs.
    const namespaceScope = new Construct(this, "namespaces");
    const appScope = new Construct(this, "apps");
    const namespaces = new Map<string, WorkloadNamespace>();
    for (const name of new Set(config.workloads.map((w) => w.namespace))) {
      namespaces.set(name, new WorkloadNamespace(namespaceScope, name, { name }));
    }
    const admission = identityAdmissionPolicy(this, config, output);
    for (const workload of config.workloads) {
      const clientId = output(identityClientIdOutput(workload));
      const external = mountedExternalObjects(config.keyVault, [workload]);
      this.apps.push(new SecretMountedApp(appScope, workload.name, {
        name: workload.name,
        namespace: namespaces.get(workload.namespace)!,
        serviceAccountName: workload.serviceAccountName,
        identity: workload.identity === "addon" ? MountIdentity.addon(clientId) : MountIdentity.workload(clientId),
        keyVaultName: output(PLATFORM_OUTPUTS.keyVaultName),
        tenantId: output(PLATFORM_OUTPUTS.tenantId),
        objects: workload.objects,
        image: workload.image,
        imagePullPolicy: workload.imagePullPolicy,
        mountPath: workload.mountPath,
        replicas: workload.replicas,
        command: workload.command,
        probe: workload.probe,
        cloudName: workload.cloudName,
        cloudEnvFileName: workload.cloudEnvFileName,
        syncToKubernetesSecret: workload.syncToKubernetesSecret,
        admittedBy: admission.ready,
        onRotation: workload.onRotation,
        preconditions: externalCheck && external.length > 0
          ? [externalCheck.requireSecrets(external.map((o) => o.objectName))] : undefined,
      }));
    }
    // This stack owns Reloader: it knows which workloads opt in and creates their namespaces (the
    // chart puts a Role in each), and it exists with the add-on and the helm driver alike (the
    // csi-driver stack exists only with the helm driver, and applies before the namespaces exist).
    const restarting = config.workloads.filter((w) => w.onRotation === "restart");
    if (restarting.length > 0) {
      new Reloader(this, "reloader", {
        chart: config.cluster.reloaderChart,
        watchNamespaces: [...new Set(restarting.map((w) => w.namespace))].map((name) => namespaces.get(name)!),
      });
    }
    if (config.profile === "lab") relaxWorkloadsForLab(this.apps);
  }
}
