import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { show } from "../config/checker";
import { ConfigError, MAX_LISTED_PROBLEMS } from "../config/config-error";
import { DEFAULT_CONFIG } from "../config/default-config";
import { loadConfig } from "../config/load-config";
import { parseConfig } from "../config/parse-config";
import { MAX_NESTING, parseJsonText } from "../config/parse-json-text";
import { MAX_CONFIG_BYTES, readConfigFile } from "../config/read-config-file";
import { UserError, exitOnUserError } from "../config/user-error";
import { resourcesOf, synthApp } from "./helpers/synth";
import { tempDir } from "./helpers/temp";

const ROOT = path.resolve(__dirname, "..");
/** What no report may contain: C0 (but the newlines between lines), DEL, C1, line separators, bidi controls. */
const TERMINAL_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

/** A file that claims size 0 yet holds more than the cap: the kernel's symbol table, where it can be read. */
const ZERO_SIZED = "/proc/kallsyms";
const ZERO_SIZED_OVER_CAP = fs.existsSync(ZERO_SIZED) && fs.statSync(ZERO_SIZED).size === 0 &&
  spawnSync("head", ["-c", String(MAX_CONFIG_BYTES + 1), ZERO_SIZED]).stdout?.length > MAX_CONFIG_BYTES;


/** Writes `content` to a fresh file and returns its absolute path. */
function configFile(content: string | Buffer, name = "config.json"): string {
  const file = path.join(tempDir("config-file-"), name);
  fs.writeFileSync(file, content);
  return file;
}

