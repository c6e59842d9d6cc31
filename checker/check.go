package checker

import (
	"context"
	"errors"
	"fmt"
	"sort"

	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/config"
	"github.com/seaworthy-dev/seaworthy/source/dockerfile"
)

// Result is the outcome of Check.
type Result struct {
	// Findings are sorted (see Sort), one per problem (a problem in a file
	// several builds use names their Dockerfiles, one on a line several
	// compose file sets run names the sets; see Dedupe), with
	// the policy applied: ignore comments, the config file, the
	// command-line ignores and severity overrides.
	Findings []analysis.Finding
	// Sources holds the lines of the files read, for source excerpts.
	Sources Sources
	// Files is the number of files checked: Dockerfiles and compose files.
	Files int
	// Read counts what the run read, by kind.
	Read Read
	// Purposes say what each Dockerfile and compose file (the base file
	// of a set) is for, once each, sorted by file.
	Purposes []analysis.FilePurpose
	// Warnings are about the inputs rather than findings.
	Warnings []Warning
	// Settings are the resolved settings: the config file, the fail-on
	// level, the check date.
	Settings *config.Resolved
	// Builds say, per Dockerfile, which context, ignore file and package
	// were used and why.
	Builds []Build

	run *run // for Recheck
}

// Failed reports whether a finding reaches the fail-on level.
func (r *Result) Failed() bool { return r.Settings.Fails(r.Findings) }

// Warning is about an input rather than a finding: an ignore comment that
// names no rule (the --ignore flag and the config file refuse unknown
// codes; a comment only gets a warning, so that a typo in one comment does
// not stop a CI job), or a file the checks could not read. The run goes
// on.
type Warning struct {
	File string
	Line int // 0 when the warning is about the whole file
	// Code is the unknown rule code of an ignore comment, "" otherwise.
	Code string
	// Hint follows an unknown code: the nearest rule (" (did you mean
	// DF013?)") or a note on an unmapped hadolint code; "" when nothing
	// is near.
	Hint    string
	Message string
}

func (w Warning) String() string {
	if w.Code != "" {
		hint := w.Hint
		if hint == "" {
			hint = " (see `seaworthy rules`)"
		}
		return fmt.Sprintf("%s:%d: ignore comment names no rule: %q%s", w.File, w.Line, w.Code, hint)
	}
	if w.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", w.File, w.Line, w.Message)
	}
	return w.Message
}

// Check is a whole run: it resolves the settings (loading the config
// file), finds the Dockerfiles and compose files in the request's paths
// (with the build contexts, targets and Dockerfiles that compose files
// name), checks them in parallel, and applies the policy. An error means
// the run could not be done: a bad setting, a path that cannot be read,
// a Dockerfile named on the command line that is empty or binary, an
// unknown --target; it names the flag or file at fault. A file found in
// a directory that cannot be used is a finding on that file (DF000,
// DI000, CO000, AP000), and everything else is still checked.
func Check(ctx context.Context, req Request) (*Result, error) {
	r, err := newRun(&req)
	if err != nil {
		return nil, err
	}
	out := &Result{Sources: Sources{}, Settings: r.settings, Files: len(r.inputs) + len(r.composeFiles), Builds: r.builds(), run: r}
	// Dockerfiles are checked in parallel (rules and caches are safe for
	// concurrent use); results are gathered in input order.
	type result struct {
		res     *DockerfileResult
		sources Sources
		err     error
		// targetMissing is the compose build target that names no stage.
		targetMissing string
	}
	results := make([]result, len(r.inputs))
	err = forEach(ctx, len(r.inputs), func(i int) {
		in, res := &r.inputs[i], &results[i]
		res.sources = Sources{}
		opts := r.opts
		opts.forBuild(in.build)
		f, err := in.file(opts)
		var unknown *dockerfile.ErrUnknownTarget
		if errors.As(err, &unknown) && r.opts.Target == "" {
			// A compose file's build target that names no stage: the
			// build would fail, but the Dockerfile can still be checked.
			res.targetMissing = unknown.Target
			opts.Target, opts.TargetOnly = "", false
			f, err = in.file(opts)
		}
		if err != nil {
			res.err = err
			return
		}
		if in.named && f.Unusable() != nil {
			res.err = f.Unusable()
			return
		}
		if in.build != nil {
			res.res = checkBuild(in.build, f, opts, res.sources)
		} else {
			res.res = checkDockerfile(f, nil, opts)
		}
	})
	if err != nil {
		return nil, err
	}
	var problems []Warning
	seenProblem := map[string]bool{}
	builds := make([]buildFindings, 0, len(results))
	for i, res := range results {
		in := r.inputs[i]
		if err := res.err; err != nil {
			var unknown *dockerfile.ErrUnknownTarget
			if errors.As(err, &unknown) {
				return nil, fmt.Errorf("%s: --target %q: no stage of that name", in.path, unknown.Target)
			}
			return nil, fmt.Errorf("%s: %v", in.path, err)
		}
		if res.targetMissing != "" {
			what := "a compose file builds the target %q, which no stage defines (docker compose build fails)"
			if !in.fromCompose {
				what = "the project's build commands build the target %q, which no stage defines (the build fails)"
			}
			problems = append(problems, Warning{File: in.path, Message: fmt.Sprintf(
				"%s: "+what+"; checked with its last stage as the final one", in.path, res.targetMissing)})
		}
		builds = append(builds, buildFindings{dockerfile: in.path, shared: in.build != nil, findings: res.res.Findings})
		out.Purposes = append(out.Purposes, res.res.Purpose)
		for _, msg := range res.res.Problems {
			if !seenProblem[msg] {
				seenProblem[msg] = true
				problems = append(problems, Warning{Message: msg})
			}
		}
		for k, v := range res.sources {
			out.Sources[k] = v
		}
		out.Sources[in.path] = res.res.File.Lines
	}
	out.Findings = mergeShared(builds)
	if len(r.compose) > 0 {
		findings, purposes := CheckComposeProjects(r.compose, r.opts, out.Sources)
		out.Findings = append(out.Findings, findings...)
		out.Purposes = append(out.Purposes, purposes...)
	}
	sortPurposes(out.Purposes)
	// A nested .seaworthy.yaml that does not load stops the run as a bad
	// root config does.
	if err := r.settings.Configs.Err(); err != nil {
		return nil, err
	}
	out.Read = r.read()
	Sort(out.Findings)
	out.Findings = Dedupe(out.Findings)
	for _, s := range r.settings.Skipped() {
		out.Warnings = append(out.Warnings, Warning{File: s.Path, Message: s.String()})
	}
	out.Warnings = append(append(append(out.Warnings, r.warnings...), unknownCodes(req.Rules, out.Sources)...), problems...)
	return out, nil
}

// unknownCodes finds the ignore comments that name no rule in every file
// read (Dockerfiles, .dockerignore and compose files, and the files
// findings point at).
func unknownCodes(reg *analysis.Registry, sources Sources) []Warning {
	paths := make([]string, 0, len(sources))
	for p := range sources {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	var out []Warning
	for _, p := range paths {
		for _, u := range config.UnknownCodes(reg, sources[p]) {
			out = append(out, Warning{File: p, Line: u.Line, Code: u.Code, Hint: u.Hint})
		}
	}
	return out
}
