#!/usr/bin/env node
/**
 * Reads security/scan-skips.yaml for `npm run scan` (scripts/scan.sh): validates it, and prints
 * the checkov ids skipped for one config, one line per framework: "<framework>\t<id>,<id>".
 *
 *   node scripts/scan-skips.js <skips.yaml> <project root> [CONFIG]
 *
 * A skip applies to every config unless it lists `configs`: "default" (the embedded default
 * config) or config files relative to the project (envs/example.json). A config not listed
 * anywhere, such as a user's own file, gets only the unscoped skips.
 */
const fs = require("fs");
const path = require("path");
const YAML = require("yaml");

const FRAMEWORKS = ["terraform_json", "kubernetes"];
const KEYS = ["id", "framework", "configs", "reason"];

/** How the skip list names the config a run scans: "default", or its path relative to the project. */
function configId(root, config) {
  if (!config) return "default";
  const absolute = path.resolve(root, config);
  const rel = path.relative(root, absolute);
  return rel.startsWith("..") || path.isAbsolute(rel) ? absolute : rel.split(path.sep).join("/");
}

/**
 * The skip list's problems (empty when valid) and, per framework, the ids that apply to `id`.
 * @returns {{ errors: string[], skips: Record<string, string[]> }}
 */
function skipsFor(doc, root, id) {
  const errors = [];
  const skips = Object.fromEntries(FRAMEWORKS.map((f) => [f, []]));
  const seen = new Set();
  if (!doc || !Array.isArray(doc.skips)) return { errors: ["top-level `skips:` list missing"], skips };
  for (const [i, s] of doc.skips.entries()) {
    const at = `skips[${i}]${s && typeof s.id === "string" ? ` (${s.id})` : ""}`;
    if (!s || typeof s !== "object" || Array.isArray(s)) {
      errors.push(`${at}: must be a mapping with ${KEYS.join(", ")}`);
      continue;
    }
    if (typeof s.id !== "string" || !/^CKV2?_[A-Z0-9]+_\d+$/.test(s.id)) errors.push(`${at}: id must be a checkov id like CKV_AZURE_6`);
    if (typeof s.reason !== "string" || !s.reason.trim()) errors.push(`${at}: reason is required`);
    else if (s.reason.includes("\n")) errors.push(`${at}: reason must be one line`);
    if (!FRAMEWORKS.includes(s.framework)) errors.push(`${at}: framework must be one of ${FRAMEWORKS.join(", ")}`);
    if (s.configs !== undefined) {
      if (!Array.isArray(s.configs) || s.configs.length === 0) {
        errors.push(`${at}: configs must be a non-empty list of "default" or config files such as envs/example.json`);
      } else {
        for (const c of s.configs) {
          // A config that was renamed or removed would leave the skip applying nowhere, silently.
          if (c !== "default" && !(typeof c === "string" && fs.existsSync(path.join(root, c)))) {
            errors.push(`${at}: configs entry ${JSON.stringify(c)} is neither "default" nor a config file in the project`);
          }
        }
      }
    }
    const extra = Object.keys(s).filter((k) => !KEYS.includes(k));
    if (extra.length) errors.push(`${at}: unknown key(s) ${extra.join(", ")}; allowed: ${KEYS.join(", ")}`);
    const key = `${s.framework}/${s.id}`;
    if (seen.has(key)) errors.push(`${at}: listed twice for ${s.framework}; put all its configs in one entry`);
    seen.add(key);
    const applies = s.configs === undefined || (Array.isArray(s.configs) && s.configs.includes(id));
    if (FRAMEWORKS.includes(s.framework) && applies) skips[s.framework].push(s.id);
  }
  return { errors, skips };
}

function main(argv) {
  if (argv.length < 2 || argv.length > 3) {
    process.stderr.write("usage: node scripts/scan-skips.js <skips.yaml> <project root> [CONFIG]\n");
    return 2;
  }
  const [file, root, config] = argv;
  const id = configId(root, config);
  const { errors, skips } = skipsFor(YAML.parse(fs.readFileSync(file, "utf8")), root, id);
  for (const e of errors) process.stderr.write(`${file}: ${e}\n`);
  if (errors.length) return 1;
  process.stdout.write(`config\t${id}\n`);
  for (const f of FRAMEWORKS) process.stdout.write(`${f}\t${skips[f].join(",")}\n`);
  return 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));

module.exports = { configId, skipsFor, FRAMEWORKS };
