// Command pause is the sandbox ("pause") image of the e2e test's containerd: the offline run
// cannot pull registry.k8s.io/pause. It blocks until SIGTERM or SIGINT and exits 0.
package main

import (
	"os"
	"os/signal"
	"syscall"
)

func main() {
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, syscall.SIGTERM, syscall.SIGINT)
	<-signals
}
