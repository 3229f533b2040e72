#!/usr/bin/env bash
# Builds (or reuses) every binary and test image the e2e run (`npm run test:e2e`) needs, from Go
# modules only, and prints the folder that holds them as its only line on stdout:
#
#   ${XDG_CACHE_HOME:-~/.cache}/aks-keyvault-csi/e2e-ssd-<driver>-azure-<provider>-<source hash>/
#     secrets-store-csi-driver                  sigs.k8s.io/secrets-store-csi-driver (monis.app/mlog replaced by go/mlog)
#     secrets-store-csi-driver-provider-azure   github.com/Azure/secrets-store-csi-driver-provider-azure
#     csi-node-registrar                        go/cmd/csi-node-registrar (node-driver-registrar is not served)
#     images/secret-reader.oci.tar              e2e.local/secret-reader:1 (go/cmd/secret-reader)
#     images/pause.oci.tar                      e2e.local/pause:1 (go/cmd/pause)
#     kube-controller-manager kube-scheduler kubelet
#                                               links into the cache of `scripts/control-plane.sh build --node`
#     versions.json                             what was built, from which module versions
#
# The hash covers scripts/e2e/go/ (but its tests) and this script, so a change to either builds a
# new folder. A warm run only checks that the files are there. Any failure exits non-zero with the
# reason on stderr. Images load with `ctr -n k8s.io images import <archive>`.
# scripts/e2e/self-test.sh checks the result.
set -Eeuo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
LOG_NAME=e2e-build
# shellcheck source=scripts/lib-go-modules.sh
source "$ROOT/scripts/lib-go-modules.sh"

AZURE_PROVIDER_MODULE=github.com/Azure/secrets-store-csi-driver-provider-azure
AZURE_PROVIDER_VERSION=v1.7.0
# The module is served by the proxy but has no entry in the Go checksum database, so the database
# is skipped for it alone (GONOSUMDB) and this go.sum hash of its zip is checked instead.
AZURE_PROVIDER_SUM="h1:AH0E+WUChxfWKUIXf8EE+1OI/gNBJONSIfRzfsuIkFE="
GO_SRC=$HERE/go
IMAGES=("secret-reader e2e.local/secret-reader:1 65532" "pause e2e.local/pause:1 65535")
K8S_BINARIES=(kube-controller-manager kube-scheduler kubelet)

# Static binaries (as upstream builds them), reproducible, with the installed toolchain only:
# GOTOOLCHAIN=local never downloads another Go (see GO_MIN in lib-go-modules.sh).
go_build() {
  (cd "$1" && shift && CGO_ENABLED=0 GOTOOLCHAIN=local "${NICE[@]}" go build -trimpath -buildvcs=false "$@")
}

source_hash() {
  (cd "$ROOT" && find scripts/e2e/go scripts/e2e/build.sh -type f ! -name "*_test.go" -print0 | LC_ALL=C sort -z | xargs -0 sha256sum) |
    sha256sum | cut -c1-12
}

build_driver() {
  local src work=$OUT/src/driver pkg=$CSI_DRIVER_MODULE/pkg/version
  src=$(module_dir "$CSI_DRIVER_MODULE" "$CSI_DRIVER_VERSION" "$CSI_DRIVER_SUM")
  writable_copy "$src" "$work"
  (cd "$work" && go mod edit -replace "monis.app/mlog=$GO_SRC/mlog")
  go_build "$work" -mod=mod -o "$OUT/secrets-store-csi-driver.new" \
    -ldflags "-s -w -X $pkg.BuildVersion=$CSI_DRIVER_VERSION -X $pkg.BuildTime=1970-01-01-00:00" \
    ./cmd/secrets-store-csi-driver || die "secrets-store-csi-driver build failed"
  mv "$OUT/secrets-store-csi-driver.new" "$OUT/secrets-store-csi-driver"
}

build_provider() {
  local src work=$OUT/src/provider pkg=$AZURE_PROVIDER_MODULE/pkg/version
  src=$(GONOSUMDB=$AZURE_PROVIDER_MODULE module_dir "$AZURE_PROVIDER_MODULE" "$AZURE_PROVIDER_VERSION" "$AZURE_PROVIDER_SUM")
  writable_copy "$src" "$work"
  go_build "$work" -mod=mod -o "$OUT/secrets-store-csi-driver-provider-azure.new" \
    -ldflags "-s -w -X $pkg.BuildVersion=$AZURE_PROVIDER_VERSION -X $pkg.BuildDate=1970-01-01T00:00:00Z" \
    ./cmd || die "secrets-store-csi-driver-provider-azure build failed"
  mv "$OUT/secrets-store-csi-driver-provider-azure.new" "$OUT/secrets-store-csi-driver-provider-azure"
}

