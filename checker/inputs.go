package checker

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/config"
	"github.com/seaworthy-dev/seaworthy/source/compose"
	"github.com/seaworthy-dev/seaworthy/source/dockerfile"
	"github.com/seaworthy-dev/seaworthy/source/project"
	"github.com/seaworthy-dev/seaworthy/source/regular"
)

// Request is what Check and Fix run on: the paths, the rules and the
// policy settings.
type Request struct {
	// Paths are project directories (searched for Dockerfiles and compose
	// files), Dockerfiles, compose files (by name, or any .yml or .yaml
	// file) and "-" for a Dockerfile read from Stdin. None means ".".
	Paths []string
	// Dockerfiles are checked as Dockerfiles whatever their names (the
	// -f flag); they follow Paths.
	Dockerfiles []string
	// Stdin is read for the path "-" (nil reads nothing).
	Stdin io.Reader
	// Target is the build stage checked as the final one; empty: the last
	// stage, or the target a compose file builds.
	Target string
	// Rules are the rules to run.
	Rules *analysis.Registry
	// Production checks every file as a production one (--production):
	// no file's name, folders or content keep rules about what is
	// deployed from running on it.
	Production bool
	// Settings are the ignores, severity overrides, fail-on level, config
	// file and check date. The config file, unless named, is for each
	// file the nearest .seaworthy.yaml above it (config.Configs).
	Settings config.Settings
	// Overlay, when set, holds files' unsaved text (an editor's), read
	// instead of the files on disk.
	Overlay Overlay
}

// paths returns every path to check, in order: Paths, then Dockerfiles.
func (r *Request) paths() []string {
	paths := append([]string(nil), r.Paths...)
	paths = append(paths, r.Dockerfiles...)
	if len(paths) == 0 {
		paths = []string{"."}
	}
	return paths
}

// stdinPath is the name a Dockerfile read from stdin goes by.
const stdinPath = "<stdin>"

// input is one Dockerfile to check, with its build when it came from a
// project directory or a file path (stdin has none).
type input struct {
	path  string // as shown to the user
	src   []byte
	build *project.Build
	// fromCompose is set when a compose file's build section gave the
	// context and target.
	fromCompose bool
	// named is set for a Dockerfile named on the command line (or read
	// from stdin): one that is no Dockerfile at all (empty, binary) is an
	// error of the run, not a finding.
	named bool
	// unreadable is why a Dockerfile found in a project could not be
	// read: a DF000 finding on it.
	unreadable error
	// proj is the project the Dockerfile was found in (nil for a path
	// named on its own); bound is the directory the context may not be
	// looked for above: the checked directory, or for a named path its
	// repository.
	proj  *project.Project
	bound string
	// parsed is the Dockerfile as settling its build parsed it, with the
	// options parsedAs, kept so that the check does not parse it again.
	parsed   *dockerfile.File
	parsedAs dockerfile.Options
}

// file is the input's parsed Dockerfile, or the one of a file that could
// not be read.
func (in *input) file(opts Options) (*dockerfile.File, error) {
	if in.unreadable != nil {
		return dockerfile.Unreadable(in.path, in.unreadable), nil
	}
	if po := opts.parseOptions(); in.parsed != nil && in.parsedAs.Equal(po) {
		return in.parsed, nil
	}
	return dockerfile.Parse(in.path, in.src, opts.parseOptions())
}

// run is what Check and Fix share: the resolved policy and the loaded
// inputs.
type run struct {
	settings *config.Resolved
	opts     Options
	inputs   []input
	// composeFiles are the compose files found or named, compose their
	// loaded file sets.
	composeFiles []string
	compose      []*compose.Project
	// warnings are about files found but not checked: named pipes,
	// sockets and devices under the names of the files checked.
	warnings []Warning
	overlay  Overlay
}

