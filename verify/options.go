package verify

import (
	"fmt"
	"os"
	"strings"
	"time"
)

// Options configure a run.
type Options struct {
	// Image is the image reference (local to the engine; verify never
	// pulls).
	Image string
	// Port and HealthPath are the readiness endpoint. Defaults: the URL
	// in the image's HEALTHCHECK, else the lowest EXPOSEd TCP port and
	// /health.
	Port       int
	HealthPath string
	// SlowPath is an endpoint that takes a while (RT005); "" skips the
	// in-flight request test.
	SlowPath string
	// Grace is how long a signalled container may take to exit before
	// SIGKILL (default 10 s).
	Grace time.Duration
	// StartTimeout is how long a container may take to become ready
	// (default 30 s).
	StartTimeout time.Duration
	// SlowStart is the RT011 threshold (default 10 s).
	SlowStart time.Duration
	// Timeout bounds the whole run (default: enough for every step).
	Timeout time.Duration
	// Env are extra K=V variables for the containers.
	Env []string
	// Memory (bytes) and PidsLimit limit every container (defaults
	// 512 MiB and 256).
	Memory    int64
	PidsLimit int64
	// Probe is where HTTP probes come from: "auto" (the engine host when
	// it can reach the container's network, else a prober container),
	// "host" or "container".
	Probe string
	// ProberBinary is the static seaworthy binary the prober container is
	// made of (default: the running executable).
	ProberBinary string
}

// Defaults.
const (
	DefaultGrace        = 10 * time.Second
	DefaultStartTimeout = 30 * time.Second
	DefaultSlowStart    = 10 * time.Second
	DefaultMemory       = 512 << 20
	DefaultPidsLimit    = 256
	DefaultHealthPath   = "/health"
)

func (o Options) withDefaults() Options {
	if o.Grace <= 0 {
		o.Grace = DefaultGrace
	}
	if o.StartTimeout <= 0 {
		o.StartTimeout = DefaultStartTimeout
	}
	if o.SlowStart <= 0 {
		o.SlowStart = DefaultSlowStart
	}
	if o.Memory <= 0 {
		o.Memory = DefaultMemory
	}
	if o.PidsLimit <= 0 {
		o.PidsLimit = DefaultPidsLimit
	}
	if o.Probe == "" {
		o.Probe = "auto"
	}
	if o.Timeout <= 0 {
		// Three runs that may each wait for readiness and a grace
		// period, plus engine work.
		o.Timeout = 3*(o.StartTimeout+o.Grace) + 2*time.Minute
	}
	if o.ProberBinary == "" {
		o.ProberBinary, _ = os.Executable()
	}
	return o
}

// Validate checks the options that do not need the engine.
func (o Options) Validate() error {
	if strings.TrimSpace(o.Image) == "" {
		return fmt.Errorf("no image given")
	}
	if o.Port < 0 || o.Port > 65535 {
		return fmt.Errorf("--port %d: want 1-65535", o.Port)
	}
	for _, p := range []struct{ flag, v string }{{"--health-path", o.HealthPath}, {"--slow-path", o.SlowPath}} {
		if p.v != "" && !strings.HasPrefix(p.v, "/") {
			return fmt.Errorf("%s %q: want a path starting with /", p.flag, p.v)
		}
	}
	for _, kv := range o.Env {
		if k, _, ok := strings.Cut(kv, "="); !ok || k == "" {
			return fmt.Errorf("--env %q: want K=V", kv)
		}
	}
	switch o.Probe {
	case "", "auto", "host", "container":
	default:
		return fmt.Errorf("--probe %q: want auto, host or container", o.Probe)
	}
	return nil
}
