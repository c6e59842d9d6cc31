package engine

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/moby/moby/api/pkg/stdcopy"
	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/client"
)

// Docker is the Engine backed by the Docker Engine API. The API version is
// negotiated on the first request, so any engine from Docker 20.10 (API
// 1.41) on works.
type Docker struct {
	cli  *client.Client
	host string
}

var _ Engine = (*Docker)(nil)

// NewDocker connects to the engine named by DOCKER_HOST (and
// DOCKER_TLS_VERIFY, DOCKER_CERT_PATH, DOCKER_API_VERSION); without
// DOCKER_HOST, to the Docker CLI's current context's engine (DOCKER_CONTEXT
// or `docker context use`), with its TLS files; else to the default socket. It does not
// contact the engine; Ping does.
func NewDocker() (*Docker, error) {
	opts := []client.Opt{client.FromEnv}
	if os.Getenv("DOCKER_HOST") == "" {
		ep, err := currentContext(os.Getenv)
		if err != nil {
			return nil, err
		}
		if ep.Host != "" {
			opts = append(opts, client.WithHost(ep.Host))
		}
		if ep.CA != "" || ep.Cert != "" || ep.Key != "" {
			opts = append(opts, client.WithTLSClientConfig(ep.CA, ep.Cert, ep.Key))
		}
	}
	cli, err := client.New(opts...)
	if err != nil {
		return nil, fmt.Errorf("Docker engine client (DOCKER_HOST=%q): %w", os.Getenv("DOCKER_HOST"), err)
	}
	return &Docker{cli: cli, host: cli.DaemonHost()}, nil
}

// NewDockerHost connects to the engine at host ("unix:///path/docker.sock").
func NewDockerHost(host string) (*Docker, error) {
	cli, err := client.New(client.WithHost(host))
	if err != nil {
		return nil, fmt.Errorf("Docker engine client (%s): %w", host, err)
	}
	return &Docker{cli: cli, host: cli.DaemonHost()}, nil
}

// Close releases the client's connections.
func (d *Docker) Close() error { return d.cli.Close() }

// Host is the engine address.
func (d *Docker) Host() string { return d.host }

// Client is the underlying API client, for tests that build images.
func (d *Docker) Client() *client.Client { return d.cli }

// wrap classifies an API error: ErrNotFound, ErrUnreachable, or as is.
func (d *Docker) wrap(err error, format string, args ...any) error {
	if err == nil {
		return nil
	}
	what := fmt.Sprintf(format, args...)
	switch {
	case cerrdefs.IsNotFound(err):
		return fmt.Errorf("%s: %w: %v", what, ErrNotFound, err)
	case unreachable(err):
		return fmt.Errorf("%s: %w", what, &unreachableError{host: d.host, cause: rootCause(err)})
	}
	return fmt.Errorf("%s: %w", what, err)
}

// unreachableError is ErrUnreachable with the engine's address and why.
type unreachableError struct{ host, cause string }

func (e *unreachableError) Error() string {
	return fmt.Sprintf("%v at %s (%s)", ErrUnreachable, e.host, e.cause)
}

func (e *unreachableError) Is(target error) bool { return target == ErrUnreachable }

// Cause says why the engine is unreachable ("no such file or directory",
// "connection refused"); the error's text when it is no ErrUnreachable.
func Cause(err error) string {
	var u *unreachableError
	if errors.As(err, &u) {
		return u.cause
	}
	return err.Error()
}

// rootCause is the last part of an error chain's text ("connect: no such
// file or directory", "EOF").
func rootCause(err error) string {
	for {
		u := errors.Unwrap(err)
		if u == nil {
			break
		}
		err = u
	}
	s := err.Error()
	if i := strings.LastIndex(s, ": "); i >= 0 && i+2 < len(s) {
		s = s[i+2:]
	}
	if strings.HasPrefix(s, "Cannot connect to the Docker daemon") {
		// The client's own advice, which names the host again.
		return "nothing answers there"
	}
	return s
}

// unreachable reports errors that mean the engine is not answering.
func unreachable(err error) bool {
	if client.IsErrConnectionFailed(err) {
		return true
	}
	if errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ENOENT) ||
		errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE) ||
		errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		return true
	}
	var ne net.Error
	if errors.As(err, &ne) && !errors.Is(err, context.Canceled) && !errors.Is(err, context.DeadlineExceeded) {
		return true
	}
	var oe *net.OpError
	return errors.As(err, &oe)
}

