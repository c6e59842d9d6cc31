package verify_test

// The test engine: a private dockerd (Debian's docker.io) on its own
// socket and data root, a Node base image imported from a cached rootfs
// tarball (scripts/engine-setup.sh builds it with debootstrap), and the
// sample apps of testdata/apps built on it with the classic builder. No
// registry is needed.
//
// The engine itself comes from internal/enginetest (see its environment
// variables).

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/seaworthy-dev/seaworthy/engine"
	"github.com/seaworthy-dev/seaworthy/internal/enginetest"
	"github.com/seaworthy-dev/seaworthy/verify"
)

const baseImage = enginetest.NodeBase

// testEnv is the shared test engine with verify's sample apps built on it.
type testEnv struct {
	*enginetest.Env
	host string
	eng  *engine.Docker
	dir  string // scratch directory
	bin  string // static seaworthy binary (prober, subprocess tests)

	setup time.Duration // time to build the sample apps and the binary

	mu     sync.Mutex
	images map[string]error // sample -> build error
}

var (
	envOnce sync.Once
	env     *testEnv
	envErr  error
)

// engineEnv brings the test engine up once for the whole test binary,
// with the base image and the sample apps.
func engineEnv(t *testing.T) *testEnv {
	t.Helper()
	shared := enginetest.Shared(t)
	envOnce.Do(func() {
		t0 := time.Now()
		shared.Base(t, baseImage)
		env = &testEnv{Env: shared, host: shared.Host, eng: shared.Engine, dir: shared.Dir, bin: shared.Binary(t), images: map[string]error{}}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
		defer cancel()
		envErr = env.buildSamples(ctx, filepath.Join(shared.Root, "verify", "testdata", "apps"))
		env.setup = shared.Setup + time.Since(t0)
	})
	if envErr != nil {
		t.Fatal(envErr)
	}
	if env == nil {
		t.Fatal("the test engine's setup failed in an earlier test")
	}
	return env
}

// buildSamples builds every app under dir as seaworthy-test/<name>, four
// at a time.
func (e *testEnv) buildSamples(ctx context.Context, dir string) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	sem := make(chan struct{}, 4)
	var wg sync.WaitGroup
	for _, de := range entries {
		if !de.IsDir() {
			continue
		}
		wg.Add(1)
		go func(name string) {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			var log bytes.Buffer
			_, err := e.eng.Build(ctx, engine.BuildSpec{Dir: filepath.Join(dir, name), Tag: sampleRef(name)}, &log)
			if err != nil {
				err = fmt.Errorf("building sample %s: %v\n%s", name, err, log.String())
			}
			e.mu.Lock()
			e.images[name] = err
			e.mu.Unlock()
		}(de.Name())
	}
	wg.Wait()
	return nil
}

func sampleRef(name string) string { return "seaworthy-test/" + name + ":latest" }

// sample returns the image reference of a built sample app.
func (e *testEnv) sample(t *testing.T, name string) string {
	t.Helper()
	e.mu.Lock()
	err, ok := e.images[name]
	e.mu.Unlock()
	if !ok {
		t.Fatalf("no sample app %q under testdata/apps", name)
	}
	if err != nil {
		t.Fatal(err)
	}
	return sampleRef(name)
}

// owned lists the resources carrying verify's run label.
func (e *testEnv) owned(t *testing.T) []engine.Resource {
	t.Helper()
	res, err := e.eng.Owned(context.Background(), verify.LabelRun)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func TestMain(m *testing.M) {
	code := m.Run()
	if env != nil && env.eng != nil {
		// Every run must have removed what it created.
		if res, err := env.eng.Owned(context.Background(), verify.LabelRun); err == nil && len(res) > 0 {
			fmt.Fprintf(os.Stderr, "FAIL: verify left %d labelled resources behind:\n", len(res))
			for _, r := range res {
				fmt.Fprintf(os.Stderr, "  %s %s %s\n", r.Kind, r.Name, r.Labels[verify.LabelOwner])
			}
			code = 1
		}
	}
	if env != nil && env.setup > 0 {
		fmt.Fprintf(os.Stderr, "engine setup (dockerd, base image, %d sample builds, static binary): %s\n", len(env.images), env.setup.Round(time.Millisecond))
	}
	enginetest.Stop()
	os.Exit(code)
}
