// Package compose loads compose files. The semantics (override merging,
// short and long `depends_on`, interpolation, extends, include) come from
// docker compose's own loader, compose-go; each file is also kept as a YAML
// node tree so that findings point at the file and line where a key is
// written.
package compose

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"

	"github.com/compose-spec/compose-go/v2/dotenv"
	interp "github.com/compose-spec/compose-go/v2/interpolation"
	"github.com/compose-spec/compose-go/v2/loader"
	"github.com/compose-spec/compose-go/v2/template"
	"github.com/compose-spec/compose-go/v2/tree"
	"github.com/compose-spec/compose-go/v2/types"
	"github.com/sirupsen/logrus"
	"go.yaml.in/yaml/v4"

	"github.com/seaworthy-dev/seaworthy/source/regular"
)

// maxFileSize bounds what is read as one compose file.
const maxFileSize = 8 << 20

// Project is a loaded compose file set: a base file and its overrides,
// merged the way docker compose merges them.
type Project struct {
	// Dir is the project directory (the base file's directory).
	Dir string
	// Files are the files as written, base first, in merge order.
	Files []*File
	// Extended are the other files that services of Files extend
	// (`extends: {file: …}`, followed through their own extends), read
	// to place the keys services inherit where they are written.
	Extended []*File
	// Model is the merged project as compose-go loads it.
	Model *types.Project
	// Services are the services declared in Files (profile-gated ones
	// included), sorted by name.
	Services []*Service
	// Err is set when the file set cannot be loaded (see Failed): the
	// project has no services then.
	Err *Error
	env types.Mapping
	// origins are where each declared service is written (see Origins).
	origins map[string][]Origin
}

// Service is one merged service.
type Service struct {
	Name   string
	Config types.ServiceConfig
}

// Source is a compose file's path and content.
type Source struct {
	Path string
	Data []byte
}

// Load reads and loads paths as one file set: the first is the base file,
// the rest are overrides merged over it in order.
func Load(paths ...string) (*Project, error) {
	srcs := make([]Source, 0, len(paths))
	for _, p := range paths {
		data, err := readFile(p)
		if err != nil {
			var perr *fs.PathError
			if errors.As(err, &perr) {
				err = perr.Err
			}
			return nil, &Error{File: p, Msg: "cannot be read: " + err.Error()}
		}
		srcs = append(srcs, Source{Path: p, Data: data})
	}
	return LoadSources(srcs...)
}

// readFile reads a compose file if it is a regular file: a named pipe
// would block the read.
func readFile(path string) ([]byte, error) {
	return regular.ReadFile(path, maxFileSize)
}

// Failed returns the project of a file set that cannot be loaded: Err is
// err (an *Error names the file and line, where known), Files hold each
// file's lines as written (none for a file that cannot be read) and the
// project has no services, so that only the rule about Err finds
// anything in it.
func Failed(paths []string, err error) *Project {
	var ce *Error
	if !errors.As(err, &ce) {
		ce = &Error{File: paths[0], Msg: err.Error()}
	}
	p := &Project{Dir: filepath.Dir(paths[0]), Model: &types.Project{}, Err: ce}
	for _, path := range paths {
		data, _ := readFile(path)
		p.Files = append(p.Files, &File{Path: path, Lines: splitLines(data)})
	}
	return p
}

var silenceLogrus sync.Once

