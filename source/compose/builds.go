package compose

import (
	"path/filepath"
	"strings"
)

// Build is a service's `build:` section, with paths resolved against the
// compose file's directory.
type Build struct {
	// Service is the service that is built.
	Service string
	// File and Line locate the `build` key.
	File string
	Line int
	// ContextDir is the build context directory; empty when the context is
	// remote (a git or HTTP URL).
	ContextDir string
	// Remote is the context URL when the context is not a local directory.
	Remote string
	// Dockerfile is the Dockerfile's path; empty for `dockerfile_inline`
	// and remote contexts.
	Dockerfile string
	// Inline is set when the Dockerfile is written in the compose file.
	Inline bool
	// Target is the stage built (`build.target`), empty for the last.
	Target string
}

// Builds returns the builds of the services that have `build:`, sorted
// by service name.
func (p *Project) Builds() []Build {
	var out []Build
	for _, s := range p.Services {
		b := s.Config.Build
		if b == nil {
			continue
		}
		pos := p.Pos("services", s.Name, "build")
		out = append(out, resolveBuild(s.Name, pos.File, pos.Line, filepath.Dir(pos.File), b.Context, b.Dockerfile, b.DockerfileInline != "", b.Target))
	}
	return out
}

func resolveBuild(service, file string, line int, dir, context, dockerfile string, inline bool, target string) Build {
	b := Build{Service: service, File: file, Line: line, Inline: inline, Target: target}
	if context == "" {
		context = "."
	}
	if IsRemoteContext(context) {
		b.Remote = context
		return b
	}
	if filepath.IsAbs(context) {
		b.ContextDir = filepath.Clean(context)
	} else {
		b.ContextDir = filepath.Join(dir, context)
	}
	if inline {
		return b
	}
	if dockerfile == "" {
		dockerfile = "Dockerfile"
	}
	if filepath.IsAbs(dockerfile) {
		b.Dockerfile = filepath.Clean(dockerfile)
	} else {
		b.Dockerfile = filepath.Join(b.ContextDir, dockerfile)
	}
	return b
}

// IsRemoteContext reports whether a build context is a URL rather than a
// directory (docker compose and docker build accept git and HTTP(S) URLs).
func IsRemoteContext(c string) bool {
	for _, prefix := range []string{"http://", "https://", "git://", "git@", "github.com/", "ssh://"} {
		if strings.HasPrefix(c, prefix) {
			return true
		}
	}
	return strings.Contains(c, ".git#") || strings.HasSuffix(c, ".git")
}
