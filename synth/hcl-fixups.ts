/**
 * Repairs five defects of cdktf 0.21's HCL renderer (node_modules/cdktf/lib/hcl/render.js),
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
 *    the stack's JSON instead (hclExpression), and "${...}" inside its strings stays a
 *    Terraform reference.
 * 5. `nullable = false` on variables is dropped, so a secret variable would accept null.
 * 6. lifecycle `precondition`/`postcondition` come out as list attributes (`postcondition = [{...}]`),
 *    which Terraform rejects; they must be blocks.
 *
 * The result is then laid out by formatHcl, because the renderer's own output is not
 * `terraform fmt`-clean (the cdktf CLI used to run `terraform fmt` over it; a synth without
 * the CLI gets no such pass).
 */
export function repairCdktfHcl(
  hcl: string,
  stackJson: { terraform?: Record<string, unknown>; resource?: Record<string, Record<string, any>>; variable?: Record<string, any> },
): string {
  const terraformSettings = stackJson.terraform ?? {};
  let out = hcl.replace(/^(\s*)\d+ = "([a-z_]+)"$/gm, (line, indent: string, key: string) =>
    key in terraformSettings ? `${indent}${key} = ${JSON.stringify(terraformSettings[key])}` : line);
  for (const [name, resource] of Object.entries(stackJson.resource?.kubernetes_manifest ?? {})) {
    out = rewriteBlock(out, `resource "kubernetes_manifest" "${name}" {`, (body) => replaceAttribute(body, "manifest", hclExpression(resource.manifest)));
  }
  for (const [name, variable] of Object.entries(stackJson.variable ?? {})) {
    if (variable.nullable !== false) continue;
    out = rewriteBlock(out, `variable "${name}" {`, (body) => (/^\s*nullable\s*=/m.test(body) ? body : body.replace("{\n", "{\n  nullable = false\n")));
  }
  out = conditionsAsBlocks(out);
  out = rewriteBlock(out, 'provider "helm" {', (body) => body.replace(/^(\s*)(kubernetes|exec) \{$/gm, "$1$2 = {"));
  out = out.replace(/(depends_on|ignore_changes) = \[((?:\s*"[\w.\-[\]]+",?)*\s*)\]/g,
    (_all, name: string, items: string) => `${name} = [${items.replace(/"([\w.\-[\]]+)"/g, "$1")}]`);
  return formatHcl(out);
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

/**
 * Writes `value` (plain JSON data, as in a stack's cdk.tf.json) as an HCL expression, one
 * attribute or item per line; formatHcl indents it. Object keys that are identifiers stay bare,
 * as hand-written HCL has them. Strings keep their "${...}" templates, which mean the same in
 * HCL as in Terraform's JSON syntax.
 */
export function hclExpression(value: unknown): string {
  if (Array.isArray(value)) {
    return value.length === 0 ? "[]" : `[\n${value.map((item) => `${hclExpression(item)},`).join("\n")}\n]`;
  }
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value);
    if (entries.length === 0) return "{}";
    const key = (k: string) => (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(k) ? k : JSON.stringify(k));
    return `{\n${entries.map(([k, v]) => `${key(k)} = ${hclExpression(v)}`).join("\n")}\n}`;
  }
  return JSON.stringify(value);
}

/**
 * Lays out HCL the way `terraform fmt` does, so the output passes `terraform fmt -check`
 * (https://developer.hashicorp.com/terraform/cli/commands/fmt), and reads like hand-written code:
 * - two spaces per nesting level;
 * - `=` aligned over consecutive one-line attributes, as hclwrite's formatter aligns them
 *   (github.com/hashicorp/hcl, hclwrite/format.go: a line that opens a multi-line value ends
 *   the run);
 * - interpolation-only strings written as the bare expression (`"${var.x}"` → `var.x`), which
 *   Terraform has deprecated since 0.12; a template that is only one interpolation yields that
 *   value unchanged, so the meaning is the same;
 * - empty blocks, objects and lists on one line (`features {}`, `[]`), with no blank lines;
 * - a short list of plain items on one line (`address_space = ["10.40.0.0/16"]`);
 * - exactly one blank line between top-level blocks and none inside them.
 * Heredoc bodies are left as they are.
 */
export function formatHcl(hcl: string): string {
  const lines: Line[] = [];
  let heredocEnd: string | undefined;
  for (const raw of hcl.split("\n")) {
    if (heredocEnd !== undefined) {
      lines.push({ text: raw, raw: true, net: 0, closers: 0 });
      if (raw.trim() === heredocEnd) heredocEnd = undefined;
      continue;
    }
    const text = unwrapInterpolationOnly(raw.trim());
    if (text === "") continue;
    const { net, closers, heredoc } = scanBrackets(text);
    lines.push({ text, raw: false, net, closers });
    heredocEnd = heredoc;
  }
  const merged = joinShortLists(joinEmptyBrackets(lines));
  const out: string[] = [];
  let depth = 0;
  for (const line of merged) {
    if (line.raw) {
      out.push(line.text);
      continue;
    }
    if (depth === 0 && out.length > 0 && line.closers === 0) out.push("");
    out.push("  ".repeat(Math.max(0, depth - line.closers)) + line.text);
    depth += line.net;
  }
  return `${alignAssignments(out).join("\n")}\n`;
}

interface Line {
  readonly text: string;
  /** A heredoc body line, written as it is. */
  readonly raw: boolean;
  /** Brackets opened minus brackets closed. */
  readonly net: number;
  /** Closing brackets before anything else on the line. */
  readonly closers: number;
}

