#!/usr/bin/env bash
# A throwaway local Kubernetes control plane (etcd + kube-apiserver) for the cluster tests
# (`npm run test:cluster`). No Docker, no internet beyond the Go module proxy, loopback only.
#
#   scripts/control-plane.sh build          build (or reuse) etcd, kube-apiserver and (unless a fitting one is on the PATH) kubectl
#   scripts/control-plane.sh build --node   the same, plus kubelet, kube-scheduler and kube-controller-manager (for the e2e run)
#   scripts/control-plane.sh crd            print the path of the SecretProviderClass CRD (Go module, hash-checked)
#   scripts/control-plane.sh start <dir>    start on random free loopback ports; writes <dir>/kubeconfig, <dir>/*.pid
#   scripts/control-plane.sh stop <dir>     stop exactly the processes whose PID files are in <dir>
#   scripts/control-plane.sh test [args]    build, start, run jest -c jest.cluster.config.js [args], stop
#
# Binaries are built from Go modules (recipe: issue 12) into $K8S_CACHE, by default
# ~/.cache/aks-keyvault-csi/k8s-v1.34.2/, and reused while their reported version matches.
# Any failure (e.g. the module proxy unreachable) exits non-zero with the reason on stderr.
set -Eeuo pipefail

K8S_VERSION=v1.34.2
# Published staging modules carry the same minor/patch as the kubernetes tag, with major 0.
K8S_STAGING_VERSION=v0.34.2
K8S_MINOR=34
# kube-apiserver 1.34 supports etcd 3.5 and 3.6: https://kubernetes.io/docs/setup/production-environment/tools/kubeadm/setup-ha-etcd-with-kubeadm/
ETCD_VERSION=v3.6.16
CRD_FILE=deploy/secrets-store.csi.x-k8s.io_secretproviderclasses.yaml

CACHE=${K8S_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/aks-keyvault-csi/k8s-${K8S_VERSION}}

LOG_NAME=control-plane
# shellcheck source=scripts/lib-go-modules.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib-go-modules.sh"

