import { Construct } from "constructs";
import { ITerraformDependable } from "cdktf";
import { DeploymentV1 } from "@cdktf/provider-kubernetes/lib/deployment-v1";
import { ServiceAccountV1 } from "@cdktf/provider-kubernetes/lib/service-account-v1";
import { RULES } from "../../config/naming-rules";
import { ImagePullPolicy, OnRotation, ProbeConfig, SecretObjectConfig, SecretSyncConfig } from "../../config/types";
import { MountIdentity } from "./mount-identity";
import { LAST_RELOADED_FROM, RELOAD_ON_SECRET_PROVIDER_CLASS } from "./reloader";
import { SecretProviderClass } from "./secret-provider-class";
import { WorkloadNamespace } from "./workload-namespace";

export const CSI_DRIVER = "secrets-store.csi.k8s.io";
const SECRETS_VOLUME = "secrets-store";
const TMP_VOLUME = "tmp";
/** Non-root UID/GID of busybox's `nobody`-style unprivileged user. */
const RUN_AS = 65532;

export interface SecretMountedAppProps {
  readonly name: string;
  readonly namespace: WorkloadNamespace;
  readonly serviceAccountName: string;
  readonly identity: MountIdentity;
  readonly keyVaultName: string;
  readonly tenantId: string;
  readonly objects: readonly SecretObjectConfig[];
  readonly image: string;
  /**
   * When the kubelet pulls the image. Only a pre-loaded image on a node without registry access
   * (air-gapped or test nodes) needs "IfNotPresent" or "Never".
   * @default "Always"
   */
  readonly imagePullPolicy?: ImagePullPolicy;
  /** @default "/mnt/secrets-store" */
  readonly mountPath?: string;
  /** @default 1 */
  readonly replicas?: number;
  /** @default - the provider's default cloud */
  readonly cloudName?: string;
  /** Custom Azure environment file, with cloudName AzureStackCloud only (see SecretProviderClassProps). @default - none */
  readonly cloudEnvFileName?: string;
  /** @default - no Kubernetes Secret and no environment variables */
  readonly syncToKubernetesSecret?: SecretSyncConfig;
  /**
   * What the pods do when a mounted object gets a new version. "restart": the Deployment carries
   * Reloader's annotation for its SecretProviderClass (a Reloader must watch the namespace) and
   * rolls with a surge and no unavailable pod.
   * @default "none" - the files change in place; the pods keep running
   */
  readonly onRotation?: OnRotation;
  /**
   * The container's command.
   * @default - the image's entrypoint
   */
  readonly command?: readonly string[];
  /**
   * Liveness and readiness check.
   * @default - an exec check that the secrets mount is not empty (needs `sh` and `ls` in the image)
   */
  readonly probe?: ProbeConfig;
  /**
   * Plan-time conditions the Deployment must meet, such as the check that external secrets exist.
   * @default - none
   */
  readonly preconditions?: readonly { readonly condition: string; readonly errorMessage: string }[];
  /**
   * What the SecretProviderClass must come after, besides its namespace: the admission policy that
   * checks its identity, so it is never created unchecked.
   * @default - only the namespace
   */
  readonly admittedBy?: ITerraformDependable;
}

/**
 * A ServiceAccount, SecretProviderClass and Deployment whose pods read Key Vault objects as
 * read-only files from a CSI volume. Files are updated in place on rotation, so the mount has no
 * subPath (a subPath mount never sees updates).
 */
export class SecretMountedApp extends Construct {
  readonly secretProviderClass: SecretProviderClass;
  readonly deployment: DeploymentV1;
  readonly serviceAccount: ServiceAccountV1;
  readonly mountPath: string;

