import { Construct } from "constructs";
import { Annotations, ITerraformDependable, Token } from "cdktf";
import { Manifest } from "@cdktf/provider-kubernetes/lib/manifest";
import { RULES } from "../../config/naming-rules";
import { AZURE_STACK_CLOUD, fileNameOf, SecretObjectConfig, SecretSyncConfig } from "../../config/types";
import { MountIdentity } from "./mount-identity";
import { renderObjectsParameter } from "./provider-objects";

export const SPC_API_VERSION = "secrets-store.csi.x-k8s.io/v1";

export interface SecretProviderClassProps {
  readonly name: string;
  readonly namespace: string;
  readonly keyVaultName: string;
  readonly tenantId: string;
  readonly identity: MountIdentity;
  readonly objects: readonly SecretObjectConfig[];
  /** @default - the provider's default, AzurePublicCloud */
  readonly cloudName?: string;
  /**
   * Custom Azure environment JSON file, as the provider's pods see it (the provider chart mounts
   * it from the node). Required with cloudName AzureStackCloud and only allowed with it:
   * https://azure.github.io/secrets-store-csi-driver-provider-azure/docs/configurations/custom-environments
   * @default - none (a built-in cloud)
   */
  readonly cloudEnvFileName?: string;
  /**
   * Also copy mounted files into a Kubernetes Secret (secretObjects).
   * @default - no Kubernetes Secret: values exist only in the vault and the pod's tmpfs mount
   */
  readonly syncToKubernetesSecret?: SecretSyncConfig;
  /** Resources that must exist first, such as the namespace. @default - none */
  readonly dependsOn?: ITerraformDependable[];
}

/** A secrets-store.csi.x-k8s.io/v1 SecretProviderClass for the Azure provider (kubernetes_manifest). */
export class SecretProviderClass extends Construct {
  readonly name: string;
  readonly namespace: string;
  readonly manifest: Record<string, unknown>;
  /** The kubernetes_manifest resource, for depends_on. */
  readonly resource: Manifest;

  constructor(scope: Construct, id: string, props: SecretProviderClassProps) {
    super(scope, id);
    if (props.objects.length === 0) throw new Error(`SecretProviderClass ${props.name}: objects must not be empty`);
    const files = props.objects.map(fileNameOf);
    const duplicate = files.find((f, i) => files.indexOf(f) !== i);
    if (duplicate) throw new Error(`SecretProviderClass ${props.name}: two objects land on file ${JSON.stringify(duplicate)}`);

    checkCloudEnvFile(props);

    const parameters: Record<string, string> = {
      ...props.identity.spcParameters(),
      keyvaultName: props.keyVaultName,
      tenantID: props.tenantId,
      objects: renderObjectsParameter(props.objects),
    };
    if (props.cloudName) parameters.cloudName = props.cloudName;
    if (props.cloudEnvFileName) parameters.cloudEnvFileName = props.cloudEnvFileName;

    const spec: Record<string, unknown> = { provider: "azure", parameters };
    const sync = props.syncToKubernetesSecret;
    if (sync) {
      spec.secretObjects = [{
        secretName: sync.secretName,
        type: "Opaque",
        data: sync.items.map((item) => ({ objectName: item.objectName, key: item.key })),
      }];
      Annotations.of(this).addWarning(
        `SecretProviderClass ${props.namespace}/${props.name} syncs ${sync.items.length} object(s) into Kubernetes Secret ` +
          `${sync.secretName}: the values then live in etcd, and environment variables read from it change only when the pod restarts.`,
      );
    }
    this.manifest = {
      apiVersion: SPC_API_VERSION,
      kind: "SecretProviderClass",
      metadata: { name: props.name, namespace: props.namespace },
      spec,
    };
    this.resource = new Manifest(this, "manifest", { manifest: this.manifest, dependsOn: props.dependsOn });
    this.name = props.name;
    this.namespace = props.namespace;
  }
}

/**
 * go-autorest reads AzureStackCloud's endpoints only from the environment file, and every other
 * cloud ignores it, so the two props come together or not at all.
 */
function checkCloudEnvFile(props: SecretProviderClassProps): void {
  const { cloudName, cloudEnvFileName } = props;
  if ([cloudName, cloudEnvFileName].some((v) => v !== undefined && Token.isUnresolved(v))) return;
  if (cloudName === AZURE_STACK_CLOUD && !cloudEnvFileName) {
    throw new Error(`SecretProviderClass ${props.name}: cloudEnvFileName is required with cloudName ${JSON.stringify(AZURE_STACK_CLOUD)}`);
  }
  if (cloudEnvFileName === undefined) return;
  if (cloudName !== AZURE_STACK_CLOUD) {
    throw new Error(`SecretProviderClass ${props.name}: cloudEnvFileName is only allowed with cloudName ${JSON.stringify(AZURE_STACK_CLOUD)}, ` +
      `got ${cloudName === undefined ? "no cloudName" : JSON.stringify(cloudName)}`);
  }
  if (!RULES.absolutePath.pattern.test(cloudEnvFileName)) {
    throw new Error(`SecretProviderClass ${props.name}: cloudEnvFileName ${JSON.stringify(cloudEnvFileName)} is invalid: must be ${RULES.absolutePath.allowed}`);
  }
}
