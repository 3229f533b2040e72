/**
 * Repairs three defects of cdktf 0.21's HCL renderer (node_modules/cdktf/lib/hcl/render.js),
 * which is no longer maintained, so `cdktf synth --hcl` output runs with plain Terraform:
 *
 * 1. renderTerraform passes the *keys* of extra terraform settings to renderSimpleAttributes,
 *    printing `0 = "required_version"` instead of `required_version = ">= 1.11"`.
 * 2. helm provider 3.x declares `kubernetes` and its `exec` as nested attributes, which HCL
 *    must write as `kubernetes = { ... }`; the renderer prints them as blocks.
 * 3. depends_on and ignore_changes entries are quoted, which Terraform accepts only with a
 *    deprecation warning.
 * 4. Lists of objects inside a kubernetes_manifest `manifest` (e.g. a SecretProviderClass's
 *    secretObjects) come out as objects keyed "0", "1", ...; the manifest is re-rendered from
 *    the stack's JSON instead. JSON is valid HCL expression syntax, and "${...}" inside its
 *    strings stays a Terraform reference.
 * 5. `nullable = false` on variables is dropped, so a secret variable would accept null.
 * 6. lifecycle `precondition`/`postcondition` come out as list attributes (`postcondition = [{...}]`),
 *    which Terraform rejects; they must be blocks.
 */
export function repairCdktfHcl(
  hcl: string,
  stackJson: { terraform?: Record<string, unknown>; resource?: Record<string, Record<string, any>>; variable?: Record<string, any> },
): string {
  const terraformSettings = stackJson.terraform ?? {};
  let out = hcl.replace(/^(\s*)\d+ = "([a-z_]+)"$/gm, (line, indent: string, key: string) =>
    key in terraformSettings ? `${indent}${key} = ${JSON.stringify(terraformSettings[key])}` : line);
  for (const [name, resource] of Object.entries(stackJson.resource?.kubernetes_manifest ?? {})) {
    out = rewriteBlock(out, `resource "kubernetes_manifest" "${name}" {`, (body) => replaceAttribute(body, "manifest", JSON.stringify(resource.manifest, null, 2)));
  }
  for (const [name, variable] of Object.entries(stackJson.variable ?? {})) {
    if (variable.nullable !== false) continue;
    out = rewriteBlock(out, `variable "${name}" {`, (body) => (/^\s*nullable\s*=/m.test(body) ? body : body.replace("{\n", "{\n  nullable = false\n")));
  }
  out = conditionsAsBlocks(out);
  out = rewriteBlock(out, 'provider "helm" {', (body) => body.replace(/^(\s*)(kubernetes|exec) \{$/gm, "$1$2 = {"));
  out = out.replace(/(depends_on|ignore_changes) = \[((?:\s*"[\w.\-[\]]+",?)*\s*)\]/g,
    (_all, name: string, items: string) => `${name} = [${items.replace(/"([\w.\-[\]]+)"/g, "$1")}]`);
  return out;
}

/** Rewrites every `precondition = [{...}, ...]` / `postcondition = [...]` list as one block per entry. */
function conditionsAsBlocks(hcl: string): string {
  const start = /^([ \t]*)(precondition|postcondition) = \[\s*$/m;
  let out = "";
  let rest = hcl;
  for (let m = start.exec(rest); m; m = start.exec(rest)) {
    const [, indent, name] = m;
    let i = m.index + m[0].length;
    const blocks: string[] = [];
    for (;;) {
      while (/[\s,]/.test(rest[i])) i++;
      if (rest[i] !== "{") break;
      const close = matchingBrace(rest, i);
      blocks.push(`${indent}${name} ${rest.slice(i, close + 1)}`);
      i = close + 1;
    }
    if (rest[i] !== "]") throw new Error(`HCL repair: unexpected ${JSON.stringify(rest[i])} in a ${name} list`);
    out += rest.slice(0, m.index) + blocks.join("\n");
    rest = rest.slice(i + 1);
  }
  return out + rest;
}

/** Replaces the value of the first `name = { ... }` attribute in `body` with `expression`. */
function replaceAttribute(body: string, name: string, expression: string): string {
  const match = new RegExp(`^(\\s*)${name} = \\{`, "m").exec(body);
  if (!match) throw new Error(`HCL repair: no ${name} attribute found`);
  const open = match.index + match[0].length - 1;
  const close = matchingBrace(body, open);
  return body.slice(0, open) + expression + body.slice(close + 1);
}

/** Index of the brace that closes the one at `open`, skipping braces inside strings and heredocs. */
function matchingBrace(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"') {
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === "\\") i++;
    } else if (ch === "<" && text.startsWith("<<", i)) {
      const tag = /^<<-?([A-Za-z_]+)\n/.exec(text.slice(i));
      if (tag) i = text.indexOf(`\n${tag[1]}`, i + tag[0].length) + tag[1].length;
    } else if (ch === "{") {
      depth++;
    } else if (ch === "}" && --depth === 0) {
      return i;
    }
  }
  throw new Error("HCL repair: unbalanced braces");
}

/** Applies `edit` to the body of every top-level block that starts with `header`. */
function rewriteBlock(hcl: string, header: string, edit: (body: string) => string): string {
  let result = "";
  let from = 0;
  for (;;) {
    const start = hcl.indexOf(header, from);
    if (start < 0) return result + hcl.slice(from);
    const end = matchingBrace(hcl, start + header.length - 1) + 1;
    result += hcl.slice(from, start) + edit(hcl.slice(start, end));
    from = end;
  }
}