  constructor(scope: Construct, id: string, props: SecretMountedAppProps) {
    super(scope, id);
    for (const [prop, value] of [["name", props.name], ["serviceAccountName", props.serviceAccountName]]) {
      if (!RULES.dns1123Label.pattern.test(value)) {
        throw new Error(`SecretMountedApp ${prop} ${JSON.stringify(value)} is invalid: must be ${RULES.dns1123Label.allowed}`);
      }
    }
    this.mountPath = props.mountPath ?? "/mnt/secrets-store";
    if (!RULES.absolutePath.pattern.test(this.mountPath)) {
      throw new Error(`SecretMountedApp mountPath ${JSON.stringify(this.mountPath)} is invalid: must be ${RULES.absolutePath.allowed}`);
    }
    const identity = props.identity;
    const labels = { "app.kubernetes.io/name": props.name, "app.kubernetes.io/managed-by": "cdktf" };

    const namespace = props.namespace.name;
    this.serviceAccount = new ServiceAccountV1(this, "service-account", {
      metadata: { name: props.serviceAccountName, namespace, annotations: identity.serviceAccountAnnotations(), labels },
      // No pod needs the API token, in either identity mode (see MountIdentity); CKV_K8S_38.
      automountServiceAccountToken: false,
      dependsOn: [props.namespace.ready],
    });
    this.secretProviderClass = new SecretProviderClass(this, "secret-provider-class", {
      name: `${props.name}-secrets`,
      namespace,
      keyVaultName: props.keyVaultName,
      tenantId: props.tenantId,
      identity,
      objects: props.objects,
      cloudName: props.cloudName,
      cloudEnvFileName: props.cloudEnvFileName,
      syncToKubernetesSecret: props.syncToKubernetesSecret,
      dependsOn: [props.namespace.ready, ...(props.admittedBy ? [props.admittedBy] : [])],
    });

    const env = (props.syncToKubernetesSecret?.items ?? []).map((item) => ({
      name: item.envVar,
      valueFrom: { secretKeyRef: { name: props.syncToKubernetesSecret!.secretName, key: item.key } },
    }));
    const check = probeOf(props.probe ?? { exec: ["sh", "-c", `test -n "$(ls -A ${this.mountPath})"`] });
    const restart = (props.onRotation ?? "none") === "restart";
    const preconditions = props.preconditions?.length ? [...props.preconditions] : undefined;

    this.deployment = new DeploymentV1(this, "deployment", {
      metadata: {
        name: props.name,
        namespace,
        labels,
        annotations: restart ? { [RELOAD_ON_SECRET_PROVIDER_CLASS]: this.secretProviderClass.name } : undefined,
      },
      spec: {
        replicas: String(props.replicas ?? 1),
        // A restart on rotation starts a new pod and waits for it to be ready before it stops an
        // old one, so even one replica stays available (it needs room for one more pod). Rounded
        // up, 25% is at least one pod; at most a quarter more pods run during the roll. Percentages
        // both: the API takes an IntOrString, and a bare "0" string is no valid percent.
        strategy: restart ? { type: "RollingUpdate", rollingUpdate: { maxSurge: "25%", maxUnavailable: "0%" } } : undefined,
        selector: { matchLabels: { "app.kubernetes.io/name": props.name } },
        template: {
          metadata: { labels },
          spec: {
            serviceAccountName: props.serviceAccountName,
            automountServiceAccountToken: false,
            securityContext: {
              runAsNonRoot: true,
              runAsUser: String(RUN_AS),
              runAsGroup: String(RUN_AS),
              seccompProfile: { type: "RuntimeDefault" },
            },
            container: [{
              name: "app",
              image: props.image,
              // The registry authorizes every start: with IfNotPresent, a pod on the same node could run a
              // cached private image without pull rights. The digest already fixes which image runs.
              // https://kubernetes.io/docs/reference/access-authn-authz/admission-controllers/#alwayspullimages (CKV_K8S_15)
              imagePullPolicy: props.imagePullPolicy ?? "Always",
              command: props.command ? [...props.command] : undefined,
              env: env.length > 0 ? env : undefined,
              resources: { requests: { cpu: "10m", memory: "16Mi" }, limits: { cpu: "100m", memory: "64Mi" } },
              securityContext: {
                runAsNonRoot: true,
                allowPrivilegeEscalation: false,
                privileged: false,
                readOnlyRootFilesystem: true,
                capabilities: { drop: ["ALL"] },
                seccompProfile: { type: "RuntimeDefault" },
              },
              livenessProbe: { ...check, periodSeconds: 30 },
              readinessProbe: { ...check, periodSeconds: 10 },
              volumeMount: [
                { name: SECRETS_VOLUME, mountPath: this.mountPath, readOnly: true },
                { name: TMP_VOLUME, mountPath: "/tmp" },
              ],
            }],
            volume: [
              {
                name: SECRETS_VOLUME,
                csi: { driver: CSI_DRIVER, readOnly: true, volumeAttributes: { secretProviderClass: this.secretProviderClass.name } },
              },
              { name: TMP_VOLUME, emptyDir: { medium: "Memory", sizeLimit: "16Mi" } },
            ],
          },
        },
      },
      waitForRollout: true,
      dependsOn: [this.serviceAccount, this.secretProviderClass.resource],
      lifecycle: restart || preconditions ? {
        precondition: preconditions,
        // Reloader's restart mark; without this, the next apply would remove it and roll again.
        ignoreChanges: restart ? [`spec[0].template[0].metadata[0].annotations["${LAST_RELOADED_FROM}"]`] : undefined,
      } : undefined,
    });
  }
}

function probeOf(probe: ProbeConfig) {
  if ("exec" in probe) return { exec: { command: [...probe.exec] } };
  if ("httpGet" in probe) return { httpGet: { path: probe.httpGet.path, port: String(probe.httpGet.port) } };
  return { tcpSocket: [{ port: String(probe.tcpSocket.port) }] };
}
