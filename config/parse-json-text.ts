import type { JSONPath, JSONVisitor, ParseOptions } from "jsonc-parser";
import { join } from "./checker";
import { ConfigError, ConfigProblem } from "./config-error";
import { printable } from "./terminal-text";

// Deep path: the package root also loads jsonc-parser's formatter and editor, measured at
// ~25 ms more on every synth; the parser alone loads in ~8 ms.
const { visit } = require("jsonc-parser/lib/umd/impl/parser") as {
  visit(text: string, visitor: JSONVisitor, options?: ParseOptions): unknown;
};

/**
 * The deepest nesting of lists and objects accepted. The deepest real config key
 * (`workloads[].syncToKubernetesSecret.items[].key`) sits 6 levels down; the limit keeps a
 * hostile `[[[[…` from exhausting the stack of anything that walks the value later.
 */
export const MAX_NESTING = 32;

/** The parser's error codes (jsonc-parser's const enum ParseErrorCode, by number) as sentences. */
const INVALID_SYMBOL = 1;
const PROPERTY_NAME_EXPECTED = 3;
const VALUE_EXPECTED = 4;
const SYNTAX_ERRORS: Record<number, string> = {
  [INVALID_SYMBOL]: "unexpected character",
  2: "invalid number", // InvalidNumberFormat
  [PROPERTY_NAME_EXPECTED]: "expected a key in double quotes",
  [VALUE_EXPECTED]: "expected a value",
  5: "expected \":\" after the key", // ColonExpected
  6: "expected \",\" between two entries", // CommaExpected
  7: "expected \"}\" to close the object", // CloseBraceExpected
  8: "expected \"]\" to close the list", // CloseBracketExpected
  9: "expected the end of the file after the top-level value", // EndOfFileExpected
  11: "the block comment is not closed with \"*/\"", // UnexpectedEndOfComment
  12: "the string is not closed with a double quote", // UnexpectedEndOfString
  13: "the number ends too early", // UnexpectedEndOfNumber
  14: "invalid \\u escape; write four hex digits such as \\u00e9", // InvalidUnicode
  15: "invalid escape; JSON knows \\\" \\\\ \\/ \\b \\f \\n \\r \\t and \\uXXXX", // InvalidEscapeCharacter
  16: "a control character (such as a tab or line break) inside a string; write it as an escape such as \\t or \\n", // InvalidCharacter
};

/** The excerpt shows at most this many characters of the line, centred on the error. */
const EXCERPT_CHARS = 60;

/** Where a token starts, 1-based, as editors count. */
function at(line: number, column: number): string {
  return `line ${line + 1}, column ${column + 1}`;
}

function configPath(jsonPath: JSONPath): string {
  return jsonPath.reduce<string>((p, key) => join(p, key), "") || "(root)";
}

/**
 * The line holding `offset`, cut around it, and a caret under it. Both lines are printed
 * escaped, so the caret is placed under the escaped text.
 */
function excerptAt(text: string, offset: number): string[] {
  const lineStart = Math.max(text.lastIndexOf("\n", offset - 1), text.lastIndexOf("\r", offset - 1)) + 1;
  const lineEnds = [text.indexOf("\n", offset), text.indexOf("\r", offset), text.length].filter((i) => i >= 0);
  const lineEnd = Math.min(...lineEnds);
  const start = Math.max(lineStart, offset - EXCERPT_CHARS / 2);
  const end = Math.min(lineEnd, start + EXCERPT_CHARS);
  const before = `${start > lineStart ? "..." : ""}${text.slice(start, offset)}`;
  const after = `${text.slice(offset, end)}${end < lineEnd ? "..." : ""}`;
  if (`${before}${after}`.trim() === "") return [];
  return [`${before}${after}`, `${" ".repeat(printable(before).length)}^`];
}

/** A config file's parsed value, with the mistakes in its text that still left a value. */
export interface ParsedJsonText {
  readonly value: unknown;
  /** Duplicate keys and numbers too large to represent, in file order. */
  readonly problems: readonly ConfigProblem[];
  /** Config paths of the numbers too large to represent: their value is ±Infinity. */
  readonly tooLarge: readonly string[];
}

class SyntaxProblem extends Error {
  constructor(readonly problem: ConfigProblem) {
    super(problem.message);
  }
}

