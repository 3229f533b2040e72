#!/usr/bin/env bash
# A throwaway one-node Kubernetes cluster for the end-to-end test (`npm run test:e2e`): the
# control plane of scripts/control-plane.sh plus kube-scheduler, kube-controller-manager,
# containerd + runc (Debian packages), kubelet, the Secrets Store CSI driver and a plugin
# registrar. The Azure provider and the fake Azure it talks to are started by the tests
# (__tests__/e2e/), which own the fake's proxy address.
#
#   scripts/e2e/node.sh check            exit 3 with the reasons when this machine cannot run it (not root, packages missing)
#   scripts/e2e/node.sh start <dir>      start everything with its state in <dir>; writes <dir>/e2e.env
#                                        (E2E_DRIVER_VERSION picks the driver; default: the first of the list below)
#   scripts/e2e/node.sh stop <dir>       stop everything started in <dir>, unmount, delete its cgroups, bridge and host paths
#   scripts/e2e/node.sh test [args]      check, build, then for each driver version in CSI_DRIVER_E2E_VERSIONS
#                                        (lib-go-modules.sh): start, run jest -c jest.e2e.config.js [args], stop,
#                                        check nothing is left. Fails when any version fails; with
#                                        --outputFile=<f>, <f> sums the runs (each run's own: <f>.<version>).
#
# Everything listens on 127.0.0.1 or on unix sockets in <dir>; pods get a bridge of their own
# (E2E_BRIDGE) with an address range that is not routed anywhere.
set -Eeuo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
LOG_NAME=e2e
# shellcheck source=scripts/lib-shell.sh
source "$ROOT/scripts/lib-shell.sh"
# shellcheck source=scripts/lib-go-modules.sh
source "$ROOT/scripts/lib-go-modules.sh"
CONTROL_PLANE=$ROOT/scripts/control-plane.sh
NODE_NAME=e2e-node
DRIVER_NAME=secrets-store.csi.k8s.io
# Names the kernel sees outside <dir>: a bridge and its address range. So one node at a time per
# machine: start, stop and test hold LOCK_FILE while they work, and a node left running by
# `start` is named in NODE_MARKER, which `test` and another `start` refuse to run beside.
E2E_BRIDGE=kvcsi-e2e0
POD_CIDR=10.244.77.0/24
LOCK_DIR=/run/lock
[[ -d $LOCK_DIR ]] || LOCK_DIR=/tmp
LOCK_FILE=$LOCK_DIR/aks-keyvault-csi-e2e.lock
NODE_MARKER=$LOCK_DIR/aks-keyvault-csi-e2e.node
# Without QoS cgroups kubelet gives containerd no cgroup parent, and containerd puts each
# container under /<namespace>/<id>.
CGROUP_PARENT=k8s.io
# Host paths that containerd and the CNI plugins use whatever their config says (shim sockets,
# the CNI result cache, network namespaces): removed at stop only when the start created them.
HOST_PATHS=(/run/containerd /var/lib/cni /run/netns)
# Short enough for the driver's rotation to show within a test's patience, long enough that the
# driver does not spend the run polling (issue 15 measured 8 s for a 10 s poll).
ROTATION_POLL_SECONDS=5
# kubelet's pod sync period (syncFrequency; default and AKS: 1m, jittered up to 1.5x). From driver
# v1.6.0 on, rotation happens on the NodePublishVolume kubelet repeats at each pod sync
# (requiresRepublish), so this, not the driver's poll, sets how soon a rotated value lands. Shorter
# than the default so the v1.6 run takes seconds per rotation, not minutes; same mechanism.
KUBELET_SYNC_SECONDS=10
# .ci/run installs the same list (the last three are in most Debian images, not in minimal ones).
PACKAGES=(containerd runc containernetworking-plugins iproute2 mount util-linux)
CNI_BIN=/usr/lib/cni

