// Package mlog is the part of monis.app/mlog v0.0.2 that secrets-store-csi-driver v1.5.3 uses
// (cmd/secrets-store-csi-driver/main.go, pkg/secrets-store/server.go, pkg/rotation/reconciler.go):
// Setup, FormatText, FormatJSON, ValidateAndSetKlogLevelAndFormatGlobally, Error and Fatal.
// Upstream routes klog through zap; this logs through klog itself (text) or a logr JSON sink.
package mlog

import (
	"context"
	"errors"
	"flag"
	"os"
	"strconv"

	"github.com/go-logr/logr/funcr"
	"k8s.io/klog/v2"
)

// LogFormat is the output format of the global logger.
type LogFormat string

const (
	FormatJSON LogFormat = "json"
	FormatText LogFormat = "text"
)

var (
	errInvalidLogLevel  = errors.New("invalid log level, valid choices are the empty string, info, debug, trace and all")
	errInvalidLogFormat = errors.New("invalid log format, valid choices are the empty string, json and text")
)

// Setup prepares global logging and returns the function that flushes it (deferred by main).
func Setup() func() {
	return klog.Flush
}

// ValidateAndSetKlogLevelAndFormatGlobally sets klog's verbosity (-v) and the output format for
// everything that logs through klog. As upstream, the empty format means JSON.
func ValidateAndSetKlogLevelAndFormatGlobally(_ context.Context, klogLevel klog.Level, format LogFormat) error {
	if klogLevel < 0 {
		return errInvalidLogLevel
	}
	switch format {
	case "", FormatJSON:
		klog.SetLogger(funcr.NewJSON(func(obj string) { os.Stderr.WriteString(obj + "\n") }, funcr.Options{
			LogCaller: funcr.All, LogTimestamp: true, Verbosity: int(klogLevel),
		}))
	case FormatText:
		klog.ClearLogger()
	default:
		return errInvalidLogFormat
	}
	// klog has no setter for its verbosity but its flag.
	var flags flag.FlagSet
	klog.InitFlags(&flags)
	return flags.Set("v", strconv.Itoa(int(klogLevel)))
}

// Error logs err with a message and key/value pairs.
func Error(msg string, err error, keysAndValues ...interface{}) {
	klog.ErrorSDepth(1, err, msg, keysAndValues...)
}

// Fatal logs err, flushes the logs and exits 1.
func Fatal(err error, keysAndValues ...interface{}) {
	klog.ErrorSDepth(1, err, "unrecoverable error encountered", keysAndValues...)
	klog.Flush()
	os.Exit(1)
}
