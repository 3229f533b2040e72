#!/usr/bin/env bash
# A throwaway one-node Kubernetes cluster for the end-to-end test (`npm run test:e2e`): the
# control plane of scripts/control-plane.sh plus kube-scheduler, kube-controller-manager,
# containerd + runc (Debian packages), kubelet, the Secrets Store CSI driver and a plugin
# registrar. The Azure provider and the fake Azure it talks to are started by the tests
# (__tests__/e2e/), which own the fake's proxy address.
#
#   scripts/e2e/node.sh check            exit 3 with the reason when this machine cannot run it (not root, packages missing)
#   scripts/e2e/node.sh start <dir>      start everything with its state in <dir>; writes <dir>/e2e.env
#   scripts/e2e/node.sh stop <dir>       stop everything started in <dir> (by PID file), unmount, delete its cgroups and bridge
#   scripts/e2e/node.sh test [args]      check, build, start, run jest -c jest.e2e.config.js [args], stop
#
# Everything listens on 127.0.0.1 or on unix sockets in <dir>; pods get a bridge of their own
# (E2E_BRIDGE) with an address range that is not routed anywhere.
set -Eeuo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
CONTROL_PLANE=$ROOT/scripts/control-plane.sh
NODE_NAME=e2e-node
DRIVER_NAME=secrets-store.csi.k8s.io
# Names the kernel sees outside <dir>: one bridge, one cgroup subtree per controller.
E2E_BRIDGE=kvcsi-e2e0
POD_CIDR=10.244.77.0/24
# Without QoS cgroups kubelet gives containerd no cgroup parent, and containerd puts each
# container under /<namespace>/<id>.
CGROUP_PARENT=k8s.io
# Short enough for the driver's rotation to show within a test's patience, long enough that the
# driver does not spend the run polling (issue 15 measured 8 s for a 10 s poll).
ROTATION_POLL=5s
PACKAGES=(containerd runc containernetworking-plugins)
CNI_BIN=/usr/lib/cni

