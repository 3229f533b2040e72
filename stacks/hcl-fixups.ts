/**
 * Repairs three defects of cdktf 0.21's HCL renderer (node_modules/cdktf/lib/hcl/render.js),
 * which is no longer maintained, so `cdktf synth --hcl` output runs with plain Terraform:
 *
 * 1. renderTerraform passes the *keys* of extra terraform settings to renderSimpleAttributes,
 *    printing `0 = "required_version"` instead of `required_version = ">= 1.11"`.
 * 2. helm provider 3.x declares `kubernetes` and its `exec` as nested attributes, which HCL
 *    must write as `kubernetes = { ... }`; the renderer prints them as blocks.
 * 3. depends_on entries are quoted, which Terraform accepts only with a deprecation warning.
 */
export function repairCdktfHcl(hcl: string, terraformSettings: Record<string, unknown>): string {
  let out = hcl.replace(/^(\s*)\d+ = "([a-z_]+)"$/gm, (line, indent: string, key: string) =>
    key in terraformSettings ? `${indent}${key} = ${JSON.stringify(terraformSettings[key])}` : line);
  out = rewriteBlock(out, 'provider "helm" {', (body) => body.replace(/^(\s*)(kubernetes|exec) \{$/gm, "$1$2 = {"));
  out = out.replace(/depends_on = \[([^\]]*)\]/g, (_all, items: string) => `depends_on = [${items.replace(/"([\w.-]+)"/g, "$1")}]`);
  return out;
}

/** Applies `edit` to the body of every top-level block that starts with `header`. */
function rewriteBlock(hcl: string, header: string, edit: (body: string) => string): string {
  let result = "";
  let from = 0;
  for (;;) {
    const start = hcl.indexOf(header, from);
    if (start < 0) return result + hcl.slice(from);
    let depth = 0;
    let end = start;
    for (let i = start; i < hcl.length; i++) {
      if (hcl[i] === "{") depth++;
      if (hcl[i] === "}" && --depth === 0) {
        end = i + 1;
        break;
      }
    }
    result += hcl.slice(from, start) + edit(hcl.slice(start, end));
    from = end;
  }
}
