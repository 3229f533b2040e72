import { ConfigProblem } from "./config-error";

type Raw = Record<string, unknown>;

const SHOW_MAX = 60;

/**
 * Renders a config value for a message as JSON, cut to 60 characters so a report stays readable.
 * It stops writing once past the limit, so a huge or deeply nested value costs no more than a
 * short one: each level writes at least one character, which bounds the recursion.
 */
export function show(value: unknown): string {
  if (value === undefined) return "nothing";
  const out = { text: "" };
  render(value, out);
  return out.text.length > SHOW_MAX ? `${out.text.slice(0, SHOW_MAX - 3)}...` : out.text;
}

/** Appends JSON.stringify's rendering of `value` to `out.text`, stopping past SHOW_MAX. */
function render(value: unknown, out: { text: string }): void {
  const room = SHOW_MAX + 1 - out.text.length;
  if (room <= 0) return;
  if (typeof value === "string") {
    out.text += JSON.stringify(value.slice(0, room));
  } else if (typeof value === "number") {
    // JSON.stringify would print a non-finite number as null, hiding what went wrong.
    out.text += String(value);
  } else if (Array.isArray(value)) {
    out.text += "[";
    for (let i = 0; i < value.length && out.text.length <= SHOW_MAX; i++) {
      if (i > 0) out.text += ",";
      render(isRenderable(value[i]) ? value[i] : null, out);
    }
    out.text += "]";
  } else if (typeof value === "object" && value !== null) {
    out.text += "{";
    let first = true;
    for (const key in value) {
      if (out.text.length > SHOW_MAX) break;
      const item = (value as Raw)[key];
      if (!Object.prototype.hasOwnProperty.call(value, key) || !isRenderable(item)) continue;
      out.text += `${first ? "" : ","}${JSON.stringify(key.slice(0, room))}:`;
      first = false;
      render(item, out);
    }
    out.text += "}";
  } else {
    out.text += String(value);
  }
}

/** What JSON.stringify leaves out of objects (and writes as null in lists). */
function isRenderable(value: unknown): boolean {
  return value !== undefined && typeof value !== "function" && typeof value !== "symbol";
}

/** Case-insensitive Levenshtein distance; lower-cased once, not per compared character (a third faster on 60,000 unknown keys). */
function editDistance(a: string, b: string): number {
  a = a.toLowerCase();
  b = b.toLowerCase();
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length];
}

export function nearest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(word.length / 3)) + 1;
  for (const candidate of candidates) {
    // The length difference is a lower bound of the distance; skipping on it keeps a
    // megabyte-long unknown key from costing megabytes of comparisons per candidate.
    if (Math.abs(word.length - candidate.length) >= bestDistance) continue;
    const distance = editDistance(word, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

function list(values: readonly string[]): string {
  const quoted = values.map((v) => JSON.stringify(v));
  return quoted.length <= 1 ? quoted.join("") : `${quoted.slice(0, -1).join(", ")} or ${quoted[quoted.length - 1]}`;
}

/**
 * Reads raw JSON and collects every problem instead of stopping at the first. Each reader
 * returns a value of the right type (or undefined) so parsing can go on past a bad field.
 */
export class Checker {
  readonly problems: ConfigProblem[] = [];

  report(path: string, message: string): void {
    this.problems.push({ path, message });
  }

  /**
   * A checker that reports under `prefix`, into this one's problems: a fleet reads each
   * `clusters[i]` with the same readers as the single cluster's top-level keys.
   */
  within(prefix: string): Checker {
    const parent = this;
    return new (class extends Checker {
      report(path: string, message: string): void {
        parent.report(path ? `${prefix}.${path}` : prefix, message);
      }
    })();
  }

  /** An object with only the allowed keys; unknown keys are reported with the nearest known one. */
  object(path: string, value: unknown, allowedKeys: readonly string[]): Raw | undefined {
    if (value === undefined) return {};
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      this.report(path || "(root)", `must be an object, got ${show(value)}`);
      return undefined;
    }
    for (const key of Object.keys(value)) {
      if (allowedKeys.includes(key)) continue;
      const guess = nearest(key, allowedKeys);
      this.report(
        join(path, key),
        `unknown key${guess ? `; did you mean ${JSON.stringify(guess)}?` : "."} Allowed keys: ${allowedKeys.join(", ")}`,
      );
    }
    return value as Raw;
  }

  array(path: string, value: unknown): unknown[] {
    if (value === undefined) return [];
    if (!Array.isArray(value)) {
      this.report(path, `must be a list, got ${show(value)}`);
      return [];
    }
    return value;
  }

  string(path: string, value: unknown, rule?: { pattern: RegExp; allowed: string }): string | undefined {
    if (value === undefined) return undefined;
    if (typeof value !== "string") {
      this.report(path, `must be a string, got ${show(value)}`);
      return undefined;
    }
    if (rule && !rule.pattern.test(value)) {
      this.report(path, `${show(value)} is not allowed; must be ${rule.allowed}`);
      return undefined;
    }
    return value;
  }

  /** Like string, and a missing value is reported too. */
  requiredString(path: string, value: unknown, rule: { pattern: RegExp; allowed: string }): string | undefined {
    if (value === undefined) {
      this.report(path, `is required; must be ${rule.allowed}`);
      return undefined;
    }
    return this.string(path, value, rule);
  }

  oneOf<T extends string>(path: string, value: unknown, allowed: readonly T[]): T | undefined {
    if (value === undefined) return undefined;
    if (typeof value === "string" && (allowed as readonly string[]).includes(value)) return value as T;
    const guess = typeof value === "string" ? nearest(value, allowed) : undefined;
    this.report(path, `${show(value)} is not allowed; must be ${list(allowed)}${guess ? ` (did you mean ${JSON.stringify(guess)}?)` : ""}`);
    return undefined;
  }

  boolean(path: string, value: unknown): boolean | undefined {
    if (value === undefined || typeof value === "boolean") return value;
    this.report(path, `must be true or false, got ${show(value)}`);
    return undefined;
  }

  integer(path: string, value: unknown, min: number, max: number): number | undefined {
    if (value === undefined) return undefined;
    if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
      this.report(path, `must be a whole number from ${min} to ${max}, got ${show(value)}`);
      return undefined;
    }
    return value;
  }

  stringList(path: string, value: unknown, rule?: { pattern: RegExp; allowed: string }): string[] {
    return this.array(path, value)
      .map((item, i) => this.string(`${path}[${i}]`, item, rule) ?? (item === undefined ? undefined : null))
      .filter((item): item is string => typeof item === "string");
  }

  stringMap(path: string, value: unknown): Record<string, string> {
    if (value === undefined) return {};
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      this.report(path, `must be an object of strings, got ${show(value)}`);
      return {};
    }
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(value)) {
      // `out["__proto__"] = v` would set the prototype instead of a key (and cdktf's own copies
      // do the same), so such a tag would vanish silently; "constructor" and the like are plain keys.
      if (k === "__proto__") {
        this.report(join(path, k), "cannot be used as a key: JavaScript and CDKTF treat \"__proto__\" as an object's prototype " +
          "and would drop it without a word; choose another name");
        continue;
      }
      const s = this.string(join(path, k), v);
      if (s !== undefined) out[k] = s;
    }
    return out;
  }
}

export function join(path: string, key: string | number): string {
  if (typeof key === "number") return `${path}[${key}]`;
  return path ? `${path}.${key}` : key;
}