// Ping checks the engine answers and negotiates the API version.
func (d *Docker) Ping(ctx context.Context) (Info, error) {
	info := Info{Host: d.host}
	if _, err := d.cli.Ping(ctx, client.PingOptions{NegotiateAPIVersion: true}); err != nil {
		return info, d.wrap(err, "contacting the Docker engine")
	}
	v, err := d.cli.ServerVersion(ctx, client.ServerVersionOptions{})
	if err != nil {
		return info, d.wrap(err, "reading the Docker engine's version")
	}
	info.ServerVersion, info.APIVersion = v.Version, d.cli.ClientVersion()
	info.OS, info.Arch = v.Os, v.Arch
	return info, nil
}

// Image inspects a local image.
func (d *Docker) Image(ctx context.Context, ref string) (*Image, error) {
	res, err := d.cli.ImageInspect(ctx, ref)
	if err != nil {
		return nil, d.wrap(err, "image %q", ref)
	}
	img := &Image{ID: res.ID, Tags: res.RepoTags, Architecture: res.Architecture, OS: res.Os}
	if c := res.Config; c != nil {
		img.User, img.Entrypoint, img.Cmd = c.User, c.Entrypoint, c.Cmd
		img.Env, img.WorkingDir, img.StopSignal, img.Labels = c.Env, c.WorkingDir, c.StopSignal, c.Labels
		for p := range c.ExposedPorts {
			img.ExposedPorts = append(img.ExposedPorts, p)
		}
		sort.Strings(img.ExposedPorts)
		for v := range c.Volumes {
			img.Volumes = append(img.Volumes, v)
		}
		sort.Strings(img.Volumes)
		if c.Healthcheck != nil {
			img.Healthcheck = c.Healthcheck.Test
		}
	}
	return img, nil
}

// CreateNetwork creates a bridge network.
func (d *Docker) CreateNetwork(ctx context.Context, spec NetworkSpec) (string, error) {
	res, err := d.cli.NetworkCreate(ctx, spec.Name, client.NetworkCreateOptions{
		Driver: "bridge", Internal: spec.Internal, Labels: spec.Labels,
	})
	if err != nil {
		return "", d.wrap(err, "creating network %s", spec.Name)
	}
	return res.ID, nil
}

// RemoveNetwork removes a network.
func (d *Docker) RemoveNetwork(ctx context.Context, id string) error {
	_, err := d.cli.NetworkRemove(ctx, id, client.NetworkRemoveOptions{})
	return d.wrap(err, "removing network %s", short(id))
}

// CreateContainer creates a container.
func (d *Docker) CreateContainer(ctx context.Context, spec ContainerSpec) (string, error) {
	cfg := &container.Config{Image: spec.Image, Env: spec.Env, Labels: spec.Labels}
	if spec.Cmd != nil {
		cfg.Cmd = spec.Cmd
	}
	hc := &container.HostConfig{
		ReadonlyRootfs: spec.ReadOnlyRootfs,
		Tmpfs:          spec.Tmpfs,
	}
	if spec.Network != "" {
		hc.NetworkMode = container.NetworkMode(spec.Network)
	}
	if spec.Memory > 0 {
		hc.Resources.Memory = spec.Memory
		hc.Resources.MemorySwap = spec.Memory // no swap beyond the limit
	}
	if spec.PidsLimit > 0 {
		limit := spec.PidsLimit
		hc.Resources.PidsLimit = &limit
	}
	res, err := d.cli.ContainerCreate(ctx, client.ContainerCreateOptions{Config: cfg, HostConfig: hc, Name: spec.Name})
	if err != nil {
		return "", d.wrap(err, "creating container from %s", spec.Image)
	}
	return res.ID, nil
}

// WaitExit waits for the container's next exit.
func (d *Docker) WaitExit(ctx context.Context, id string) <-chan Exit {
	out := make(chan Exit, 1)
	w := d.cli.ContainerWait(ctx, id, client.ContainerWaitOptions{Condition: container.WaitConditionNextExit})
	go func() {
		select {
		case r := <-w.Result:
			e := Exit{Code: int(r.StatusCode), At: time.Now()}
			if r.Error != nil && r.Error.Message != "" {
				e.Err = errors.New(r.Error.Message)
			}
			out <- e
		case err := <-w.Error:
			out <- Exit{At: time.Now(), Err: d.wrap(err, "waiting for container %s", short(id))}
		}
	}()
	return out
}

// StartContainer starts a created container.
func (d *Docker) StartContainer(ctx context.Context, id string) error {
	_, err := d.cli.ContainerStart(ctx, id, client.ContainerStartOptions{})
	return d.wrap(err, "starting container %s", short(id))
}

