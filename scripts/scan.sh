#!/usr/bin/env bash
# Security / lint scan of the synthesized Terraform (`npm run scan`).
#
#  1. installs pinned tools into .scan/ when missing (checkov in a venv, tflint + azurerm ruleset
#     built with Go; the ruleset source is checked against a pinned go.sum hash);
#  2. synthesizes into .scan/out (CDKTF_OUTDIR), never touching the user's cdktf.out;
#     CONFIG=<file.json> is honoured exactly as by `npm run synth`;
#  3. checkov --framework terraform_json on each stack (on a copy without
#     terraform.required_version, which checkov 3.3.30 cannot parse: bridgecrewio/checkov#7454);
#  4. checkov --framework kubernetes on the workload's objects, written as YAML by
#     scripts/k8s-manifests.js (checkov reads neither the provider's shape nor kubernetes_manifest);
#  5. tflint (terraform recommended preset + azurerm ruleset) on each synthesized stack.
#
# Skipped checks come only from security/scan-skips.yaml, and only the entries whose `configs`
# include the scanned config (scripts/scan-skips.js); a skip that hides nothing there is stale.
# CI (.ci/run) runs this once for the default config and once per envs/*.json.
# `scripts/scan.sh --install` does step 1 only (CI installs the scanners early, in the background).
# Exit: 0 clean, 1 findings (failed checks, tflint issues or stale skips), 2 tool/setup error.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

CHECKOV_VERSION=3.3.30
TFLINT_VERSION=0.64.0
AZURERM_RULESET_VERSION=0.27.0
AZURERM_RULESET_MODULE=github.com/terraform-linters/tflint-ruleset-azurerm
AZURERM_RULESET_SUM="h1:cpig7LDxfs+1b8aD0qtDfuWbIMIWvnW24BUM55oxjgo="

SCAN="$ROOT/.scan"
CHECKOV="$SCAN/venv/bin/checkov"
TFLINT="$SCAN/bin/tflint"
PLUGIN_DIR="$SCAN/plugins"
CHECKOV_CONFIG="$ROOT/.checkov.yaml"
TFLINT_CONFIG="$ROOT/.tflint.hcl"
SKIPS_FILE="$ROOT/security/scan-skips.yaml"
OUT="$SCAN/out"          # synthesized stacks
TFCOPY="$SCAN/tf"        # checkov copies of cdk.tf.json
K8S="$SCAN/k8s"          # generated Kubernetes manifests
REPORTS="$SCAN/reports"  # raw tool output of the last run
LOGS="$SCAN/logs"        # install logs

die() { echo "scan: error: $*" >&2; exit 2; }

# ---- timing -----------------------------------------------------------------------------------
declare -a TIMINGS=()
PHASE_NAME="" PHASE_START=""
phase() { # phase <name>: ends the running phase (if any) and starts a new one
  phase_end
  PHASE_NAME=$1 PHASE_START=$EPOCHREALTIME
  echo "== $1"
}
phase_end() {
  [[ -n $PHASE_NAME ]] || return 0
  local ms=$(( (${EPOCHREALTIME/./} - ${PHASE_START/./}) / 1000 ))
  TIMINGS+=("$(printf '%-42s %5d.%01ds' "$PHASE_NAME" $((ms / 1000)) $(((ms % 1000) / 100)))")
  PHASE_NAME=""
}

case "${1:-}" in
  "") INSTALL_ONLY=false ;;
  --install) INSTALL_ONLY=true ;;
  *) die "usage: $0 [--install]" ;;
esac

for tool in node python3 go; do command -v "$tool" >/dev/null || die "$tool not found on PATH"; done
[[ -d node_modules ]] || die "node_modules missing; run npm ci first"
for f in "$CHECKOV_CONFIG" "$TFLINT_CONFIG" "$SKIPS_FILE"; do [[ -f $f ]] || die "$f missing"; done
mkdir -p "$SCAN" "$LOGS"

