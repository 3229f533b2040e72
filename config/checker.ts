import { ConfigProblem } from "./config-error";

type Raw = Record<string, unknown>;

/** Renders a config value for a message; long values are cut so a report stays readable. */
export function show(value: unknown): string {
  const text = value === undefined ? "nothing" : JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1].toLowerCase() === b[j - 1].toLowerCase() ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length];
}

export function nearest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(word.length / 3)) + 1;
  for (const candidate of candidates) {
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
