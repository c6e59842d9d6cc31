package verify

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/seaworthy-dev/seaworthy/engine"
)

// Labels on everything a run creates. LabelRun identifies the run; the
// owner (host/pid) and expiry let a later run tell leftovers of a killed
// run from the resources of a run still going on.
const (
	LabelRun     = "dev.seaworthy.verify"
	LabelOwner   = "dev.seaworthy.verify.owner"
	LabelExpires = "dev.seaworthy.verify.expires"
)

func (r *runner) labels() map[string]string {
	host, _ := os.Hostname()
	return map[string]string{
		LabelRun:     r.id,
		LabelOwner:   fmt.Sprintf("%s/%d", host, os.Getpid()),
		LabelExpires: strconv.FormatInt(r.expires.Unix(), 10),
	}
}

// resource is something the run created and must remove.
type resource struct{ kind, id string }

func (r *runner) track(kind, id string) {
	r.mu.Lock()
	r.created = append(r.created, resource{kind, id})
	r.mu.Unlock()
}

// cleanup removes every container, then the network, then the images the
// run created. It runs with its own deadline, after the run's context
// may have been cancelled (Ctrl-C, timeout).
func (r *runner) cleanup(ctx context.Context) []error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 60*time.Second)
	defer cancel()
	r.mu.Lock()
	created := append([]resource(nil), r.created...)
	r.created = nil
	r.mu.Unlock()
	return removeAll(ctx, r.eng, created)
}

// removeAll removes containers in parallel, then networks, then images.
// Objects already gone are not errors.
func removeAll(ctx context.Context, eng engine.Engine, res []resource) []error {
	var (
		mu   sync.Mutex
		errs []error
	)
	add := func(err error) {
		if err != nil && !errors.Is(err, engine.ErrNotFound) {
			mu.Lock()
			errs = append(errs, err)
			mu.Unlock()
		}
	}
	for _, kind := range []string{"container", "network", "image"} {
		var wg sync.WaitGroup
		for _, x := range res {
			if x.kind != kind {
				continue
			}
			wg.Add(1)
			go func(x resource) {
				defer wg.Done()
				// A container the engine is still starting, or a network
				// whose endpoint is still being released, cannot be
				// removed yet: try again a few times.
				var err error
				for attempt := 0; attempt < 4; attempt++ {
					if attempt > 0 {
						select {
						case <-time.After(time.Duration(attempt) * 250 * time.Millisecond):
						case <-ctx.Done():
							add(err)
							return
						}
					}
					switch kind {
					case "container":
						err = eng.RemoveContainer(ctx, x.id)
					case "network":
						err = eng.RemoveNetwork(ctx, x.id)
					case "image":
						err = eng.RemoveImage(ctx, x.id)
					}
					if err == nil || errors.Is(err, engine.ErrNotFound) || errors.Is(err, engine.ErrUnreachable) {
						break
					}
				}
				add(err)
			}(x)
		}
		wg.Wait()
	}
	return errs
}

// sweep removes what earlier runs left behind: resources labelled as
// seaworthy's whose run is over, because its process on this host is
// gone or its expiry has passed. Resources of runs still going on (here
// or on another machine sharing the engine) are left alone.
func sweep(ctx context.Context, eng engine.Engine, self string) ([]engine.Resource, error) {
	owned, err := eng.Owned(ctx, LabelRun)
	if err != nil {
		return nil, err
	}
	host, _ := os.Hostname()
	now := time.Now()
	var stale []engine.Resource
	var res []resource
	for _, o := range owned {
		if o.Labels[LabelRun] == self || !leftover(o.Labels, host, now) {
			continue
		}
		stale = append(stale, o)
		id := o.ID
		if o.Kind == "image" && o.Name != "" {
			id = o.Name
		}
		res = append(res, resource{o.Kind, id})
	}
	if len(res) == 0 {
		return nil, nil
	}
	return stale, errors.Join(removeAll(ctx, eng, res)...)
}

// leftover decides whether a labelled resource belongs to a finished run.
func leftover(labels map[string]string, host string, now time.Time) bool {
	if exp, err := strconv.ParseInt(labels[LabelExpires], 10, 64); err == nil && now.Unix() > exp {
		return true
	}
	owner := labels[LabelOwner]
	i := strings.LastIndexByte(owner, '/')
	if i < 0 {
		// Not written by this version: only its expiry (above) counts.
		return labels[LabelExpires] == ""
	}
	if owner[:i] != host {
		return false
	}
	pid, err := strconv.Atoi(owner[i+1:])
	if err != nil || pid <= 0 {
		return true
	}
	return !processAlive(pid)
}

func processAlive(pid int) bool {
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}
