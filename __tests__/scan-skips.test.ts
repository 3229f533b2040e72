import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { configId, skipsFor } = require("../scripts/scan-skips.js");

const ROOT = path.resolve(__dirname, "..");
const SHIPPED = YAML.parse(fs.readFileSync(path.join(ROOT, "security/scan-skips.yaml"), "utf8"));
const CONFIGS = ["default", ...fs.readdirSync(path.join(ROOT, "envs")).filter((f) => f.endsWith(".json")).map((f) => `envs/${f}`)];

const skip = (extra: object) => ({ id: "CKV_AZURE_6", framework: "terraform_json", reason: "because", ...extra });

describe("security/scan-skips.yaml", () => {
  test("is valid", () => {
    expect(skipsFor(SHIPPED, ROOT, "default").errors).toEqual([]);
  });

  test("skips nothing for envs/production.json but customer-managed disk keys", () => {
    expect(skipsFor(SHIPPED, ROOT, "envs/production.json").skips).toEqual({ terraform_json: ["CKV_AZURE_117"], kubernetes: [] });
  });

  test("allows secrets in environment variables only where envs/example.json opts in", () => {
    const withEnvSecrets = CONFIGS.filter((c) => skipsFor(SHIPPED, ROOT, c).skips.kubernetes.includes("CKV_K8S_35"));
    expect(withEnvSecrets).toEqual(["envs/example.json"]);
  });

  test("skips no ServiceAccount-token check for any config", () => {
    for (const c of CONFIGS) expect(Object.values(skipsFor(SHIPPED, ROOT, c).skips).flat()).not.toContain("CKV_K8S_38");
  });
});

describe("skipsFor", () => {
  test("applies a scoped skip only to the configs it lists, an unscoped one to every config", () => {
    const doc = { skips: [skip({ configs: ["default", "envs/lab.json"] }), skip({ id: "CKV_AZURE_117" })] };
    expect(skipsFor(doc, ROOT, "envs/lab.json").skips.terraform_json).toEqual(["CKV_AZURE_6", "CKV_AZURE_117"]);
    expect(skipsFor(doc, ROOT, "envs/example.json").skips.terraform_json).toEqual(["CKV_AZURE_117"]);
    expect(skipsFor(doc, ROOT, "/home/me/mine.json").skips.terraform_json).toEqual(["CKV_AZURE_117"]);
  });

  test("fails when a skip names a config that does not exist", () => {
    expect(skipsFor({ skips: [skip({ configs: ["envs/prod.json"] })] }, ROOT, "default").errors).toEqual([
      'skips[0] (CKV_AZURE_6): configs entry "envs/prod.json" is neither "default" nor a config file in the project',
    ]);
  });

  test("fails when a skip has no framework, no reason, an unknown key or a duplicate", () => {
    const doc = { skips: [skip({ id: "CKV_AZURE_1", framework: undefined }), skip({ id: "CKV_AZURE_2", reason: " " }), skip({ id: "CKV_AZURE_3", config: ["default"] }), skip({}), skip({})] };
    expect(skipsFor(doc, ROOT, "default").errors).toEqual([
      "skips[0] (CKV_AZURE_1): framework must be one of terraform_json, kubernetes",
      "skips[1] (CKV_AZURE_2): reason is required",
      "skips[2] (CKV_AZURE_3): unknown key(s) config; allowed: id, framework, configs, reason",
      "skips[4] (CKV_AZURE_6): listed twice for terraform_json; put all its configs in one entry",
    ]);
  });
});

describe("configId", () => {
  test.each([
    [undefined, "default"],
    ["envs/example.json", "envs/example.json"],
    ["./envs/../envs/example.json", "envs/example.json"],
    [path.join(ROOT, "envs/lab.json"), "envs/lab.json"],
    ["/elsewhere/mine.json", "/elsewhere/mine.json"],
  ])("names CONFIG=%s as %s", (config, id) => {
    expect(configId(ROOT, config)).toBe(id);
  });
});