/** `x {` or `x = [` followed directly by its closing line becomes `x {}` or `x = []`. */
function joinEmptyBrackets(lines: readonly Line[]): Line[] {
  const out: Line[] = [];
  for (const line of lines) {
    const previous = out[out.length - 1];
    const closesPrevious = /^[}\]],?$/.test(line.text) && previous && !previous.raw && previous.net === 1 && /[{[]$/.test(previous.text);
    if (closesPrevious) {
      out[out.length - 1] = { ...previous, text: previous.text + line.text, net: 0 };
    } else {
      out.push(line);
    }
  }
  return out;
}

/** Longest one-line list joinShortLists writes, not counting indentation. */
const SHORT_LIST = 80;

/**
 * A multi-line list whose items are one-line values without nested lists or objects becomes one
 * line when it fits in SHORT_LIST characters: `x = [\n"a",\n"b"\n]` → `x = ["a", "b"]`.
 */
function joinShortLists(lines: readonly Line[]): Line[] {
  const out: Line[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (!line.raw && line.net === 1 && line.text.endsWith("[")) {
      const items: string[] = [];
      let j = i + 1;
      for (; j < lines.length && isPlainItem(lines[j]); j++) items.push(lines[j].text.replace(/,$/, ""));
      const close = lines[j];
      const text = `${line.text}${items.join(", ")}]`;
      if (items.length > 0 && close && !close.raw && close.text === "]" && text.length <= SHORT_LIST) {
        out.push({ ...line, text, net: 0 });
        i = j;
        continue;
      }
    }
    out.push(line);
  }
  return out;
}

function isPlainItem(line: Line): boolean {
  return !line.raw && line.net === 0 && line.closers === 0 && !/^[{[]/.test(line.text) && !line.text.startsWith("<<");
}

/**
 * Bracket balance of one line, skipping string literals and the expressions inside their
 * templates; also the closing tag when the line opens a heredoc.
 */
function scanBrackets(text: string): { net: number; closers: number; heredoc?: string } {
  let net = 0;
  let closers = 0;
  let seenOther = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"') {
      i = endOfString(text, i);
      seenOther = true;
    } else if (ch === "<" && text.startsWith("<<", i)) {
      const tag = /^<<-?([A-Za-z_][A-Za-z0-9_]*)$/.exec(text.slice(i));
      if (tag) return { net, closers, heredoc: tag[1] };
    } else if ("{[(".includes(ch)) {
      net++;
      seenOther = true;
    } else if ("}])".includes(ch)) {
      net--;
      if (!seenOther) closers++;
    } else if (ch !== " " && ch !== ",") {
      seenOther = true;
    }
  }
  return { net, closers };
}

/** Index of the quote that closes the string literal opening at `open`, templates included. */
function endOfString(text: string, open: number): number {
  for (let i = open + 1; i < text.length; i++) {
    const ch = text[i];
    if (ch === "\\") {
      i++;
    } else if (ch === '"') {
      return i;
    } else if ((ch === "$" || ch === "%") && text[i + 1] === "{") {
      if (text[i - 1] === ch) continue; // $${ and %%{ are literal text
      i = endOfTemplateExpression(text, i + 1);
    }
  }
  throw new Error(`HCL format: unterminated string in ${JSON.stringify(text)}`);
}

/** Index of the `}` that closes the template expression whose `{` is at `open`. */
function endOfTemplateExpression(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"') i = endOfString(text, i);
    else if (ch === "{") depth++;
    else if (ch === "}" && --depth === 0) return i;
  }
  throw new Error(`HCL format: unterminated template in ${JSON.stringify(text)}`);
}

/** Rewrites every string literal on the line that is a single `${...}` as its bare expression. */
export function unwrapInterpolationOnly(text: string): string {
  let out = "";
  for (let i = 0; i < text.length; i++) {
    if (text[i] !== '"') {
      out += text[i];
      continue;
    }
    const close = endOfString(text, i);
    const literal = text.slice(i, close + 1);
    const onlyInterpolation = literal.startsWith('"${') && endOfTemplateExpression(text, i + 2) === close - 1;
    out += onlyInterpolation ? literal.slice(3, -2).trim() : literal;
    i = close;
  }
  return out;
}

/**
 * Pads the names of consecutive `name = value` lines so their `=` line up, as hclwrite does:
 * a line takes part only if its value closes on the same line.
 */
function alignAssignments(lines: readonly string[]): string[] {
  const out = [...lines];
  let run: { index: number; name: string; value: string }[] = [];
  const flush = () => {
    const width = Math.max(...run.map((r) => r.name.length));
    for (const r of run) out[r.index] = `${r.name.padEnd(width)} = ${r.value}`;
    run = [];
  };
  lines.forEach((line, index) => {
    const assignment = assignmentOf(line);
    if (assignment) run.push({ index, ...assignment });
    else if (run.length > 0) flush();
  });
  if (run.length > 0) flush();
  return out;
}

function assignmentOf(line: string): { name: string; value: string } | undefined {
  const match = /^(\s*(?:[A-Za-z_][\w-]*|"(?:[^"\\]|\\.)*")) *= *(?![=>])(.*)$/.exec(line);
  if (!match || match[2].startsWith("<<")) return undefined;
  const value = match[2];
  return scanBrackets(value).net === 0 ? { name: match[1], value } : undefined;
}
