package checker

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/config"
	"github.com/seaworthy-dev/seaworthy/source/dockerfile"
)

// Result is the outcome of Check.
type Result struct {
	// Findings are sorted (see Sort), without repeats (see Dedupe), with
	// the policy applied: ignore comments, the config file, the
	// command-line ignores and severity overrides.
	Findings []analysis.Finding
	// Sources holds the lines of the files read, for source excerpts.
	Sources Sources
	// Files is the number of files checked: Dockerfiles and compose files.
	Files int
	// Read counts what the run read, by kind.
	Read Read
	// Warnings are about the inputs rather than findings.
	Warnings []Warning
	// Settings are the resolved settings: the config file, the fail-on
	// level, the check date.
	Settings *config.Resolved
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
// the run could not be done: a bad setting, a path that cannot be read, a
// compose file that does not load, an empty Dockerfile, an unknown
// --target; it names the flag or file at fault.
func Check(ctx context.Context, req Request) (*Result, error) {
	r, err := newRun(&req)
	if err != nil {
		return nil, err
	}
	out := &Result{Sources: Sources{}, Settings: r.settings, Files: len(r.inputs) + len(r.composeFiles)}
	for _, in := range r.inputs {
		if len(bytes.TrimSpace(in.src)) == 0 {
			return nil, fmt.Errorf("%s: empty Dockerfile", in.path)
		}
	}
	// Dockerfiles are checked in parallel (rules and caches are safe for
	// concurrent use); results are gathered in input order.
	type result struct {
		res     *DockerfileResult
		sources Sources
		err     error
	}
	results := make([]result, len(r.inputs))
	err = forEach(ctx, len(r.inputs), func(i int) {
		in, res := r.inputs[i], &results[i]
		res.sources = Sources{}
		if in.build != nil {
			res.res, res.err = CheckBuild(in.build, in.src, r.opts, res.sources)
		} else {
			res.res, res.err = CheckDockerfile(in.path, in.src, r.opts)
		}
	})
	if err != nil {
		return nil, err
	}
	var problems []Warning
	seenProblem := map[string]bool{}
	for i, res := range results {
		in := r.inputs[i]
		if err := res.err; err != nil {
			var unknown *dockerfile.ErrUnknownTarget
			if errors.As(err, &unknown) {
				return nil, fmt.Errorf("%s: --target %q: no stage of that name", in.path, unknown.Target)
			}
			return nil, fmt.Errorf("%s: %v", in.path, err)
		}
		if onlyComments(res.res.File.Lines) {
			return nil, fmt.Errorf("%s: no instructions (only comments or blank lines)", in.path)
		}
		out.Findings = append(out.Findings, res.res.Findings...)
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
	if len(r.compose) > 0 {
		out.Findings = append(out.Findings, CheckComposeProjects(r.compose, r.opts, out.Sources)...)
	}
	// A nested .seaworthy.yaml that does not load stops the run as a bad
	// root config does.
	if err := r.settings.Configs.Err(); err != nil {
		return nil, err
	}
	out.Read = r.read()
	Sort(out.Findings)
	out.Findings = Dedupe(out.Findings)
	out.Warnings = append(unknownCodes(req.Rules, out.Sources), problems...)
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

// onlyComments reports whether a Dockerfile has no line that is neither
// blank nor a comment: not a Dockerfile to check, but bad input.
func onlyComments(lines []string) bool {
	for _, l := range lines {
		t := strings.TrimSpace(l)
		if t != "" && !strings.HasPrefix(t, "#") {
			return false
		}
	}
	return true
}