log() { echo "e2e: $*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# Why this machine cannot run the end-to-end test, one reason per line; nothing when it can.
missing_prerequisites() {
  [[ $(id -u) -eq 0 ]] || echo "not root (containerd, kubelet and the CSI driver mount file systems and create cgroups)"
  local cmd
  for cmd in containerd containerd-shim-runc-v2 runc ctr; do
    command -v "$cmd" >/dev/null || echo "no $cmd on the PATH (Debian packages: ${PACKAGES[*]})"
  done
  for cmd in bridge host-local loopback; do
    [[ -x $CNI_BIN/$cmd ]] || echo "no CNI plugin $CNI_BIN/$cmd (Debian package containernetworking-plugins)"
  done
  command -v go >/dev/null || echo "no go on the PATH (the binaries are built from Go modules)"
  grep -qw overlay /proc/filesystems || echo "the kernel has no overlay file system (containerd's snapshotter)"
  [[ -d /sys/fs/cgroup/memory || -f /sys/fs/cgroup/cgroup.controllers ]] || echo "no cgroup file system under /sys/fs/cgroup"
}

cmd_check() {
  local reasons
  reasons=$(missing_prerequisites)
  [[ -z "$reasons" ]] && return 0
  while IFS= read -r line; do log "cannot run: $line"; done <<<"$reasons"
  exit 3
}

free_ports() {
  node -e '
    const net = require("net");
    const servers = Array.from({ length: Number(process.argv[1]) }, () => net.createServer());
    Promise.all(servers.map((s) => new Promise((ok) => s.listen(0, "127.0.0.1", ok)))).then(() => {
      console.log(servers.map((s) => s.address().port).join(" "));
      servers.forEach((s) => s.close());
    });' "$1"
}

spawn() {
  local dir=$1 name=$2; shift 2
  "$@" >"$dir/$name.log" 2>&1 &
  echo $! >"$dir/$name.pid"
}

# The cgroup hierarchies of this machine: every v1 controller folder, or the one v2 root.
cgroup_roots() {
  if [[ -f /sys/fs/cgroup/cgroup.controllers ]]; then echo /sys/fs/cgroup; return; fi
  local d
  for d in /sys/fs/cgroup/*/; do [[ -f "$d/cgroup.procs" ]] && echo "${d%/}"; done
}

# Every cgroup folder under CGROUP_PARENT, in every hierarchy.
cgroup_folders() {
  local root
  for root in $(cgroup_roots); do
    [[ -d "$root/$CGROUP_PARENT" ]] && find "$root/$CGROUP_PARENT" -type d
  done
  return 0
}

wait_for() {
  local what=$1 tries=$2; shift 2
  local i
  for ((i = 0; i < tries; i++)); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.5
  done
  die "$what not ready after $((tries / 2)) s"
}

# Fails the start when one of the started processes has already died, with its log's tail.
check_alive() {
  local dir=$1 name
  for name in "${@:2}"; do
    if ! kill -0 "$(cat "$dir/$name.pid")" 2>/dev/null; then
      tail -30 "$dir/$name.log" >&2
      die "$name exited during start-up (log: $dir/$name.log)"
    fi
  done
}

start_containerd() {
  local dir=$1
  mkdir -p "$dir/containerd" "$dir/cni/net.d" "$dir/cni/ipam"
  cat >"$dir/cni/net.d/10-e2e.conflist" <<CNI
{
  "cniVersion": "1.0.0",
  "name": "kvcsi-e2e",
  "plugins": [
    {
      "type": "bridge", "bridge": "$E2E_BRIDGE", "isGateway": true, "ipMasq": false,
      "ipam": { "type": "host-local", "dataDir": "$dir/cni/ipam", "ranges": [[{ "subnet": "$POD_CIDR" }]] }
    },
    { "type": "loopback" }
  ]
}
CNI
  # restrict_oom_score_adj: runc cannot lower its own oom_score_adj on this kind of VM and fails
  # with "can't get final child's PID from pipe: EOF" (issue 15). cgroupfs on both sides: no systemd.
  cat >"$dir/containerd/config.toml" <<TOML
version = 2
root = "$dir/containerd/root"
state = "$dir/containerd/state"
disabled_plugins = ["io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.zfs", "io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.devmapper"]
[grpc]
  address = "$dir/containerd.sock"
[plugins."io.containerd.internal.v1.opt"]
  path = "$dir/containerd/opt"
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "e2e.local/pause:1"
  restrict_oom_score_adj = true
  enable_selinux = false
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        SystemdCgroup = false
        Root = "$dir/containerd/runc"
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "$CNI_BIN"
    conf_dir = "$dir/cni/net.d"
TOML
  spawn "$dir" containerd containerd --config "$dir/containerd/config.toml"
  wait_for containerd 60 ctr --address "$dir/containerd.sock" version
  check_alive "$dir" containerd
}

import_images() {
  local dir=$1 images=$2 archive
  for archive in "$images"/*.oci.tar; do
    ctr --address "$dir/containerd.sock" -n k8s.io images import --no-unpack=false "$archive" >/dev/null ||
      die "ctr could not import $archive"
  done
}

start_controllers() {
  local dir=$1 k8s=$2
  # Only what the test needs: Deployments become ReplicaSets become pods, and the node's
  # not-ready taint is lifted once the node is Ready.
  spawn "$dir" kube-controller-manager "$k8s/kube-controller-manager" --kubeconfig "$dir/kubeconfig" \
    --controllers=deployment,replicaset,nodelifecycle --leader-elect=false \
    --bind-address 127.0.0.1 --secure-port 0 --node-monitor-grace-period=40s
  spawn "$dir" kube-scheduler "$k8s/kube-scheduler" --kubeconfig "$dir/kubeconfig" \
    --authentication-kubeconfig "$dir/kubeconfig" --authorization-kubeconfig "$dir/kubeconfig" \
    --leader-elect=false --bind-address 127.0.0.1 --secure-port 0
}

start_kubelet() {
  local dir=$1 k8s=$2 port
  read -r port < <(free_ports 1)
  mkdir -p "$dir/kubelet" "$dir/pod-logs"
  # cgroup v1 (hybrid) on this kind of VM: kubelet 1.34 refuses it unless told otherwise; no
  # QoS cgroups and no node allocatable enforcement, so kubelet only creates the pods' cgroups.
  cat >"$dir/kubelet.yaml" <<YAML
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
failCgroupV1: false
failSwapOn: false
cgroupsPerQOS: false
enforceNodeAllocatable: []
cgroupDriver: cgroupfs
containerRuntimeEndpoint: unix://$dir/containerd.sock
address: 127.0.0.1
port: $port
readOnlyPort: 0
healthzPort: 0
authentication:
  anonymous: {enabled: false}
  webhook: {enabled: false}
authorization: {mode: AlwaysAllow}
podLogsDir: $dir/pod-logs
registerNode: true
evictionHard: {memory.available: "1Mi", nodefs.available: "1%", imagefs.available: "1%"}
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
syncFrequency: 10s
YAML
  spawn "$dir" kubelet "$k8s/kubelet" --config "$dir/kubelet.yaml" --kubeconfig "$dir/kubeconfig" \
    --root-dir "$dir/kubelet" --hostname-override "$NODE_NAME" --node-ip 127.0.0.1 --v=2
}

start_csi_driver() {
  local dir=$1 bins=$2 ports
  read -r -a ports < <(free_ports 1)
  mkdir -p "$dir/kubelet/plugins/csi-secrets-store" "$dir/kubelet/plugins_registry" "$dir/providers"
  # The rotation reconciler reads KUBECONFIG, not --kubeconfig (pkg/rotation/reconciler.go buildConfig).
  KUBECONFIG=$dir/kubeconfig spawn "$dir" secrets-store-csi-driver "$bins/secrets-store-csi-driver" --kubeconfig "$dir/kubeconfig" \
    --endpoint "unix://$dir/kubelet/plugins/csi-secrets-store/csi.sock" --nodeid "$NODE_NAME" \
    --provider-volume "$dir/providers" --enable-secret-rotation --rotation-poll-interval "$ROTATION_POLL" \
    --metrics-addr "127.0.0.1:${ports[0]}"
  spawn "$dir" csi-node-registrar "$bins/csi-node-registrar" --driver-name "$DRIVER_NAME" \
    --csi-address "$dir/kubelet/plugins/csi-secrets-store/csi.sock" \
    --registration-socket "$dir/kubelet/plugins_registry/$DRIVER_NAME-reg.sock"
}

kubectl_() { "$dir/kubectl" --kubeconfig "$dir/kubeconfig" "$@"; }

cmd_start() {
  local dir=${1:?usage: $0 start <dir>}
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  local bins crd
  bins=$("$HERE/build.sh")
  crd=$("$CONTROL_PLANE" crd)
  cgroup_folders >"$dir/cgroups.before"
  local path
  for path in "${HOST_PATHS[@]}"; do [[ -e "$path" ]] || echo "$path"; done >"$dir/host-paths.created"

  "$CONTROL_PLANE" start "$dir"
  start_containerd "$dir"
  import_images "$dir" "$bins/images"
  start_controllers "$dir" "$bins"
  # The driver's CRDs and CSIDriver object, as its Helm chart installs them with workload
  # identity: the kubelet asks for a service-account token for the Azure audience on every mount.
  kubectl_ apply --server-side -f "$crd" -f "$(dirname "$crd")/secrets-store.csi.x-k8s.io_secretproviderclasspodstatuses.yaml" >/dev/null
  kubectl_ apply --server-side -f - >/dev/null <<YAML
apiVersion: storage.k8s.io/v1
kind: CSIDriver
metadata:
  name: $DRIVER_NAME
spec:
  podInfoOnMount: true
  attachRequired: false
  volumeLifecycleModes: [Ephemeral]
  tokenRequests:
  - audience: api://AzureADTokenExchange
  requiresRepublish: true
YAML
  start_kubelet "$dir" "$bins"
  start_csi_driver "$dir" "$bins"
  wait_for "node $NODE_NAME" 120 kubectl_ wait --for=condition=Ready "node/$NODE_NAME" --timeout=1s
  wait_for "CSI driver registration" 60 kubectl_ get csinode "$NODE_NAME" -o "jsonpath={.spec.drivers[?(@.name=='$DRIVER_NAME')].name}"
  check_alive "$dir" containerd kubelet kube-scheduler kube-controller-manager secrets-store-csi-driver csi-node-registrar
  cat >"$dir/e2e.env" <<ENV
E2E_DIR=$dir
E2E_BINARIES=$bins
E2E_CONTAINERD=$dir/containerd.sock
E2E_PROVIDER_SOCKET_DIR=$dir/providers
E2E_ROTATION_POLL=$ROTATION_POLL
E2E_NODE=$NODE_NAME
ENV
  log "node $NODE_NAME ready (state: $dir)"
}

# Stops a process from its PID file, only while it is still ours: every process this script or
# the tests start names <dir> on its command line, so a recycled PID is left alone.
stop_pid() {
  local dir=$1 name=$2 pid i
  [[ -f "$dir/$name.pid" ]] || return 0
  pid=$(cat "$dir/$name.pid")
  if { tr '\0' ' ' <"/proc/$pid/cmdline"; } 2>/dev/null | grep -qF "$dir/"; then
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < 50; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$dir/$name.pid"
}

# Host paths outside <dir> that containerd and the CNI plugins use whatever their config says
# (shim sockets, the CNI result cache); removed at stop only when the start created them.
HOST_PATHS=(/run/containerd /var/lib/cni)

cmd_stop() {
  local dir=${1:?usage: $0 stop <dir>} name
  [[ -d "$dir" ]] || return 0
  dir=$(cd "$dir" && pwd)
  # kubelet first, so it restarts nothing; then every process in the pods' cgroups.
  stop_pid "$dir" kubelet
  local folder pid
  for folder in $(cgroup_folders | grep -vxF -f "$dir/cgroups.before" 2>/dev/null); do
    for pid in $(cat "$folder/cgroup.procs" 2>/dev/null); do kill -KILL "$pid" 2>/dev/null || true; done
  done
  for name in azure-provider csi-node-registrar secrets-store-csi-driver kube-scheduler kube-controller-manager containerd; do
    stop_pid "$dir" "$name"
  done
  # The shims outlive containerd by design; ours name our socket on their command line.
  for pid in $(pgrep -f "containerd-shim-runc-v2 .*-address $dir/containerd.sock" || true); do
    kill -KILL "$pid" 2>/dev/null || true
  done
  "$CONTROL_PLANE" stop "$dir"
  # Mounts under <dir> (pod volumes, the driver's tmpfs, overlay snapshots), deepest first.
  local mount
  while read -r mount; do umount -l "$mount" 2>/dev/null || true; done < <(
    awk -v d="$dir/" 'index($5, d) == 1 { print $5 }' /proc/self/mountinfo | sort -r)
  # The cgroup folders the pods got, deepest first (a folder goes once its processes are gone).
  local i left
  for ((i = 0; i < 50; i++)); do
    left=0
    while read -r folder; do rmdir "$folder" 2>/dev/null || left=1; done < <(
      cgroup_folders | grep -vxF -f "$dir/cgroups.before" 2>/dev/null | sort -r)
    ((left == 0)) && break
    sleep 0.1
  done
  ip link del "$E2E_BRIDGE" 2>/dev/null || true
  local path
  while read -r path; do rm -rf "$path"; done < <(cat "$dir/host-paths.created" 2>/dev/null)
  rm -f "$dir/host-paths.created"
  return 0
}

# What a stop left behind under <dir>, one line each; nothing when it is clean.
leftovers() {
  local dir=$1
  pgrep -af -- "$dir/" | grep -v "pgrep" | sed 's/^/process: /' || true
  awk -v d="$dir/" 'index($5, d) == 1 { print "mount: " $5 }' /proc/self/mountinfo
  cgroup_folders | grep -vxF -f "$dir/cgroups.before" 2>/dev/null | sed 's/^/cgroup: /' || true
  ip link show "$E2E_BRIDGE" >/dev/null 2>&1 && echo "bridge: $E2E_BRIDGE"
  return 0
}

# Stops everything, then checks that nothing is left; a leftover fails the run.
stop_and_check() {
  local dir=$1 status=$2 left
  cmd_stop "$dir"
  left=$(leftovers "$dir")
  if [[ -n "$left" ]]; then
    while IFS= read -r line; do log "ERROR: left after stop: $line"; done <<<"$left"
    status=1
  fi
  rm -rf "$dir"
  exit "$status"
}

cmd_test() {
  cmd_check
  cd "$ROOT"
  local started=$SECONDS bins
  bins=$("$HERE/build.sh")
  log "binaries ready in $((SECONDS - started)) s ($bins)"
  E2E_RUN_DIR=$(mktemp -d "${TMPDIR:-/tmp}/e2e.XXXXXX")
  JEST_PID=
  trap 'stop_and_check "$E2E_RUN_DIR" $?' EXIT
  trap '[[ -n "$JEST_PID" ]] && kill -TERM "$JEST_PID" 2>/dev/null; exit 130' INT TERM HUP
  started=$SECONDS
  cmd_start "$E2E_RUN_DIR"
  log "node started in $((SECONDS - started)) s"
  started=$SECONDS
  local status=0
  # The cluster tests' kubectl helpers are reused: they find the API server through CLUSTER_TEST_DIR.
  E2E_ENV_FILE=$E2E_RUN_DIR/e2e.env CLUSTER_TEST_DIR=$E2E_RUN_DIR SPC_CRD_FILE=$("$CONTROL_PLANE" crd) node node_modules/jest/bin/jest.js -c jest.e2e.config.js "$@" &
  JEST_PID=$!
  wait "$JEST_PID" || status=$?
  log "tests ran in $((SECONDS - started)) s"
  return "$status"
}

# Sourced (by a debugging shell), it only defines the functions.
[[ "${BASH_SOURCE[0]}" == "$0" ]] || return 0
case "${1:-}" in
  check) cmd_check ;;
  # A failed start leaves nothing running.
  start) trap 'status=$?; ((status == 0)) || cmd_stop "$2"' EXIT; cmd_start "${2:-}" ;;
  stop) cmd_stop "${2:-}" ;;
  test) shift; cmd_test "$@" ;;
  *) die "usage: $0 check|start <dir>|stop <dir>|test [jest args]" ;;
esac