// LoadSources loads files already read; the first is the base file. The
// environment used for `${VAR}` interpolation is the `.env` file of the
// base file's directory, if any, never the process environment, so that
// results do not depend on the shell seaworthy runs in. Unset variables
// become empty strings (as in docker compose) instead of failing the load.
func LoadSources(srcs ...Source) (*Project, error) {
	if len(srcs) == 0 {
		return nil, errors.New("no compose file given")
	}
	silenceLogrus.Do(func() { logrus.SetOutput(io.Discard) })
	p := &Project{Dir: filepath.Dir(srcs[0].Path)}
	var configs []types.ConfigFile
	for _, s := range srcs {
		f, err := ParseFile(s.Path, s.Data)
		if err != nil {
			return nil, err
		}
		if f.Empty() && len(srcs) > 1 {
			p.Files = append(p.Files, f)
			continue // an empty override changes nothing
		}
		if f.Empty() {
			return nil, &Error{File: s.Path, Msg: "empty compose file"}
		}
		if f.docs[0].Kind != yaml.MappingNode {
			return nil, &Error{File: s.Path, Line: f.docs[0].Line, Msg: "the top level must be a mapping"}
		}
		p.Files = append(p.Files, f)
		configs = append(configs, types.ConfigFile{Filename: s.Path, Content: s.Data})
	}
	p.env = dotEnv(p.Dir)
	model, err := p.load(configs)
	if err != nil {
		return nil, p.loadError(err)
	}
	p.Model = model
	declared := map[string]bool{}
	for _, f := range p.Files {
		for _, name := range f.Keys("services") {
			declared[name] = true
		}
	}
	for name, svc := range model.AllServices() {
		if declared[name] {
			p.Services = append(p.Services, &Service{Name: name, Config: svc})
		}
	}
	sort.Slice(p.Services, func(i, j int) bool { return p.Services[i].Name < p.Services[j].Name })
	p.resolveExtends(declared)
	return p, nil
}

func dotEnv(dir string) types.Mapping {
	env := types.Mapping{}
	path := filepath.Join(dir, ".env")
	if st, err := os.Stat(path); err != nil || !st.Mode().IsRegular() {
		return env
	}
	vars, err := dotenv.GetEnvFromFile(map[string]string{}, []string{path})
	if err != nil {
		return env
	}
	for k, v := range vars {
		env[k] = v
	}
	return env
}

// load runs compose-go. Includes and extends that point at missing files
// are skipped rather than failing the whole check; when a typed field is
// left unparsable by an unset variable (`ports: ["${PORT}:3000"]`), the unset
// variables are retried as "1".
func (p *Project) load(configs []types.ConfigFile) (*types.Project, error) {
	model, err := p.loadOnce(configs, false, "")
	if err == nil {
		return model, nil
	}
	firstErr := err
	var perr *fs.PathError
	skipRefs := errors.Is(err, fs.ErrNotExist) || errors.As(err, &perr)
	if skipRefs {
		if model, err = p.loadOnce(configs, true, ""); err == nil {
			return model, nil
		}
	}
	// Short `ports` and similar strings fail to parse when a variable
	// left them blank ("${PORT}:3000"): try once more with "1" for unset
	// variables.
	if model, err = p.loadOnce(configs, skipRefs, "1"); err == nil {
		return model, nil
	}
	return nil, firstErr
}

func (p *Project) loadOnce(configs []types.ConfigFile, skipRefs bool, unset string) (model *types.Project, err error) {
	defer func() {
		if v := recover(); v != nil {
			model, err = nil, fmt.Errorf("compose loader failed on this file: %v", v)
		}
	}()
	details := types.ConfigDetails{WorkingDir: p.Dir, ConfigFiles: configs, Environment: p.env}
	return loader.LoadWithContext(context.Background(), details, func(o *loader.Options) {
		o.SetProjectName("seaworthy", true)
		o.SkipConsistencyCheck = true
		o.SkipResolveEnvironment = true
		o.SkipResolveLabels = true
		o.SkipInclude = skipRefs
		o.SkipExtends = skipRefs
		o.Profiles = []string{"*"}
		// First in line, so that compose-go never opens a named pipe
		// that an include or extends names (it would block).
		o.ResourceLoaders = append([]loader.ResourceLoader{specialFiles{p.Dir}}, o.ResourceLoaders...)
		o.Interpolate.Substitute = func(s string, m template.Mapping) (string, error) {
			out, _ := substitute(s, m, unset)
			return out, nil
		}
		// Paths are resolved by Builds, against the file's directory.
		o.ResolvePaths = false
		// The casts turn interpolated strings into typed values. Only the
		// ones that can apply to a value holding a variable are kept: the
		// final decode converts literal strings itself, and matching every
		// string against every cast pattern is a large part of the load.
		keys := p.varKeys()
		casts := map[tree.Path]interp.Cast{}
		for path, cast := range o.Interpolate.TypeCastMapping {
			if castApplies(path, keys) {
				casts[path] = lenientCast(cast)
			}
		}
		o.Interpolate.TypeCastMapping = casts
	})
}

