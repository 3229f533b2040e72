#!/usr/bin/env bash
# Builds (or reuses) every binary and test image the e2e run (`npm run test:e2e`) needs, from Go
# modules only, and prints the folder that holds them as its only line on stdout:
#
#   ${XDG_CACHE_HOME:-~/.cache}/aks-keyvault-csi/e2e-ssd-<drivers>-azure-<provider>-reloader-<reloader>-<source hash>/
#     secrets-store-csi-driver-<version>        sigs.k8s.io/secrets-store-csi-driver, each of CSI_DRIVER_E2E_VERSIONS
#                                               (lib-go-modules.sh; monis.app/mlog replaced by go/mlog)
#     secrets-store-csi-driver-provider-azure   github.com/Azure/secrets-store-csi-driver-provider-azure
#     reloader                                  github.com/stakater/Reloader at the pinned chart's appVersion
#     csi-node-registrar                        go/cmd/csi-node-registrar (node-driver-registrar is not served)
#     images/secret-reader.oci.tar              e2e.local/secret-reader:1 (go/cmd/secret-reader)
#     images/pause.oci.tar                      e2e.local/pause:1 (go/cmd/pause)
#     kube-controller-manager kube-scheduler kubelet
#                                               links into the cache of `scripts/control-plane.sh build --node`
#     versions.json                             what was built, from which module versions
#
# The hash covers scripts/e2e/go/ (but its tests), this script and lib-go-modules.sh (the driver
# versions), so a change to any builds a new folder. A warm run only checks that the files are there. Any failure exits non-zero with the
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
# Stakater Reloader at the appVersion of the chart the app installs (config/reloader-chart.ts; a
# test keeps the two equal). Its go.mod needs Go 1.26.8.
RELOADER_MODULE=github.com/stakater/Reloader
RELOADER_VERSION=v1.4.22
RELOADER_SUM="h1:G5bghhnESM8kHbjp9OOkcOjkfNUpKfSyTVNybBF9KhA="
RELOADER_GO_MIN=1.26.8
# Reloader pins github.com/openshift/api at a pseudo-version the module proxy does not serve
# ("This module version is not available"); the one its own github.com/openshift/client-go requires,
# a week older, is served and is used instead. Only the client for OpenShift DeploymentConfigs
# imports it, which Reloader leaves unused off OpenShift.
RELOADER_REPLACE="github.com/openshift/api=github.com/openshift/api@v0.0.0-20260326111139-30c2ef7a272e"
GO_SRC=$HERE/go
IMAGES=("secret-reader e2e.local/secret-reader:1 65532" "pause e2e.local/pause:1 65535")
K8S_BINARIES=(kube-controller-manager kube-scheduler kubelet)

# Static binaries (as upstream builds them), reproducible, with the installed toolchain only:
# GOTOOLCHAIN=local never downloads another Go (see GO_MIN in lib-go-modules.sh).
go_build() {
  (cd "$1" && shift && CGO_ENABLED=0 GOTOOLCHAIN=local "${NICE[@]}" go build -trimpath -buildvcs=false "$@")
}

source_hash() {
  (cd "$ROOT" && find scripts/e2e/go scripts/e2e/build.sh scripts/lib-go-modules.sh -type f ! -name "*_test.go" -print0 |
    LC_ALL=C sort -z | xargs -0 sha256sum) | sha256sum | cut -c1-12
}

# build_driver <version> <go.sum hash>
build_driver() {
  local version=$1 sum=$2 src work=$OUT/src/driver-$1 pkg=$CSI_DRIVER_MODULE/pkg/version
  src=$(module_dir "$CSI_DRIVER_MODULE" "$version" "$sum")
  writable_copy "$src" "$work"
  (cd "$work" && go mod edit -replace "monis.app/mlog=$GO_SRC/mlog")
  go_build "$work" -mod=mod -o "$OUT/secrets-store-csi-driver-$version.new" \
    -ldflags "-s -w -X $pkg.BuildVersion=$version -X $pkg.BuildTime=1970-01-01-00:00" \
    ./cmd/secrets-store-csi-driver || die "secrets-store-csi-driver $version build failed"
  mv "$OUT/secrets-store-csi-driver-$version.new" "$OUT/secrets-store-csi-driver-$version"
}

