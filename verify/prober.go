package verify

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"
	"time"

	"github.com/seaworthy-dev/seaworthy/engine"
	"github.com/seaworthy-dev/seaworthy/verify/probe"
)

// chooseProber picks where HTTP probes come from: the engine host when it
// can reach the container's address, else a prober container.
func (r *runner) chooseProber(ctx context.Context, c *ctr) error {
	if r.opts.Probe == "host" || c.ip == "" || r.res.Settings.Readiness != "http" {
		r.useProber(r.host)
		return nil
	}
	addr := net.JoinHostPort(c.ip, strconv.Itoa(r.res.Settings.Port))
	if err := r.host.Dial(ctx, addr, 500*time.Millisecond); probe.Reachable(err) {
		r.useProber(r.host)
		return nil
	}
	return r.startProber(ctx)
}

func (r *runner) useProber(p probe.Prober) {
	r.probe = p
	r.res.Settings.ProbeFrom = p.From()
}

// startProber starts the prober container on the run's network.
func (r *runner) startProber(ctx context.Context) error {
	imgID, err := r.proberImage(ctx, r.info.Arch)
	if err != nil {
		var ve *Error
		if errors.As(err, &ve) || errors.Is(err, engine.ErrUnreachable) {
			return r.engineErr(err)
		}
		return &Error{Msg: "cannot probe the container: this machine cannot reach the engine's container network, and " + err.Error()}
	}
	id, err := r.eng.CreateContainer(ctx, engine.ContainerSpec{
		Name: fmt.Sprintf("seaworthy-%s-prober", r.id), Image: imgID, Labels: r.labels(),
		Network: r.network, Memory: 64 << 20, PidsLimit: 64,
	})
	if err != nil {
		return &Error{Msg: "creating the prober container", Err: r.engineErr(err)}
	}
	r.track("container", id)
	if err := r.eng.StartContainer(ctx, id); err != nil {
		return &Error{Msg: "starting the prober container", Err: r.engineErr(err)}
	}
	sess, err := r.eng.Session(ctx, id, probe.ServeCommand())
	if err != nil {
		return &Error{Msg: "starting the prober", Err: r.engineErr(err)}
	}
	r.useProber(probe.NewContainer(sess.Stdin, sess.Stdout))
	return nil
}

// proberImage imports the prober's image (probe.Rootfs) into the engine.
func (r *runner) proberImage(ctx context.Context, arch string) (string, error) {
	rootfs, err := probe.Rootfs(r.opts.ProberBinary, arch)
	if err != nil {
		return "", err
	}
	defer rootfs.Close()
	changes := probe.ImageChanges()
	for k, v := range r.labels() {
		changes = append(changes, fmt.Sprintf("LABEL %s=%q", k, v))
	}
	ref := "seaworthy-prober:" + r.id
	id, err := r.eng.ImportImage(ctx, rootfs, ref, changes)
	if err != nil {
		return "", err
	}
	r.track("image", ref)
	return id, nil
}
