package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"aks-keyvault-csi/e2e/internal/testbin"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	registerapi "k8s.io/kubelet/pkg/apis/pluginregistration/v1"
)

// Plays the kubelet's plugin watcher against the real program.
func TestRegistersWithTheKubeletAndCleansUp(t *testing.T) {
	bin := testbin.Build(t)
	// Unix socket paths are limited to 108 bytes: keep the folder short.
	dir, err := os.MkdirTemp("", "reg")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(dir)
	socket := filepath.Join(dir, "secrets-store.csi.k8s.io-reg.sock")
	if err := os.WriteFile(socket, nil, 0o600); err != nil { // stale leftover
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "--csi-address", "/var/lib/kubelet/plugins/csi-secrets-store/csi.sock", "--registration-socket", socket)
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()

	conn, err := grpc.NewClient("unix://"+socket, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	client := registerapi.NewRegistrationClient(conn)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	// WaitForReady: the program may not listen yet.
	info, err := client.GetInfo(ctx, &registerapi.InfoRequest{}, grpc.WaitForReady(true))
	if err != nil {
		t.Fatalf("GetInfo: %v", err)
	}
	if info.Type != "CSIPlugin" || info.Name != "secrets-store.csi.k8s.io" || info.Endpoint != "/var/lib/kubelet/plugins/csi-secrets-store/csi.sock" ||
		len(info.SupportedVersions) != 1 || info.SupportedVersions[0] != "1.0.0" {
		t.Fatalf("GetInfo = %v", info)
	}
	if _, err := client.NotifyRegistrationStatus(ctx, &registerapi.RegistrationStatus{PluginRegistered: true}); err != nil {
		t.Fatalf("NotifyRegistrationStatus: %v", err)
	}

	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("exit after SIGTERM: %v", err)
	}
	if _, err := os.Stat(socket); !os.IsNotExist(err) {
		t.Fatalf("registration socket left behind: %v", err)
	}
}

func TestExitsNonZeroWhenTheKubeletRejectsTheDriver(t *testing.T) {
	srv := &registrationServer{driverName: "d", endpoint: "/e"}
	// The rejection exits the process; run it in a child so the test survives.
	if os.Getenv("REGISTRAR_REJECT") == "1" {
		srv.NotifyRegistrationStatus(context.Background(), &registerapi.RegistrationStatus{PluginRegistered: false, Error: "no"})
		time.Sleep(5 * time.Second)
		os.Exit(0)
	}
	cmd := exec.Command(os.Args[0], "-test.run", "^TestExitsNonZeroWhenTheKubeletRejectsTheDriver$")
	cmd.Env = append(os.Environ(), "REGISTRAR_REJECT=1")
	if err := cmd.Run(); err == nil {
		t.Fatal("exited 0 after a rejected registration")
	}
}