# Why this machine cannot run the end-to-end test, one reason per line; nothing when it can.
missing_prerequisites() {
  if [[ $(id -u) -ne 0 ]]; then
    echo "not root (containerd, kubelet and the CSI driver mount file systems and create cgroups)"
  elif (( (0x$(awk '/^CapEff:/ { print $2 }' /proc/self/status) >> 21 & 1) == 0 )); then
    echo "root without CAP_SYS_ADMIN (an unprivileged container): nothing can be mounted"
  fi
  # The cgroup file systems themselves: systemd mounts the tmpfs that holds v1 controllers read-only.
  if awk '($3 == "cgroup" || $3 == "cgroup2") && index($2, "/sys/fs/cgroup") == 1 && $4 ~ /^ro(,|$)/ { found = 1 }
          END { exit !found }' /proc/mounts; then
    echo "a cgroup file system under /sys/fs/cgroup is mounted read-only: kubelet cannot create the pods' cgroups"
  fi
  [[ -d /sys/fs/cgroup/memory || -f /sys/fs/cgroup/cgroup.controllers ]] || echo "no cgroup file system under /sys/fs/cgroup"
  local cmd
  for cmd in containerd containerd-shim-runc-v2 runc ctr; do
    command -v "$cmd" >/dev/null || echo "no $cmd on the PATH (Debian packages: ${PACKAGES[*]})"
  done
  for cmd in bridge host-local loopback; do
    [[ -x $CNI_BIN/$cmd ]] || echo "no CNI plugin $CNI_BIN/$cmd (Debian package containernetworking-plugins)"
  done
  for cmd in ip umount flock; do
    command -v "$cmd" >/dev/null || echo "no $cmd on the PATH (Debian packages: ${PACKAGES[*]})"
  done
  command -v go >/dev/null || echo "no go on the PATH (the binaries are built from Go modules)"
  grep -qw overlay /proc/filesystems || modprobe overlay 2>/dev/null || true
  grep -qw overlay /proc/filesystems || echo "the kernel has no overlay file system (containerd's snapshotter)"
}

cmd_check() {
  local reasons
  reasons=$(missing_prerequisites)
  [[ -z "$reasons" ]] && return 0
  while IFS= read -r line; do log "cannot run: $line"; done <<<"$reasons"
  exit 3
}

# The cgroup hierarchies of this machine: every v1 controller folder, or the one v2 root.
cgroup_roots() {
  if [[ -f /sys/fs/cgroup/cgroup.controllers ]]; then echo /sys/fs/cgroup; return; fi
  local d
  for d in /sys/fs/cgroup/*/; do [[ -f "$d/cgroup.procs" ]] && echo "${d%/}"; done
  return 0
}

# Every cgroup folder under CGROUP_PARENT, in every hierarchy.
cgroup_folders() {
  local root
  for root in $(cgroup_roots); do
    [[ -d "$root/$CGROUP_PARENT" ]] && find "$root/$CGROUP_PARENT" -type d
  done
  return 0
}

# PIDs of the processes with an argument that contains <text> (a fixed string, not a pattern;
# arguments are NUL-separated in /proc/<pid>/cmdline, so <text> cannot span two).
pids_naming() {
  local file pid
  for file in $(grep -alF -- "$1" /proc/[0-9]*/cmdline 2>/dev/null); do
    pid=${file#/proc/}
    pid=${pid%/cmdline}
    # grep itself named the text, and is gone by now.
    [[ -d /proc/$pid && $pid != "$$" && $pid != "$BASHPID" ]] && echo "$pid"
  done
  return 0
}

# The host's veth links, by name (a pod's leaked network namespace keeps its pair alive).
veth_links() {
  ip -o link show type veth 2>/dev/null | awk -F': ' '{ sub(/@.*/, "", $2); print $2 }' | sort
}

# Mount points under <dir>, deepest first, decoded from /proc/self/mountinfo's octal escapes.
mounts_under() {
  local prefix mount
  prefix=$(printf '%s/' "$1" | sed 's/ /\\040/g')
  PREFIX=$prefix awk 'index($5, ENVIRON["PREFIX"]) == 1 { print $5 }' /proc/self/mountinfo | sort -r |
    while read -r mount; do printf '%b\n' "$mount"; done
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
  # with "can't get final child's PID from pipe: EOF" (issue 15). cgroupfs on both sides: no
  # systemd. Network namespaces are mounted under the state folder, so stop unmounts them with
  # everything else (the default, /run/netns, kept a namespace and its veth per pod).
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
  netns_mounts_under_state_dir = true
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
    ctr --address "$dir/containerd.sock" -n k8s.io images import "$archive" >/dev/null ||
      die "ctr could not import $archive"
  done
}

