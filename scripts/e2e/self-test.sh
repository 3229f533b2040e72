#!/usr/bin/env bash
# Checks what scripts/e2e/build.sh produces: builds (or reuses) the folder, checks that every binary
# runs and reports its pinned version, and runs the Go tests of scripts/e2e/go (the registrar against
# a kubelet-side gRPC client, secret-reader's probe, the image packer's digests and reproducibility).
# Loading the images into containerd is left to the e2e run, which starts one anyway.
set -Eeuo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
LOG_NAME=e2e-self-test
# shellcheck source=scripts/lib-go-modules.sh
source "$HERE/../lib-go-modules.sh"

dir=$(bash "$HERE/build.sh") || die "build.sh failed"
k8s_version=$(node -p 'require(process.argv[1]).kubernetes.version' "$dir/versions.json")
for name in kubelet kube-scheduler kube-controller-manager; do
  has_version "$dir/$name" "Kubernetes $k8s_version" --version || die "$name does not report Kubernetes $k8s_version"
done
for entry in "${CSI_DRIVER_E2E_VERSIONS[@]}"; do
  version=${entry%% *}
  has_version "$dir/secrets-store-csi-driver-$version" "\"BuildVersion\":\"$version\"" --version ||
    die "secrets-store-csi-driver-$version does not report $version"
done
azure=$(node -p 'require(process.argv[1])["secrets-store-csi-driver-provider-azure"].version' "$dir/versions.json")
has_version "$dir/secrets-store-csi-driver-provider-azure" "\"version\":\"$azure\"" --version || die "the Azure provider does not report $azure"
"$dir/csi-node-registrar" --help 2>&1 | grep -q -- -registration-socket || die "csi-node-registrar does not run"
# Reloader's package variables ask an API server whether it is OpenShift before any flag is read, and
# without a kubeconfig it dies looking for in-cluster config; one naming a closed port lets --help run.
kubeconfig=$(mktemp)
trap 'rm -f "$kubeconfig"' EXIT
printf '%s\n' "apiVersion: v1" "kind: Config" "clusters: [{name: none, cluster: {server: 'https://127.0.0.1:1'}}]" \
  "users: [{name: none, user: {}}]" "contexts: [{name: none, context: {cluster: none, user: none}}]" "current-context: none" >"$kubeconfig"
KUBECONFIG=$kubeconfig "$dir/reloader" --help 2>&1 | grep -q -- --enable-csi-integration ||
  die "reloader does not run, or has no --enable-csi-integration"
for image in secret-reader pause; do
  tar -tf "$dir/images/$image.oci.tar" index.json >/dev/null || die "images/$image.oci.tar is no OCI archive"
done
(cd "$HERE/go" && CGO_ENABLED=0 GOTOOLCHAIN=local "${NICE[@]}" go test -count=1 ./... >&2) || die "go test in scripts/e2e/go failed"
log "ok: $dir"
