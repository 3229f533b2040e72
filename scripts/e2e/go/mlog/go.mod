// A stand-in for monis.app/mlog, which secrets-store-csi-driver v1.5.3 imports but the Go module
// proxy does not serve (monis.app is a vanity host). scripts/e2e/build.sh replaces the module with
// this folder. Only the API the driver calls is here; requirements are the driver's own versions.
module monis.app/mlog

go 1.20

require (
	github.com/go-logr/logr v1.2.4
	k8s.io/klog/v2 v2.100.1
)
