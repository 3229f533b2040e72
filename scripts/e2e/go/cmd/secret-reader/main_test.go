package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"aks-keyvault-csi/e2e/internal/testbin"
)

func TestCheckPassesOnlyWhenEveryPathIsAReadableFile(t *testing.T) {
	bin := testbin.Build(t)
	dir := t.TempDir()
	file := filepath.Join(dir, "secret")
	if err := os.WriteFile(file, []byte("s3cret"), 0o400); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link") // the driver's mounts hold symlinks to the files
	if err := os.Symlink(file, link); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		paths []string
		ok    bool
	}{
		{[]string{file, link}, true},
		{[]string{file, filepath.Join(dir, "missing")}, false},
		{[]string{dir}, false},
	} {
		err := exec.Command(bin, append([]string{"check"}, c.paths...)...).Run()
		if (err == nil) != c.ok {
			t.Errorf("check %v: %v, want ok=%v", c.paths, err, c.ok)
		}
	}
}

func TestRunsUntilSIGTERMAndExitsZero(t *testing.T) {
	cmd := exec.Command(testbin.Build(t))
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(200 * time.Millisecond)
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("exit after SIGTERM: %v", err)
	}
}
