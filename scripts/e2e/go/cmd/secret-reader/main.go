// Command secret-reader is the workload of the e2e test's pod. The e2e run is offline, with no
// image registry to pull from, so the pod's image is built locally from this program and
// imported into containerd.
//
//	secret-reader                   run until SIGTERM or SIGINT, then exit 0
//	secret-reader check <path>...   exit 0 iff every path is a readable regular file
//	                                (an exec readiness/liveness probe on the mounted secrets)
package main

import (
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	switch {
	case len(os.Args) == 1:
		signals := make(chan os.Signal, 1)
		signal.Notify(signals, syscall.SIGTERM, syscall.SIGINT)
		<-signals
	case os.Args[1] == "check" && len(os.Args) > 2:
		failed := false
		for _, path := range os.Args[2:] {
			if err := readable(path); err != nil {
				fmt.Fprintln(os.Stderr, err)
				failed = true
			}
		}
		if failed {
			os.Exit(1)
		}
	default:
		fmt.Fprintln(os.Stderr, "usage: secret-reader [check <path>...]")
		os.Exit(2)
	}
}

// readable opens the path for reading and checks (through any symlinks, as the driver's mounts
// have) that it is a regular file.
func readable(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return err
	}
	if !info.Mode().IsRegular() {
		return fmt.Errorf("%s: not a regular file (%s)", path, info.Mode().Type())
	}
	// A read proves the permissions let this user read the content, not only open the file.
	if _, err := f.Read(make([]byte, 1)); err != nil && info.Size() > 0 {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}
