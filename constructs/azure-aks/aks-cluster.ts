import { Construct } from "constructs";
import { Annotations, Fn, ITerraformDependable, TerraformResource, Token } from "cdktf";
import { Sleep } from "@cdktf/provider-time/lib/sleep";
import { PrivateDnsZoneVirtualNetworkLink } from "@cdktf/provider-azurerm/lib/private-dns-zone-virtual-network-link";
import { KubernetesCluster } from "@cdktf/provider-azurerm/lib/kubernetes-cluster";
import { KubernetesClusterNodePool } from "@cdktf/provider-azurerm/lib/kubernetes-cluster-node-pool";
import { MonitorDataCollectionRule } from "@cdktf/provider-azurerm/lib/monitor-data-collection-rule";
import { MonitorDataCollectionRuleAssociation } from "@cdktf/provider-azurerm/lib/monitor-data-collection-rule-association";
import { RoleAssignment } from "@cdktf/provider-azurerm/lib/role-assignment";
import { NODE_OS_CHANNEL_REQUIRED_BY } from "../../config/aks-upgrade-channels";
import { DEFAULT_RBAC_PROPAGATION_WAIT } from "../../config/key-vault-defaults";
import { durationSeconds, RULES } from "../../config/naming-rules";
import { DEFAULT_POD_CIDR, NETWORK_POLICY_RETIREMENTS } from "../../config/network-policy";
import { AVAILABILITY_ZONES, AvailabilityZone, ClusterConfig } from "../../config/types";
import { ephemeralOsDiskProblem } from "../../config/vm-temp-disks";
import { SecretIdentity } from "../azure-identity";

export const ROLE_AKS_RBAC_CLUSTER_ADMIN = "Azure Kubernetes Service RBAC Cluster Admin";
export const ROLE_NETWORK_CONTRIBUTOR = "Network Contributor";

/**
 * Container Insights' stream group: container logs (ContainerLogV2), inventories, events and
 * performance, as in Microsoft's "Enable monitoring for AKS clusters" Terraform sample
 * (https://learn.microsoft.com/azure/azure-monitor/containers/kubernetes-monitoring-enable?tabs=terraform).
 */
export const CONTAINER_INSIGHTS_STREAMS = ["Microsoft-ContainerInsights-Group-Default"];

export interface NodePoolProps {
  readonly name: string;
  readonly vmSize: string;
  readonly nodeCount: number;
  /** @default - a fixed node count */
  readonly autoscaling?: { readonly minCount: number; readonly maxCount: number };
  /** @default 50 */
  readonly maxPods?: number;
}