build_etcd() {
  if has_version "$CACHE/etcd" "etcd Version: ${ETCD_VERSION#v}" --version; then return; fi
  log "building etcd $ETCD_VERSION (go.etcd.io/etcd/server/v3)"
  local src work=$CACHE/src/etcd
  src=$(module_dir go.etcd.io/etcd/server/v3 "$ETCD_VERSION")
  writable_copy "$src" "$work"
  # The module's go.mod replaces its sibling modules by ../ paths that are not in the zip;
  # use the published modules of the same version instead.
  local drops=() m
  for m in $(cd "$work" && go mod edit -json | node -e '
      const j = JSON.parse(require("fs").readFileSync(0, "utf8"));
      for (const r of j.Replace || []) if (r.New.Path.startsWith(".")) console.log(r.Old.Path)'); do
    drops+=("-dropreplace=$m")
  done
  (cd "$work" && go mod edit "${drops[@]}")
  # Its go.mod suggests a newer toolchain patch release (`toolchain`); the local Go (>= GO_MIN) builds it.
  (cd "$work" && GOTOOLCHAIN=local "${NICE[@]}" go build -mod=mod -trimpath -o "$CACHE/etcd.new" .) || die "etcd build failed"
  mv "$CACHE/etcd.new" "$CACHE/etcd"
  has_version "$CACHE/etcd" "etcd Version: ${ETCD_VERSION#v}" --version || die "built etcd does not report $ETCD_VERSION"
}

# A kubectl on the PATH within the supported skew: one minor version either side of the API server
# (https://kubernetes.io/releases/version-skew-policy/#kubectl). Prints its path.
path_kubectl() {
  local k out minor
  k=$(command -v kubectl) || return 1
  out=$("$k" version --client -o json 2>/dev/null) || return 1
  minor=$(node -e 'console.log(parseInt(JSON.parse(process.argv[1]).clientVersion.minor, 10))' "$out") || return 1
  ((minor >= K8S_MINOR - 1 && minor <= K8S_MINOR + 1)) || return 1
  echo "$k"
}

# The kubectl the tests use: the one on the PATH if it fits, else the one built into the cache.
kubectl_binary() {
  path_kubectl || { has_k8s_binary kubectl && echo "$CACHE/kubectl"; }
}

# A binary of k8s.io/kubernetes in the cache that reports $K8S_VERSION?
has_k8s_binary() {
  if [[ "$1" == kubectl ]]; then has_version "$CACHE/kubectl" "Client Version: $K8S_VERSION" version --client
  else has_version "$CACHE/$1" "Kubernetes $K8S_VERSION" --version; fi
}

# Builds the named commands of k8s.io/kubernetes (./cmd/<name>) that the cache lacks, in one `go build`.
build_kubernetes() {
  local targets=() name
  for name in "$@"; do has_k8s_binary "$name" || targets+=("./cmd/$name"); done
  ((${#targets[@]})) || return 0
  log "building ${targets[*]#./cmd/} $K8S_VERSION (k8s.io/kubernetes; cold: minutes, ~2 GB RAM)"
  local src work=$CACHE/src/kubernetes
  src=$(module_dir k8s.io/kubernetes "$K8S_VERSION")
  writable_copy "$src" "$work"
  # The module zip has no staging/ folder: drop vendoring and the workspace, and require the
  # published staging modules instead of the ./staging replaces.
  rm -rf "$work/vendor" "$work/go.work" "$work/go.work.sum"
  local edits=() m
  for m in $(cd "$work" && go mod edit -json | node -e '
      const j = JSON.parse(require("fs").readFileSync(0, "utf8"));
      for (const r of j.Replace || []) if (r.New.Path.startsWith("./staging/")) console.log(r.Old.Path)'); do
    edits+=("-dropreplace=$m" "-require=$m@$K8S_STAGING_VERSION")
  done
  (cd "$work" && go mod edit "${edits[@]}")
  # Without these, `--version` reports v0.0.0-master+$Format:%H$ (hack/lib/version.sh sets them).
  local ldflags="-s -w" pkg
  for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    ldflags+=" -X $pkg.gitVersion=$K8S_VERSION -X $pkg.gitMajor=1 -X $pkg.gitMinor=$K8S_MINOR -X $pkg.gitTreeState=clean"
    ldflags+=" -X $pkg.buildDate=1970-01-01T00:00:00Z"
  done
  mkdir -p "$CACHE/bin.new"
  (cd "$work" && GOTOOLCHAIN=local "${NICE[@]}" go build -mod=mod -trimpath -tags=providerless \
      -ldflags "$ldflags" -o "$CACHE/bin.new/" "${targets[@]}") || die "kubernetes build failed"
  mv "$CACHE"/bin.new/* "$CACHE/"
  rmdir "$CACHE/bin.new"
  for name in "$@"; do has_k8s_binary "$name" || die "built $name does not report $K8S_VERSION"; done
}

# --node: also the node and controller binaries the e2e run needs (scripts/e2e/build.sh).
cmd_build() {
  require_go
  local k8s=(kube-apiserver)
  path_kubectl >/dev/null || k8s+=(kubectl)
  case "${1:-}" in
    "") ;;
    --node) k8s+=(kubelet kube-scheduler kube-controller-manager) ;;
    *) die "usage: $0 build [--node]" ;;
  esac
  mkdir -p "$CACHE"
  # One build of the cache at a time per machine: a second one would delete the source tree the
  # first is compiling (writable_copy, then rm -rf src). It waits, then finds the binaries built.
  exec 8>>"$CACHE.lock"
  flock -w 3600 8 || die "another build of $CACHE still runs after an hour"
  build_etcd
  build_kubernetes "${k8s[@]}"
  rm -rf "$CACHE/src"
  exec 8>&-
  echo "$CACHE"
}

cmd_crd() {
  local dir
  dir=$(module_dir "$CSI_DRIVER_MODULE" "$CSI_DRIVER_VERSION" "$CSI_DRIVER_SUM")
  [[ -f "$dir/$CRD_FILE" ]] || die "$CSI_DRIVER_MODULE@$CSI_DRIVER_VERSION has no $CRD_FILE"
  echo "$dir/$CRD_FILE"
}

cmd_start() {
  local dir=${1:?usage: $0 start <dir>}
  local kubectl
  kubectl=$(kubectl_binary) || die "no kubectl within one minor version of $K8S_VERSION; run: $0 build"
  [[ -x "$CACHE/kube-apiserver" && -x "$CACHE/etcd" ]] || die "binaries missing in $CACHE; run: $0 build"
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  [[ ! -e "$dir/kube-apiserver.pid" && ! -e "$dir/etcd.pid" ]] || die "$dir already has a control plane; stop it first"
  # Whatever fails from here on, leave nothing running.
  trap 'cmd_stop "$dir"' ERR

  local etcd_client etcd_peer apiserver
  read -r etcd_client etcd_peer apiserver < <(free_ports 3)

  # Throwaway PKI: a CA, the API server's certificate for 127.0.0.1, the service-account signing key.
  local pki=$dir/pki
  mkdir -p "$pki"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 -subj /CN=cluster-test-ca \
    -keyout "$pki/ca.key" -out "$pki/ca.crt" 2>/dev/null
  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj /CN=kube-apiserver \
    -keyout "$pki/apiserver.key" -out "$pki/apiserver.csr" 2>/dev/null
  openssl x509 -req -in "$pki/apiserver.csr" -CA "$pki/ca.crt" -CAkey "$pki/ca.key" -CAcreateserial -days 1 \
    -extfile <(printf "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth") -out "$pki/apiserver.crt" 2>/dev/null
  openssl genrsa -out "$pki/sa.key" 2048 2>/dev/null
  openssl rsa -in "$pki/sa.key" -pubout -out "$pki/sa.pub" 2>/dev/null
  local token
  token=$(openssl rand -hex 24)
  # Static token of a cluster admin (system:masters bypasses RBAC, like AKS's admin credentials).
  echo "$token,cluster-test-admin,cluster-test-admin,system:masters" >"$pki/tokens.csv"
  chmod 600 "$pki"/*.key "$pki/tokens.csv"

  # The data is thrown away with <dir>, so etcd may skip fsync (--unsafe-no-fsync exists for tests).
  spawn "$dir" etcd "$CACHE/etcd" --name default --data-dir "$dir/etcd-data" \
    --listen-client-urls "http://127.0.0.1:$etcd_client" --advertise-client-urls "http://127.0.0.1:$etcd_client" \
    --listen-peer-urls "http://127.0.0.1:$etcd_peer" --initial-advertise-peer-urls "http://127.0.0.1:$etcd_peer" \
    --initial-cluster "default=http://127.0.0.1:$etcd_peer" --log-level warn --unsafe-no-fsync

  spawn "$dir" kube-apiserver "$CACHE/kube-apiserver" \
    --etcd-servers "http://127.0.0.1:$etcd_client" \
    --bind-address 127.0.0.1 --advertise-address 127.0.0.1 --secure-port "$apiserver" \
    --tls-cert-file "$pki/apiserver.crt" --tls-private-key-file "$pki/apiserver.key" --client-ca-file "$pki/ca.crt" \
    --token-auth-file "$pki/tokens.csv" --authorization-mode RBAC \
    --service-account-issuer https://kubernetes.default.svc.cluster.local \
    --service-account-key-file "$pki/sa.pub" --service-account-signing-key-file "$pki/sa.key" \
    --service-cluster-ip-range 10.96.0.0/24 --profiling=false

  cat >"$dir/kubeconfig" <<KUBECONFIG
apiVersion: v1
kind: Config
clusters:
- name: cluster-test
  cluster:
    server: https://127.0.0.1:$apiserver
    certificate-authority: $pki/ca.crt
users:
- name: cluster-test-admin
  user:
    token: $token
contexts:
- name: cluster-test
  context: {cluster: cluster-test, user: cluster-test-admin}
current-context: cluster-test
KUBECONFIG
  chmod 600 "$dir/kubeconfig"
  ln -sf "$kubectl" "$dir/kubectl"

  local i
  for ((i = 0; i < 120; i++)); do
    if "$kubectl" --kubeconfig "$dir/kubeconfig" get --raw /readyz >/dev/null 2>&1; then
      log "ready after $((i / 2)).$(((i % 2) * 5)) s: https://127.0.0.1:$apiserver (kubeconfig: $dir/kubeconfig)"
      trap - ERR
      return 0
    fi
    for name in etcd kube-apiserver; do
      kill -0 "$(cat "$dir/$name.pid")" 2>/dev/null || { tail -20 "$dir/$name.log" >&2; cmd_stop "$dir"; die "$name exited during start-up"; }
    done
    sleep 0.5
  done
  tail -20 "$dir/kube-apiserver.log" >&2
  cmd_stop "$dir"
  die "kube-apiserver not ready after 60 s"
}

# Stops the processes named by <dir>/*.pid, and only those: a PID is signalled only while it still
# runs the binary this script started (a recycled PID belongs to someone else).
cmd_stop() {
  local dir=${1:?usage: $0 stop <dir>} name pid exe i
  for name in kube-apiserver etcd; do
    [[ -f "$dir/$name.pid" ]] || continue
    pid=$(cat "$dir/$name.pid")
    exe=$(readlink "/proc/$pid/exe" 2>/dev/null || true)
    # " (deleted)": the binary was rebuilt while it ran.
    if [[ -n "$exe" && "${exe% (deleted)}" == "$(readlink -f "$CACHE/$name")" ]]; then
      kill -TERM "$pid" 2>/dev/null || true
      for ((i = 0; i < 100; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -KILL "$pid" 2>/dev/null || true
    fi
    rm -f "$dir/$name.pid"
  done
  return 0
}

# Builds, starts a control plane in a temporary folder, runs the cluster tests against it, and
# stops it again whatever happens (jest's own teardown is not relied upon).
cmd_test() {
  local started=$SECONDS crd
  cmd_build >/dev/null
  crd=$(cmd_crd)
  log "binaries ready in $((SECONDS - started)) s"
  # Global: the EXIT trap runs after this function's locals are gone.
  TEST_DIR=$(mktemp -d "${TMPDIR:-/tmp}/cluster-test.XXXXXX")
  trap 'cmd_stop "$TEST_DIR"; rm -rf "$TEST_DIR"' EXIT
  # A signal becomes an exit, so the EXIT trap stops the control plane (run_jest also stops jest).
  trap 'exit 130' INT TERM HUP
  started=$SECONDS
  cmd_start "$TEST_DIR"
  log "control plane started in $((SECONDS - started)) s"
  CLUSTER_TEST_DIR=$TEST_DIR SPC_CRD_FILE=$crd run_jest jest.cluster.config.js "$@"
}

case "${1:-}" in
  build) cmd_build "${2:-}" ;;
  crd) cmd_crd ;;
  start) cmd_start "${2:-}" ;;
  stop) cmd_stop "${2:-}" ;;
  test) shift; cmd_test "$@" ;;
  *) die "usage: $0 build [--node]|crd|start <dir>|stop <dir>|test [jest args]" ;;
esac
