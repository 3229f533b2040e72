import { Construct } from "constructs";
import { TerraformStack } from "cdktf";
import { AzurermProvider } from "@cdktf/provider-azurerm/lib/provider";
import { AppConfig } from "../config/types";
import { SecretsStoreCsiDriver } from "../constructs/kubernetes";
import { StackState } from "../constructs/terraform";
import { connectCluster } from "./cluster-access";
import { AppStack } from "./app-stack";

export interface CsiDriverStackProps {
  /** The config as the cluster sees it; its `cluster.driver` must be the helm driver. */
  readonly config: AppConfig;
  readonly state: StackState;
  /** The cluster's platform stack: deployed first, read through remote state. */
  readonly platform: TerraformStack;
}

/**
 * A self-managed Secrets Store CSI driver (cluster.driver.type "helm"), in its own stack between
 * the platform and the workload: the workload's kubernetes_manifest resources need the
 * SecretProviderClass CRD when they are planned, and Terraform plans a whole stack before it
 * applies any of it, so the CRD must come from a stack applied earlier.
 */
export class CsiDriverStack extends AppStack {
  readonly driver: SecretsStoreCsiDriver;

  constructor(scope: Construct, id: string, props: CsiDriverStackProps) {
    super(scope, id, { state: props.state, after: [props.platform] });
    const { config } = props;
    const driver = config.cluster.driver;
    if (driver.type !== "helm") throw new Error(`CsiDriverStack ${id}: cluster.driver.type is ${JSON.stringify(driver.type)}, not "helm"`);
    // A kubeconfig connection reads nothing from Azure or the platform's state.
    const viaAks = config.cluster.connection.type === "aks";
    if (viaAks) new AzurermProvider(this, "azurerm", { features: [{}] });
    const platform = viaAks ? props.state.remoteState(this, "platform", props.platform.node.id) : undefined;
    connectCluster(this, config.cluster, (name) => platform!.getString(name));

    this.driver = new SecretsStoreCsiDriver(this, "csi", {
      driverChart: driver.driverChart,
      providerChart: driver.providerChart,
      rotationPollInterval: config.cluster.secretRotationInterval,
      syncSecret: config.workloads.some((w) => w.syncToKubernetesSecret !== undefined),
    });
  }
}
