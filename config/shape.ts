/**
 * The parser's view of config.schema.json (generated from config/schema.ts): which keys an object
 * takes, which values an enum allows, which range a number has. Reading the generated JSON keeps
 * TypeBox out of `cdktf synth`; a test keeps the file equal to the schema definition.
 */
import schemaJson from "../config.schema.json";

interface SchemaNode {
  readonly type?: string;
  readonly properties?: Readonly<Record<string, SchemaNode>>;
  readonly items?: SchemaNode;
  readonly anyOf?: readonly SchemaNode[];
  readonly enum?: readonly string[];
  readonly minimum?: number;
  readonly maximum?: number;
  readonly default?: unknown;
}

const ROOT = schemaJson as unknown as SchemaNode;

/**
 * The schema node at a config path: dots step into properties, "[]" into list items, and a
 * union (anyOf) steps into the variant that has the property. "" is the root.
 */
function nodeAt(path: string): SchemaNode {
  let node = nodes.get(path);
  if (!node) {
    node = walk(path);
    nodes.set(path, node);
  }
  return node;
}

// The parser asks for the same few paths once per workload and object; a config with 1,000
// workloads would otherwise spend most of its parse time walking the schema.
const nodes = new Map<string, SchemaNode>();
const keyLists = new Map<string, readonly string[]>();

function walk(path: string): SchemaNode {
  let node = ROOT;
  for (const step of path.split(".").filter(Boolean)) {
    const [key, ...lists] = step.split("[]");
    node = property(node, key, path);
    for (let i = 0; i < lists.length; i++) node = objectOf(node).items ?? fail(path);
  }
  return node;
}

function fail(path: string): never {
  throw new Error(`config.schema.json has no ${JSON.stringify(path)}; run \`npm run schema\``);
}

/** The object variant of a node that may also be `false` (e.g. `userNodePool`). */
function objectOf(node: SchemaNode): SchemaNode {
  return node.anyOf?.find((v) => v.type === "object" || v.type === "array") ?? node;
}

function property(node: SchemaNode, key: string, path: string): SchemaNode {
  const variants = node.anyOf ?? [node];
  for (const variant of variants) {
    const found = variant.properties?.[key];
    if (found) return found;
  }
  return fail(path);
}

/** Every key an object at `path` may have; for a union, the keys of all its variants in order. */
export function keysAt(path: string): readonly string[] {
  let keys = keyLists.get(path);
  if (!keys) {
    const node = nodeAt(path);
    keys = [...new Set((node.anyOf ?? [node]).flatMap((v) => Object.keys(v.properties ?? {})))];
    keyLists.set(path, keys);
  }
  return keys;
}

/** The keys of each variant of the union at `path`, by the value its `type` key takes. */
export function variantKeysAt(path: string): Record<string, string[]> {
  const variants = nodeAt(path).anyOf ?? fail(path);
  return Object.fromEntries(variants.map((v) => [v.properties?.type?.enum?.[0] ?? fail(`${path}.type`), Object.keys(v.properties ?? {})]));
}

/** The values the string at `path` may take; for a union of objects, the values of its `type` key. */
export function enumAt<T extends string>(path: string): readonly T[] {
  const node = nodeAt(path);
  const values = node.enum ?? node.anyOf?.flatMap((v) => v.properties?.type?.enum ?? []);
  return (values ?? fail(path)) as readonly T[];
}

/** The inclusive bounds of the whole number at `path`. */
export function rangeAt(path: string): readonly [min: number, max: number] {
  const { minimum, maximum } = nodeAt(path);
  if (minimum === undefined || maximum === undefined) fail(path);
  return [minimum, maximum];
}

/** The schema's default for the value at `path`; profile-dependent defaults stay in the parser. */
export function defaultAt<T>(path: string): T {
  const node = nodeAt(path);
  if (!("default" in node)) fail(`${path} (default)`);
  return node.default as T;
}
