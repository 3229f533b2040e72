#!/usr/bin/env node
/**
 * same-terraform.js <cdktf output root> <other engine's output root>
 *
 * Compares two trees of synthesized output file by file and exits 1 listing every difference.
 * HCL, READMEs and every other text must be byte-identical. JSON is compared as data: the engines
 * lay out empty arrays and objects differently (`[\n]` and `[]`), which Terraform does not see.
 * The one value allowed to differ is the engine's own version (cdktf writes it into manifest.json,
 * metadata.json and each cdk.tf.json's `//.metadata.version`); it is found as a `version` key
 * holding exactly that engine's version, given by the CDKTF_VERSION and OTHER_VERSION variables.
 */
const fs = require("fs");
const path = require("path");
const { isDeepStrictEqual } = require("util");

const [left, right] = process.argv.slice(2);
const versions = [process.env.CDKTF_VERSION, process.env.OTHER_VERSION];
if (!left || !right || versions.some((v) => !v)) {
  console.error("usage: CDKTF_VERSION=<v> OTHER_VERSION=<v> same-terraform.js <cdktf output> <other output>");
  process.exit(2);
}

function files(root) {
  const out = [];
  const walk = (dir) => {
    for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
      const rel = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(rel);
      else out.push(rel);
    }
  };
  walk("");
  return out.sort();
}

/** The JSON with every `version` key that holds the engine's own version removed. */
function withoutEngineVersion(json, version) {
  return JSON.parse(JSON.stringify(json, (key, value) => (key === "version" && value === version ? undefined : value)));
}

const differences = [];
const leftFiles = files(left);
const rightFiles = files(right);
for (const missing of leftFiles.filter((f) => !rightFiles.includes(f))) differences.push(`${missing}: only in the cdktf output`);
for (const extra of rightFiles.filter((f) => !leftFiles.includes(f))) differences.push(`${extra}: only in the other engine's output`);
for (const file of leftFiles.filter((f) => rightFiles.includes(f))) {
  const [a, b] = [left, right].map((root) => fs.readFileSync(path.join(root, file), "utf8"));
  if (file.endsWith(".json")) {
    const [ja, jb] = [a, b].map((text, i) => withoutEngineVersion(JSON.parse(text), versions[i]));
    if (!isDeepStrictEqual(ja, jb)) differences.push(`${file}: the JSON differs`);
  } else if (a !== b) {
    differences.push(`${file}: the text differs`);
  }
}

if (differences.length > 0) {
  console.error(`${differences.length} difference(s) between cdktf ${versions[0]} and the other engine ${versions[1]}:`);
  for (const d of differences) console.error(`  ${d}`);
  process.exit(1);
}
console.log(`${leftFiles.length} files: the same Terraform (only the engine version differs)`);