// Inspect reads a container's state.
func (d *Docker) Inspect(ctx context.Context, id string) (*Container, error) {
	res, err := d.cli.ContainerInspect(ctx, id, client.ContainerInspectOptions{})
	if err != nil {
		return nil, d.wrap(err, "inspecting container %s", short(id))
	}
	c := res.Container
	out := &Container{ID: c.ID, Path: c.Path, Args: c.Args, IP: map[string]string{}}
	if s := c.State; s != nil {
		out.Running, out.Status, out.Pid = s.Running, string(s.Status), s.Pid
		out.ExitCode, out.OOMKilled, out.Error = s.ExitCode, s.OOMKilled, s.Error
	}
	if ns := c.NetworkSettings; ns != nil {
		for name, ep := range ns.Networks {
			if ep != nil && ep.IPAddress.IsValid() {
				out.IP[name] = ep.IPAddress.String()
			}
		}
	}
	return out, nil
}

// Signal sends a signal to PID 1 of the container.
func (d *Docker) Signal(ctx context.Context, id, signal string) error {
	_, err := d.cli.ContainerKill(ctx, id, client.ContainerKillOptions{Signal: signal})
	return d.wrap(err, "sending %s to container %s", signal, short(id))
}

// RemoveContainer force-removes a container with its anonymous volumes.
func (d *Docker) RemoveContainer(ctx context.Context, id string) error {
	_, err := d.cli.ContainerRemove(ctx, id, client.ContainerRemoveOptions{Force: true, RemoveVolumes: true})
	return d.wrap(err, "removing container %s", short(id))
}

// Changes is the container's filesystem diff.
func (d *Docker) Changes(ctx context.Context, id string) ([]Change, error) {
	res, err := d.cli.ContainerDiff(ctx, id, client.ContainerDiffOptions{})
	if err != nil {
		return nil, d.wrap(err, "reading the filesystem changes of container %s", short(id))
	}
	out := make([]Change, 0, len(res.Changes))
	for _, c := range res.Changes {
		kind := "C"
		switch c.Kind {
		case container.ChangeAdd:
			kind = "A"
		case container.ChangeDelete:
			kind = "D"
		}
		out = append(out, Change{Kind: kind, Path: c.Path})
	}
	return out, nil
}

// Logs returns the last tail lines of the container's output.
func (d *Docker) Logs(ctx context.Context, id string, tail int) (string, error) {
	rc, err := d.cli.ContainerLogs(ctx, id, client.ContainerLogsOptions{
		ShowStdout: true, ShowStderr: true, Tail: strconv.Itoa(tail),
	})
	if err != nil {
		return "", d.wrap(err, "reading the logs of container %s", short(id))
	}
	defer rc.Close()
	var buf syncBuffer
	if _, err := stdcopy.StdCopy(&buf, &buf, io.LimitReader(rc, 1<<20)); err != nil {
		return buf.String(), d.wrap(err, "reading the logs of container %s", short(id))
	}
	return buf.String(), nil
}

// syncBuffer is a bytes.Buffer for StdCopy's two writers (it writes from
// one goroutine, so no lock is needed).
type syncBuffer struct{ bytes.Buffer }

