package cli

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/checker"
	"github.com/seaworthy-dev/seaworthy/config"
	"github.com/seaworthy-dev/seaworthy/report"
	"github.com/seaworthy-dev/seaworthy/rules"
	"github.com/seaworthy-dev/seaworthy/source/compose"
	"github.com/seaworthy-dev/seaworthy/source/dockerfile"
	"github.com/seaworthy-dev/seaworthy/source/project"
)

// checkOptions are the flags of check and fix.
type checkOptions struct {
	files    []string
	target   string
	format   string
	failOn   string
	ignore   []string
	severity []string
	config   string
	today    string
	noColor  bool
	quiet    bool
}

func (o *checkOptions) addFlags(cmd *cobra.Command, output bool) {
	fl := cmd.Flags()
	fl.StringArrayVarP(&o.files, "file", "f", nil, "Dockerfile to check (repeatable; `-` reads stdin)")
	fl.StringVar(&o.target, "target", "", "build target `stage`: checked as a final stage")
	fl.StringArrayVar(&o.ignore, "ignore", nil, "ignore a rule by `ID or name` (repeatable)")
	fl.StringArrayVar(&o.severity, "severity", nil, "override a rule's severity: `ID=level` (error, warning, info; repeatable)")
	fl.StringVar(&o.config, "config", "", "config `file` (default: .seaworthy.yaml found from the checked path upwards)")
	fl.StringVar(&o.today, "today", "", "check date `YYYY-MM-DD` for end-of-life decisions (default: $SEAWORTHY_TODAY or today)")
	if output {
		fl.StringVar(&o.format, "format", "text", "output format: "+strings.Join(report.Formats, ", "))
		fl.StringVar(&o.failOn, "fail-on", "", "lowest severity that makes the exit code 1: error, warning, info, none (default warning)")
		fl.BoolVar(&o.noColor, "no-color", false, "never colour the text output (also: NO_COLOR)")
		fl.BoolVarP(&o.quiet, "quiet", "q", false, "print only the findings, no excerpts or summary")
	}
}

func newCheckCmd(streams *IO) *cobra.Command {
	o := &checkOptions{}
	cmd := &cobra.Command{
		Use:   "check [PATH...]",
		Short: "Check Dockerfiles statically (PATH: a project directory, a Dockerfile, or - for stdin)",
		Example: "  seaworthy check\n  seaworthy check services/api --format sarif > seaworthy.sarif\n" +
			"  seaworthy check -f deploy/api.Dockerfile --target runtime\n  cat Dockerfile | seaworthy check -",
		RunE: func(cmd *cobra.Command, args []string) error { return runCheck(streams, o, args) },
	}
	o.addFlags(cmd, true)
	return cmd
}

// input is one Dockerfile to check, with its build when it came from a
// project directory or a file path (stdin has none).
type input struct {
	path  string // as shown to the user
	src   []byte
	build *project.Build
	// fromCompose is set when a compose file's build section gave the
	// context and target.
	fromCompose bool
}

// session is what check and fix share: the loaded policy and inputs.
type session struct {
	reg    *analysis.Registry
	opts   checker.Options
	cfg    *config.Config
	inputs []input
	// composeFiles are the compose files to check (loaded in check).
	composeFiles []string
	compose      []*compose.Project
}

