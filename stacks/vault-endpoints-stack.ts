import { Construct } from "constructs";
import { TerraformStack } from "cdktf";
import { AzurermProvider } from "@cdktf/provider-azurerm/lib/provider";
import { AppConfig, FleetClusterConfig } from "../config/types";
import { SerialVaultEndpoints } from "../constructs/azure-keyvault";
import { StackState } from "../constructs/terraform";
import { AppStack } from "./app-stack";
import { CLUSTER_ENDPOINT_OUTPUTS } from "./cluster-stack";
import { VAULT_OUTPUTS } from "./vault-stack";

export interface VaultEndpointsStackProps {
  readonly config: AppConfig;
  readonly state: StackState;
  /** The fleet's vault stack: the endpoints' target. */
  readonly vault: TerraformStack;
  /** Every cluster of the fleet with its stack, in config order: the order the endpoints are created in. */
  readonly clusters: readonly { readonly cluster: FleetClusterConfig; readonly stack: TerraformStack }[];
}

/**
 * A fleet's private endpoints into its one vault, one per cluster, each in its cluster's
 * endpoint subnet and resource group, created one at a time (SerialVaultEndpoints): Key Vault
 * rejects concurrent private endpoint connections. Created after every cluster stack, so the
 * clusters (about ten minutes of AKS each) still build side by side; each workload stack is
 * applied after this one, since its pods mount through the endpoint.
 */
export class VaultEndpointsStack extends AppStack {
  constructor(scope: Construct, id: string, props: VaultEndpointsStackProps) {
    super(scope, id, { state: props.state, after: [props.vault, ...props.clusters.map((c) => c.stack)] });
    new AzurermProvider(this, "azurerm", { features: [{}] });
    const vault = props.state.remoteState(this, "vault", props.vault.node.id);
    const endpoints = new SerialVaultEndpoints(this, "private-endpoint");
    for (const { cluster, stack } of props.clusters) {
      const state = props.state.remoteState(this, stack.node.id, stack.node.id);
      endpoints.add(cluster.name, {
        vaultId: vault.getString(VAULT_OUTPUTS.keyVaultId),
        vaultName: vault.getString(VAULT_OUTPUTS.keyVaultName),
        location: cluster.location,
        resourceGroupName: cluster.resourceGroupName,
        subnetId: state.getString(CLUSTER_ENDPOINT_OUTPUTS.endpointSubnetId),
        dnsZoneId: state.getString(CLUSTER_ENDPOINT_OUTPUTS.vaultDnsZoneId),
        tags: { ...props.config.tags },
      });
    }
  }
}
