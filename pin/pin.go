// Package pin resolves container image tags to the digests a registry
// serves for them and pins a Dockerfile's FROM lines to those digests
// (node:22-bookworm-slim@sha256:…), so that a rebuild gets the same base
// image bytes.
package pin

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/seaworthy-dev/seaworthy/source/dockerfile"
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

// FromImages lists the images a Dockerfile's stages are built FROM, in
// order, without duplicates: not earlier stages (FROM build), not images
// pinned already, not scratch, not references with an unresolved
// variable. The Dockerfile is read with Docker's parser (source/dockerfile);
// one that does not parse names no image.
func FromImages(src []byte) []string {
	f, err := dockerfile.Parse("Dockerfile", src, dockerfile.Options{})
	if err != nil {
		return nil
	}
	var out []string
	seen := map[string]bool{}
	for _, st := range f.Stages {
		b := st.Base
		if !b.External() || b.Digest != "" || seen[b.Raw] {
			continue
		}
		seen[b.Raw] = true
		out = append(out, b.Raw)
	}
	return out
}

// Dockerfile appends `@digest` to the image reference of each FROM whose
// image has a digest in digests; every other byte is kept (line endings,
// spacing, continuation lines).
func Dockerfile(src []byte, digests map[string]string) []byte {
	f, err := dockerfile.Parse("Dockerfile", src, dockerfile.Options{})
	if err != nil {
		return src
	}
	lines := strings.SplitAfter(string(src), "\n")
	for _, st := range f.Stages {
		d := digests[st.Base.Raw]
		if d == "" || st.Base.Stage != nil || st.From == nil {
			continue
		}
		// The reference is the first word after FROM and its flags; find
		// it on the instruction's lines as a whole word.
		for n := st.From.StartLine; n <= st.From.EndLine && n <= len(lines); n++ {
			if at := wordIndex(lines[n-1], st.Base.Raw); at >= 0 {
				end := at + len(st.Base.Raw)
				lines[n-1] = lines[n-1][:end] + "@" + d + lines[n-1][end:]
				break
			}
		}
	}
	return []byte(strings.Join(lines, ""))
}

// wordIndex is the index of word in line where it stands as a whole
// whitespace-separated word, -1 when it does not.
func wordIndex(line, word string) int {
	for from := 0; ; {
		i := strings.Index(line[from:], word)
		if i < 0 {
			return -1
		}
		i += from
		end := i + len(word)
		if (i == 0 || line[i-1] == ' ' || line[i-1] == '\t') && (end == len(line) || strings.ContainsRune(" \t\r\n\\", rune(line[end]))) {
			return i
		}
		from = i + 1
	}
}
