// Package observation holds what `seaworthy verify` observed while it ran an
// image in a Docker engine: the input the RT rules judge. It is plain data
// and imports nothing of the engine, so the rule framework can carry it.
//
// Every check has a Skipped field: empty when the check ran, otherwise the
// reason it could not be run. A skipped check never counts as passed.
package observation

import "time"

// Result is one verify run of an image.
type Result struct {
	// Image is the reference as the user gave it; ImageID the engine's ID.
	Image, ImageID string
	Settings       Settings

	// Start is the first run: from `docker start` to ready.
	Start Start
	// User is the uid PID 1 runs as.
	User User
	// Term is SIGTERM sent to the ready container of the first run.
	Term Stop
	// InFlight is the --slow-path request in flight when SIGTERM was sent;
	// Draining the new request sent while the container was shutting down.
	InFlight, Draining Request
	// Interrupt is SIGINT sent to a second, fresh container.
	Interrupt Stop
	// Reap is the orphaned child test (in the second container).
	Reap Reap
	// ReadOnly is a third run with a read-only root filesystem.
	ReadOnly Start
	// Writes are the files the first container wrote outside /tmp and its
	// declared volumes.
	Writes Writes
}

// Settings are what the run probed and how long it waited.
type Settings struct {
	// Port and HealthPath are the readiness endpoint; Port is 0 when the
	// image's HEALTHCHECK command was used instead (Readiness
	// "healthcheck").
	Port       int
	HealthPath string
	Readiness  string // "http" or "healthcheck"
	// HealthcheckCmd is the image's HEALTHCHECK test when Readiness is
	// "healthcheck".
	HealthcheckCmd []string
	SlowPath       string
	// ProbeFrom says where HTTP probes came from: "engine host" or
	// "prober container".
	ProbeFrom string
	// Grace is how long a signalled container may take to exit,
	// StartTimeout how long it may take to become ready, SlowStart the
	// RT011 threshold.
	Grace, StartTimeout, SlowStart time.Duration
}

// Start is one container run up to readiness.
type Start struct {
	Skipped string
	// Ready is true when the readiness probe passed, ReadyAfter after how
	// long (from the container's start).
	Ready      bool
	ReadyAfter time.Duration
	// StartFailed is the engine's error when the container could not even
	// start (e.g. the command does not exist in the image).
	StartFailed string
	// Exited is true when the container stopped by itself before it became
	// ready (or, with ExitedAfterReady, before seaworthy signalled it).
	Exited           bool
	ExitedAfterReady bool
	ExitCode         int
	ExitAfter        time.Duration
	OOMKilled        bool
	// LastProbe describes the last failed readiness attempt
	// ("connection refused", "HTTP 404", "healthcheck exit code 1").
	LastProbe string
	// Listening are the TCP addresses the container listened on when it
	// was given up on, e.g. "127.0.0.1:3000" (nil when unknown).
	Listening []string
	// Logs is the tail of the container's output.
	Logs string
}

// User is the user PID 1 runs as.
type User struct {
	Skipped string
	UID     int
	// Configured is the image's USER ("" = root by default).
	Configured string
	// Command is PID 1's command line.
	Command string
}

// Stop is a signal sent to a ready container and what followed.
type Stop struct {
	Skipped string
	Signal  string // "SIGTERM", "SIGINT"
	// Exited is true when the container stopped within the grace period;
	// Killed when seaworthy had to SIGKILL it at the deadline.
	Exited    bool
	Killed    bool
	ExitAfter time.Duration
	ExitCode  int
	Logs      string
}

// Request is one HTTP request made around SIGTERM.
type Request struct {
	Skipped string
	Path    string
	// Status is the HTTP status (0 when there was no response); Err
	// describes the failure: "connection refused", "connection reset",
	// "EOF", "timeout".
	Status   int
	Err      string
	Duration time.Duration
}

// OK reports a 2xx response.
func (r Request) OK() bool { return r.Status >= 200 && r.Status < 300 }

// Reap is the orphaned-child test: a background process left behind by an
// exec'd shell is re-parented to PID 1, which must reap it when it exits.
type Reap struct {
	Skipped string
	// Zombie is true when the orphan stayed a zombie; PID is its pid in the
	// container; Init is PID 1's command line.
	Zombie bool
	PID    int
	Init   string
}

// Writes is the container's filesystem diff, filtered.
type Writes struct {
	Skipped string
	Changes []Change
}

// Change is one entry of `docker diff`: Kind is "A" (added), "C"
// (changed) or "D" (deleted).
type Change struct {
	Kind, Path string
}

// InputKind names the kind of rule input a Result is (see analysis.Input).
func (*Result) InputKind() string { return "runtime observation" }