export interface AksClusterProps {
  readonly name: string;
  readonly dnsPrefix: string;
  readonly location: string;
  readonly resourceGroupName: string;
  readonly tenantId: string;
  /** Node subnet; it must carry the Microsoft.KeyVault service endpoint for the vault firewall. */
  readonly subnetId: string;
  /**
   * What must finish before the cluster touches its subnet (e.g. the NSG association), since
   * Azure rejects concurrent updates of one subnet.
   * @default - nothing beyond the subnet itself
   */
  readonly subnetReady?: ITerraformDependable[];
  /** Container insights destination. */
  readonly logWorkspaceId: string;
  /** Principal that runs Terraform; it gets RBAC Cluster Admin so the workload stack can deploy. */
  readonly deployerPrincipalId: string;
  readonly systemNodePool: NodePoolProps;
  /**
   * Pool for workloads. With one, the system pool runs only critical add-ons.
   * @default - workloads share the system pool
   */
  readonly userNodePool?: NodePoolProps;
  /** @default - the region's default AKS version */
  readonly kubernetesVersion?: string;
  /** @default "Standard" - the uptime SLA tier */
  readonly skuTier?: "Free" | "Standard";
  /** @default "2m" - how often mounted secrets are re-read from the vault */
  readonly secretRotationInterval?: string;
  /**
   * The Key Vault secrets provider add-on. Off when the app installs the driver itself from its
   * Helm charts (two drivers on one node would fight over the same CSI driver name).
   * @default true
   */
  readonly secretsProviderAddon?: boolean;
  /** @default true */
  readonly oidcIssuerEnabled?: boolean;
  /** @default true - only Entra ID users can get cluster credentials */
  readonly localAccountsDisabled?: boolean;
  /** @default - no admin groups; access is granted with Azure RBAC roles */
  readonly adminGroupObjectIds?: string[];
  /**
   * The network policy engine; `cilium` also selects the Cilium data plane (Azure CNI powered by
   * Cilium), the others the Azure (iptables) data plane. Both are kept as the cluster was
   * created: azurerm 4.55 replaces a cluster to change either (see the constructor).
   * @default "cilium"
   */
  readonly networkPolicy?: "azure" | "calico" | "cilium";
  /** Pod range of Azure CNI overlay; outside the VNet and serviceCidr. @default "10.244.0.0/16" - AKS's own default */
  readonly podCidr?: string;
  /** Kubernetes service range; it must not overlap the VNet. @default "10.0.0.0/16" - AKS's own default */
  readonly serviceCidr?: string;
  /** Cluster DNS service address inside serviceCidr. @default "10.0.0.10" */
  readonly dnsServiceIp?: string;
  /** @default "patch" */
  readonly automaticUpgradeChannel?: ClusterConfig["automaticUpgradeChannel"];
  /** Must be "NodeImage" with automaticUpgradeChannel "node-image" (config/aks-upgrade-channels.ts). @default "NodeImage" */
  readonly nodeOsUpgradeChannel?: ClusterConfig["nodeOsUpgradeChannel"];
  /** @default - the API server is reachable from any address (Entra ID still required) */
  readonly apiServerAuthorizedIpRanges?: string[];
  /**
   * The ranges of the machines that run Terraform (a list token, e.g. a variable), admitted
   * beside `apiServerAuthorizedIpRanges`: the stacks that talk to the cluster run there. Only
   * used with authorized ranges.
   * @default - only apiServerAuthorizedIpRanges
   */
  readonly deployerIpRanges?: string[];
  /**
   * How long the deployer's "Azure Kubernetes Service RBAC Cluster Admin" grant is given to
   * propagate before `deployerAccessReady` completes ("New role assignments can take up to five
   * minutes to propagate", https://learn.microsoft.com/azure/aks/entra-id-authorization).
   * @default "30s" - as the vault's grants
   */
  readonly rbacPropagationWait?: string;
  /**
   * The VNet of the machine that runs Terraform, peered with the cluster's: a private cluster's
   * API server zone (AKS's, in the node resource group) is linked to it, so the runner resolves
   * the private API server (https://learn.microsoft.com/azure/aks/private-cluster-connect,
   * "Connect using virtual network (VNet) peering").
   * @default - the runner is inside the cluster's VNet
   */
  readonly runnerVnetId?: string;
  /** @default false */
  readonly privateCluster?: boolean;
  /** Needs the EncryptionAtHost subscription feature. @default false */
  readonly hostEncryption?: boolean;
  /**
   * Needs node pool VM sizes whose temp disk holds AKS's default ephemeral OS disk (at least
   * 128 GiB; sizes known in config/vm-temp-disks.ts). @default false
   */
  readonly ephemeralOsDisk?: boolean;
  /**
   * Zones both node pools spread over; empty for a region without zones.
   * @default ["1", "2", "3"]
   */
  readonly availabilityZones?: readonly AvailabilityZone[];
  /** @default - no tags */
  readonly tags?: Record<string, string>;
}

/**
 * An AKS cluster with the Key Vault secrets provider add-on (rotation on; optional), OIDC issuer and
 * workload identity, Entra ID with Azure RBAC, network policy, Azure Policy and monitoring.
 */
export class AksCluster extends Construct {
  readonly clusterName: string;
  readonly clusterId: string;
  readonly oidcIssuerUrl: string;
  /**
   * The add-on's managed identity, `key_vault_secrets_provider[0].secret_identity[0]`; undefined
   * when the add-on is off.
   */
  readonly secretsProviderIdentity?: SecretIdentity;
  /**
   * What a stack that talks to the cluster as the deployer waits for: the propagation wait after
   * the deployer's RBAC Cluster Admin grant, and (private cluster with a runner VNet) the API
   * server zone's link to the runner's VNet.
   */
  readonly deployerAccessReady: TerraformResource[];