start_controllers() {
  local dir=$1 bins=$2
  # Only what the test needs: Deployments become ReplicaSets become pods, and the node's
  # not-ready taint is lifted once the node is Ready.
  spawn "$dir" kube-controller-manager "$bins/kube-controller-manager" --kubeconfig "$dir/kubeconfig" \
    --controllers=deployment,replicaset,nodelifecycle --leader-elect=false \
    --bind-address 127.0.0.1 --secure-port 0 --node-monitor-grace-period=40s
  spawn "$dir" kube-scheduler "$bins/kube-scheduler" --kubeconfig "$dir/kubeconfig" \
    --authentication-kubeconfig "$dir/kubeconfig" --authorization-kubeconfig "$dir/kubeconfig" \
    --leader-elect=false --bind-address 127.0.0.1 --secure-port 0
}

start_kubelet() {
  local dir=$1 bins=$2 port
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
syncFrequency: ${KUBELET_SYNC_SECONDS}s
registerNode: true
evictionHard: {memory.available: "1Mi", nodefs.available: "1%", imagefs.available: "1%"}
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
YAML
  spawn "$dir" kubelet "$bins/kubelet" --config "$dir/kubelet.yaml" --kubeconfig "$dir/kubeconfig" \
    --root-dir "$dir/kubelet" --hostname-override "$NODE_NAME" --node-ip 127.0.0.1 --v=2
}

start_csi_driver() {
  local dir=$1 bins=$2 version=$3 port
  [[ -x "$bins/secrets-store-csi-driver-$version" ]] || die "no driver $version in $bins (CSI_DRIVER_E2E_VERSIONS lists the built ones)"
  read -r port < <(free_ports 1)
  mkdir -p "$dir/kubelet/plugins/csi-secrets-store" "$dir/kubelet/plugins_registry" "$dir/providers"
  # The rotation reconciler reads KUBECONFIG, not --kubeconfig (pkg/rotation/reconciler.go buildConfig).
  KUBECONFIG=$dir/kubeconfig spawn "$dir" secrets-store-csi-driver "$bins/secrets-store-csi-driver-$version" --kubeconfig "$dir/kubeconfig" \
    --endpoint "unix://$dir/kubelet/plugins/csi-secrets-store/csi.sock" --nodeid "$NODE_NAME" \
    --provider-volume "$dir/providers" --enable-secret-rotation --rotation-poll-interval "${ROTATION_POLL_SECONDS}s" \
    --metrics-addr "127.0.0.1:$port"
  # kubelet dials the driver as soon as the registrar answers, once; the upstream registrar also
  # waits for the driver's socket first.
  wait_for "the CSI driver's socket" 60 test -S "$dir/kubelet/plugins/csi-secrets-store/csi.sock"
  spawn "$dir" csi-node-registrar "$bins/csi-node-registrar" --driver-name "$DRIVER_NAME" \
    --csi-address "$dir/kubelet/plugins/csi-secrets-store/csi.sock" \
    --registration-socket "$dir/kubelet/plugins_registry/$DRIVER_NAME-reg.sock"
}

# kubectl against the node's API server: kubectl_in <dir> <args...>
kubectl_in() { local dir=$1; shift; "$dir/kubectl" --kubeconfig "$dir/kubeconfig" "$@"; }

node_ready() {
  [[ $(kubectl_in "$1" get node "$NODE_NAME" -o 'jsonpath={.status.conditions[?(@.type=="Ready")].status}') == True ]]
}

# kubelet has registered the driver (its CSINode lists it).
driver_registered() {
  [[ -n $(kubectl_in "$1" get csinode "$NODE_NAME" -o "jsonpath={.spec.drivers[?(@.name=='$DRIVER_NAME')].name}") ]]
}

