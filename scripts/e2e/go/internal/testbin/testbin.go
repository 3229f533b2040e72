// Package testbin builds this module's commands for tests that run them as processes.
package testbin

import (
	"os/exec"
	"path/filepath"
	"testing"
)

// Build compiles the command in the calling test's folder and returns the binary's path.
func Build(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "cmd")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}