# ---- 1. tools (installed only when missing or at another version) -------------------------------
install_log() { # install_log <name> <command...>: runs quietly, shows the log tail on failure
  local name=$1; shift
  if ! "$@" >"$LOGS/$name.log" 2>&1; then
    tail -n 30 "$LOGS/$name.log" >&2
    die "installing $name failed (full log: $LOGS/$name.log)"
  fi
}

phase "install checkov $CHECKOV_VERSION"
if [[ -x $CHECKOV && -d $(echo "$SCAN"/venv/lib/python3*/site-packages/checkov-"$CHECKOV_VERSION".dist-info) ]]; then
  echo "   cached"
else
  rm -rf "$SCAN/venv"
  install_log checkov python3 -m venv "$SCAN/venv"
  install_log checkov "$SCAN/venv/bin/pip" install --disable-pip-version-check --quiet "checkov==$CHECKOV_VERSION"
fi

phase "install tflint $TFLINT_VERSION"
if [[ -x $TFLINT && "$("$TFLINT" --version 2>/dev/null | head -n1)" == "TFLint version $TFLINT_VERSION" ]]; then
  echo "   cached"
else
  install_log tflint env GOBIN="$SCAN/bin" go install "github.com/terraform-linters/tflint@v$TFLINT_VERSION"
fi

phase "install tflint-ruleset-azurerm $AZURERM_RULESET_VERSION"
AZURERM_MARKER="$PLUGIN_DIR/.tflint-ruleset-azurerm.version"
if [[ -x $PLUGIN_DIR/tflint-ruleset-azurerm && "$(cat "$AZURERM_MARKER" 2>/dev/null)" == "$AZURERM_RULESET_VERSION $AZURERM_RULESET_SUM" ]]; then
  echo "   cached"
else
  mkdir -p "$PLUGIN_DIR"
  # Not in the public checksum DB under this path, so verify the module hash ourselves.
  download=$(cd "$SCAN" && GONOSUMDB=$AZURERM_RULESET_MODULE GOFLAGS=-mod=mod \
    go mod download -json "$AZURERM_RULESET_MODULE@v$AZURERM_RULESET_VERSION" 2>"$LOGS/tflint-ruleset-azurerm.log") \
    || { cat "$LOGS/tflint-ruleset-azurerm.log" >&2; die "downloading $AZURERM_RULESET_MODULE failed"; }
  read -r sum dir < <(node -e 'const m=JSON.parse(require("fs").readFileSync(0,"utf8")); if (m.Error) { console.error(m.Error); process.exit(1) } console.log(m.Sum, m.Dir)' <<<"$download") \
    || die "go mod download reported an error for $AZURERM_RULESET_MODULE"
  [[ $sum == "$AZURERM_RULESET_SUM" ]] || die "$AZURERM_RULESET_MODULE@v$AZURERM_RULESET_VERSION hash $sum != pinned $AZURERM_RULESET_SUM"
  install_log tflint-ruleset-azurerm bash -c 'cd "$1" && go build -o "$2" .' _ "$dir" "$PLUGIN_DIR/tflint-ruleset-azurerm"
  echo "$AZURERM_RULESET_VERSION $AZURERM_RULESET_SUM" >"$AZURERM_MARKER"
fi

if $INSTALL_ONLY; then
  phase_end
  printf '   %s\n' "${TIMINGS[@]}"
  echo "scan: tools installed in $SCAN"
  exit 0
fi

# ---- 2. synthesize -------------------------------------------------------------------------------
phase "synthesize (${CONFIG:-embedded default config})"
rm -rf "$OUT" "$TFCOPY" "$K8S" "$REPORTS"
mkdir -p "$REPORTS"
env -u SYNTH_HCL_OUTPUT -u CDKTF_TARGET_STACK_ID CDKTF_OUTDIR="$OUT" node -r ./scripts/ts-register.js main.ts \
  || die "synthesis failed"
