import * as fs from "fs";
import * as path from "path";

const ROOT = path.resolve(__dirname, "..");
const SKIP = new Set(["node_modules", ".git", ".gen", "cdktf.out"]);

/** Every .ts and .js file of the project (app, scripts and tests), by path relative to the root. */
function sources(): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
      const rel = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!SKIP.has(entry.name) && !entry.name.startsWith("cdktf.out")) walk(rel);
      } else if (/\.(ts|js)$/.test(entry.name)) {
        files.set(rel, fs.readFileSync(path.join(ROOT, rel), "utf8"));
      }
    }
  };
  walk("");
  return files;
}

/** Every source file but this one, whose own text names what it looks for. */
const SOURCES = new Map([...sources()].filter(([file]) => file !== path.relative(ROOT, __filename)));

test("every export of config/, constructs/, stacks/ and synth/ is used somewhere", () => {
  const unused: string[] = [];
  for (const [file, text] of SOURCES) {
    if (!/^(config|constructs|stacks|synth)\//.test(file)) continue;
    for (const [, name] of text.matchAll(/export (?:declare )?(?:abstract )?(?:const|let|type|function|class|interface|enum) (\w+)/g)) {
      const word = new RegExp(`\\b${name}\\b`, "g");
      const usedInOwnFile = (text.match(word) ?? []).length > 1;
      const usedElsewhere = [...SOURCES].some(([other, otherText]) => other !== file && new RegExp(`\\b${name}\\b`).test(otherText));
      if (!usedInOwnFile && !usedElsewhere) unused.push(`${file}: ${name}`);
    }
  }
  expect(unused).toEqual([]);
});

test.each([
  ["the pinned demo image's digest", "sha256:73aaf090f3d85aa34ee199857f03fa3a95c8ede2ffd4cc2cdb5b94e566b11662", ["config/demo-app.ts"]],
  ["median()", "function median(", ["scripts/bench-stats.js"]],
])("%s is written in code only once", (_what, needle, expected) => {
  expect([...SOURCES].filter(([, text]) => text.includes(needle)).map(([file]) => file)).toEqual(expected);
});

/**
 * STYLE.md's five floors, arrows only downward: config/ → constructs/ → stacks/ → synth/ → main.ts.
 * A file may import from its own floor or a lower one, never from a higher one.
 */
const FLOORS = ["config", "constructs", "stacks", "synth", "main"];

function upwardImports(file: string, text: string): string[] {
  const floorOf = (rel: string) => FLOORS.indexOf(rel.split(path.sep)[0]);
  const floor = floorOf(file);
  if (floor < 0) return [];
  return [...text.matchAll(/(?:from |require\()"(\.{1,2}\/[^"]+)"/g)]
    .map(([, target]) => path.relative(ROOT, path.resolve(ROOT, path.dirname(file), target)))
    .filter((target) => floorOf(target) > floor)
    .map((target) => `${file} imports ${target}`);
}

test("no file of config/, constructs/, stacks/ or synth/ imports from a higher floor", () => {
  expect([...SOURCES].flatMap(([file, text]) => upwardImports(file, text))).toEqual([]);
});

test("the floor check reports an upward import", () => {
  const file = path.join("stacks", "platform-stack.ts");
  expect(upwardImports(file, 'import { x } from "../synth/synthesize";\nimport { y } from "../config/types";')).toEqual([
    `${file} imports ${path.join("synth", "synthesize")}`,
  ]);
  expect(upwardImports(path.join("config", "types.ts"), 'import { App } from "../main";')).toHaveLength(1);
});