# Starts the node in <dir>, with the binaries in E2E_BINARIES and the CRD in SPC_CRD_FILE when
# the caller has them already.
cmd_start() {
  local dir=$1
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  local bins=${E2E_BINARIES:-} crd=${SPC_CRD_FILE:-} path version=${E2E_DRIVER_VERSION:-${CSI_DRIVER_E2E_VERSIONS[0]%% *}}
  [[ -n "$bins" ]] || bins=$("$HERE/build.sh")
  [[ -n "$crd" ]] || crd=$("$CONTROL_PLANE" crd)
  cgroup_folders >"$dir/cgroups.before"
  veth_links >"$dir/veths.before"
  for path in "${HOST_PATHS[@]}"; do [[ -e "$path" ]] || echo "$path"; done >"$dir/host-paths.created"

  "$CONTROL_PLANE" start "$dir"
  start_containerd "$dir"
  import_images "$dir" "$bins/images"
  start_controllers "$dir" "$bins"
  # The driver's CRDs and CSIDriver object, as its Helm chart installs them with workload
  # identity: the kubelet asks for a service-account token for the Azure audience on every mount.
  kubectl_in "$dir" apply --server-side -f "$crd" -f "$(dirname "$crd")/secrets-store.csi.x-k8s.io_secretproviderclasspodstatuses.yaml" >/dev/null
  kubectl_in "$dir" apply --server-side -f - >/dev/null <<YAML
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
  start_csi_driver "$dir" "$bins" "$version"
  wait_for "node $NODE_NAME" 120 node_ready "$dir"
  wait_for "CSI driver registration" 60 driver_registered "$dir"
  check_alive "$dir" containerd kubelet kube-scheduler kube-controller-manager secrets-store-csi-driver csi-node-registrar
  cat >"$dir/e2e.env" <<ENV
E2E_DIR=$dir
E2E_BINARIES=$bins
E2E_CONTAINERD=$dir/containerd.sock
E2E_PROVIDER_SOCKET_DIR=$dir/providers
E2E_ROTATION_POLL_MS=$((ROTATION_POLL_SECONDS * 1000))
E2E_KUBELET_SYNC_MS=$((KUBELET_SYNC_SECONDS * 1000))
E2E_DRIVER_VERSION=$version
ENV
  log "node $NODE_NAME ready with driver $version (state: $dir)"
}