// specialFiles is a compose-go resource loader that takes the files an
// include or extends names when they are not regular files (named pipes,
// devices) and refuses them, so that the loader skips them as it skips
// missing ones (see load). Relative paths are taken from dir, the
// project directory.
type specialFiles struct{ dir string }

func (l specialFiles) abs(path string) string {
	if filepath.IsAbs(path) {
		return path
	}
	return filepath.Join(l.dir, path)
}

func (l specialFiles) Accept(path string) bool {
	st, err := os.Stat(l.abs(path))
	return err == nil && regular.Special(st.Mode())
}

func (l specialFiles) Load(_ context.Context, path string) (string, error) {
	_, err := regular.Stat(l.abs(path))
	if err == nil {
		err = &fs.PathError{Op: "open", Path: path, Err: fs.ErrInvalid}
	}
	return "", err
}

func (l specialFiles) Dir(path string) string { return filepath.Dir(l.abs(path)) }

// varKeys returns every mapping key on the way to a scalar that holds a
// `$` (a variable reference) in any of the files.
func (p *Project) varKeys() map[string]bool {
	keys := map[string]bool{}
	budget := 200000 // aliases can expand exponentially: bound the walk
	onPath := map[*yaml.Node]bool{}
	var walk func(n *yaml.Node, path []string)
	walk = func(n *yaml.Node, path []string) {
		n = deref(n)
		if n == nil || onPath[n] || budget <= 0 {
			return
		}
		budget--
		onPath[n] = true
		defer delete(onPath, n)
		switch n.Kind {
		case yaml.ScalarNode:
			if strings.Contains(n.Value, "$") {
				for _, k := range path {
					keys[k] = true
				}
			}
		case yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				walk(n.Content[i+1], append(path[:len(path):len(path)], n.Content[i].Value))
			}
		case yaml.SequenceNode:
			for _, it := range n.Content {
				walk(it, path)
			}
		}
	}
	for _, f := range p.Files {
		for _, d := range f.docs {
			walk(d, nil)
		}
	}
	if budget <= 0 {
		keys = nil // unknown: keep every cast
	}
	return keys
}

// castApplies reports whether a cast pattern can match the path of a
// value that holds a variable: every literal part of the pattern must be
// one of the keys leading to such a value.
func castApplies(pattern tree.Path, keys map[string]bool) bool {
	if keys == nil {
		return true
	}
	for _, part := range pattern.Parts() {
		if part != tree.PathMatchAll && part != tree.PathMatchList && !keys[part] {
			return false
		}
	}
	return true
}

// lenientCast wraps a typed field's conversion so that a value an unset
// variable left blank or invalid (`cpus: ${CPUS}`) decodes as the type's
// zero value instead of failing the load.
func lenientCast(cast interp.Cast) interp.Cast {
	return func(value string) (any, error) {
		v, err := cast(value)
		if err == nil {
			return v, nil
		}
		for _, zero := range []string{"0", "false"} {
			if v, zerr := cast(zero); zerr == nil {
				return v, nil
			}
		}
		return v, err
	}
}

// substitute interpolates s leniently: unset variables (and `${X:?err}`
// with X unset) become unset; missing reports whether any did.
func substitute(s string, m template.Mapping, unset string) (out string, missing bool) {
	if !strings.Contains(s, "$") {
		return s, false
	}
	out, err := template.SubstituteWithOptions(s, m, template.WithoutLogging,
		template.WithReplacementFunction(func(sub string, m template.Mapping, cfg *template.Config) (string, error) {
			v, ok, err := template.DefaultReplacementAppliedFunc(sub, m, cfg)
			if err != nil || !ok {
				missing = true
				if unset != "" {
					return unset, nil
				}
				return "", nil
			}
			return v, nil
		}))
	if err != nil {
		missing = true
	}
	return out, missing
}