  constructor(scope: Construct, id: string, props: AksClusterProps) {
    super(scope, id);
    const rotation = props.secretRotationInterval ?? "2m";
    if (!RULES.duration.pattern.test(rotation) || durationSeconds(rotation) <= 0) {
      throw new Error(`AksCluster secretRotationInterval must be ${RULES.duration.allowed}, got ${JSON.stringify(rotation)}`);
    }
    for (const pool of [props.systemNodePool, props.userNodePool]) {
      if (pool?.autoscaling && pool.autoscaling.minCount > pool.autoscaling.maxCount) {
        throw new Error(`AksCluster node pool ${pool.name}: autoscaling minCount must be <= maxCount`);
      }
    }
    if (props.privateCluster && props.apiServerAuthorizedIpRanges?.length) {
      throw new Error("AksCluster apiServerAuthorizedIpRanges cannot be combined with privateCluster");
    }
    const wait = props.rbacPropagationWait ?? DEFAULT_RBAC_PROPAGATION_WAIT;
    if (!Token.isUnresolved(wait) && !RULES.duration.pattern.test(wait)) {
      throw new Error(`AksCluster rbacPropagationWait must be ${RULES.duration.allowed}, got ${JSON.stringify(wait)}`);
    }
    const automaticUpgradeChannel = props.automaticUpgradeChannel ?? "patch";
    const nodeOsUpgradeChannel = props.nodeOsUpgradeChannel ?? "NodeImage";
    const requiredNodeOsChannel = NODE_OS_CHANNEL_REQUIRED_BY[automaticUpgradeChannel];
    if (requiredNodeOsChannel !== undefined && nodeOsUpgradeChannel !== requiredNodeOsChannel) {
      throw new Error(`AksCluster nodeOsUpgradeChannel must be ${JSON.stringify(requiredNodeOsChannel)} with automaticUpgradeChannel ` +
        `${JSON.stringify(automaticUpgradeChannel)}, got ${JSON.stringify(nodeOsUpgradeChannel)}`);
    }
    for (const pool of props.ephemeralOsDisk ? [props.systemNodePool, props.userNodePool] : []) {
      if (!pool || Token.isUnresolved(pool.vmSize)) continue;
      const problem = ephemeralOsDiskProblem(pool.vmSize);
      if (problem) throw new Error(`AksCluster node pool ${pool.name}: ephemeralOsDisk needs another vmSize: ${JSON.stringify(pool.vmSize)} ${problem}`);
    }
    const zones = [...(props.availabilityZones ?? AVAILABILITY_ZONES)];
    if (zones.some((z) => !AVAILABILITY_ZONES.includes(z)) || new Set(zones).size !== zones.length) {
      throw new Error(`AksCluster availabilityZones must be distinct values of ${AVAILABILITY_ZONES.join(", ")}, got ${JSON.stringify(zones)}`);
    }
    const poolZones = zones.length > 0 ? zones : undefined;
    const oidcIssuerEnabled = props.oidcIssuerEnabled ?? true;
    const addonEnabled = props.secretsProviderAddon ?? true;
    const system = props.systemNodePool;

    const networkPolicy = props.networkPolicy ?? "cilium";
    const networkDataPlane = networkPolicy === "cilium" ? "cilium" : "azure";
    const retirement = NETWORK_POLICY_RETIREMENTS[networkPolicy];
    if (retirement) {
      Annotations.of(this).addWarning(`network policy ${JSON.stringify(networkPolicy)} (${retirement.engine}) loses AKS support on Linux nodes on ` +
        `${retirement.endOfSupport} (https://learn.microsoft.com/azure/aks/use-network-policies); move to "cilium" in place with ` +
        "`az aks update --network-dataplane cilium`, then set cluster.networkPolicy to \"cilium\" (docs/security.md, \"Moving to Cilium\")");
    }

    const cluster = new KubernetesCluster(this, "cluster", {
      name: props.name,
      location: props.location,
      resourceGroupName: props.resourceGroupName,
      dnsPrefix: props.dnsPrefix,
      kubernetesVersion: props.kubernetesVersion,
      skuTier: props.skuTier ?? "Standard",
      identity: { type: "SystemAssigned" },
      defaultNodePool: {
        name: system.name,
        vmSize: system.vmSize,
        vnetSubnetId: props.subnetId,
        maxPods: system.maxPods ?? 50,
        onlyCriticalAddonsEnabled: props.userNodePool !== undefined,
        hostEncryptionEnabled: props.hostEncryption ?? false,
        osDiskType: props.ephemeralOsDisk ? "Ephemeral" : "Managed",
        temporaryNameForRotation: "tmprotation",
        zones: poolZones,
        ...poolScaling(system),
        upgradeSettings: { maxSurge: "10%" },
      },
      keyVaultSecretsProvider: addonEnabled ? { secretRotationEnabled: true, secretRotationInterval: rotation } : undefined,
      oidcIssuerEnabled,
      workloadIdentityEnabled: oidcIssuerEnabled,
      roleBasedAccessControlEnabled: true,
      localAccountDisabled: props.localAccountsDisabled ?? true,
      azureActiveDirectoryRoleBasedAccessControl: {
        azureRbacEnabled: true,
        tenantId: props.tenantId,
        adminGroupObjectIds: props.adminGroupObjectIds,
      },
      networkProfile: {
        networkPlugin: "azure",
        networkPluginMode: "overlay",
        networkPolicy,
        networkDataPlane,
        podCidr: props.podCidr ?? DEFAULT_POD_CIDR,
        serviceCidr: props.serviceCidr ?? "10.0.0.0/16",
        dnsServiceIp: props.dnsServiceIp ?? "10.0.0.10",
      },
      automaticUpgradeChannel,
      nodeOsUpgradeChannel,
      azurePolicyEnabled: true,
      omsAgent: { logAnalyticsWorkspaceId: props.logWorkspaceId, msiAuthForMonitoringEnabled: true },
      privateClusterEnabled: props.privateCluster ?? false,
      apiServerAccessProfile: props.apiServerAuthorizedIpRanges?.length
        ? {
          authorizedIpRanges: props.deployerIpRanges
            ? Token.asList(Fn.concat([props.apiServerAuthorizedIpRanges, props.deployerIpRanges]))
            : props.apiServerAuthorizedIpRanges,
        }
        : undefined,
      tags: props.tags,
      dependsOn: props.subnetReady,
      lifecycle: {
        ignoreChanges: [
          // The autoscaler owns the node count; without this every plan would reset it.
          ...(system.autoscaling ? ["default_node_pool[0].node_count"] : []),
          // azurerm 4.55 forces a new cluster when either changes (CustomizeDiff ForceNewIfChange on
          // network_profile.0.network_policy and .network_data_plane whenever the old value is set,
          // internal/services/containers/kubernetes_cluster_resource.go). A changed default or config
          // must never replace a running cluster; the postcondition below stops the plan instead.
          "network_profile[0].network_policy",
          "network_profile[0].network_data_plane",
        ],
        postcondition: [{
          condition: `\${self.network_profile[0].network_policy == "${networkPolicy}" && self.network_profile[0].network_data_plane == "${networkDataPlane}"}`,
          errorMessage: `AKS cluster \${self.name} runs network policy \${self.network_profile[0].network_policy} with the ` +
            `\${self.network_profile[0].network_data_plane} data plane, but cluster.networkPolicy is ${networkPolicy} (${networkDataPlane} data plane). ` +
            "azurerm would replace the whole cluster to change either, so this app never does. Keep the cluster as it is by setting " +
            "cluster.networkPolicy to what it runs, or move it to Cilium in place: az aks update --resource-group <group> --name <cluster> " +
            "--network-dataplane cilium (docs/security.md, Moving to Cilium).",
        }],
      },
    });

    if (props.userNodePool) {
      const user = props.userNodePool;
      new KubernetesClusterNodePool(this, "user-pool", {
        name: user.name,
        kubernetesClusterId: cluster.id,
        mode: "User",
        vmSize: user.vmSize,
        vnetSubnetId: props.subnetId,
        maxPods: user.maxPods ?? 50,
        hostEncryptionEnabled: props.hostEncryption ?? false,
        osDiskType: props.ephemeralOsDisk ? "Ephemeral" : "Managed",
        orchestratorVersion: props.kubernetesVersion,
        zones: poolZones,
        ...poolScaling(user),
        upgradeSettings: { maxSurge: "10%" },
        tags: props.tags,
        lifecycle: user.autoscaling ? { ignoreChanges: ["node_count"] } : undefined,
      });
    }

    // The VNet is the app's own, so AKS cannot manage the subnet unless its identity may: without
    // this the first LoadBalancer Service fails. https://learn.microsoft.com/azure/aks/configure-azure-cni#prerequisites
    new RoleAssignment(this, "cluster-network-contributor", {
      scope: props.subnetId,
      roleDefinitionName: ROLE_NETWORK_CONTRIBUTOR,
      principalId: cluster.identity.principalId,
      principalType: "ServicePrincipal",
    });

    // msi_auth_for_monitoring_enabled switches the monitoring agent to a data collection rule;
    // azurerm creates none, so without this rule and its association no container log arrives
    // (hashicorp/terraform-provider-azurerm#23510).
    const rule = new MonitorDataCollectionRule(this, "container-insights", {
      name: `MSCI-${props.location}-${props.name}`.slice(0, 64),
      location: props.location,
      resourceGroupName: props.resourceGroupName,
      kind: "Linux",
      description: "Container Insights for the AKS cluster",
      destinations: { logAnalytics: [{ name: "ciworkspace", workspaceResourceId: props.logWorkspaceId }] },
      dataFlow: [{ streams: CONTAINER_INSIGHTS_STREAMS, destinations: ["ciworkspace"] }],
      dataSources: {
        extension: [{
          name: "ContainerInsightsExtension",
          extensionName: "ContainerInsights",
          streams: CONTAINER_INSIGHTS_STREAMS,
          extensionJson: JSON.stringify({ dataCollectionSettings: { interval: "1m", namespaceFilteringMode: "Off", enableContainerLogV2: true } }),
        }],
      },
      tags: props.tags,
    });
    new MonitorDataCollectionRuleAssociation(this, "container-insights-association", {
      name: "ContainerInsightsExtension",
      targetResourceId: cluster.id,
      dataCollectionRuleId: rule.id,
      description: "Sends the cluster's Container Insights data through its rule; deleting it stops container logs.",
    });

    const admin = new RoleAssignment(this, "deployer-cluster-admin", {
      scope: cluster.id,
      roleDefinitionName: ROLE_AKS_RBAC_CLUSTER_ADMIN,
      principalId: props.deployerPrincipalId,
    });
    // A stack applied right after this grant would get 403s from the API server while it
    // propagates. The sleep is replaced (and waits again) only when the grant is.
    this.deployerAccessReady = [new Sleep(this, "deployer-cluster-admin-propagation", { createDuration: wait, triggers: { admin: admin.id } })];
    if (props.privateCluster && props.runnerVnetId !== undefined) {
      // AKS names its private zone after the API server's private FQDN minus its first label
      // (<record>.<zone>): privatelink.<region>.azmk8s.io or <subzone>.privatelink.<region>.azmk8s.io.
      this.deployerAccessReady.push(new PrivateDnsZoneVirtualNetworkLink(this, "api-server-dns-link-runner", {
        name: "api-server-dns-to-runner-vnet",
        resourceGroupName: cluster.nodeResourceGroup,
        privateDnsZoneName: Fn.replace(cluster.privateFqdn, "/^[^.]*[.]/", ""),
        virtualNetworkId: props.runnerVnetId,
      }));
    }

    if (addonEnabled) {
      const addon = cluster.keyVaultSecretsProvider.secretIdentity.get(0);
      this.secretsProviderIdentity = SecretIdentity.addon(addon.objectId, addon.clientId);
    }
    this.clusterName = cluster.name;
    this.clusterId = cluster.id;
    this.oidcIssuerUrl = cluster.oidcIssuerUrl;
  }
}

function poolScaling(pool: NodePoolProps) {
  return pool.autoscaling
    ? { autoScalingEnabled: true, minCount: pool.autoscaling.minCount, maxCount: pool.autoscaling.maxCount, nodeCount: pool.nodeCount }
    : { autoScalingEnabled: false, nodeCount: pool.nodeCount };
}
