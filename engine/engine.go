// Package engine is seaworthy's adapter over the Docker Engine API. Verify
// talks to the small Engine interface below, so its logic can be tested
// with a fake; Docker implements it with github.com/moby/moby/client.
//
// Only the verify command imports this package: the static checks
// (rules/df, checker, source/...) never do, and a test asserts it.
package engine

import (
	"context"
	"errors"
	"io"
	"time"
)

// Engine is everything verify needs from a container engine.
type Engine interface {
	// Ping checks the engine answers and negotiates the API version.
	Ping(ctx context.Context) (Info, error)
	// Image inspects a local image; the error wraps ErrNotFound when it
	// does not exist.
	Image(ctx context.Context, ref string) (*Image, error)

	// CreateNetwork creates a user-defined bridge network; internal
	// networks have no route out.
	CreateNetwork(ctx context.Context, spec NetworkSpec) (id string, err error)
	RemoveNetwork(ctx context.Context, id string) error

	CreateContainer(ctx context.Context, spec ContainerSpec) (id string, err error)
	// WaitExit returns a channel that receives the container's next exit.
	// Call it before StartContainer.
	WaitExit(ctx context.Context, id string) <-chan Exit
	StartContainer(ctx context.Context, id string) error
	Inspect(ctx context.Context, id string) (*Container, error)
	// Signal sends a signal ("SIGTERM", "SIGINT", "SIGKILL").
	Signal(ctx context.Context, id, signal string) error
	// RemoveContainer force-removes a container and its anonymous volumes.
	RemoveContainer(ctx context.Context, id string) error
	// Changes is the container's filesystem diff (`docker diff`).
	Changes(ctx context.Context, id string) ([]Change, error)
	// Logs returns the last tail lines of stdout and stderr, interleaved.
	Logs(ctx context.Context, id string, tail int) (string, error)
	// Exec runs a command in a running container and waits for it.
	Exec(ctx context.Context, id string, spec ExecSpec) (*ExecResult, error)
	// Session starts a command in a running container with its stdin and
	// stdout connected, for a conversation (verify's prober).
	Session(ctx context.Context, id string, cmd []string) (*Session, error)

	// ImportImage creates an image from a root filesystem tar, applying
	// Dockerfile changes ("ENTRYPOINT [...]", "LABEL k=v").
	ImportImage(ctx context.Context, rootfs io.Reader, ref string, changes []string) (id string, err error)
	RemoveImage(ctx context.Context, id string) error

	// Owned lists the containers, networks and images carrying label.
	Owned(ctx context.Context, label string) ([]Resource, error)

	// Host is the engine's address as configured (DOCKER_HOST or the
	// default socket).
	Host() string
}

// Errors an adapter wraps so callers can tell the cases apart.
var (
	// ErrNotFound: the image, container or network does not exist.
	ErrNotFound = errors.New("not found")
	// ErrUnreachable: the engine does not answer (not running, wrong
	// DOCKER_HOST, or gone mid-run).
	ErrUnreachable = errors.New("engine unreachable")
)

// Info describes the engine.
type Info struct {
	Host          string
	ServerVersion string
	APIVersion    string // negotiated
	OS, Arch      string // "linux", "x86_64"
}

// Image is what verify needs from an image's config.
type Image struct {
	ID               string
	Tags             []string
	User             string
	Entrypoint, Cmd  []string
	Env              []string
	WorkingDir       string
	ExposedPorts     []string // "3000/tcp"
	Volumes          []string
	Healthcheck      []string // HEALTHCHECK test: ["CMD", ...] or ["CMD-SHELL", "..."]
	StopSignal       string
	Labels           map[string]string
	Architecture, OS string
}

// NetworkSpec is a network to create.
type NetworkSpec struct {
	Name     string
	Internal bool
	Labels   map[string]string
}

// ContainerSpec is a container to create.
type ContainerSpec struct {
	Name    string
	Image   string
	Cmd     []string // nil: the image's
	Env     []string
	Labels  map[string]string
	Network string // network name or ID
	// Memory is the memory limit in bytes, PidsLimit the process limit
	// (0: none).
	Memory    int64
	PidsLimit int64
	// ReadOnlyRootfs mounts the root filesystem read-only; Tmpfs adds
	// tmpfs mounts (path -> options).
	ReadOnlyRootfs bool
	Tmpfs          map[string]string
}

// Exit is a container's exit.
type Exit struct {
	Code int
	At   time.Time // when the exit was observed
	Err  error     // the wait itself failed
}

// Container is the inspected state of a container.
type Container struct {
	ID      string
	Running bool
	Status  string // "created", "running", "exited", ...
	// Pid is PID 1's pid on the engine host (0 when not running).
	Pid       int
	ExitCode  int
	OOMKilled bool
	Error     string
	// IP is the container's address on each network, by network name.
	IP map[string]string
	// Path and Args are the container's command.
	Path string
	Args []string
}

// ExecSpec is a command to run in a container.
type ExecSpec struct {
	Cmd  []string
	User string // "" = the container's user
	Env  []string
}

// ExecResult is a finished exec.
type ExecResult struct {
	ExitCode       int
	Stdout, Stderr string
}

// Change is one `docker diff` entry; Kind is "A", "C" or "D".
type Change struct {
	Kind, Path string
}

// Resource is a labelled object found by Owned.
type Resource struct {
	Kind   string // "container", "network" or "image"
	ID     string
	Name   string
	Labels map[string]string
}

// Session is a running exec with its standard streams: write to Stdin,
// read Stdout (stderr is dropped). Close ends it.
type Session struct {
	Stdin  io.WriteCloser
	Stdout io.Reader
	Close  func() error
}