// Interpolate returns raw with `${VAR}` references replaced as the loader
// does; unset reports whether a variable it references has no value.
func (p *Project) Interpolate(raw string) (value string, unset bool) {
	return substitute(raw, func(k string) (string, bool) {
		v, ok := p.env[k]
		return v, ok
	}, "")
}

var validatingPath = regexp.MustCompile(`^validating ([^:]+): ([A-Za-z0-9_.\-]+)\s`)

// loadError turns a compose-go error into an *Error naming the file and,
// where the message names a key path, its line.
func (p *Project) loadError(err error) error {
	e := p.locateError(err)
	e.Msg = composeWords.Replace(e.Msg)
	if strings.Contains(e.Msg, "invalid duration") || strings.Contains(e.Msg, "in duration") {
		e.Msg += " (want a duration such as 10s or 1m30s)"
	}
	return e
}

// composeWords puts JSON schema's and Go's words in a compose file's.
var composeWords = strings.NewReplacer(
	"must be a array", "must be a list",
	"must be a object", "must be a mapping",
	": time: ", ": ",
)

// locateError is loadError's *Error before its wording is changed.
func (p *Project) locateError(err error) *Error {
	msg := err.Error()
	f := p.Files[0]
	if m := validatingPath.FindStringSubmatch(msg); m != nil {
		for _, ff := range p.Files {
			if ff.Path == m[1] {
				f = ff
			}
		}
		msg = strings.TrimPrefix(msg, "validating "+m[1]+": ")
		path := strings.Split(m[2], ".")
		if strings.HasSuffix(msg, " false schema") && len(path) > 1 {
			// jsonschema's wording for a key the compose schema does not allow
			msg = fmt.Sprintf("%s: unknown key %q", strings.Join(path[:len(path)-1], "."), path[len(path)-1])
		}
		return &Error{File: f.Path, Line: f.Line(path...), Msg: msg}
	}
	for _, ff := range p.Files {
		if strings.Contains(msg, ff.Path) {
			f = ff
		}
	}
	// mapstructure: `decoding failed due to the following error(s):
	// 'services[api].healthcheck.retries' expected type 'uint64', …`
	if m := decodePath.FindStringSubmatch(msg); m != nil {
		path := append([]string{m[1], m[2]}, strings.Split(strings.TrimPrefix(m[3], "."), ".")...)
		if m[3] == "" {
			path = path[:2]
		}
		rest := strings.TrimSpace(msg[strings.Index(msg, m[0])+len(m[0]):])
		rest = strings.TrimSpace(strings.Split(rest, "\n")[0])
		return &Error{File: f.Path, Line: f.Line(path...), Msg: strings.Join(path, ".") + ": " + rest}
	}
	// Messages such as `services.web.ports.0 ...` or `service "web" ...`.
	if fields := strings.Fields(msg); len(fields) > 0 && strings.HasPrefix(fields[0], "services.") {
		return &Error{File: f.Path, Line: f.Line(strings.Split(strings.TrimSuffix(fields[0], ":"), ".")...), Msg: msg}
	}
	if m := quotedService.FindStringSubmatch(msg); m != nil {
		return &Error{File: f.Path, Line: f.Line("services", m[1]), Msg: msg}
	}
	// Messages ending in the offending value (`Invalid hostPort: 127.0.0.1`).
	if i := strings.LastIndex(msg, ": "); i >= 0 {
		if v := strings.Trim(strings.TrimSpace(msg[i+2:]), `"'`); v != "" {
			if line := f.valueLine(v); line > 0 {
				return &Error{File: f.Path, Line: line, Msg: msg}
			}
		}
	}
	return &Error{File: f.Path, Msg: msg}
}

var (
	quotedService = regexp.MustCompile(`service "([^"]+)"`)
	decodePath    = regexp.MustCompile(`'([a-z_]+)\[([^\]]+)\]((?:\.[A-Za-z0-9_\-]+)*)'`)
)

// Position is where a key or value is written.
type Position struct {
	File      string
	Line, Col int
}

