/**
 * Terraform's rule for the name of a resource, data source, variable, output or local: letters,
 * digits, underscores and hyphens, starting with a letter or an underscore
 * (https://developer.hashicorp.com/terraform/language/syntax/configuration#identifiers).
 * `terraform init` refuses any other name while it loads the configuration, before it looks for
 * a provider: "Invalid resource name: A name must start with a letter or underscore and may
 * contain only letters, digits, underscores, and dashes."
 */
export const TERRAFORM_NAME = {
  pattern: /^[A-Za-z_][A-Za-z0-9_-]*$/,
  allowed: "letters, digits, underscores and hyphens, starting with a letter or an underscore",
} as const;

/**
 * The Terraform name for `text` (construct ids and config names joined by `_`, `-` kept as `_`):
 * each `-` becomes one `_`, and a name that would start with a digit gets a leading `_`, the one
 * character Terraform allows there besides a letter. Config names may start with a digit (a Key
 * Vault secret "1password", a namespace "9shop"), and such a name never loaded before, so the
 * underscore moves no existing address; no other name starts with `_`, so none can meet it.
 */
export function terraformName(text: string): string {
  const name = text.replace(/-/g, "_");
  return /^[0-9]/.test(name) ? `_${name}` : name;
}