build_reloader() {
  local src work=$OUT/src/reloader
  src=$(module_dir "$RELOADER_MODULE" "$RELOADER_VERSION" "$RELOADER_SUM")
  writable_copy "$src" "$work"
  (cd "$work" && go mod edit -replace "$RELOADER_REPLACE")
  go_build "$work" -mod=mod -ldflags "-s -w" -o "$OUT/reloader.new" . || die "reloader build failed"
  mv "$OUT/reloader.new" "$OUT/reloader"
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
    const [kubelet, k8s, ssd, ssdVersions, azure, azureVersion, reloader, reloaderVersion, reloaderReplace, hash, go, ...images] = process.argv.slice(1);
    const out = {
      kubernetes: { version: kubelet.replace(/^Kubernetes /, ""), dir: k8s },
      "secrets-store-csi-driver": Object.fromEntries(ssdVersions.split(" ").map((version) => [version, {
        module: ssd, version, binary: `secrets-store-csi-driver-${version}`, replace: { "monis.app/mlog": "scripts/e2e/go/mlog" },
      }])),
      "secrets-store-csi-driver-provider-azure": { module: azure, version: azureVersion },
      reloader: { module: reloader, version: reloaderVersion, replace: Object.fromEntries([reloaderReplace.split("=")]) },
      "csi-node-registrar": { source: "scripts/e2e/go/cmd/csi-node-registrar", sourceHash: hash },
      images: Object.fromEntries(images.map((i) => i.split(" ")).map(([p, name]) => [name, `images/${p}.oci.tar`])),
      go,
    };
    process.stdout.write(JSON.stringify(out, null, 2) + "\n");
  ' "$kubelet" "$k8s" "$CSI_DRIVER_MODULE" "${DRIVER_VERSIONS[*]}" "$AZURE_PROVIDER_MODULE" "$AZURE_PROVIDER_VERSION" \
    "$RELOADER_MODULE" "$RELOADER_VERSION" "$RELOADER_REPLACE" "$HASH" "$(go env GOVERSION)" "${IMAGES[@]}" >"$OUT/versions.json.new"
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
  require_go "$RELOADER_GO_MIN" "$RELOADER_MODULE $RELOADER_VERSION's go.mod"
  local k8s started=$SECONDS entry version sum
  k8s=$("$ROOT/scripts/control-plane.sh" build --node) || die "building the Kubernetes binaries failed (see above)"
  HASH=$(source_hash)
  DRIVER_VERSIONS=()
  for entry in "${CSI_DRIVER_E2E_VERSIONS[@]}"; do DRIVER_VERSIONS+=("${entry%% *}"); done
  local drivers
  drivers=$(IFS=+; echo "${DRIVER_VERSIONS[*]}")
  OUT=${XDG_CACHE_HOME:-$HOME/.cache}/aks-keyvault-csi/e2e-ssd-$drivers-azure-$AZURE_PROVIDER_VERSION-reloader-$RELOADER_VERSION-$HASH
  mkdir -p "$OUT"
  for entry in "${CSI_DRIVER_E2E_VERSIONS[@]}"; do
    read -r version sum <<<"$entry"
    step "secrets-store-csi-driver-$version" build_driver "$version" "$sum"
  done
  step secrets-store-csi-driver-provider-azure build_provider
  step reloader build_reloader
  step "csi-node-registrar images/secret-reader.oci.tar images/pause.oci.tar" build_own
  rm -rf "$OUT/src"
  link_kubernetes "$k8s"
  # Also rewritten when the Kubernetes binaries moved since.
  grep -qF "\"dir\": \"$k8s\"" "$OUT/versions.json" 2>/dev/null || write_versions "$k8s"
  log "ready in $((SECONDS - started)) s"
  echo "$OUT"
}

main