mapfile -t STACKS < <(cd "$OUT/stacks" 2>/dev/null && ls -1)
[[ ${#STACKS[@]} -gt 0 ]] || die "no stacks in $OUT/stacks"
for stack in "${STACKS[@]}"; do
  [[ -f $OUT/stacks/$stack/cdk.tf.json ]] || die "$OUT/stacks/$stack/cdk.tf.json missing"
done

phase "prepare checkov inputs"
for stack in "${STACKS[@]}"; do
  mkdir -p "$TFCOPY/$stack"
  node -e '
    const fs = require("fs");
    const tf = JSON.parse(fs.readFileSync(process.argv[1], "utf8"));
    if (tf.terraform) delete tf.terraform.required_version; // bridgecrewio/checkov#7454
    fs.writeFileSync(process.argv[2], JSON.stringify(tf, null, 2));
  ' "$OUT/stacks/$stack/cdk.tf.json" "$TFCOPY/$stack/cdk.tf.json"
done
node scripts/k8s-manifests.js "$OUT" "$K8S" | sed 's/^/   /' || die "writing Kubernetes manifests failed"

# Skips that apply to this config, per framework ("<framework>\t<ids>"), after a "config\t<id>"
# line naming the config as security/scan-skips.yaml does ("default" or envs/<file>.json).
SKIPS_TSV=$(node scripts/scan-skips.js "$SKIPS_FILE" "$ROOT" "${CONFIG:-}") || die "invalid $SKIPS_FILE"
CONFIG_ID=$(awk -F'\t' '$1 == "config" { print $2 }' <<<"$SKIPS_TSV")
SKIPS_TSV=$(grep -v $'^config\t' <<<"$SKIPS_TSV")
skips_for() { awk -F'\t' -v f="$1" '$1 == f { print $2 }' <<<"$SKIPS_TSV"; }

# ---- 3/4. checkov --------------------------------------------------------------------------------
declare -a SUMMARY=()
FINDINGS=0 ERRORS=0

run_checkov() { # run_checkov <label> <framework> <dir>
  local label=$1 framework=$2 dir=$3 skip rc=0 pid_main pid_skipped=""
  local report="$REPORTS/checkov-$label.json" skipped_report="$REPORTS/checkov-$label.skipped.json"
  skip=$(skips_for "$framework")
  local args=(-d "$dir" --framework "$framework" --skip-download --config-file "$CHECKOV_CONFIG" -o json)
  # checkov drops --skip-check ids silently (they never show as "skipped"), so a second run with
  # only the skipped ids (in parallel) tells how many findings each skip hides, and finds stale skips.
  if [[ -n $skip ]]; then
    "$CHECKOV" "${args[@]}" --check "$skip" >"$skipped_report" 2>"$REPORTS/checkov-$label.skipped.log" &
    pid_skipped=$!
    args+=(--skip-check "$skip")
  fi
  "$CHECKOV" "${args[@]}" >"$report" 2>"$REPORTS/checkov-$label.log" &
  pid_main=$!
  wait "$pid_main" || rc=$?
  [[ -z $pid_skipped ]] || wait "$pid_skipped" || true
  local line
  line=$(node -e '
    const fs = require("fs");
    const [file, skippedFile, label, rc] = process.argv.slice(1);
    const read = (f) => { try { return JSON.parse(fs.readFileSync(f, "utf8")); } catch { return null; } };
    const collect = (doc) => {
      const s = { passed: 0, failed: 0, parsing_errors: 0, failedChecks: [] };
      for (const r of Array.isArray(doc) ? doc : [doc]) {
        for (const k of ["passed", "failed", "parsing_errors"]) s[k] += (r.summary ?? r)[k] ?? 0;
        s.failedChecks.push(...(r.results?.failed_checks ?? []));
      }
      return s;
    };
    const doc = read(file);
    if (!doc) { console.log(`ERROR\t${label}: checkov exited ${rc} without a JSON report\t`); process.exit(0); }
    const s = collect(doc);
    const hidden = skippedFile && fs.existsSync(skippedFile) ? read(skippedFile) : null;
    const skipped = hidden ? collect(hidden).failedChecks : [];
    const where = (c) => `${c.resource} (${(c.file_path ?? "").replace(/^\//, "")}:${(c.file_line_range ?? []).join("-")})`;
    for (const c of s.failedChecks) console.error(`   FAILED  ${c.check_id} ${where(c)} ${c.check_name}`);
    for (const c of skipped) console.error(`   skipped ${c.check_id} ${c.resource}`);
    let status = s.failedChecks.length ? "FINDINGS" : "OK", note = "";
    if (s.parsing_errors > 0) { status = "ERROR"; note = ` parsing_errors=${s.parsing_errors}`; }
    else if (s.passed + s.failed === 0) { status = "ERROR"; note = " nothing was scanned (passed+failed=0)"; }
    else if (!["0", "1"].includes(rc)) { status = "ERROR"; note = ` checkov exit ${rc}`; }
    else if (skippedFile && !hidden) { status = "ERROR"; note = " the skipped-checks run produced no JSON report"; }
    const ids = [...new Set(skipped.map((c) => c.check_id))];
    console.log(`${status}\t${label}: passed ${s.passed}, failed ${s.failed}, skipped ${skipped.length}${note}\t${ids.join(",")}`);
  ' "$report" "${pid_skipped:+$skipped_report}" "$label" "$rc") || die "reading checkov report $report failed"
  local status=${line%%$'\t'*} rest=${line#*$'\t'}
  local text=${rest%%$'\t'*} skipped_ids=${rest#*$'\t'}
  echo "   $text"
  SUMMARY+=("$(printf '%-8s %s' "$status" "checkov $text")")
  [[ -z $skipped_ids ]] || SKIPPED_SEEN+=",$framework:${skipped_ids//,/,$framework:}"
  case $status in
    OK) ;;
    FINDINGS) FINDINGS=$((FINDINGS + 1)) ;;
    *) ERRORS=$((ERRORS + 1)); echo "   see $REPORTS/checkov-$label.log" >&2 ;;
  esac
}

# checkov ignores any file whose absolute path contains "/." (our inputs live under .scan/).
export CKV_IGNORE_HIDDEN_DIRECTORIES=false
SKIPPED_SEEN=""
# checkov 3.3.30 has no terraform check for these types; a stack of nothing else would report
# "nothing was scanned". It is said out loud instead. The csi-driver stack's helm_release
# resources: the SecurityBaseline checks what matters in them (rotation in the driver's values).
# A fleet's vault-endpoints stack's private endpoints: the vault's own network checks
# (CKV_AZURE_109, CKV_AZURE_189) run in the vault stack.
UNCHECKED_TYPES='helm_release|azurerm_private_endpoint' # an extended regex alternation, e.g. 'a|b'
for stack in "${STACKS[@]}"; do
  phase "checkov terraform_json $stack"
  types=$(node -e 'const r = require(process.argv[1]).resource ?? {}; console.log(Object.keys(r).sort().join(","))' "$TFCOPY/$stack/cdk.tf.json")
  if [[ -n $types && -z $(tr ',' '\n' <<<"$types" | grep -vxE "$UNCHECKED_TYPES") ]]; then
    echo "   $stack-terraform_json: not scanned - checkov has no terraform checks for its resource types ($types)"
    SUMMARY+=("$(printf '%-8s %s' "NOTE" "checkov $stack-terraform_json: not scanned, checkov has no checks for $types")")
    continue
  fi
  run_checkov "$stack-terraform_json" terraform_json "$TFCOPY/$stack"
done
for stack in "${STACKS[@]}"; do
  [[ -d $K8S/$stack ]] || continue
  phase "checkov kubernetes $stack"
  run_checkov "$stack-kubernetes" kubernetes "$K8S/$stack"
done

# ---- 5. tflint -----------------------------------------------------------------------------------
for stack in "${STACKS[@]}"; do
  phase "tflint $stack"
  rc=0
  TFLINT_PLUGIN_DIR="$PLUGIN_DIR" "$TFLINT" --chdir "$OUT/stacks/$stack" --config "$TFLINT_CONFIG" --format json \
    >"$REPORTS/tflint-$stack.json" 2>"$REPORTS/tflint-$stack.log" || rc=$?
  line=$(node -e '
    const [file, stack, rc] = process.argv.slice(1);
    let doc;
    try { doc = JSON.parse(require("fs").readFileSync(file, "utf8")); } catch { doc = null; }
    if (!doc || !["0", "2"].includes(rc)) {
      for (const e of doc?.errors ?? []) console.error(`   ERROR ${e.message}`);
      console.log(`ERROR\ttflint ${stack}: tflint exited ${rc}`); process.exit(0);
    }
    for (const i of doc.issues) console.error(`   ${i.rule.severity.toUpperCase()} ${i.rule.name}: ${i.message} (${i.range.filename}:${i.range.start.line}:${i.range.start.column})`);
    for (const e of doc.errors ?? []) console.error(`   ERROR ${e.message}`);
    const status = (doc.errors ?? []).length ? "ERROR" : doc.issues.length ? "FINDINGS" : "OK";
    console.log(`${status}\ttflint ${stack}: ${doc.issues.length} issue(s)`);
  ' "$REPORTS/tflint-$stack.json" "$stack" "$rc") || die "reading tflint report failed"
  status=${line%%$'\t'*} text=${line#*$'\t'}
  echo "   $text"
  SUMMARY+=("$(printf '%-8s %s' "$status" "$text")")
  case $status in
    OK) ;;
    FINDINGS) FINDINGS=$((FINDINGS + 1)) ;;
    *) ERRORS=$((ERRORS + 1)); echo "   see $REPORTS/tflint-$stack.log" >&2 ;;
  esac
done
# tflint's plugin processes sometimes outlive it on a loaded machine; nothing this scan started may
# outlive the scan (CI waits for its output to close).
pkill -f "^$TFLINT --act-as-bundled-plugin" 2>/dev/null || true
pkill -f "^$PLUGIN_DIR/" 2>/dev/null || true
phase_end

# ---- summary -------------------------------------------------------------------------------------
# A skip that applies to this config but hides nothing is stale: it would hide a later regression.
STALE=0
while IFS=$'\t' read -r framework ids; do
  for id in ${ids//,/ }; do
    if [[ $SKIPPED_SEEN, != *",$framework:$id,"* ]]; then
      echo "scan: stale skip: $id ($framework) in security/scan-skips.yaml applies to config $CONFIG_ID but hides no finding there; leave $CONFIG_ID out of its configs, or remove the entry" >&2
      STALE=$((STALE + 1))
    fi
  done
done <<<"$SKIPS_TSV"
((STALE == 0)) || SUMMARY+=("$(printf '%-8s %s' FINDINGS "$STALE stale skip(s) for $CONFIG_ID")")

echo
echo "== summary for config $CONFIG_ID (reports in ${REPORTS#"$ROOT"/}/)"
printf '   %s\n' "${SUMMARY[@]}"
echo "== timings"
printf '   %s\n' "${TIMINGS[@]}"
if ((ERRORS)); then
  echo "scan: FAILED - $ERRORS tool error(s)" >&2
  exit 2
elif ((FINDINGS || STALE)); then
  echo "scan: FAILED ($CONFIG_ID) - unlisted findings or stale skips; fix the code, or fix the entry's configs in security/scan-skips.yaml" >&2
  exit 1
fi
echo "scan: OK ($CONFIG_ID)"
