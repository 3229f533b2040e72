// Command csi-node-registrar registers a CSI driver with the kubelet, like
// kubernetes-csi/node-driver-registrar, which the Go module proxy does not serve.
//
// The kubelet's plugin watcher notices the socket this program creates in
// <kubelet-root-dir>/plugins_registry/, calls GetInfo on it, dials the advertised endpoint as the
// driver's CSI socket, and reports the outcome through NotifyRegistrationStatus.
// Unlike the upstream registrar it does not ask the driver for its name (GetPluginInfo): the
// name is a flag.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"google.golang.org/grpc"
	registerapi "k8s.io/kubelet/pkg/apis/pluginregistration/v1"
)

type registrationServer struct {
	registerapi.UnimplementedRegistrationServer
	driverName string
	endpoint   string
}

func (s *registrationServer) GetInfo(context.Context, *registerapi.InfoRequest) (*registerapi.PluginInfo, error) {
	log.Printf("kubelet asked for plugin info: driver %q at %s", s.driverName, s.endpoint)
	return &registerapi.PluginInfo{
		Type:              registerapi.CSIPlugin,
		Name:              s.driverName,
		Endpoint:          s.endpoint,
		SupportedVersions: []string{"1.0.0"},
	}, nil
}

func (s *registrationServer) NotifyRegistrationStatus(_ context.Context, status *registerapi.RegistrationStatus) (*registerapi.RegistrationStatusResponse, error) {
	if !status.PluginRegistered {
		// As upstream: exit so that whatever supervises this process restarts the registration.
		log.Printf("ERROR: kubelet did not register driver %q: %s", s.driverName, status.Error)
		go func() { time.Sleep(100 * time.Millisecond); os.Exit(1) }()
		return &registerapi.RegistrationStatusResponse{}, nil
	}
	log.Printf("kubelet registered driver %q", s.driverName)
	return &registerapi.RegistrationStatusResponse{}, nil
}

func main() {
	log.SetPrefix("csi-node-registrar: ")
	driverName := flag.String("driver-name", "secrets-store.csi.k8s.io", "name of the CSI driver to register")
	csiAddress := flag.String("csi-address", "", "absolute path of the driver's CSI socket, as the kubelet dials it (advertised to the kubelet)")
	registrationSocket := flag.String("registration-socket", "", "full path of the socket to create in <kubelet-root-dir>/plugins_registry/")
	flag.Parse()
	if flag.NArg() > 0 || *driverName == "" || !filepath.IsAbs(*csiAddress) || !filepath.IsAbs(*registrationSocket) {
		fmt.Fprintln(os.Stderr, "usage: csi-node-registrar --driver-name <name> --csi-address <absolute socket path> --registration-socket <absolute socket path>")
		flag.PrintDefaults()
		os.Exit(2)
	}

	// A socket left over by a previous run would make Listen fail.
	if err := os.Remove(*registrationSocket); err != nil && !os.IsNotExist(err) {
		log.Fatalf("removing stale %s: %v", *registrationSocket, err)
	}
	listener, err := net.Listen("unix", *registrationSocket)
	if err != nil {
		log.Fatalf("listening on %s: %v", *registrationSocket, err)
	}
	server := grpc.NewServer()
	registerapi.RegisterRegistrationServer(server, &registrationServer{driverName: *driverName, endpoint: *csiAddress})

	signals := make(chan os.Signal, 1)
	signal.Notify(signals, syscall.SIGTERM, syscall.SIGINT)
	go func() {
		sig := <-signals
		log.Printf("%s: stopping", sig)
		server.Stop()
	}()

	log.Printf("serving registration of driver %q (endpoint %s) on %s", *driverName, *csiAddress, *registrationSocket)
	serveErr := server.Serve(listener)
	// The kubelet deregisters the plugin when its registration socket disappears.
	if err := os.Remove(*registrationSocket); err != nil && !os.IsNotExist(err) {
		log.Printf("removing %s: %v", *registrationSocket, err)
	}
	if serveErr != nil {
		log.Fatalf("serving: %v", serveErr)
	}
}
