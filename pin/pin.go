// Package pin resolves container image tags to the digests a registry
// serves for them and pins a Dockerfile's FROM lines to those digests
// (node:22-bookworm-slim@sha256:…), so that a rebuild gets the same base
// image bytes.
package pin

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/v1/remote"
)

// Resolver asks registries for the digest of an image tag.
type Resolver struct {
	// Registry, when set, is the host every image is resolved from (a
	// mirror of Docker Hub and the other registries), keeping each image's
	// repository path: node:22 → <Registry>/library/node:22. A localhost
	// or private-network host is reached over plain HTTP.
	Registry string
	// Keychain finds registry credentials; nil means the Docker CLI's
	// (~/.docker/config.json and its credential helpers).
	Keychain authn.Keychain
	// Transport carries the requests; nil means http.DefaultTransport.
	Transport http.RoundTripper
	// Timeout bounds each resolution; 0 means 15 seconds.
	Timeout time.Duration
}

// Digest is the digest the registry serves for image (for a multi-platform
// image, the digest of its index).
func (r Resolver) Digest(ctx context.Context, image string) (string, error) {
	ref, err := r.reference(image)
	if err != nil {
		return "", err
	}
	timeout := r.Timeout
	if timeout == 0 {
		timeout = 15 * time.Second
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	kc := r.Keychain
	if kc == nil {
		kc = authn.DefaultKeychain
	}
	opts := []remote.Option{remote.WithContext(ctx), remote.WithAuthFromKeychain(kc)}
	if r.Transport != nil {
		opts = append(opts, remote.WithTransport(r.Transport))
	}
	desc, err := remote.Head(ref, opts...)
	if err != nil {
		return "", fmt.Errorf("%s: %w", ref.Name(), err)
	}
	return desc.Digest.String(), nil
}

// reference parses image and moves it to the mirror, if there is one.
func (r Resolver) reference(image string) (name.Reference, error) {
	ref, err := name.ParseReference(image)
	if err != nil {
		return nil, fmt.Errorf("image %q: %w", image, err)
	}
	if _, ok := ref.(name.Digest); ok {
		return nil, fmt.Errorf("image %q is pinned already", image)
	}
	if r.Registry == "" {
		return ref, nil
	}
	moved, err := name.ParseReference(r.Registry + "/" + ref.Context().RepositoryStr() + ":" + ref.Identifier())
	if err != nil {
		return nil, fmt.Errorf("registry %q: %w", r.Registry, err)
	}
	return moved, nil
}

// FromImages lists the images a Dockerfile's FROM lines name, in order,
// without duplicates: not earlier stages (FROM build), not images pinned
// already, not scratch.
func FromImages(dockerfile []byte) []string {
	var out []string
	stages := map[string]bool{"scratch": true}
	seen := map[string]bool{}
	sc := bufio.NewScanner(bytes.NewReader(dockerfile))
	for sc.Scan() {
		image, stage, ok := fromLine(sc.Text())
		if !ok {
			continue
		}
		if !stages[strings.ToLower(image)] && !seen[image] && !strings.Contains(image, "@") {
			seen[image] = true
			out = append(out, image)
		}
		if stage != "" {
			stages[strings.ToLower(stage)] = true
		}
	}
	return out
}

// Dockerfile rewrites each FROM line whose image has a digest in digests
// to image@digest; every other line is kept byte for byte.
func Dockerfile(dockerfile []byte, digests map[string]string) []byte {
	lines := strings.SplitAfter(string(dockerfile), "\n")
	for i, l := range lines {
		image, _, ok := fromLine(strings.TrimRight(l, "\n"))
		if d := digests[image]; ok && d != "" {
			// The image is the first field after FROM that is no flag.
			fields := strings.Fields(l)
			for j := 1; j < len(fields); j++ {
				if fields[j] == image {
					fields[j] = image + "@" + d
					break
				}
			}
			lines[i] = strings.Join(fields, " ") + "\n"
		}
	}
	return []byte(strings.Join(lines, ""))
}

// fromLine reads a `FROM [--platform=…] image [AS stage]` line.
func fromLine(line string) (image, stage string, ok bool) {
	fields := strings.Fields(line)
	if len(fields) < 2 || !strings.EqualFold(fields[0], "FROM") {
		return "", "", false
	}
	rest := fields[1:]
	for len(rest) > 0 && strings.HasPrefix(rest[0], "--") {
		rest = rest[1:]
	}
	if len(rest) == 0 {
		return "", "", false
	}
	if len(rest) == 3 && strings.EqualFold(rest[1], "AS") {
		stage = rest[2]
	}
	return rest[0], stage, true
}
