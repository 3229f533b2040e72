#!/usr/bin/env bash
# `npm run terrain`: proves the app on CDK Terrain (cdktn), the community continuation of CDKTF
# (archived 2025-12-10), with the one change a move takes: `"cdktf": "npm:cdktn@<version>"` in
# package.json. constructs (10.6.0) is already in cdktn's peer range, and the prebuilt @cdktf/provider-* packages stay
# as they are.
#
# In a scratch copy of the project (tracked and new files, never node_modules or output):
#   1. install that aliased set (--legacy-peer-deps: the provider packages declare cdktf ^0.21.0);
#   2. synthesize every shipped config (the embedded default and envs/*.json), JSON and HCL, with
#      both engines, and compare them with scripts/same-terraform.js: only the engine version may
#      differ;
#   3. run the unit tests there: `npx jest` (npm test) and the tests that run terraform
#      (jest.terraform.config.js, npm run test:terraform).
# Exit 0 only when all three hold. The project's own node_modules must be installed (npm ci).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# npm sets INIT_CWD to the folder `npm run terrain` started in, and the app resolves CONFIG against
# it (config/read-config-file.ts): the scratch copy would read the original project's configs.
unset INIT_CWD
CDKTN_VERSION=0.24.0

say() { echo "cdk-terrain: $*"; }
die() { echo "cdk-terrain: $*" >&2; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/cdk-terrain.XXXXXX")
trap 'rm -rf "$work"' EXIT
copy=$work/project

say "scratch copy in $copy"
mkdir -p "$copy"
(cd "$ROOT" && git ls-files -z --cached --others --exclude-standard | tar --null -T - -c) | tar -x -C "$copy"
node -e '
  const fs = require("fs");
  const file = process.argv[1];
  const p = JSON.parse(fs.readFileSync(file, "utf8"));
  p.dependencies.cdktf = `npm:cdktn@${process.argv[2]}`;
  fs.writeFileSync(file, JSON.stringify(p, null, 2) + "\n");
' "$copy/package.json" "$CDKTN_VERSION"

say "npm install cdktf=npm:cdktn@$CDKTN_VERSION"
(cd "$copy" && npm install --no-audit --no-fund --legacy-peer-deps >"$work/npm-install.log" 2>&1) ||
  { tail -20 "$work/npm-install.log" >&2; die "npm install of the aliased set failed"; }
engine=$(node -p 'require(process.argv[1]).name + "@" + require(process.argv[1]).version' "$copy/node_modules/cdktf/package.json")
[[ $engine == "cdktn@$CDKTN_VERSION" ]] || die "node_modules/cdktf is $engine, expected cdktn@$CDKTN_VERSION"
# --legacy-peer-deps would also let a constructs outside cdktn's peer range through: check it here.
(cd "$copy" && node -e '
  const range = require("cdktf/package.json").peerDependencies.constructs;
  const have = require("constructs/package.json").version;
  if (!require("semver").satisfies(have, range)) { console.error(`constructs ${have} is outside cdktn'"'"'s peer range ${range}`); process.exit(1); }
') || die "the project's constructs version does not fit cdktn $CDKTN_VERSION"
cdktf_version=$(node -p 'require(process.argv[1]).version' "$ROOT/node_modules/cdktf/package.json")

# synth_all <project> <output root>: each shipped config as `npm run synth` writes it.
synth_all() {
  local project=$1 out=$2 config name
  for config in "" envs/*.json; do
    name=$(basename "${config:-default}" .json)
    (cd "$project" && CONFIG=$config node -r ./scripts/ts-register.js main.ts synth --output "$out/$name/json" >/dev/null) ||
      die "synth of ${config:-the default config} failed in $project"
    (cd "$project" && CONFIG=$config node -r ./scripts/ts-register.js main.ts synth --hcl --output "$out/$name/hcl" >/dev/null) ||
      die "HCL synth of ${config:-the default config} failed in $project"
  done
}
say "synthesizing every shipped config with cdktf $cdktf_version and with cdktn $CDKTN_VERSION"
synth_all "$ROOT" "$work/out-cdktf"
synth_all "$copy" "$work/out-cdktn"
CDKTF_VERSION=$cdktf_version OTHER_VERSION=$CDKTN_VERSION node "$ROOT/scripts/same-terraform.js" "$work/out-cdktf" "$work/out-cdktn"

say "unit tests on cdktn $CDKTN_VERSION"
(cd "$copy" && npx jest --ci) || die "the unit tests fail on cdktn $CDKTN_VERSION"
(cd "$copy" && npx jest --ci -c jest.terraform.config.js) || die "the tests that run terraform fail on cdktn $CDKTN_VERSION"
say "the app synthesizes the same Terraform and passes its unit tests on cdktn $CDKTN_VERSION"