// Pos returns where the key at path is written. When several files hold
// the path, a mapping (a service, a `depends_on` block) is placed in the
// first file that defines it and a leaf value in the last one, whose value
// wins the merge. A key below a service that no file of the set writes is
// placed where the service inherits it from (`extends`, see Origins), so
// that every set extending one service reports its key at the one line
// that writes it. Otherwise, when no file holds the whole path, the
// deepest existing parent key is used (line 1 of the base file when there
// is none).
func (p *Project) Pos(path ...string) Position {
	var best hit
	bestFile := p.Files[0]
	for _, f := range p.Files {
		h := f.lookup(path)
		if h.depth == 0 {
			continue
		}
		switch {
		case h.depth > best.depth:
		case h.depth == best.depth && h.depth == len(path) && deref(h.value) != nil && deref(h.value).Kind != yaml.MappingNode:
		default:
			continue
		}
		best, bestFile = h, f
	}
	if best.depth < len(path) {
		if f, h, ok := p.inherited(path); ok {
			best, bestFile = h, f
		}
	}
	if best.key == nil {
		return Position{File: bestFile.Path, Line: 1, Col: 1}
	}
	return Position{File: bestFile.Path, Line: best.key.Line, Col: best.key.Column}
}

// Line returns the line of Pos(path...).
func (p *Project) Line(path ...string) int {
	return p.Pos(path...).Line
}

// Raw returns the value node at path in the last file that writes it (the
// value that wins the merge), before interpolation; for a key below a
// service that no file of the set writes, in the service it extends (see
// Pos).
func (p *Project) Raw(path ...string) (*File, *yaml.Node) {
	for i := len(p.Files) - 1; i >= 0; i-- {
		if n := p.Files[i].Node(path...); n != nil {
			return p.Files[i], n
		}
	}
	if f, h, ok := p.inherited(path); ok {
		return f, deref(h.value)
	}
	return nil, nil
}

// Service returns the service named name, or nil.
func (p *Project) Service(name string) *Service {
	for _, s := range p.Services {
		if s.Name == name {
			return s
		}
	}
	if svc, err := p.Model.GetService(name); err == nil {
		return &Service{Name: name, Config: svc}
	}
	if svc, ok := p.Model.DisabledServices[name]; ok {
		return &Service{Name: name, Config: svc}
	}
	return nil
}

// File returns the loaded file with path, one of Files or Extended, or
// nil.
func (p *Project) File(path string) *File {
	for _, f := range p.Files {
		if f.Path == path {
			return f
		}
	}
	for _, f := range p.Extended {
		if f.Path == path {
			return f
		}
	}
	return nil
}

// Default file names, in docker compose's order of preference.
var (
	BaseFileNames     = []string{"compose.yaml", "compose.yml", "docker-compose.yml", "docker-compose.yaml"}
	OverrideFileNames = []string{"compose.override.yml", "compose.override.yaml", "docker-compose.override.yml", "docker-compose.override.yaml"}
)

// Grouping is what Sets knows besides file names.
type Grouping struct {
	// Runs are file lists a project passes together (`docker compose -f
	// docker-compose.yml -f docker-compose.prod.yml`).
	Runs [][]string
	// Fragment reports whether a file only adds to services defined
	// elsewhere (see IsFragment); nil: none does.
	Fragment func(path string) bool
}