/**
 * Parses the text of a config file: JSON with comments (JSONC), through Microsoft's jsonc-parser,
 * the parser behind VS Code's JSON support. Stricter than JSON.parse where JSON.parse loses
 * information: a duplicate key (JSON.parse keeps the last one silently) and a number too large
 * to represent (JSON.parse turns 1e309 into Infinity) are reported with their place in the file.
 * Those two leave a usable value (the last key wins; the number stands as ±Infinity), so they are
 * returned beside it, for the field check to run too and the report to list every problem at once.
 * A syntax error or too deep nesting leaves no value, and throws a ConfigError at once.
 * Keys such as "__proto__" become plain own keys, as JSON.parse makes them.
 */
export function parseJsonText(text: string, source: string): ParsedJsonText {
  const tooLarge: string[] = [];
  const problems: ConfigProblem[] = [];
  /** Open lists and objects; an object remembers the place of each key and the key awaiting its value. */
  const open: { value: unknown[] | Record<string, unknown>; keys?: Map<string, string>; key?: string }[] = [];
  let root: unknown;
  const add = (value: unknown): void => {
    const parent = open[open.length - 1];
    if (!parent) root = value;
    else if (Array.isArray(parent.value)) parent.value.push(value);
    else Object.defineProperty(parent.value, parent.key!, { value, enumerable: true, writable: true, configurable: true });
  };
  const begin = (value: unknown[] | Record<string, unknown>, offset: number, line: number, column: number, path: JSONPath): void => {
    if (open.length >= MAX_NESTING) {
      throw new SyntaxProblem({
        path: configPath(path),
        message: `nests lists and objects deeper than ${MAX_NESTING} levels (${at(line, column)}); no config key is nested that deep`,
        excerpt: excerptAt(text, offset),
      });
    }
    open.push(Array.isArray(value) ? { value } : { value, keys: new Map() });
  };
  const end = (): void => add(open.pop()!.value);

  try {
    visit(text, {
      onObjectBegin: (offset, _length, line, column, path) => begin({}, offset, line, column, path()),
      onArrayBegin: (offset, _length, line, column, path) => begin([], offset, line, column, path()),
      onObjectEnd: end,
      onArrayEnd: end,
      onObjectProperty: (key, _offset, _length, line, column, path) => {
        const object = open[open.length - 1];
        const prior = object.keys!.get(key);
        if (prior !== undefined) {
          problems.push({
            path: configPath([...path(), key]),
            message: `is given twice, at ${prior} and at ${at(line, column)}; keep one (JSON.parse would silently keep the last)`,
          });
        } else {
          object.keys!.set(key, at(line, column));
        }
        object.key = key;
      },
      onLiteralValue: (value, offset, length, line, column, path) => {
        if (typeof value === "number" && !Number.isFinite(value)) {
          tooLarge.push(configPath(path()));
          problems.push({
            path: configPath(path()),
            message: `${text.slice(offset, offset + length)} (${at(line, column)}) is too large for a number; no config value is near that size`,
          });
        }
        add(value);
      },
      onError: (code, offset, length, line, column) => {
        if (text.trim() === "") {
          throw new SyntaxProblem({ path: "(file)", message: "is empty; a config is a JSON object such as {}" });
        }
        let message = SYNTAX_ERRORS[code] ?? `syntax error ${code}`;
        if (code === INVALID_SYMBOL) message += ` ${JSON.stringify(text.slice(offset, offset + Math.min(length, 20)))}`;
        if ((code === VALUE_EXPECTED || code === PROPERTY_NAME_EXPECTED) && text.slice(0, offset).trimEnd().endsWith(",") && "]}".includes(text[offset])) {
          message = "a comma before a closing bracket; JSON allows no trailing comma";
        }
        throw new SyntaxProblem({ path: "(file)", message: `is not valid JSON: ${at(line, column)}: ${message}`, excerpt: excerptAt(text, offset) });
      },
    }, { disallowComments: false, allowTrailingComma: false });
  } catch (e) {
    if (!(e instanceof SyntaxProblem)) throw e;
    throw new ConfigError(source, [e.problem]);
  }
  return { value: root, problems, tooLarge };
}