# Stops a process from its PID file, only while it is still ours: every process this script or
# the tests start names <dir> on its command line, so a recycled PID is left alone.
stop_pid() {
  local dir=$1 name=$2 pid i
  [[ -f "$dir/$name.pid" ]] || return 0
  pid=$(cat "$dir/$name.pid")
  if { tr '\0' ' ' <"/proc/$pid/cmdline"; } 2>/dev/null | grep -qF -- "$dir/"; then
    kill -TERM "$pid" 2>/dev/null
    for ((i = 0; i < 50; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null
  fi
  rm -f "$dir/$name.pid"
}

# Kills every process of the containers this node's containerd knows (their cgroups are
# <hierarchy>/k8s.io/<container id>), or, when containerd no longer answers, of the cgroup
# folders that appeared since the start.
kill_containers() {
  local dir=$1 folders=() ids id root folder pid
  if ids=$(ctr --address "$dir/containerd.sock" -n k8s.io containers ls -q 2>/dev/null); then
    for id in $ids; do
      for root in $(cgroup_roots); do folders+=("$root/$CGROUP_PARENT/$id"); done
    done
  else
    mapfile -t folders < <(cgroup_folders | grep -vxF -f "$dir/cgroups.before")
  fi
  printf '%s\n' "${folders[@]}" >>"$dir/cgroups.ours"
  for folder in "${folders[@]}"; do
    for pid in $(cat "$folder/cgroup.procs" 2>/dev/null); do kill -KILL "$pid" 2>/dev/null; done
  done
}

# Best effort throughout (a subshell without errexit): one step that fails must not keep the
# others from cleaning up.
cmd_stop() (
  set +e
  dir=$1
  [[ -d "$dir" ]] || exit 0
  dir=$(cd "$dir" && pwd)
  # kubelet first, so it restarts nothing; then the containers' processes.
  stop_pid "$dir" kubelet
  kill_containers "$dir"
  for name in reloader azure-provider csi-node-registrar secrets-store-csi-driver kube-scheduler kube-controller-manager containerd; do
    stop_pid "$dir" "$name"
  done
  # The shims outlive containerd by design; ours name our socket on their command line.
  for pid in $(pids_naming "$dir/containerd.sock"); do kill -KILL "$pid" 2>/dev/null; done
  "$CONTROL_PLANE" stop "$dir"
  # Pod volumes, the driver's tmpfs, overlay snapshots, network namespaces.
  while read -r mount; do umount -l "$mount"; done < <(mounts_under "$dir")
  # The containers' cgroup folders (a folder goes once its processes are gone), then the parent
  # if this run made it.
  for ((i = 0; i < 50; i++)); do
    left=0
    while read -r folder; do
      [[ -d "$folder" ]] && { rmdir "$folder" 2>/dev/null || left=1; }
    done < <(sort -u "$dir/cgroups.ours" 2>/dev/null)
    ((left == 0)) && break
    sleep 0.1
  done
  for root in $(cgroup_roots); do
    grep -qxF "$root/$CGROUP_PARENT" "$dir/cgroups.before" 2>/dev/null || rmdir "$root/$CGROUP_PARENT" 2>/dev/null
  done
  ip link del "$E2E_BRIDGE" 2>/dev/null
  while read -r path; do rm -rf "$path"; done < <(cat "$dir/host-paths.created" 2>/dev/null)
  exit 0
)

# What a stop left behind of the run in <dir>, one line each; nothing when it is clean.
leftovers() {
  local dir=$1 pid
  for pid in $(pids_naming "$dir/"); do echo "process: $(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null)"; done
  mounts_under "$dir" | sed 's/^/mount: /'
  cgroup_folders | { grep -vxF -f "$dir/cgroups.before" 2>/dev/null || true; } | sed 's/^/cgroup: /'
  if ip link show "$E2E_BRIDGE" >/dev/null 2>&1; then echo "bridge: $E2E_BRIDGE"; fi
  veth_links | { grep -vxF -f "$dir/veths.before" 2>/dev/null || true; } | sed 's/^/veth: /' 
  local path
  while read -r path; do [[ -e "$path" ]] && echo "host path: $path"; done < <(cat "$dir/host-paths.created" 2>/dev/null)
  return 0
}

# Stops everything and checks that nothing is left; a leftover fails the run. The logs of a
# failed run are kept (and their ends printed), since the run's folder goes.
stop_and_check() {
  local dir=$1 status=$2 left keep name
  cmd_stop "$dir"
  left=$(leftovers "$dir")
  if [[ -n "$left" ]]; then
    while IFS= read -r line; do log "ERROR: left after stop: $line"; done <<<"$left"
    status=1
  fi
  if ((status != 0)); then
    keep=$(mktemp -d "${TMPDIR:-/tmp}/e2e-logs.XXXXXX")
    cp "$dir"/*.log "$keep/" 2>/dev/null || true
    for name in kubelet secrets-store-csi-driver azure-provider reloader; do
      [[ -f "$keep/$name.log" ]] && { log "last lines of $name.log:"; tail -15 "$keep/$name.log" >&2; }
    done
    log "logs of this run: $keep"
  fi
  rm -rf --one-file-system "$dir"
  exit "$status"
}

# Takes the machine's e2e lock on descriptor 9, waiting up to <seconds>.
lock() {
  exec 9>>"$LOCK_FILE"
  flock -w "$1" 9 || die "another e2e run on this machine still holds $LOCK_FILE"
}

# Refuses to run beside a node that `start` left running (named in NODE_MARKER).
no_started_node() {
  local other
  other=$(cat "$NODE_MARKER" 2>/dev/null) || return 0
  if [[ -f "$other/containerd.pid" ]] && kill -0 "$(cat "$other/containerd.pid")" 2>/dev/null; then
    die "a node started with \`$0 start\` still runs in $other; stop it first: $0 stop $other"
  fi
  rm -f "$NODE_MARKER"
}

# One node with one driver version, its tests and its stop: run_version <version> [jest args].
# A subshell, so its EXIT trap stops this node and the next version starts from nothing.
run_version() (
  set -e
  local version=$1 started=$SECONDS; shift
  E2E_RUN_DIR=$(mktemp -d "${TMPDIR:-/tmp}/e2e.XXXXXX")
  trap 'stop_and_check "$E2E_RUN_DIR" $?' EXIT
  # A signal becomes an exit, so the EXIT trap stops the node (run_jest also stops jest).
  trap 'exit 130' INT TERM HUP
  E2E_DRIVER_VERSION=$version cmd_start "$E2E_RUN_DIR"
  log "node started in $((SECONDS - started)) s"
  # The cluster tests' kubectl helpers are reused: they find the API server through CLUSTER_TEST_DIR.
  E2E_ENV_FILE=$E2E_RUN_DIR/e2e.env CLUSTER_TEST_DIR=$E2E_RUN_DIR SPC_CRD_FILE=$SPC_CRD_FILE run_jest jest.e2e.config.js "$@"
)

# Jest's --json reports of the runs, summed into <out>: counts added, test results concatenated,
# success only when every run succeeded.
merge_reports() {
  node -e '
    const fs = require("fs");
    const [out, ...files] = process.argv.slice(1);
    const runs = files.filter((f) => fs.existsSync(f)).map((f) => JSON.parse(fs.readFileSync(f, "utf8")));
    const sum = (key) => runs.reduce((n, r) => n + (r[key] ?? 0), 0);
    const merged = { ...runs[runs.length - 1], success: runs.length === files.length && runs.every((r) => r.success), testResults: runs.flatMap((r) => r.testResults) };
    for (const key of Object.keys(merged)) if (/^num/.test(key)) merged[key] = sum(key);
    fs.writeFileSync(out, JSON.stringify(merged));
  ' "$@"
}

cmd_test() {
  cmd_check
  cd "$ROOT"
  lock 900
  no_started_node
  local started=$SECONDS entry version status=0 rc arg out="" reports=() failed=()
  E2E_BINARIES=$("$HERE/build.sh")
  SPC_CRD_FILE=$("$CONTROL_PLANE" crd)
  export E2E_BINARIES SPC_CRD_FILE
  log "binaries ready in $((SECONDS - started)) s ($E2E_BINARIES)"
  for arg in "$@"; do if [[ "$arg" == --outputFile=* ]]; then out=${arg#--outputFile=}; fi; done
  # A signal reaches the running version's subshell too, which stops its node; a signal sent to
  # this shell alone takes effect once that run ends (bash runs traps after a foreground command).
  local interrupted=""
  trap 'interrupted=1' INT TERM HUP
  for entry in "${CSI_DRIVER_E2E_VERSIONS[@]}"; do
    version=${entry%% *}
    local args=("$@")
    if [[ -n "$out" ]]; then
      args=("${args[@]/#--outputFile=*/--outputFile=$out.$version}")
      reports+=("$out.$version")
    fi
    log "=== driver $version"
    # Not `run_version || ...`: bash ignores errexit in everything a || list runs, subshells included.
    set +e
    run_version "$version" "${args[@]}"
    rc=$?
    set -e
    ((rc == 0)) || { status=$rc; failed+=("$version"); }
    # An interrupted run stops here rather than starting the next node.
    if ((rc == 130)) || [[ -n "$interrupted" ]]; then status=130; break; fi
  done
  [[ -z "$out" ]] || merge_reports "$out" "${reports[@]}"
  ((${#failed[@]} == 0)) || log "failed with driver ${failed[*]}"
  return "$status"
}

# Sourced (by a debugging shell), it only defines the functions.
[[ "${BASH_SOURCE[0]}" == "$0" ]] || return 0
case "${1:-}" in
  check) cmd_check ;;
  start)
    [[ -n "${2:-}" ]] || die "usage: $0 start <dir>"
    cmd_check
    lock 0
    no_started_node
    # A failed start leaves nothing running.
    trap 'status=$?; ((status == 0)) || cmd_stop "$2"' EXIT
    cmd_start "$2"
    (cd "$2" && pwd) >"$NODE_MARKER"
    ;;
  stop)
    [[ -n "${2:-}" ]] || die "usage: $0 stop <dir>"
    lock 60
    cmd_stop "$2"
    [[ "$(cat "$NODE_MARKER" 2>/dev/null)" != "$(cd "$2" 2>/dev/null && pwd)" ]] || rm -f "$NODE_MARKER"
    ;;
  test) shift; cmd_test "$@" ;;
  *) die "usage: $0 check|start <dir>|stop <dir>|test [jest args]" ;;
esac