// Exec runs a command in the container and waits for it to finish.
func (d *Docker) Exec(ctx context.Context, id string, spec ExecSpec) (*ExecResult, error) {
	ex, err := d.cli.ExecCreate(ctx, id, client.ExecCreateOptions{
		Cmd: spec.Cmd, User: spec.User, Env: spec.Env, AttachStdout: true, AttachStderr: true,
	})
	if err != nil {
		return nil, d.wrap(err, "exec %q in container %s", strings.Join(spec.Cmd, " "), short(id))
	}
	att, err := d.cli.ExecAttach(ctx, ex.ID, client.ExecAttachOptions{})
	if err != nil {
		return nil, d.wrap(err, "exec %q in container %s", strings.Join(spec.Cmd, " "), short(id))
	}
	defer att.Close()
	var stdout, stderr bytes.Buffer
	done := make(chan error, 1)
	go func() {
		_, err := stdcopy.StdCopy(&stdout, &stderr, io.LimitReader(att.Reader, 4<<20))
		done <- err
	}()
	select {
	case err = <-done:
	case <-ctx.Done():
		att.Close()
		<-done
		return nil, ctx.Err()
	}
	if err != nil {
		return nil, d.wrap(err, "exec %q in container %s", strings.Join(spec.Cmd, " "), short(id))
	}
	res := &ExecResult{Stdout: stdout.String(), Stderr: stderr.String()}
	// The stream ends when the process exits; the exit code follows
	// shortly after.
	for i := 0; ; i++ {
		in, err := d.cli.ExecInspect(ctx, ex.ID, client.ExecInspectOptions{})
		if err != nil {
			return nil, d.wrap(err, "exec %q in container %s", strings.Join(spec.Cmd, " "), short(id))
		}
		if !in.Running || i == 50 {
			res.ExitCode = in.ExitCode
			return res, nil
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// Session starts cmd in the container with stdin and stdout attached.
func (d *Docker) Session(ctx context.Context, id string, cmd []string) (*Session, error) {
	ex, err := d.cli.ExecCreate(ctx, id, client.ExecCreateOptions{
		Cmd: cmd, AttachStdin: true, AttachStdout: true, AttachStderr: true,
	})
	if err != nil {
		return nil, d.wrap(err, "exec %q in container %s", strings.Join(cmd, " "), short(id))
	}
	att, err := d.cli.ExecAttach(ctx, ex.ID, client.ExecAttachOptions{})
	if err != nil {
		return nil, d.wrap(err, "exec %q in container %s", strings.Join(cmd, " "), short(id))
	}
	pr, pw := io.Pipe()
	go func() {
		_, err := stdcopy.StdCopy(pw, io.Discard, att.Reader)
		pw.CloseWithError(err)
	}()
	return &Session{
		Stdin:  hijackedStdin{att.HijackedResponse},
		Stdout: pr,
		Close:  func() error { att.Close(); return nil },
	}, nil
}

// hijackedStdin writes to an exec's stdin; Close half-closes it.
type hijackedStdin struct{ h client.HijackedResponse }

func (w hijackedStdin) Write(p []byte) (int, error) { return w.h.Conn.Write(p) }
func (w hijackedStdin) Close() error                { return w.h.CloseWrite() }

// ImportImage creates an image from a root filesystem tar.
func (d *Docker) ImportImage(ctx context.Context, rootfs io.Reader, ref string, changes []string) (string, error) {
	rc, err := d.cli.ImageImport(ctx, client.ImageImportSource{Source: rootfs, SourceName: "-"}, ref, client.ImageImportOptions{Changes: changes})
	if err != nil {
		return "", d.wrap(err, "importing image %s", ref)
	}
	defer rc.Close()
	msgs, err := readJSONMessages(rc)
	if err != nil {
		return "", d.wrap(err, "importing image %s", ref)
	}
	// The last message's status is the new image's ID.
	id := ""
	for _, m := range msgs {
		if strings.HasPrefix(m.Status, "sha256:") {
			id = strings.TrimSpace(m.Status)
		}
	}
	if id == "" && ref != "" {
		id = ref
	}
	return id, nil
}

// RemoveImage removes an image (forcing, and pruning untagged parents).
func (d *Docker) RemoveImage(ctx context.Context, id string) error {
	_, err := d.cli.ImageRemove(ctx, id, client.ImageRemoveOptions{Force: true, PruneChildren: true})
	return d.wrap(err, "removing image %s", short(id))
}

// Owned lists containers (running or not), networks and images carrying
// label.
func (d *Docker) Owned(ctx context.Context, label string) ([]Resource, error) {
	f := client.Filters{}.Add("label", label)
	var out []Resource
	cs, err := d.cli.ContainerList(ctx, client.ContainerListOptions{All: true, Filters: f})
	if err != nil {
		return nil, d.wrap(err, "listing containers labelled %s", label)
	}
	for _, c := range cs.Items {
		name := ""
		if len(c.Names) > 0 {
			name = strings.TrimPrefix(c.Names[0], "/")
		}
		out = append(out, Resource{Kind: "container", ID: c.ID, Name: name, Labels: c.Labels})
	}
	ns, err := d.cli.NetworkList(ctx, client.NetworkListOptions{Filters: f})
	if err != nil {
		return nil, d.wrap(err, "listing networks labelled %s", label)
	}
	for _, n := range ns.Items {
		out = append(out, Resource{Kind: "network", ID: n.ID, Name: n.Name, Labels: n.Labels})
	}
	is, err := d.cli.ImageList(ctx, client.ImageListOptions{Filters: f})
	if err != nil {
		return nil, d.wrap(err, "listing images labelled %s", label)
	}
	for _, im := range is.Items {
		name := ""
		if len(im.RepoTags) > 0 {
			name = im.RepoTags[0]
		}
		out = append(out, Resource{Kind: "image", ID: im.ID, Name: name, Labels: im.Labels})
	}
	return out, nil
}

// short abbreviates an ID for messages.
func short(id string) string {
	id = strings.TrimPrefix(id, "sha256:")
	if len(id) > 12 {
		return id[:12]
	}
	return id
}