func newSession(streams *IO, o *checkOptions, args []string) (*session, error) {
	s := &session{reg: rules.Registry()}
	today, err := checkDate(o.today)
	if err != nil {
		return nil, err
	}
	sev := map[string]string{}
	for _, kv := range o.severity {
		k, v, ok := strings.Cut(kv, "=")
		if !ok {
			return nil, usageError("--severity %q: want ID=level, e.g. DF003=info", kv)
		}
		sev[k] = v
	}
	policy, err := config.NewPolicy(s.reg, o.ignore, sev)
	if err != nil {
		return nil, usageError("%v", err)
	}
	paths := append([]string(nil), args...)
	paths = append(paths, o.files...)
	if len(paths) == 0 {
		paths = []string{"."}
	}
	cfgPath := o.config
	if cfgPath == "" {
		start := paths[0]
		if start == "-" {
			start = "."
		} else if st, err := os.Stat(start); err == nil && !st.IsDir() {
			start = filepath.Dir(start)
		}
		cfgPath, _ = config.Find(start)
	}
	if cfgPath != "" {
		cfg, err := config.Load(cfgPath, s.reg)
		if err != nil {
			return nil, &exitError{code: ExitError, err: err}
		}
		s.cfg = cfg
	}
	s.opts = checker.Options{Rules: s.reg, Today: today, Target: o.target, Config: s.cfg, Policy: policy}
	for _, p := range paths {
		if err := s.load(streams, p, len(o.files) > 0 && contains(o.files, p)); err != nil {
			return nil, err
		}
	}
	return s, nil
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func checkDate(flag string) (time.Time, error) {
	v, from := flag, "--today"
	if v == "" {
		v, from = os.Getenv("SEAWORTHY_TODAY"), "SEAWORTHY_TODAY"
	}
	if v == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse("2006-01-02", v)
	if err != nil {
		return time.Time{}, usageError("%s %q: want a date as YYYY-MM-DD", from, v)
	}
	return t, nil
}

// load reads a path argument: `-` (stdin), a Dockerfile, a compose file,
// or a project directory searched for Dockerfiles and compose files.
func (s *session) load(streams *IO, path string, explicitFile bool) error {
	if path == "-" {
		src, err := dockerfile.ReadAll(streams.In, 8<<20)
		if err != nil {
			return usageError("reading stdin: %v", err)
		}
		s.inputs = append(s.inputs, input{path: "<stdin>", src: src})
		return nil
	}
	st, err := os.Stat(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return usageError("%s: no such file or directory", path)
		}
		return usageError("%s: %v", path, unwrapPathError(err))
	}
	if !st.IsDir() {
		if !explicitFile && isComposePath(path) {
			return s.addCompose([]string{path}, nil)
		}
		in, err := readInput(path)
		if err != nil {
			return err
		}
		b, err := project.NewBuild(path, filepath.Dir(path), "")
		if err != nil {
			return usageError("%v", err)
		}
		in.build = b
		s.inputs = append(s.inputs, in)
		return nil
	}
	if explicitFile {
		return usageError("%s: is a directory, -f wants a Dockerfile", path)
	}
	p, err := project.Discover(path)
	if err != nil {
		return usageError("%v", err)
	}
	if len(p.Builds) == 0 && len(p.ComposeFiles) == 0 {
		return usageError("%s: no Dockerfile or compose file found (looked for Dockerfile, Containerfile, *.Dockerfile, Dockerfile.*, compose.yaml, docker-compose.yml)", path)
	}
	for _, b := range p.Builds {
		in, err := readInput(b.DockerfilePath)
		if err != nil {
			return err
		}
		in.build = b
		s.inputs = append(s.inputs, in)
	}
	return s.addCompose(p.ComposeFiles, p)
}

// isComposePath: a compose file by its name, or any YAML file given by path.
func isComposePath(path string) bool {
	base := filepath.Base(path)
	return project.IsComposeFileName(base) || strings.HasSuffix(base, ".yml") || strings.HasSuffix(base, ".yaml")
}

// addCompose loads compose files and applies what their `build:` sections
// say to the Dockerfiles found: the build context and target a service
// builds with. A Dockerfile named by compose but not found by name is
// added.
func (s *session) addCompose(paths []string, proj *project.Project) error {
	if len(paths) == 0 {
		return nil
	}
	projects, err := checker.LoadCompose(paths)
	if err != nil {
		return &exitError{code: ExitError, err: err}
	}
	s.composeFiles = append(s.composeFiles, paths...)
	s.compose = append(s.compose, projects...)
	for _, cp := range projects {
		for _, cb := range cp.Builds() {
			if cb.Dockerfile == "" || cb.ContextDir == "" {
				continue
			}
			if st, err := os.Stat(cb.Dockerfile); err != nil || st.IsDir() {
				continue
			}
			var b *project.Build
			var err error
			if proj != nil {
				b, err = proj.NewBuild(cb.Dockerfile, cb.ContextDir)
			} else {
				b, err = project.NewBuild(cb.Dockerfile, cb.ContextDir, "")
			}
			if err != nil {
				return usageError("%v", err)
			}
			b.Target = cb.Target
			if i := s.inputIndex(cb.Dockerfile); i >= 0 {
				if s.inputs[i].fromCompose {
					continue // the first service that builds it decides
				}
				b.DockerfilePath = s.inputs[i].path
				s.inputs[i].build, s.inputs[i].fromCompose = b, true
				continue
			}
			in, err := readInput(cb.Dockerfile)
			if err != nil {
				return err
			}
			in.build, in.fromCompose = b, true
			s.inputs = append(s.inputs, in)
		}
	}
	return nil
}

// inputIndex finds the input for a Dockerfile path (compared absolute).
func (s *session) inputIndex(path string) int {
	want, err := filepath.Abs(path)
	if err != nil {
		return -1
	}
	for i, in := range s.inputs {
		if abs, err := filepath.Abs(in.path); err == nil && abs == want {
			return i
		}
	}
	return -1
}

func readInput(path string) (input, error) {
	src, err := checker.ReadFile(path)
	if err != nil {
		return input{}, usageError("%s: %v", path, unwrapPathError(err))
	}
	return input{path: path, src: src}, nil
}