# The registrar, the image programs and the image packer: one module, one build.
build_own() {
  local bin=$OUT/src/bin image program name user
  # -mod=readonly: go.mod and go.sum are committed complete; -buildid= keeps the images byte-stable.
  go_build "$GO_SRC" -mod=readonly -ldflags "-s -w -buildid=" -o "$bin/" ./cmd/... || die "scripts/e2e/go build failed"
  mkdir -p "$OUT/images"
  for image in "${IMAGES[@]}"; do
    read -r program name user <<<"$image"
    "$bin/ociimage" --binary "$bin/$program" --path "/$program" --name "$name" --user "$user" \
      --output "$OUT/images/$program.oci.tar" || die "packing $name failed"
  done
  mv "$bin/csi-node-registrar" "$OUT/csi-node-registrar"
}

# Links the node's Kubernetes binaries into the folder (on every run: the control-plane cache may move).
link_kubernetes() {
  local k8s=$1 name
  for name in "${K8S_BINARIES[@]}"; do
    [[ "$(readlink "$OUT/$name" 2>/dev/null)" == "$k8s/$name" ]] || ln -sfn "$k8s/$name" "$OUT/$name"
  done
}

write_versions() {
  local k8s=$1 kubelet
  kubelet=$("$k8s/kubelet" --version) || die "$k8s/kubelet does not run"
  node -e '
    const [kubelet, k8s, ssd, ssdVersion, azure, azureVersion, hash, go, ...images] = process.argv.slice(1);
    const out = {
      kubernetes: { version: kubelet.replace(/^Kubernetes /, ""), dir: k8s },
      "secrets-store-csi-driver": { module: ssd, version: ssdVersion, replace: { "monis.app/mlog": "scripts/e2e/go/mlog" } },
      "secrets-store-csi-driver-provider-azure": { module: azure, version: azureVersion },
      "csi-node-registrar": { source: "scripts/e2e/go/cmd/csi-node-registrar", sourceHash: hash },
      images: Object.fromEntries(images.map((i) => i.split(" ")).map(([p, name]) => [name, `images/${p}.oci.tar`])),
      go,
    };
    process.stdout.write(JSON.stringify(out, null, 2) + "\n");
  ' "$kubelet" "$k8s" "$CSI_DRIVER_MODULE" "$CSI_DRIVER_VERSION" "$AZURE_PROVIDER_MODULE" "$AZURE_PROVIDER_VERSION" \
    "$HASH" "$(go env GOVERSION)" "${IMAGES[@]}" >"$OUT/versions.json.new"
  mv "$OUT/versions.json.new" "$OUT/versions.json"
}

# step "<outputs>" <function>: runs the function unless all its outputs are there, and logs how long it took.
step() {
  local outputs=$1 started=$SECONDS output missing=; shift
  for output in $outputs; do [[ -e "$OUT/$output" ]] || missing=1; done
  [[ -n "$missing" ]] || return 0
  log "building $outputs"
  "$@"
  log "built $outputs in $((SECONDS - started)) s"
}

main() {
  require_go
  local k8s started=$SECONDS
  k8s=$("$ROOT/scripts/control-plane.sh" build --node) || die "building the Kubernetes binaries failed (see above)"
  HASH=$(source_hash)
  OUT=${XDG_CACHE_HOME:-$HOME/.cache}/aks-keyvault-csi/e2e-ssd-$CSI_DRIVER_VERSION-azure-$AZURE_PROVIDER_VERSION-$HASH
  mkdir -p "$OUT"
  step secrets-store-csi-driver build_driver
  step secrets-store-csi-driver-provider-azure build_provider
  step "csi-node-registrar images/secret-reader.oci.tar images/pause.oci.tar" build_own
  rm -rf "$OUT/src"
  link_kubernetes "$k8s"
  # Also rewritten when the Kubernetes binaries moved since.
  grep -qF "\"dir\": \"$k8s\"" "$OUT/versions.json" 2>/dev/null || write_versions "$k8s"
  log "ready in $((SECONDS - started)) s"
  echo "$OUT"
}

main
