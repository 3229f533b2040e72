import { Construct } from "constructs";
import { Token } from "cdktf";
import { MonitorActionGroup } from "@cdktf/provider-azurerm/lib/monitor-action-group";
import { MonitorScheduledQueryRulesAlertV2 } from "@cdktf/provider-azurerm/lib/monitor-scheduled-query-rules-alert-v2";
import { AlertRuleConfig } from "../../config/types";
import { ALERT_EMAIL_ROLES, ALERT_FREQUENCIES, ALERT_WINDOWS, AlertEmailRole, alertSeconds } from "../../config/vault-alerts";
import { RULES } from "../../config/naming-rules";
import { DeclaredExpiry, deniedReadsQuery, expiringSecretsQuery, throttledRequestsQuery } from "./vault-audit-queries";

/** A webhook receiver: its name, and its URL as a (sensitive) Terraform expression. */
export interface WebhookReceiver {
  readonly name: string;
  readonly serviceUri: string;
}

export interface VaultAuditAlertsProps {
  /** Short name prefix of the action group and the rules, e.g. the config's namePrefix. */
  readonly namePrefix: string;
  readonly location: string;
  readonly resourceGroupName: string;
  /** The Log Analytics workspace the vault's audit log goes to: the rules' scope. */
  readonly logWorkspaceId: string;
  /** @default - no one by address */
  readonly emails?: readonly string[];
  /**
   * Built-in roles of the subscription whose members are e-mailed.
   * @default ["Owner"] - someone is told without anyone's address in the config
   */
  readonly emailRoles?: readonly AlertEmailRole[];
  /** @default - no webhook */
  readonly webhooks?: readonly WebhookReceiver[];
  readonly deniedReads: AlertRuleConfig;
  readonly throttling: AlertRuleConfig;
  readonly secretExpiry: { readonly daysBefore: number; readonly severity: number };
  /** Secrets whose expiry the config declares. */
  readonly declaredExpiries: readonly DeclaredExpiry[];
  /** @default - no tags */
  readonly tags?: Record<string, string>;
}

/**
 * One action group and three log search alert rules on the vault's audit log: denied requests
 * (403), throttled requests (429), and secrets that expire within `daysBefore` days. Every rule
 * splits by the objects and callers involved, so an alert names the secret and the identity.
 */
export class VaultAuditAlerts extends Construct {
  readonly actionGroup: MonitorActionGroup;
  readonly rules: readonly MonitorScheduledQueryRulesAlertV2[];

  constructor(scope: Construct, id: string, props: VaultAuditAlertsProps) {
    super(scope, id);
    const emails = props.emails ?? [];
    const roles = props.emailRoles ?? ["Owner"];
    const webhooks = props.webhooks ?? [];
    for (const email of emails) {
      if (!Token.isUnresolved(email) && !RULES.email.pattern.test(email)) throw new Error(`VaultAuditAlerts email ${JSON.stringify(email)} is not ${RULES.email.allowed}`);
    }
    if (emails.length + roles.length + webhooks.length === 0) throw new Error("VaultAuditAlerts needs at least one receiver: emails, emailRoles or webhooks");
    for (const [name, rule] of [["deniedReads", props.deniedReads], ["throttling", props.throttling]] as const) {
      if (alertSeconds(rule.frequency) > alertSeconds(rule.window)) {
        throw new Error(`VaultAuditAlerts ${name}: window ${rule.window} is shorter than frequency ${rule.frequency}`);
      }
    }

    this.actionGroup = new MonitorActionGroup(this, "action-group", {
      name: `ag-${props.namePrefix}-kv-audit`,
      resourceGroupName: props.resourceGroupName,
      // At most 12 characters; it is the sender named in e-mails and SMS.
      shortName: `${props.namePrefix}`.slice(0, 12),
      // The common alert schema gives every receiver the same payload (https://learn.microsoft.com/azure/azure-monitor/alerts/alerts-common-schema).
      // Empty lists are left out: cdktf's HCL output drops them, and JSON and HCL must say the same.
      emailReceiver: nonEmpty(emails.map((address, i) => ({ name: `email-${i + 1}`, emailAddress: address, useCommonAlertSchema: true }))),
      armRoleReceiver: nonEmpty(roles.map((role) => ({ name: `role-${role.toLowerCase().replace(/ /g, "-")}`, roleId: ALERT_EMAIL_ROLES[role], useCommonAlertSchema: true }))),
      webhookReceiver: nonEmpty(webhooks.map((w) => ({ name: w.name, serviceUri: w.serviceUri, useCommonAlertSchema: true }))),
      tags: props.tags,
    });

    const rule = (name: string, description: string, query: string, timing: { frequency: string; window: string; severity: number; threshold: number },
      dimensions: readonly string[]) => new MonitorScheduledQueryRulesAlertV2(this, name, {
      name: `kv-audit-${props.namePrefix}-${name}`,
      displayName: `Key Vault: ${description}`,
      description,
      location: props.location,
      resourceGroupName: props.resourceGroupName,
      scopes: [props.logWorkspaceId],
      evaluationFrequency: timing.frequency,
      windowDuration: timing.window,
      severity: timing.severity,
      criteria: [{
        query,
        timeAggregationMethod: "Count",
        operator: "GreaterThan",
        threshold: timing.threshold,
        dimension: dimensions.map((d) => ({ name: d, operator: "Include", values: ["*"] })),
        failingPeriods: { minimumFailingPeriodsToTriggerAlert: 1, numberOfEvaluationPeriods: 1 },
      }],
      // Resolves by itself once a window passes without matches.
      autoMitigationEnabled: true,
      // AZKVAuditLogs appears in a workspace with the vault's first record, minutes after the
      // diagnostic setting; Azure's check at creation would fail a first apply. The queries are
      // checked in CI with Microsoft's Kusto language service instead.
      skipQueryValidation: true,
      action: { actionGroups: [this.actionGroup.id] },
      tags: props.tags,
    });
    const timing = (r: AlertRuleConfig) => ({ frequency: ALERT_FREQUENCIES[r.frequency as keyof typeof ALERT_FREQUENCIES], window: ALERT_WINDOWS[r.window], severity: r.severity, threshold: r.threshold });
    this.rules = [
      rule("denied-reads", "requests denied (403), by secret and identity", deniedReadsQuery(), timing(props.deniedReads), ["ObjectName", "CallerAppId"]),
      rule("throttled", "requests throttled (429), by operation and identity", throttledRequestsQuery(), timing(props.throttling), ["OperationName", "CallerAppId"]),
      // Once a day: a secret's expiry moves in days, and a daily reminder is what an owner needs.
      rule("expiring-secrets", `secrets that expire within ${props.secretExpiry.daysBefore} days or have expired`,
        expiringSecretsQuery(props.declaredExpiries, props.secretExpiry.daysBefore),
        { frequency: "P1D", window: "P1D", severity: props.secretExpiry.severity, threshold: 0 }, ["ObjectName", "State"]),
    ];
  }
}

const nonEmpty = <T>(items: T[]): T[] | undefined => (items.length > 0 ? items : undefined);
