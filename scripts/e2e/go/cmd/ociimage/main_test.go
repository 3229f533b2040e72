package main

import (
	"archive/tar"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"aks-keyvault-csi/e2e/internal/testbin"
)

func TestPacksAReproducibleImageThatNamesItselfAndMatchesItsDigests(t *testing.T) {
	bin := testbin.Build(t)
	dir := t.TempDir()
	program := filepath.Join(dir, "prog")
	if err := os.WriteFile(program, []byte("#!fake"), 0o755); err != nil {
		t.Fatal(err)
	}
	pack := func(out string) map[string][]byte {
		cmd := exec.Command(bin, "--binary", program, "--path", "/prog", "--name", "e2e.local/prog:1", "--user", "65532", "--output", out)
		if b, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("%v\n%s", err, b)
		}
		data, _ := os.ReadFile(out)
		files := map[string][]byte{}
		tr := tar.NewReader(bytes.NewReader(data))
		for {
			h, err := tr.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			files[h.Name], _ = io.ReadAll(tr)
		}
		return files
	}
	a, b := filepath.Join(dir, "a.tar"), filepath.Join(dir, "b.tar")
	files := pack(a)
	pack(b)
	if da, db := mustRead(t, a), mustRead(t, b); !bytes.Equal(da, db) {
		t.Fatal("two packs of the same binary differ")
	}

	var index struct {
		Manifests []descriptor `json:"manifests"`
	}
	var manifest struct {
		Config descriptor   `json:"config"`
		Layers []descriptor `json:"layers"`
	}
	var config struct {
		Config struct {
			User       string
			Entrypoint []string
		} `json:"config"`
		RootFS struct {
			DiffIDs []string `json:"diff_ids"`
		} `json:"rootfs"`
	}
	if string(files["oci-layout"]) != `{"imageLayoutVersion":"1.0.0"}` {
		t.Fatalf("oci-layout = %s", files["oci-layout"])
	}
	unmarshal(t, files["index.json"], &index)
	m := index.Manifests[0]
	if m.Annotations["io.containerd.image.name"] != "e2e.local/prog:1" || m.Annotations["org.opencontainers.image.ref.name"] != "1" {
		t.Fatalf("annotations = %v", m.Annotations)
	}
	unmarshal(t, blobOf(t, files, m.Digest), &manifest)
	unmarshal(t, blobOf(t, files, manifest.Config.Digest), &config)
	blobOf(t, files, manifest.Layers[0].Digest)
	if config.Config.User != "65532" || len(config.Config.Entrypoint) != 1 || config.Config.Entrypoint[0] != "/prog" {
		t.Fatalf("config = %+v", config.Config)
	}
	if len(config.RootFS.DiffIDs) != 1 || config.RootFS.DiffIDs[0] != manifest.Layers[0].Digest {
		t.Fatalf("diff_ids %v, layer %s", config.RootFS.DiffIDs, manifest.Layers[0].Digest)
	}
}

// blobOf returns the blob of a digest after checking that its content has that digest.
func blobOf(t *testing.T, files map[string][]byte, digest string) []byte {
	t.Helper()
	data, ok := files["blobs/sha256/"+digest[len("sha256:"):]]
	sum := sha256.Sum256(data)
	if !ok || "sha256:"+hex.EncodeToString(sum[:]) != digest {
		t.Fatalf("no blob with digest %s", digest)
	}
	return data
}

func unmarshal(t *testing.T, data []byte, v any) {
	t.Helper()
	if err := json.Unmarshal(data, v); err != nil {
		t.Fatal(err)
	}
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}
