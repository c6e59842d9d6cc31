package verify

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/seaworthy-dev/seaworthy/engine"
)

// ctr is a container of the run.
type ctr struct {
	role    string
	id      string
	started time.Time // when `start` returned
	ip      string
	pid     int
	path    string
	args    []string

	done chan struct{} // closed at exit
	exit engine.Exit
}

func (c *ctr) exited() bool {
	select {
	case <-c.done:
		return true
	default:
		return false
	}
}

// startContainer creates and starts a container of the run. It returns a
// nil ctr (and no error) when the engine refused to start it for a reason
// of the image's (recorded as StartFailed for the first run).
func (r *runner) startContainer(ctx context.Context, role string, readOnly bool) (*ctr, error) {
	spec := engine.ContainerSpec{
		Name:      fmt.Sprintf("seaworthy-%s-%s", r.id, role),
		Image:     r.img.ID,
		Env:       r.opts.Env,
		Labels:    r.labels(),
		Network:   r.network,
		Memory:    r.opts.Memory,
		PidsLimit: r.opts.PidsLimit,
	}
	if readOnly {
		spec.ReadOnlyRootfs = true
		spec.Tmpfs = map[string]string{"/tmp": "rw,nosuid,nodev,mode=1777,size=64m"}
	}
	id, err := r.eng.CreateContainer(ctx, spec)
	if err != nil {
		return nil, &Error{Msg: fmt.Sprintf("creating the %s container from %q", role, r.opts.Image), Err: r.engineErr(err)}
	}
	r.track("container", id)
	c := &ctr{role: role, id: id, done: make(chan struct{})}
	exitCh := r.eng.WaitExit(ctx, id)
	go func() {
		e := <-exitCh
		if e.Err == nil {
			c.exit = e
			close(c.done)
		}
	}()
	if err := r.eng.StartContainer(ctx, id); err != nil {
		if errors.Is(err, engine.ErrUnreachable) || ctx.Err() != nil {
			return nil, r.engineErr(err)
		}
		if role == "main" {
			r.res.Start.StartFailed = startError(err)
			r.res.Start.Logs, _ = r.eng.Logs(ctx, id, logTail)
		}
		return nil, nil
	}
	c.started = time.Now()
	in, err := r.eng.Inspect(ctx, id)
	if err != nil {
		return nil, r.engineErr(err)
	}
	c.ip, c.pid, c.path, c.args = in.IP[r.network], in.Pid, in.Path, in.Args
	return c, nil
}

// startError shortens the engine's start error to its cause.
func startError(err error) string {
	s := err.Error()
	if i := strings.Index(s, "exec: "); i >= 0 {
		s = s[i:]
	} else if i := strings.LastIndex(s, "Error response from daemon: "); i >= 0 {
		s = s[i+len("Error response from daemon: "):]
	}
	return strings.TrimSuffix(strings.TrimSpace(s), ": unknown")
}

func (r *runner) url(c *ctr, path string) string {
	return "http://" + net.JoinHostPort(c.ip, strconv.Itoa(r.res.Settings.Port)) + path
}

// errNoShell: the image has no /bin/sh to run a check with.
var errNoShell = errors.New("the image has no shell (/bin/sh)")

// shell runs a sh script in the container. A missing shell is errNoShell.
func (r *runner) shell(ctx context.Context, c *ctr, script string) (*engine.ExecResult, error) {
	ectx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	res, err := r.eng.Exec(ectx, c.id, engine.ExecSpec{Cmd: []string{"/bin/sh", "-c", script}})
	if err != nil {
		if strings.Contains(err.Error(), "executable file not found") || strings.Contains(err.Error(), "no such file or directory") {
			return nil, errNoShell
		}
		return nil, err
	}
	if (res.ExitCode == 126 || res.ExitCode == 127) && noShellOutput(res.Stdout+res.Stderr) {
		return nil, errNoShell
	}
	return res, nil
}

func noShellOutput(s string) bool {
	return s == "" || strings.Contains(s, "executable file not found") || strings.Contains(s, "no such file or directory") ||
		strings.Contains(s, "OCI runtime exec failed")
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return strings.TrimSpace(lines[len(lines)-1])
}
