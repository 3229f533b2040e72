# Go modules and helpers shared by the scripts that build binaries from Go modules
# (scripts/control-plane.sh, scripts/e2e/build.sh). Sourced, not run. The sourcing script sets
# LOG_NAME (the prefix of its log lines) first.

# The Secrets Store CSI driver: its CRD for the cluster tests, its binary for the e2e run.
CSI_DRIVER_MODULE=sigs.k8s.io/secrets-store-csi-driver
CSI_DRIVER_VERSION=v1.5.3
# go.sum line of the module (h1: hash of its zip). `go mod download` verifies the zip against the
# Go checksum database; this pin also holds where GOSUMDB=off or GONOSUMDB switch that off.
CSI_DRIVER_SUM="h1:SBsYaGmuQN9EIHwi32gaf0k94hyjjeaQ5eWeyqC0lWQ="

# The newest `go` line among the modules built here (etcd v3.6.16's go.mod). Builds run with
# GOTOOLCHAIN=local, which never downloads another Go, so an older one is refused up front
# rather than after minutes of building.
GO_MIN=1.26.0

require_go() {
  command -v go >/dev/null || die "go is not installed (the binaries are built from Go modules)"
  local have
  have=$(go env GOVERSION)
  have=${have#go}
  [[ "$(printf '%s\n%s\n' "$GO_MIN" "${have%%[-+ ]*}" | sort -V | head -1)" == "$GO_MIN" ]] ||
    die "go $have is older than go $GO_MIN, which etcd's go.mod needs (GOTOOLCHAIN=local: no Go is downloaded)"
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