// newRun resolves the request's settings and loads its paths. Errors name
// the flag or path at fault.
func newRun(req *Request) (*run, error) {
	paths := req.paths()
	settings, err := req.Settings.Resolve(req.Rules, paths[0])
	if err != nil {
		return nil, err
	}
	r := &run{settings: settings, overlay: req.Overlay, opts: Options{
		Rules: req.Rules, Today: settings.Today, Target: req.Target,
		Config: settings.Config, Configs: settings.Configs, Policy: settings.Policy, Production: req.Production,
	}}
	for _, p := range paths {
		if st, err := os.Stat(p); err == nil && st.IsDir() {
			r.opts.Roots = append(r.opts.Roots, p)
		}
	}
	for _, p := range paths {
		if err := r.load(req.Stdin, p, contains(req.Dockerfiles, p)); err != nil {
			return nil, err
		}
	}
	if err := r.settleBuilds(); err != nil {
		return nil, err
	}
	r.applyOverlay()
	return r, nil
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// load reads a path: `-` (stdin), a Dockerfile, a compose file, or a
// project directory searched for Dockerfiles and compose files. explicit
// says the path was named as a Dockerfile (-f).
func (r *run) load(stdin io.Reader, path string, explicit bool) error {
	if path == "-" {
		if stdin == nil {
			stdin = strings.NewReader("")
		}
		src, err := dockerfile.ReadAll(stdin, maxFileSize)
		if err != nil {
			return fmt.Errorf("reading stdin: %v", err)
		}
		r.inputs = append(r.inputs, input{path: stdinPath, src: src, named: true})
		return nil
	}
	st, err := os.Stat(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("%s: no such file or directory", path)
		}
		return fmt.Errorf("%s: %v", path, unwrapPathError(err))
	}
	if !st.IsDir() {
		// A named file must be read: a named pipe or a device is no input.
		if !st.Mode().IsRegular() {
			return fmt.Errorf("%s: not a regular file (%s)", path, regular.Describe(st.Mode()))
		}
		if !explicit && isComposePath(path) {
			if _, err := r.readFile(path); err != nil {
				return fmt.Errorf("%s: %v", path, unwrapPathError(err))
			}
			return r.addCompose([]string{path}, nil, nil)
		}
		in, err := r.readInput(path)
		if err != nil {
			return err
		}
		if !explicit {
			compose, err := checkableFile(path, in.src)
			if err != nil {
				return err
			}
			if compose {
				return r.addCompose([]string{path}, nil, nil)
			}
		}
		in.named = true
		if in.build, err = project.NewBuild(path, filepath.Dir(path), ""); err != nil {
			return err
		}
		in.bound = repoRoot(absOf(filepath.Dir(path)))
		r.inputs = append(r.inputs, in)
		return nil
	}
	if explicit {
		return fmt.Errorf("%s: is a directory, -f wants a Dockerfile", path)
	}
	p, err := project.Discover(path)
	if err != nil {
		return err
	}
	for _, s := range p.Skipped {
		r.skip(s)
	}
	if len(p.Builds) == 0 && len(p.ComposeFiles) == 0 {
		return &NothingFoundError{Dir: path}
	}
	for _, b := range p.Builds {
		if in, ok := r.found(b.DockerfilePath); ok {
			in.build, in.proj, in.bound = b, p, path
			r.inputs = append(r.inputs, in)
		}
	}
	var runs [][]string
	for _, run := range p.ComposeRuns {
		runs = append(runs, run.Files)
	}
	return r.addCompose(p.ComposeFiles, runs, p)
}

// found reads a Dockerfile found in a project. One that cannot be read is
// an input all the same (a DF000 finding); one that is not a regular file
// is skipped with a warning (ok is false).
func (r *run) found(path string) (in input, ok bool) {
	src, err := r.readFile(path)
	var nr *regular.NotRegularError
	switch {
	case errors.As(err, &nr):
		r.skip(regular.Skipped{Path: path, Mode: nr.Mode})
		return input{}, false
	case err != nil:
		return input{path: path, unreadable: unwrapPathError(err)}, true
	}
	return input{path: path, src: src}, true
}

// skip records a warning about a file found but not read.
func (r *run) skip(s regular.Skipped) {
	r.warnings = append(r.warnings, Warning{File: s.Path, Message: s.String()})
}

// isComposePath: a compose file by its name, or any YAML file given by path.
func isComposePath(path string) bool {
	base := filepath.Base(path)
	return project.IsComposeFileName(base) || strings.HasSuffix(base, ".yml") || strings.HasSuffix(base, ".yaml")
}