function errorOf(run: () => unknown): ConfigError {
  let caught: unknown;
  try {
    run();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(ConfigError);
  return caught as ConfigError;
}

const loadFile = (file: string) => errorOf(() => loadConfig({ CONFIG: file }, ROOT));
const defaultJson = (): Record<string, any> => JSON.parse(JSON.stringify(DEFAULT_CONFIG));

describe("reading the file CONFIG names", () => {
  test("fails when the path does not exist, with a sentence naming the resolved path", () => {
    const dir = tempDir("config-file-");
    const err = errorOf(() => loadConfig({ CONFIG: "envs/missing.json" }, dir));
    expect(err.problems).toEqual([
      { path: "CONFIG", message: `cannot use ${JSON.stringify(path.join(dir, "envs/missing.json"))}: there is no file at this path` },
    ]);
    expect(err.message).not.toMatch(/ENOENT/);
  });

  test("fails when a part of the path is a file, not a folder", () => {
    const file = configFile("{}");
    expect(loadFile(path.join(file, "x.json")).problems[0].message).toMatch(/: a part of this path is a file, not a folder$/);
  });

  test("fails when the path is a folder, naming it and what CONFIG must be", () => {
    const dir = tempDir("config-file-");
    const err = loadFile(dir);
    expect(err.problems).toEqual([
      { path: "CONFIG", message: `cannot use ${JSON.stringify(dir)}: this is a folder; CONFIG must name a JSON file such as envs/example.json` },
    ]);
    expect(err.message).not.toMatch(/EISDIR/);
  });

  (process.platform === "win32" ? test.skip : test)("fails at once when the path is a FIFO without a writer (does not wait for one)", () => {
    const fifo = path.join(tempDir("config-file-"), "pipe.json");
    execFileSync("mkfifo", [fifo]);
    expect(loadFile(fifo).problems[0].message).toBe(`cannot use ${JSON.stringify(fifo)}: this is a named pipe (FIFO); CONFIG must name a JSON file such as envs/example.json`);
  });

  (fs.existsSync("/dev/zero") ? test : test.skip)("fails when the path is /dev/zero, directly or through a symbolic link", () => {
    const link = path.join(tempDir("config-file-"), "zero.json");
    fs.symlinkSync("/dev/zero", link);
    for (const file of ["/dev/zero", link]) {
      expect(loadFile(file).problems[0].message).toBe(`cannot use ${JSON.stringify(file)}: this is a device; CONFIG must name a JSON file such as envs/example.json`);
    }
  });

  test("fails when the file is larger than the cap, from its size alone", () => {
    const file = path.join(tempDir("config-file-"), "huge.json");
    // Sparse: 50 MB of size without 50 MB of disk.
    fs.writeFileSync(file, "");
    fs.truncateSync(file, 50 * 1024 * 1024);
    expect(loadFile(file).problems).toEqual([
      { path: "CONFIG", message: `cannot use ${JSON.stringify(file)}: the file is 52428800 bytes; a config file is at most 1048576 bytes (1 MiB)` },
    ]);
  });

  test("reads a file of exactly the cap and refuses one byte more", () => {
    const atCap = configFile(`{}${" ".repeat(MAX_CONFIG_BYTES - 2)}`);
    expect(readConfigFile(atCap, "t")).toHaveLength(MAX_CONFIG_BYTES);
    const over = configFile(`{}${" ".repeat(MAX_CONFIG_BYTES - 1)}`);
    expect(() => readConfigFile(over, "t")).toThrow(`the file is ${MAX_CONFIG_BYTES + 1} bytes; a config file is at most`);
  });

  (ZERO_SIZED_OVER_CAP ? test : test.skip)("stops reading past the cap when a file claims size 0 (as /proc files do)", () => {
    expect(() => readConfigFile(ZERO_SIZED, "t")).toThrow(`the file is larger than ${MAX_CONFIG_BYTES} bytes`);
  });

  test("fails when the file is not UTF-8, for example UTF-16", () => {
    const file = configFile(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from("{}", "utf16le")]));
    expect(loadFile(file).problems[0].message).toBe(
      `cannot use ${JSON.stringify(file)}: the file is not UTF-8 text (JSON files must be UTF-8, RFC 8259 section 8.1); save it as UTF-8`,
    );
  });

  test("accepts a UTF-8 byte-order mark", () => {
    const file = configFile(`\ufeff${JSON.stringify({ ...defaultJson(), namePrefix: "bom" })}`);
    expect(loadConfig({ CONFIG: file }, ROOT).namePrefix).toBe("bom");
  });

  test("resolves a relative CONFIG from the caller's folder (npm's INIT_CWD), else from the current folder", () => {
    const callers = tempDir("config-file-");
    const project = tempDir("config-file-");
    fs.writeFileSync(path.join(callers, "mine.json"), JSON.stringify({ ...defaultJson(), namePrefix: "caller" }));
    fs.writeFileSync(path.join(project, "mine.json"), JSON.stringify({ ...defaultJson(), namePrefix: "project" }));
    expect(loadConfig({ CONFIG: "mine.json", INIT_CWD: callers }, project).namePrefix).toBe("caller");
    expect(loadConfig({ CONFIG: "mine.json" }, project).namePrefix).toBe("project");
  });

  (fs.existsSync("/dev/zero") ? test : test.skip)("the app refuses /dev/zero in one line, exit code 1 and no stack trace", () => {
    const result = spawnSync(process.execPath, ["-r", "./scripts/ts-register.js", "scripts/check-config.ts"], {
      cwd: ROOT, env: { ...process.env, CONFIG: "/dev/zero", INIT_CWD: "" }, encoding: "utf8", timeout: 20_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toBe("Invalid config (/dev/zero): 1 problem\n" +
      "  - CONFIG: cannot use \"/dev/zero\": this is a device; CONFIG must name a JSON file such as envs/example.json\n");
  });
});

describe("parsing the JSON text", () => {
  test("accepts exactly what JSON.parse accepts, with the same value, on 5,000 generated comment-free texts", () => {
    let seed = 42;
    const random = (n: number) => Math.floor((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31 * n);
    const pick = <T>(items: readonly T[]): T => items[random(items.length)];
    // Random JSON values, each then broken (or not) by one edit, so most texts are near-misses.
    // Keys are distinct and no edit writes a letter of a key or a "/", so duplicates and comments never arise.
    const value = (depth: number): string => {
      const kind = random(depth > 2 ? 3 : 5);
      if (kind === 0) return pick(["0", "-0", "-1", "1.5", "1e5", "1E+2", "-1.5e-3", "12345"]);
      if (kind === 1) return pick(['""', '"x"', '"\\u0041"', '"\\n"', '"\u00e9"', '"\u2028"']);
      if (kind === 2) return pick(["true", "false", "null"]);
      const items = Array.from({ length: random(4) }, (_, i) => (kind === 3 ? value(depth + 1) : `"k${"abc"[i]}": ${value(depth + 1)}`));
      return kind === 3 ? `[${items.join(",")}]` : `{${items.join(", ")}}`;
    };
    const edit = (text: string): string => {
      const at = random(text.length + 1);
      const char = pick([",", "]", "}", "[", "{", ":", '"', "0", "-", "+", ".", "e", " ", "\t", "\n", "\u000b", "\u00a0", "'", "\\", "x", "\ufeff"]);
      return [text, text.slice(0, at) + char + text.slice(at), text.slice(0, at) + text.slice(at + 1), text.slice(0, at) + char + text.slice(at + 1)][random(4)];
    };
    const verdict = (parse: () => unknown) => {
      try {
        return JSON.stringify(parse());
      } catch (e) {
        if (e instanceof SyntaxError || e instanceof ConfigError) return "refused";
        throw e;
      }
    };
    const disagreements: string[] = [];
    let accepted = 0;
    for (let n = 0; n < 5_000; n++) {
      const text = edit(value(0));
      const expected = verdict(() => JSON.parse(text));
      if (expected !== "refused") accepted++;
      if (verdict(() => parseJsonText(text, "t").value) !== expected) disagreements.push(text);
    }
    expect(disagreements).toEqual([]);
    expect(accepted).toBeGreaterThan(1_000);
    expect(accepted).toBeLessThan(4_500);
  });

  test("fails on a syntax error with line, column, the line and a caret under the spot", () => {
    const file = configFile('{\n  "namePrefix": "demo"\n  "location": "westeurope"\n}\n');
    expect(loadFile(file).problems).toEqual([{
      path: "(file)",
      message: "is not valid JSON: line 3, column 3: expected \",\" between two entries",
      excerpt: ['  "location": "westeurope"', "  ^"],
    }]);
    expect(loadFile(file).message).toBe(
      `Invalid config (${file}): 1 problem\n` +
        "  - (file): is not valid JSON: line 3, column 3: expected \",\" between two entries\n" +
        "        \"location\": \"westeurope\"\n" +
        "        ^",
    );
  });

  test("cuts a long line around the error and keeps the caret under it", () => {
    const entries = (from: number) => Array.from({ length: 20 }, (_, i) => `"k${from + i}": "v"`).join(", ");
    const long = `{"tags": {${entries(0)} "x": "1", ${entries(20)}}}`;
    const [problem] = loadFile(configFile(long)).problems;
    const column = long.indexOf(' "x"') + 1;
    expect(problem.message).toBe(`is not valid JSON: line 1, column ${column + 1}: expected "," between two entries`);
    const [text, caret] = problem.excerpt!;
    expect(text.startsWith("...") && text.endsWith("...")).toBe(true);
    expect(text.length).toBeLessThanOrEqual(66);
    expect(text.slice(caret.indexOf("^"))).toMatch(/^"x": "1"/);
  });

  test("fails on a trailing comma with a sentence saying so", () => {
    const [problem] = loadFile(configFile('{"tags": {"a": "b",}}')).problems;
    expect(problem.message).toBe("is not valid JSON: line 1, column 20: a comma before a closing bracket; JSON allows no trailing comma");
  });

  test("fails on an empty file with a sentence", () => {
    expect(loadFile(configFile("  \n")).problems).toEqual([{ path: "(file)", message: "is empty; a config is a JSON object such as {}" }]);
  });

  test("accepts line and block comments (JSONC) and reads the same config as without them", () => {
    const plain = { ...defaultJson(), namePrefix: "withcomments" };
    const commented = JSON.stringify(plain, null, 2)
      .replace('"namePrefix"', '// why this prefix: the team\'s short name\n  "namePrefix"')
      .replace('"tags"', '/* applied to every\n     Azure resource */ "tags"');
    expect(commented).toContain("//");
    const { source: _a, ...fromComments } = loadConfig({ CONFIG: configFile(commented) }, ROOT);
    const { source: _b, ...fromPlain } = loadConfig({ CONFIG: configFile(JSON.stringify(plain)) }, ROOT);
    expect(fromComments).toEqual(fromPlain);
  });

  test("fails on an unclosed block comment", () => {
    expect(loadFile(configFile('{"namePrefix": "x"} /* open')).problems[0].message)
      .toBe("is not valid JSON: line 1, column 21: the block comment is not closed with \"*/\"");
  });

  test("fails on duplicate keys, naming both places, at any depth", () => {
    const file = configFile('{\n  "keyVault": {"sku": "standard",\n    "sku": "premium"},\n  "namePrefix": "aa", "namePrefix": "bb"\n}');
    expect(loadFile(file).problems).toEqual([
      { path: "keyVault.sku", message: "is given twice, at line 2, column 16 and at line 3, column 5; keep one (JSON.parse would silently keep the last)" },
      { path: "namePrefix", message: "is given twice, at line 4, column 3 and at line 4, column 23; keep one (JSON.parse would silently keep the last)" },
    ]);
  });

  test("the same key in two different objects is not a duplicate", () => {
    const raw = defaultJson();
    raw.keyVault.secrets.push({ name: "third", expirationDate: "2027-12-31T00:00:00Z" });
    expect(loadConfig({ CONFIG: configFile(JSON.stringify(raw)) }, ROOT).keyVault.secrets).toHaveLength(3);
  });

  test("fails on a number too large to represent, quoting it as written (not null or Infinity), once per number", () => {
    const text = '{"keyVault": {"softDeleteRetentionDays": 1e309}, "workloads": [{"replicas": -2E400}]}';
    const column = (literal: string) => text.indexOf(literal) + 1;
    const paths = ["keyVault.softDeleteRetentionDays", "workloads[0].replicas"];
    expect(loadFile(configFile(text)).problems.filter((p) => paths.includes(p.path))).toEqual([
      { path: "keyVault.softDeleteRetentionDays", message: `1e309 (line 1, column ${column("1e309")}) is too large for a number; no config value is near that size` },
      { path: "workloads[0].replicas", message: `-2E400 (line 1, column ${column("-2E400")}) is too large for a number; no config value is near that size` },
    ]);
  });

  test("fails with one report that lists duplicate keys and huge numbers beside every field problem", () => {
    const raw = defaultJson();
    raw.location = "westeuropa";
    raw.network = { vnetAddressSpace: "10.40.0.0/33" };
    const text = JSON.stringify(raw, null, 2)
      .replace('"namePrefix": "kvcsi",', '"namePrefix": "kvcsi",\n  "namePrefix": "kvcsi",')
      .replace('"keyVault": {', '"keyVault": {\n    "softDeleteRetentionDays": 1e309,');
    const paths = loadFile(configFile(text)).problems.map((p) => p.path);
    expect(paths).toEqual(["namePrefix", "keyVault.softDeleteRetentionDays", "location", "network.vnetAddressSpace"]);
  });

  test(`fails on nesting deeper than ${MAX_NESTING} levels without crashing, even 100,000 levels`, () => {
    const deep = `{"tags": {"a": ${"[".repeat(100_000)}${"]".repeat(100_000)}}}`;
    const [problem, ...rest] = loadFile(configFile(deep)).problems;
    expect(rest).toEqual([]);
    expect(problem.path).toBe(`tags.a${"[0]".repeat(MAX_NESTING - 2)}`);
    expect(problem.message).toBe(`nests lists and objects deeper than ${MAX_NESTING} levels (line 1, column ${16 + MAX_NESTING - 2}); no config key is nested that deep`);
  });

  test(`accepts nesting of exactly ${MAX_NESTING} levels (then the usual rules apply)`, () => {
    const deep = `{"tags": {"a": ${"[".repeat(MAX_NESTING - 2)}${"]".repeat(MAX_NESTING - 2)}}}`;
    expect(loadFile(configFile(deep)).problems).toEqual([
      { path: "tags.a", message: `must be a string, got ${"[".repeat(MAX_NESTING - 2)}${"]".repeat(MAX_NESTING - 2)}` },
    ]);
  });
});

describe("printing what the config contains", () => {
  test("escapes control characters in keys, values and the parser's text: C0, ESC sequences, DEL, C1, bidi overrides", () => {
    // Escaped in the JSON source, so the parsed keys and values hold the raw characters.
    const file = configFile(JSON.stringify({
      "\u001b]0;owned\u0007\u001b[2J": 1,
      keyVault: { sku: "\u009b31m\u202egpj.exe\u2066" },
      tags: { "line\nbreak\r": 7, "del\u007f": "\u200f" },
    }));
    const err = loadFile(file);
    expect(err.message).not.toMatch(TERMINAL_CONTROL);
    expect(err.message).toContain("  - \\u001b]0;owned\\u0007\\u001b[2J: unknown key.");
    expect(err.message).toContain("  - keyVault.sku: \"\\u009b31m\\u202egpj.exe\\u2066\" is not allowed");
    expect(err.message).toContain("  - tags.line\\u000abreak\\u000d: must be a string, got 7");
    expect(err.message.split("\n")).toHaveLength(1 + err.problems.length);

    const syntax = loadFile(configFile("{\"a\": 1, \u001b[31m}"));
    expect(syntax.message).not.toMatch(TERMINAL_CONTROL);
    expect(syntax.problems[0].message).toContain("unexpected character \"\\u001b\"");
    expect(syntax.message).toContain("{\"a\": 1, \\u001b[31m}");
  });

  test("escapes a control character in the CONFIG path itself", () => {
    const err = errorOf(() => loadConfig({ CONFIG: "nope\u001b[2J.json" }, tempDir("config-file-")));
    expect(err.message).not.toMatch(TERMINAL_CONTROL);
    expect(err.message).toMatch(/^Invalid config \(nope\\u001b\[2J\.json\)/);
  });

  test("exitOnUserError escapes what is left in any UserError, line by line, and exits 1", () => {
    const write = jest.spyOn(process.stderr, "write").mockImplementation(() => true);
    const exit = jest.spyOn(process, "exit").mockImplementation((() => undefined) as never);
    try {
      exitOnUserError(() => { throw new UserError("first line \u001b[31m\nsecond \u202e line"); });
      expect(write).toHaveBeenCalledWith("first line \\u001b[31m\nsecond \\u202e line\n");
      expect(exit).toHaveBeenCalledWith(1);
    } finally {
      write.mockRestore();
      exit.mockRestore();
    }
  });

  test("renders a bad value of 100,000 nested levels (built in code) without recursing through it", () => {
    let deep: unknown = "core";
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(() => JSON.stringify(deep)).toThrow(RangeError);
    const err = errorOf(() => parseConfig({ ...defaultJson(), keyVault: deep }));
    expect(err.problems.filter((p) => p.path === "keyVault")).toEqual([{ path: "keyVault", message: `must be an object, got ${"[".repeat(57)}...` }]);
  });

  test("renders a cyclic or huge value in bounded time", () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    expect(show(cyclic)).toBe(`${'{"a":1,"self":'.repeat(4)}{...`);
    expect(show(new Array(10_000_000).fill(1))).toBe(`[${"1,".repeat(28)}...`);
    expect(show("x".repeat(10_000_000))).toBe(`"${"x".repeat(56)}...`);
  });

  test("renders ordinary values exactly as JSON.stringify, cut to 60 characters", () => {
    const legacy = (value: unknown) => {
      const text = JSON.stringify(value);
      return text.length > 60 ? `${text.slice(0, 57)}...` : text;
    };
    const values: unknown[] = [
      "plain", "quote \" and \\ backslash", "tab\tand\u0001", "é and 😀 ".repeat(10), 0, -0, 1.5e-7, 12345678901234567890, true, null,
      [], {}, [1, undefined, "x", null], { a: undefined, b: 1, c: [{ d: "e" }] }, { ["k".repeat(80)]: 1 }, ["y".repeat(70)],
      Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`key${i}`, i])),
    ];
    for (const value of values) expect(show(value)).toBe(legacy(value));
    expect(show(undefined)).toBe("nothing");
  });

  test("renders a non-finite number as itself, not as null", () => {
    expect(show(Infinity)).toBe("Infinity");
    expect(show([-Infinity, NaN])).toBe("[-Infinity,NaN]");
  });

  test(`lists at most ${MAX_LISTED_PROBLEMS} problems and ends with "and N more problems"`, () => {
    const raw = defaultJson();
    for (let i = 0; i < 120; i++) raw[`unknown${i}`] = i;
    const err = errorOf(() => parseConfig(raw, "many.json"));
    expect(err.problems).toHaveLength(120);
    const lines = err.message.split("\n");
    expect(lines[0]).toBe("Invalid config (many.json): 120 problems");
    expect(lines).toHaveLength(1 + MAX_LISTED_PROBLEMS + 1);
    expect(lines[MAX_LISTED_PROBLEMS]).toMatch(/^  - unknown49: unknown key/);
    expect(lines[lines.length - 1]).toBe(`  ... and ${120 - MAX_LISTED_PROBLEMS} more problems`);
  });

  test("lists every problem, without a tail, up to the limit", () => {
    const problems = Array.from({ length: MAX_LISTED_PROBLEMS }, (_, i) => ({ path: `p${i}`, message: "m" }));
    expect(new ConfigError("s", problems).message.split("\n")).toHaveLength(1 + MAX_LISTED_PROBLEMS);
    expect(new ConfigError("s", [...problems, problems[0]]).message).toMatch(/\n  \.\.\. and 1 more problem$/);
  });

  test("cuts a megabyte-long unknown key in the report and finds no suggestion for it quickly", () => {
    const key = "k".repeat(1_000_000);
    const start = Date.now();
    const err = errorOf(() => parseConfig({ ...defaultJson(), [key]: 1 }));
    expect(Date.now() - start).toBeLessThan(2_000);
    expect(err.problems[0].path).toBe(key);
    const line = err.message.split("\n")[1];
    expect(line.startsWith(`  - ${"k".repeat(197)}...: unknown key. Allowed keys: profile,`)).toBe(true);
    expect(line.length).toBeLessThan(1_000);
  });
});