func unwrapPathError(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// checked is the outcome of checking every input.
type checked struct {
	findings []analysis.Finding
	sources  checker.Sources
	// warnings are about the input rather than findings: ignore comments
	// that name no rule.
	warnings []string
}

func (s *session) check() (*checked, error) {
	out := &checked{sources: checker.Sources{}}
	for _, in := range s.inputs {
		if len(bytes.TrimSpace(in.src)) == 0 {
			return nil, usageError("%s: empty Dockerfile", in.path)
		}
	}
	// Dockerfiles are checked in parallel (rules and caches are safe for
	// concurrent use); results are gathered in input order.
	type result struct {
		res     *checker.DockerfileResult
		sources checker.Sources
		err     error
	}
	results := make([]result, len(s.inputs))
	next := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < min(runtime.GOMAXPROCS(0), len(s.inputs)); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				in := s.inputs[i]
				r := &results[i]
				r.sources = checker.Sources{}
				if in.build != nil {
					r.res, r.err = checker.CheckBuild(in.build, in.src, s.opts, r.sources)
				} else {
					r.res, r.err = checker.CheckDockerfile(in.path, in.src, s.opts)
				}
			}
		}()
	}
	for i := range s.inputs {
		next <- i
	}
	close(next)
	wg.Wait()
	for i, r := range results {
		in := s.inputs[i]
		if err := r.err; err != nil {
			var unknown *dockerfile.ErrUnknownTarget
			if errors.As(err, &unknown) {
				return nil, usageError("%s: --target %q: no stage of that name", in.path, unknown.Target)
			}
			return nil, usageError("%s: %v", in.path, err)
		}
		if onlyComments(r.res.File.Lines) {
			return nil, usageError("%s: no instructions (only comments or blank lines)", in.path)
		}
		out.findings = append(out.findings, r.res.Findings...)
		for k, v := range r.sources {
			out.sources[k] = v
		}
		out.sources[in.path] = r.res.File.Lines
	}
	if len(s.compose) > 0 {
		out.findings = append(out.findings, checker.CheckComposeProjects(s.compose, s.opts, out.sources)...)
	}
	checker.Sort(out.findings)
	out.findings = checker.Dedupe(out.findings)
	out.warnings = unknownCodeWarnings(s.reg, out.sources)
	return out, nil
}

// unknownCodeWarnings reports the codes of ignore comments that name no
// rule, in every file read (Dockerfiles, .dockerignore and compose files,
// and the files findings point at). The --ignore flag and the config file
// refuse unknown codes; a comment only gets a warning, so that a typo in
// one comment does not stop a CI job.
func unknownCodeWarnings(reg *analysis.Registry, sources checker.Sources) []string {
	paths := make([]string, 0, len(sources))
	for p := range sources {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	var out []string
	for _, p := range paths {
		for _, u := range config.UnknownCodes(reg, sources[p]) {
			out = append(out, fmt.Sprintf("warning: %s:%d: ignore comment names no rule: %q (see `seaworthy rules`)", p, u.Line, u.Code))
		}
	}
	return out
}

func runCheck(streams *IO, o *checkOptions, args []string) error {
	if !validFormat(o.format) {
		return usageError("--format %q: want one of %s", o.format, strings.Join(report.Formats, ", "))
	}
	s, err := newSession(streams, o, args)
	if err != nil {
		return err
	}
	failOn, err := s.failOn(o.failOn)
	if err != nil {
		return err
	}
	res, err := s.check()
	if err != nil {
		return err
	}
	for _, w := range res.warnings {
		fmt.Fprintf(streams.Err, "seaworthy: %s\n", w)
	}
	v, _ := versionString()
	rep := &report.Result{
		Findings: res.findings,
		Files:    len(s.inputs) + len(s.composeFiles),
		Sources:  res.sources,
		Rules:    s.reg,
		Tool:     report.Tool{Name: "seaworthy", Version: v, InformationURI: "https://github.com/seaworthy-dev/seaworthy"},
	}
	color := !o.noColor && os.Getenv("NO_COLOR") == "" && isTerminal(streams.Out)
	if err := report.Write(streams.Out, o.format, rep, report.Options{Color: color, Quiet: o.quiet}); err != nil {
		return &exitError{code: ExitError, err: fmt.Errorf("writing report: %w", err)}
	}
	for _, f := range res.findings {
		if failOn != 0 && f.Severity >= failOn {
			return findingsExit
		}
	}
	return nil
}

func validFormat(f string) bool {
	for _, v := range report.Formats {
		if v == f {
			return true
		}
	}
	return false
}

// failOn resolves --fail-on, then the config's fail-on, then "warning".
func (s *session) failOn(flag string) (analysis.Severity, error) {
	v := flag
	if v == "" && s.cfg != nil {
		v = s.cfg.FailOn
	}
	if v == "" {
		return analysis.Warning, nil
	}
	sev, err := config.ParseFailOn(v)
	if err != nil {
		return 0, usageError("--fail-on: %v", err)
	}
	return sev, nil
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