// addCompose loads compose files and applies what their `build:` sections
// say to the Dockerfiles found: the build context and target a service
// builds with. A Dockerfile named by compose but not found by name is
// added. runs are the file lists the project passes together with -f (see
// compose.Sets); proj is the project the files were found in (nil for a
// compose file named by path).
func (r *run) addCompose(paths []string, runs [][]string, proj *project.Project) error {
	if len(paths) == 0 {
		return nil
	}
	g := compose.Grouping{Runs: runs}
	if proj != nil {
		// Found, not named: a file docker compose could not run alone
		// is merged onto the base beside it, or left out.
		g.Fragment = compose.IsFragment
	}
	projects := r.loadComposeSets(compose.Sets(paths, g))
	// Default-named files decide first when several services build one
	// Dockerfile: they are what `docker compose` runs without -f.
	sort.SliceStable(projects, func(i, j int) bool {
		return defaultComposeName(projects[i].Files[0].Path) && !defaultComposeName(projects[j].Files[0].Path)
	})
	seen := map[string]bool{}
	for _, cp := range projects {
		for _, f := range cp.Files {
			if !seen[f.Path] {
				seen[f.Path] = true
				r.composeFiles = append(r.composeFiles, f.Path)
			}
		}
	}
	r.compose = append(r.compose, projects...)
	// A production compose file's build decides before a test,
	// development or example one's (karakeep's benchmarks and e2e stacks
	// build the image its CI pushes).
	production := make(map[*compose.Project]bool, len(projects))
	for _, cp := range projects {
		production[cp] = r.opts.composePurpose(cp).Purpose == analysis.Production
	}
	order := append([]*compose.Project(nil), projects...)
	sort.SliceStable(order, func(i, j int) bool { return production[order[i]] && !production[order[j]] })
	for _, cp := range order {
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
				return err
			}
			b.Target = cb.Target
			b.ContextSource = project.ContextSource{Kind: project.FromCompose, File: cb.File, Line: cb.Line}
			if i := r.inputIndex(cb.Dockerfile); i >= 0 {
				if r.inputs[i].fromCompose {
					continue // the first service that builds it decides
				}
				if pushed := r.inputs[i].build; pushed != nil && pushed.ContextSource.Publishes {
					// The build that pushes the image is what the
					// project ships: it keeps its context and targets; a
					// production stack's own target is checked too.
					if production[cp] {
						alsoBuilds(pushed, cb.Target)
					}
					continue
				}
				b.DockerfilePath = r.inputs[i].path
				r.inputs[i].build, r.inputs[i].fromCompose = b, true
				continue
			}
			if in, ok := r.found(cb.Dockerfile); ok {
				in.build, in.fromCompose, in.proj = b, true, proj
				if proj != nil {
					in.bound = proj.Root
				}
				r.inputs = append(r.inputs, in)
			}
		}
	}
	return nil
}

// alsoBuilds adds to a build that pushes its image the target a
// production compose file builds ("" for the last stage): checked as a
// final stage with the ones the project ships.
func alsoBuilds(b *project.Build, target string) {
	switch {
	case target == "":
		b.ShipsTarget = false // the last stage is built too
	case b.Target == target || slices.Contains(b.Targets, target):
	case b.Target == "" && len(b.Targets) == 0:
		b.Target = target // checked with the last stage
	default:
		if b.Target != "" {
			b.Targets, b.Target = []string{b.Target}, ""
		}
		b.Targets = append(b.Targets, target)
		sort.Strings(b.Targets)
	}
}

// inputIndex finds the input for a Dockerfile path (compared absolute).
func (r *run) inputIndex(path string) int {
	want, err := filepath.Abs(path)
	if err != nil {
		return -1
	}
	for i, in := range r.inputs {
		if abs, err := filepath.Abs(in.path); err == nil && abs == want {
			return i
		}
	}
	return -1
}

func (r *run) readInput(path string) (input, error) {
	src, err := r.readFile(path)
	if err != nil {
		return input{}, fmt.Errorf("%s: %v", path, unwrapPathError(err))
	}
	return input{path: path, src: src}, nil
}

// unwrapPathError drops the operation and path of an *os.PathError: the
// messages name the path themselves.
func unwrapPathError(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