describe("keys that JavaScript treats specially", () => {
  test("fails when a tag is named __proto__, instead of dropping it", () => {
    const file = configFile(`{"tags": {"__proto__": "x", "team": "a"}}`);
    expect(loadFile(file).problems).toEqual([{
      path: "tags.__proto__",
      message: "cannot be used as a key: JavaScript and CDKTF treat \"__proto__\" as an object's prototype and would drop it without a word; choose another name",
    }]);
  });

  test("reports __proto__ and constructor as unknown keys wherever the keys are fixed", () => {
    const file = configFile('{"__proto__": {"a": 1}, "keyVault": {"constructor": "x"}, "workloads": [{"name": "w", "toString": 1, "objects": [{"objectName": "db-password"}]}]}');
    expect(loadFile(file).problems.filter((p) => p.message.startsWith("unknown key")).map((p) => p.path)).toEqual([
      "__proto__", "keyVault.constructor", "workloads[0].toString",
    ]);
  });

  test("keeps tags named like Object.prototype members, through to the synthesized Azure resources", () => {
    const special = { constructor: "c", toString: "t", hasOwnProperty: "h", valueOf: "v", isPrototypeOf: "i" };
    const raw = defaultJson();
    raw.tags = { ...special, team: "a" };
    const config = loadConfig({ CONFIG: configFile(JSON.stringify(raw)) }, ROOT);
    expect(config.tags).toEqual({ ...special, team: "a" });
    const [group] = resourcesOf(synthApp(config).stackJson("platform"), "azurerm_resource_group");
    expect(group.tags).toEqual({ ...special, team: "a" });
  });
});
