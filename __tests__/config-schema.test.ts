import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import Ajv from "ajv";
import { DEFAULT_CONFIG } from "../config/default-config";
import { parseConfig } from "../config/parse-config";
import { configJsonSchema } from "../config/schema";
import { freshConfig, NOW, rows } from "./helpers/bad-configs";

const ROOT = path.resolve(__dirname, "..");
const SCHEMA_FILE = path.join(ROOT, "config.schema.json");
const committed = fs.readFileSync(SCHEMA_FILE, "utf8");
const validate = new Ajv({ allErrors: true, strict: true }).compile(JSON.parse(committed));
const ENVS = fs.readdirSync(path.join(ROOT, "envs")).filter((f) => f.endsWith(".json"));
const readEnv = (file: string) => JSON.parse(fs.readFileSync(path.join(ROOT, "envs", file), "utf8"));

/**
 * The parser's verdict: "accepts", or the paths it reports. Rows are judged at NOW; a shipped
 * config must hold today (its Kubernetes version, its expiration dates), as `npm run synth`
 * judges it, so it is judged at the wall clock.
 */
function parserVerdict(raw: unknown, now: Date = NOW): "accepts" | string[] {
  try {
    parseConfig(raw, "test", now);
    return "accepts";
  } catch (e) {
    return (e as { problems: { path: string }[] }).problems.map((p) => p.path);
  }
}

describe("config.schema.json", () => {
  test("is the file `npm run schema` generates from config/schema.ts", () => {
    expect(committed).toBe(configJsonSchema());
  });

  test("compiles under ajv's strict mode as a draft-07 schema", () => {
    expect(JSON.parse(committed).$schema).toBe("http://json-schema.org/draft-07/schema#");
    expect(typeof validate).toBe("function");
  });

  test("is what the app reads at synth time, without loading TypeBox or config/schema.ts", () => {
    const probe = "require('./config/parse-config').parseConfig(require('./config/default-config').DEFAULT_CONFIG, 'probe', " +
      `new Date(${JSON.stringify(NOW.toISOString())})); const loaded = Object.keys(require.cache);` +
      "console.log(JSON.stringify([loaded.some((k) => k.includes('typebox')), loaded.some((k) => k.endsWith('config.schema.json'))]))";
    const run = spawnSync(process.execPath, ["-r", "./scripts/ts-register.js", "-e", probe], { cwd: ROOT, encoding: "utf8" });
    expect(run.stderr).toBe("");
    expect(JSON.parse(run.stdout)).toEqual([false, true]);
  });

  test("offers the enums and defaults editors complete from", () => {
    const schema = JSON.parse(committed);
    expect(schema.properties.profile).toMatchObject({ enum: ["hardened", "lab"], default: "hardened" });
    expect(schema.properties.location.enum).toContain("westeurope");
    expect(schema.properties.network.properties.serviceCidr.default).toBe("10.0.0.0/16");
    expect(schema.properties.keyVault.properties.softDeleteRetentionDays).toMatchObject({ minimum: 7, maximum: 90, default: 90 });
  });
});

describe("schema and parser agree on every shipped config", () => {
  test.each(ENVS)("envs/%s references the schema and both accept it", (file) => {
    const raw = readEnv(file);
    expect(raw.$schema).toBe("../config.schema.json");
    expect(validate(raw)).toBe(true);
    expect(parserVerdict(raw, new Date())).toBe("accepts");
  });

  test("both accept the embedded default config", () => {
    expect(validate(JSON.parse(JSON.stringify(DEFAULT_CONFIG)))).toBe(true);
    expect(parserVerdict(freshConfig())).toBe("accepts");
  });
});

describe("schema and parser agree on every row of the bad-config table", () => {
  const shapeRows = rows.filter((r) => r.schema !== "accepts");
  const semanticRows = rows.filter((r) => r.schema === "accepts");

  test("the table has rows of both kinds", () => {
    expect(shapeRows.length).toBeGreaterThan(0);
    expect(semanticRows.length).toBeGreaterThan(0);
  });

  test.each(shapeRows)("both reject a config where $name", ({ mutate }) => {
    const raw = freshConfig();
    mutate(raw);
    expect(parserVerdict(raw)).not.toBe("accepts");
    expect(validate(raw)).toBe(false);
  });

  // JSON Schema cannot relate two fields, know the profile's intent or the date: the split is deliberate.
  test.each(semanticRows)("only the parser rejects a config where $name", ({ mutate }) => {
    const raw = freshConfig();
    mutate(raw);
    expect(parserVerdict(raw)).not.toBe("accepts");
    expect(validate(raw)).toBe(true);
  });
});
