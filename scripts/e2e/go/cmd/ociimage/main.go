// Command ociimage packs one static binary into a single-layer OCI image archive for Linux on this
// machine's architecture (the e2e node runs here), which `ctr -n k8s.io images import <file>`
// loads under the given name. The e2e run is offline,
// so its images are built here rather than pulled. The archive is deterministic: the same
// binary gives the same bytes (fixed times, owners and order; no creation date).
//
//	ociimage --binary <file> --path /secret-reader --name e2e.local/secret-reader:1 --user 65532 --output <archive>
package main

import (
	"archive/tar"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"os"
	"path"
	"runtime"
	"strings"
	"time"
)

const (
	mediaTypeIndex    = "application/vnd.oci.image.index.v1+json"
	mediaTypeManifest = "application/vnd.oci.image.manifest.v1+json"
	mediaTypeConfig   = "application/vnd.oci.image.config.v1+json"
	mediaTypeLayer    = "application/vnd.oci.image.layer.v1.tar"
)

// epoch is every file's modification time, for reproducible archives.
var epoch = time.Unix(0, 0).UTC()

type descriptor struct {
	MediaType   string            `json:"mediaType"`
	Digest      string            `json:"digest"`
	Size        int               `json:"size"`
	Platform    *platform         `json:"platform,omitempty"`
	Annotations map[string]string `json:"annotations,omitempty"`
}

type platform struct {
	Architecture string `json:"architecture"`
	OS           string `json:"os"`
}

type blob struct {
	data   []byte
	digest string
}

func newBlob(data []byte) blob {
	sum := sha256.Sum256(data)
	return blob{data: data, digest: "sha256:" + hex.EncodeToString(sum[:])}
}

func mustJSON(v any) []byte {
	data, err := json.Marshal(v)
	if err != nil {
		log.Fatal(err)
	}
	return data
}

// tarFiles writes regular files (and the directories they need, once each) in the given order.
func tarFiles(files []tarFile) []byte {
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	dirs := map[string]bool{}
	for _, f := range files {
		var parents []string
		for dir := path.Dir(f.name); dir != "." && dir != "/" && !dirs[dir]; dir = path.Dir(dir) {
			dirs[dir] = true
			parents = append([]string{dir}, parents...)
		}
		for _, dir := range parents {
			must(tw.WriteHeader(&tar.Header{Typeflag: tar.TypeDir, Name: dir + "/", Mode: 0o755, ModTime: epoch, Format: tar.FormatPAX}))
		}
		must(tw.WriteHeader(&tar.Header{Typeflag: tar.TypeReg, Name: f.name, Mode: f.mode, Size: int64(len(f.data)), ModTime: epoch, Format: tar.FormatPAX}))
		_, err := tw.Write(f.data)
		must(err)
	}
	must(tw.Close())
	return buf.Bytes()
}

type tarFile struct {
	name string
	mode int64
	data []byte
}

func must(err error) {
	if err != nil {
		log.Fatal(err)
	}
}

func main() {
	log.SetFlags(0)
	log.SetPrefix("ociimage: ")
	binary := flag.String("binary", "", "the static Linux program to pack, built for this machine's architecture")
	inImage := flag.String("path", "", "its absolute path in the image, also the entrypoint (e.g. /secret-reader)")
	name := flag.String("name", "", "image name, with tag (e.g. e2e.local/secret-reader:1)")
	user := flag.String("user", "", "user the container runs as (numeric: the image has no /etc/passwd)")
	output := flag.String("output", "", "archive to write")
	flag.Parse()
	tag := (*name)[strings.LastIndex(*name, ":")+1:]
	if flag.NArg() > 0 || *binary == "" || !path.IsAbs(*inImage) || *output == "" || !strings.Contains(*name, ":") || strings.Contains(tag, "/") {
		flag.Usage()
		os.Exit(2)
	}
	program, err := os.ReadFile(*binary)
	must(err)

	// Uncompressed, so the layer's digest is also its diff ID.
	layer := newBlob(tarFiles([]tarFile{{name: strings.TrimPrefix(*inImage, "/"), mode: 0o755, data: program}}))
	config := newBlob(mustJSON(map[string]any{
		"architecture": runtime.GOARCH,
		"os":           "linux",
		"config": map[string]any{
			"User":       *user,
			"Entrypoint": []string{*inImage},
			"Env":        []string{"PATH=/"},
			"WorkingDir": "/",
		},
		"rootfs":  map[string]any{"type": "layers", "diff_ids": []string{layer.digest}},
		"history": []map[string]any{{"created_by": "scripts/e2e/go/cmd/ociimage " + path.Base(*inImage)}},
	}))
	manifest := newBlob(mustJSON(map[string]any{
		"schemaVersion": 2,
		"mediaType":     mediaTypeManifest,
		"config":        descriptor{MediaType: mediaTypeConfig, Digest: config.digest, Size: len(config.data)},
		"layers":        []descriptor{{MediaType: mediaTypeLayer, Digest: layer.digest, Size: len(layer.data)}},
	}))
	index := mustJSON(map[string]any{
		"schemaVersion": 2,
		"mediaType":     mediaTypeIndex,
		"manifests": []descriptor{{
			MediaType: mediaTypeManifest, Digest: manifest.digest, Size: len(manifest.data),
			Platform: &platform{Architecture: runtime.GOARCH, OS: "linux"},
			// containerd's own exporter writes both: the full name for containerd (ctr import uses
			// it), the tag alone as the OCI reference name (the OCI layout's meaning of it).
			Annotations: map[string]string{
				"io.containerd.image.name":          *name,
				"org.opencontainers.image.ref.name": tag,
			},
		}},
	})

	files := []tarFile{
		{name: "oci-layout", mode: 0o644, data: []byte(`{"imageLayoutVersion":"1.0.0"}`)},
		{name: "index.json", mode: 0o644, data: index},
	}
	for _, b := range []blob{layer, config, manifest} {
		files = append(files, tarFile{name: "blobs/sha256/" + strings.TrimPrefix(b.digest, "sha256:"), mode: 0o644, data: b.data})
	}
	tmp := *output + ".tmp"
	must(os.WriteFile(tmp, tarFiles(files), 0o644))
	must(os.Rename(tmp, *output))
	fmt.Fprintf(os.Stderr, "ociimage: %s -> %s (manifest %s)\n", *name, *output, manifest.digest)
}
