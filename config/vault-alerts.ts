/**
 * Azure Monitor's rules for the vault's audit alerts, as data: which evaluation frequencies and
 * windows a log search alert takes, and the built-in roles an action group can e-mail.
 */

/**
 * Evaluation frequencies of a log search alert rule, as the config writes them, with the ISO 8601
 * form Azure takes. Source: azurerm v4.55.0
 * internal/services/monitor/monitor_scheduled_query_rules_alert_v2_resource.go (evaluation_frequency's
 * StringInSlice), which mirrors the API's allowed values. Read 2026-06.
 */
export const ALERT_FREQUENCIES = {
  "1m": "PT1M", "5m": "PT5M", "10m": "PT10M", "15m": "PT15M", "30m": "PT30M", "45m": "PT45M",
  "1h": "PT1H", "2h": "PT2H", "3h": "PT3H", "4h": "PT4H", "5h": "PT5H", "6h": "PT6H", "24h": "P1D",
} as const;

/** Windows (window_duration) of the same rule: the frequencies plus two days. Same source. */
export const ALERT_WINDOWS = { ...ALERT_FREQUENCIES, "48h": "P2D" } as const;

export type AlertFrequency = keyof typeof ALERT_FREQUENCIES;
export type AlertWindow = keyof typeof ALERT_WINDOWS;

/**
 * Built-in roles whose members an action group can e-mail (arm_role_receiver): this is how the
 * hardened default notifies someone without knowing anyone's address. Azure e-mails the users
 * assigned the role on the subscription (directly or through a group), per
 * https://learn.microsoft.com/azure/azure-monitor/alerts/action-groups#email-azure-resource-manager.
 * Role ids: https://learn.microsoft.com/azure/role-based-access-control/built-in-roles (read 2026-06).
 */
export const ALERT_EMAIL_ROLES = {
  Owner: "8e3af657-a8ff-443c-a75c-2fe8c4bcb635",
  Contributor: "b24988ac-6180-42a0-ab88-20f7382dd24c",
  "Monitoring Contributor": "749f88d5-cbae-40b8-bcfc-e573ddc772fa",
  "Monitoring Reader": "43d0d8ad-25c7-4714-9337-8ba259a9fe05",
} as const;

export type AlertEmailRole = keyof typeof ALERT_EMAIL_ROLES;

/** Seconds in a frequency or window such as "15m" or "24h". */
export function alertSeconds(value: AlertWindow): number {
  const m = /^(\d+)([mh])$/.exec(value);
  if (!m) throw new Error(`not an alert duration: ${value}`);
  return Number(m[1]) * (m[2] === "h" ? 3600 : 60);
}

/** The Terraform variable that carries a webhook receiver's URL: URLs hold tokens, so never the config. */
export function webhookVariableName(receiver: string): string {
  return `alert_webhook_${receiver.toLowerCase().replace(/-/g, "_")}`;
}
