package checker

import (
	"context"
	"os"
	"path/filepath"
	"strings"

	"github.com/seaworthy-dev/seaworthy/facts/buildctx"
	"github.com/seaworthy-dev/seaworthy/source/dockerfile"
	"github.com/seaworthy-dev/seaworthy/source/project"
)

// Build says how a checked Dockerfile is built: the context, why that
// one, the ignore file in force and the Node package its AP rules read.
type Build struct {
	Dockerfile string
	Context    string
	// ContextSource is the kind of evidence (project.FromWorkflow, …);
	// ContextFrom is "FILE:LINE" of the evidence, empty for the inferred
	// kinds; ContextWhy says it in words.
	ContextSource string
	ContextFrom   string
	ContextWhy    string
	// Ignore is the .dockerignore in force ("" when none).
	Ignore string
	// Package is the package's directory ("" when none); PackageWhy what
	// chose it among a workspace's packages ("" for the nearest
	// package.json).
	Package    string
	PackageWhy string
	// Target is the stage the project builds ("" for the last: see
	// project.Build.Target); TargetOnly says the last stage is not checked
	// as the image (project.Build.ShipsTarget).
	Target     string
	TargetOnly bool
	// NamedContexts are the named build contexts ("api=packages/api",
	// "base=docker-image://node:22"), sorted by name.
	NamedContexts []string
}

// builds describes the run's builds, in input order.
func (r *run) builds() []Build {
	var out []Build
	for _, in := range r.inputs {
		b := in.build
		if b == nil {
			continue
		}
		info := Build{
			Dockerfile: in.path, Context: b.ContextDir, ContextSource: b.ContextSource.Kind,
			ContextWhy: b.ContextSource.String(), Ignore: b.IgnorePath, PackageWhy: b.PackageSource,
		}
		if r.opts.Target == "" {
			opts := r.opts
			opts.forBuild(b)
			info.Target, info.TargetOnly = opts.Target, opts.TargetOnly
			if len(opts.Targets) > 0 {
				info.Target = strings.Join(opts.Targets, ", ")
			}
		}
		if s := b.ContextSource; s.File != "" {
			info.ContextFrom = strings.TrimPrefix(s.String(), "from ")
		}
		if b.Package != nil {
			info.Package = b.Package.Dir
		}
		for _, n := range b.NamedContexts {
			info.NamedContexts = append(info.NamedContexts, n.String())
		}
		out = append(out, info)
	}
	return out
}

// settleBuilds completes each build once every path and compose file is
// loaded: a Dockerfile whose context nothing in the project names, and
// whose folder has no .dockerignore of its own, gets the nearest
// directory up from it (not above its bound) in which the paths it copies
// are found; a build whose context is a workspace root
// reads the workspace package the Dockerfile builds. Builds are settled
// in parallel (the Dockerfile is parsed for it); the first error, in
// input order, is returned.
func (r *run) settleBuilds() error {
	errs := make([]error, len(r.inputs))
	_ = forEach(context.Background(), len(r.inputs), func(i int) {
		if r.inputs[i].build != nil {
			errs[i] = r.settle(&r.inputs[i])
		}
	})
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// settle settles one build; it touches only in, and the project's caches
// (which are safe for concurrent use).
func (r *run) settle(in *input) error {
	b := in.build
	var f *dockerfile.File
	parsed := false
	parse := func() *dockerfile.File {
		if parsed {
			return f
		}
		parsed = true
		if in.unreadable != nil {
			return nil
		}
		opts := r.opts
		opts.forBuild(b)
		var err error
		if f, err = dockerfile.Parse(in.path, in.src, opts.parseOptions()); err == nil {
			in.parsed, in.parsedAs = f, opts.parseOptions()
		} else {
			// An unknown target (a compose file's is a warning of the
			// check), binary content: what the Dockerfile copies and
			// runs is read without the target, if at all.
			if f, err = dockerfile.Parse(in.path, in.src, dockerfile.Options{}); err != nil {
				f = nil
			}
		}
		return f
	}
	// A .dockerignore beside the Dockerfile says its folder is a context
	// (someone wrote one for it) as long as everything the Dockerfile copies
	// is found there: one beside a Dockerfile that copies web/… from the
	// repository root does not make its folder the context.
	if b.ContextSource.Kind == project.FromDockerfileDir && in.bound != "" && parse() != nil {
		// What it copies, and the paths it works in or removes below a
		// whole-context COPY (`COPY . /app` then `WORKDIR
		// /app/apps/api`): both are context paths.
		sources := append(append([]buildctx.Source(nil), buildctx.Sources(f)...), buildctx.ImagePaths(f)...)
		if ownIgnoreFile(b) && buildctx.Found(sources, b.ContextDir) == len(sources) {
			sources = nil
		}
		if dir, _, ok := buildctx.Resolve(sources, b.ContextDir, in.bound); ok {
			src := project.ContextSource{Kind: project.FromCopies}
			var err error
			if in.proj != nil {
				err = in.proj.SetContext(b, dir, src)
			} else {
				err = project.SetContext(b, dir, src, in.bound)
			}
			if err != nil {
				return err
			}
		}
	}
	var members []project.Member
	if in.proj != nil {
		members = in.proj.Workspace(b.ContextDir)
	} else {
		members = project.Workspace(b.ContextDir)
	}
	if len(members) == 0 || parse() == nil {
		return nil
	}
	cands := make([]buildctx.Candidate, len(members))
	for i, m := range members {
		cands[i] = buildctx.Candidate{Rel: m.Rel, Name: m.Name}
	}
	dfRel := ""
	if rel, err := filepath.Rel(absOf(b.ContextDir), absOf(in.path)); err == nil && !strings.HasPrefix(rel, "..") {
		dfRel = filepath.ToSlash(rel)
	}
	choice, ok := buildctx.PackageNamed(f, dfRel, cands, namedRels(b))
	if !ok {
		return nil
	}
	dir := members[choice.Index].Dir
	if in.proj != nil {
		return in.proj.SetPackage(b, dir, choice.Why)
	}
	return project.SetPackage(b, dir, choice.Why)
}

// namedRels maps the build's named contexts that are directories inside
// its context to their paths from the context (see buildctx.PackageNamed).
func namedRels(b *project.Build) map[string]string {
	out := map[string]string{}
	for _, n := range b.NamedContexts {
		if n.Dir == "" {
			continue
		}
		if rel, err := filepath.Rel(absOf(b.ContextDir), absOf(n.Dir)); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			out[strings.ToLower(n.Name)] = filepath.ToSlash(rel)
		}
	}
	return out
}

// ownIgnoreFile reports whether the Dockerfile's folder holds a
// .dockerignore (a file or anything else: it was meant to be one).
func ownIgnoreFile(b *project.Build) bool {
	_, err := os.Lstat(filepath.Join(filepath.Dir(b.DockerfilePath), ".dockerignore"))
	return err == nil
}

func absOf(p string) string {
	if a, err := filepath.Abs(p); err == nil {
		return a
	}
	return p
}
