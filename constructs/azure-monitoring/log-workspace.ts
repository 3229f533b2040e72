import { Construct } from "constructs";
import { LogAnalyticsWorkspace } from "@cdktf/provider-azurerm/lib/log-analytics-workspace";

export interface LogWorkspaceProps {
  readonly name: string;
  readonly location: string;
  readonly resourceGroupName: string;
  /**
   * How long audit and container logs are kept.
   * @default 90 - days
   */
  readonly retentionInDays?: number;
  /** @default - no tags */
  readonly tags?: Record<string, string>;
}

/** The Log Analytics workspace that receives the vault's AuditEvent logs and the cluster's monitoring. */
export class LogWorkspace extends Construct {
  readonly id: string;

  constructor(scope: Construct, id: string, props: LogWorkspaceProps) {
    super(scope, id);
    const retention = props.retentionInDays ?? 90;
    if (!Number.isInteger(retention) || retention < 30 || retention > 730) {
      throw new Error(`LogWorkspace retentionInDays must be 30-730, got ${retention}`);
    }
    const workspace = new LogAnalyticsWorkspace(this, "workspace", {
      name: props.name,
      location: props.location,
      resourceGroupName: props.resourceGroupName,
      sku: "PerGB2018",
      retentionInDays: retention,
      tags: props.tags,
    });
    this.id = workspace.id;
  }
}