// Sets groups compose file paths into the file sets docker compose would
// load. Without -f, docker compose reads in a directory the preferred
// base file (BaseFileNames) merged with the preferred override file
// beside it (OverrideFileNames); no other name is merged automatically.
// So each directory's default base and override form one set, and every
// other file (a second base name, `docker-compose.prod.yml`,
// `compose.dev.yaml`) is a base file of its own, as `docker compose -f
// FILE` would read it.
//
// Runs are sets too, in their order, and a file that runs only ever merge
// onto another (never first) is not loaded on its own. A run naming a
// file not in paths is ignored. A fragment (a file docker compose could
// not run alone) that no run uses is merged onto the default base file
// beside it, or left out when there is none. Order follows the first path
// of each set; runs come after the set of their first file.
func Sets(paths []string, g Grouping) [][]string {
	rank := func(names []string, base string) int {
		for i, n := range names {
			if n == base {
				return i
			}
		}
		return -1
	}
	type dirFiles struct{ base, override string }
	dirs := map[string]*dirFiles{}
	known := map[string]string{} // cleaned path → path as given
	for _, path := range paths {
		known[filepath.Clean(path)] = path
		dir, name := filepath.Dir(path), filepath.Base(path)
		d := dirs[dir]
		if d == nil {
			d = &dirFiles{}
			dirs[dir] = d
		}
		if r := rank(BaseFileNames, name); r >= 0 && (d.base == "" || r < rank(BaseFileNames, filepath.Base(d.base))) {
			d.base = path
		}
		if r := rank(OverrideFileNames, name); r >= 0 && (d.override == "" || r < rank(OverrideFileNames, filepath.Base(d.override))) {
			d.override = path
		}
	}
	// The runs, by their first file; files only merged onto others.
	runsOf := map[string][][]string{}
	mergedOnly := map[string]bool{}
	first := map[string]bool{}
	seenRun := map[string]bool{}
	addRun := func(set []string) {
		key := strings.Join(set, "\x00")
		if len(set) < 2 || seenRun[key] {
			return
		}
		seenRun[key] = true
		runsOf[set[0]] = append(runsOf[set[0]], set)
		first[set[0]] = true
		for _, f := range set[1:] {
			mergedOnly[f] = true
		}
	}
	inRun := map[string]bool{}
	for _, run := range g.Runs {
		var set []string
		for _, f := range run {
			p, ok := known[filepath.Clean(f)]
			if !ok {
				set = nil
				break
			}
			set = append(set, p)
		}
		if len(set) >= 2 {
			for _, p := range set {
				inRun[p] = true
			}
		}
		addRun(set)
	}
	// Fragments no run uses: merged onto the default base beside them.
	for _, path := range paths {
		d := dirs[filepath.Dir(path)]
		if inRun[path] || path == d.base || (path == d.override && d.base != "") || g.Fragment == nil || !g.Fragment(path) {
			continue
		}
		mergedOnly[path] = true
		if d.base != "" {
			addRun([]string{d.base, path})
		}
	}
	var sets [][]string
	done := map[string]bool{}
	for _, path := range paths {
		if done[path] {
			continue
		}
		done[path] = true
		d := dirs[filepath.Dir(path)]
		var set []string
		switch {
		case d.base != "" && d.override != "" && (path == d.base || path == d.override):
			set = []string{d.base, d.override}
			done[d.base], done[d.override] = true, true
		case !mergedOnly[path] || first[path] || path == d.base:
			set = []string{path}
		default:
			continue // only merged onto another file
		}
		sets = append(sets, set)
		for _, f := range set {
			sets = append(sets, runsOf[f]...)
			delete(runsOf, f)
		}
	}
	return sets
}

// IsFragment reports whether a compose file only adds to services defined
// elsewhere: one of its services has neither `image`, `build` nor
// `extends`, so `docker compose -f FILE` alone would refuse it. A file
// that cannot be read or parsed is not a fragment (its load reports it).
func IsFragment(path string) bool {
	data, err := readFile(path)
	if err != nil {
		return false
	}
	var doc yaml.Node
	if yaml.Unmarshal(data, &doc) != nil || len(doc.Content) == 0 {
		return false
	}
	services := MappingValue(doc.Content[0], "services")
	if services == nil || services.Kind != yaml.MappingNode {
		return false
	}
	for i := 1; i < len(services.Content); i += 2 {
		svc := services.Content[i]
		if svc.Kind != yaml.MappingNode {
			continue
		}
		if MappingValue(svc, "image") == nil && MappingValue(svc, "build") == nil && MappingValue(svc, "extends") == nil {
			return true
		}
	}
	return false
}

// MappingValue is the value under key of a YAML mapping node, nil when n
// is no mapping or has no such key.
func MappingValue(n *yaml.Node, key string) *yaml.Node {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}

// InputKind names the kind of rule input a Project is (see analysis.Input).
func (*Project) InputKind() string { return "compose project" }
