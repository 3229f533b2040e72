# Go modules and helpers shared by the scripts that build binaries from Go modules
# (scripts/control-plane.sh, scripts/e2e/build.sh). Sourced, not run. The sourcing script sets
# LOG_NAME (the prefix of its log lines) first.

# The Secrets Store CSI driver: its CRD for the cluster tests, its binaries for the e2e run.
CSI_DRIVER_MODULE=sigs.k8s.io/secrets-store-csi-driver
# The version the AKS add-on runs today: the add-on's images cached on AKS node images, e.g.
# mcr.microsoft.com/oss/v2/kubernetes-csi/secrets-store/driver:v1.5.4 beside provider-azure:v1.7.2
# in Azure/AKS vhd-notes/aks-ubuntu/AKSUbuntu-2404/202607.09.0.txt (the AKS changelog's release
# 2026-01-04 moved the add-on to provider v1.7.2). Its CRDs serve the cluster tests (v1.6.0's are
# the same).
CSI_DRIVER_VERSION=v1.5.4
# go.sum line of the module (h1: hash of its zip). `go mod download` verifies the zip against the
# Go checksum database; this pin also holds where GOSUMDB=off or GONOSUMDB switch that off.
CSI_DRIVER_SUM="h1:enl+v1+JbKDyVjdfT/7CillZsc4rLAM9tTHyf7GeLxc="
# Every driver the e2e run starts a node with, in order, as "<version> <go.sum hash>": the add-on's,
# then the newest v1.6 the module proxy serves. v1.6.0 rotates on kubelet's periodic
# NodePublishVolume (CSIDriver requiresRepublish) instead of its own poll, so both are tested.
CSI_DRIVER_E2E_VERSIONS=(
  "$CSI_DRIVER_VERSION $CSI_DRIVER_SUM"
  "v1.6.0 h1:YpKG/2hJkp3EkRGpH5SPxg1/5AkmeD5pwHNKIlE90FU="
)

# The newest `go` line among the modules the cluster tests build (etcd v3.6.16's go.mod; the e2e
# build asks for more, see scripts/e2e/build.sh). Builds run with GOTOOLCHAIN=local, which never
# downloads another Go, so an older one is refused up front rather than after minutes of building.
GO_MIN=1.26.0

# require_go [<minimum> <whose go.mod>]: the local Go is at least GO_MIN (etcd's), or the given minimum.
require_go() {
  local min=${1:-$GO_MIN} why=${2:-etcd\'s go.mod}
  command -v go >/dev/null || die "go is not installed (the binaries are built from Go modules)"
  local have
  have=$(go env GOVERSION)
  have=${have#go}
  [[ "$(printf '%s\n%s\n' "$min" "${have%%[-+ ]*}" | sort -V | head -1)" == "$min" ]] ||
    die "go $have is older than go $min, which $why needs (GOTOOLCHAIN=local: no Go is downloaded)"
}

# Builds yield the CPU to other work on shared machines and CI runners.
NICE=(nice -n 10)

# shellcheck source=scripts/lib-shell.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib-shell.sh"

# `go mod download -json <module>@<version>` -> its Dir (read-only module cache copy), after checking
# Sum against the optional third argument (a go.sum `h1:` hash).
module_dir() {
  local json dir sum
  json=$(GOFLAGS=-mod=mod go mod download -json "$1@$2") || die "go mod download $1@$2 failed (is the Go module proxy reachable? GOPROXY=$(go env GOPROXY))"
  dir=$(node -e 'const j=JSON.parse(process.argv[1]); if (j.Error) { console.error(j.Error); process.exit(1) } console.log(j.Dir)' "$json") || die "go mod download $1@$2: no module"
  sum=$(node -e 'console.log(JSON.parse(process.argv[1]).Sum)' "$json")
  if [[ -n "${3:-}" && "$sum" != "$3" ]]; then die "$1@$2 has hash $sum, expected $3"; fi
  echo "$dir"
}

# A writable copy of a module (the module cache is read-only).
writable_copy() {
  local src=$1 dest=$2
  rm -rf "$dest"
  mkdir -p "$(dirname "$dest")"
  cp -r "$src" "$dest"
  chmod -R u+w "$dest"
}

# `<binary> <args...>` prints the wanted version string?  has_version <binary> <wanted> <args...>
has_version() {
  local out
  [[ -x "$1" ]] && out=$("$1" "${@:3}" 2>/dev/null) && [[ "$out" == *"$2"* ]]
}
