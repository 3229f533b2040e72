/**
 * The tags a private DNS zone (and its virtual network link) keeps. The config's tags go on every
 * Azure resource, and private DNS zones are stricter than the rest
 * (constructs/azure-keyvault/vault-private-endpoint.ts creates one for the vault's private endpoint).
 *
 * Azure's rules, read 2026-12-04 from "Use tags to organize your Azure resources", Limitations
 * (https://learn.microsoft.com/azure/azure-resource-manager/management/tag-resources#limitations):
 * "Azure DNS zones don't support the use of spaces or parentheses in the tag or a tag that starts
 * with a number. Azure DNS tag names don't support special and Unicode characters", and Azure
 * Private DNS zones "only support 15 tags".
 *
 * Why refuse rather than pass them on: Azure accepts such a tag and drops it, so Terraform plans
 * to add it again on every run (hashicorp/terraform-provider-azurerm#6129 and #23417 for spaces,
 * Azure/azure-rest-api-specs#11748 for ":"). The page does not list the "special characters";
 * the rule below keeps the ones common tag names use (letters, digits, "-", "_") and refuses the
 * rest, so a name it accepts is one Azure keeps.
 */
export const DNS_ZONE_TAG = {
  pattern: /^[A-Za-z_][A-Za-z0-9_-]*$/,
  allowed: "letters, digits, '-' and '_', not starting with a digit (no spaces, parentheses, ':' or other special characters)",
  maxTags: 15,
} as const;

/** Each problem with `tags` on a private DNS zone: [tag name or undefined for the count, message]. */
export function dnsZoneTagProblems(tags: Readonly<Record<string, string>>): [name: string | undefined, message: string][] {
  const names = Object.keys(tags);
  const problems: [string | undefined, string][] = names
    .filter((name) => !DNS_ZONE_TAG.pattern.test(name))
    .map((name) => [name, `private DNS zones keep only tag names of ${DNS_ZONE_TAG.allowed}; Azure drops any other, so every plan adds it again`]);
  if (names.length > DNS_ZONE_TAG.maxTags) {
    problems.push([undefined, `has ${names.length} tags; private DNS zones keep at most ${DNS_ZONE_TAG.maxTags}`]);
  }
  return problems;
}
