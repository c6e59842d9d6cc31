// Package config reads .seaworthy.yaml and inline suppression comments and
// turns them into a policy: which rules are ignored and at which severity
// the others report.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/moby/patternmatcher"
	"go.yaml.in/yaml/v4"

	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/source/regular"
)

// FileName is the config file looked up from the checked path upwards.
const FileName = ".seaworthy.yaml"

// Config is the content of .seaworthy.yaml.
type Config struct {
	// Path is where the config was read from ("" when none).
	Path string `yaml:"-"`
	// dir is the absolute directory of Path: override patterns are
	// relative to it, wherever the run starts.
	dir               string
	Ignore            []string          `yaml:"ignore"`
	Severity          map[string]string `yaml:"severity"`
	FailOn            string            `yaml:"fail-on"`
	TrustedRegistries []string          `yaml:"trusted-registries"`
	Overrides         []Override        `yaml:"overrides"`
}

// Override applies ignore and severity settings to files matching Files
// (Docker/.dockerignore-style patterns relative to the config's directory).
type Override struct {
	Files    []string          `yaml:"files"`
	Ignore   []string          `yaml:"ignore"`
	Severity map[string]string `yaml:"severity"`
	// Purpose says what the matching Dockerfiles and compose files are
	// for (production, development, test or example), instead of what
	// their names, folders and content suggest (see PurposeFor).
	Purpose string `yaml:"purpose"`
}

// Error is a config problem with its file and line.
type Error = regular.FileError

// Load reads and validates a config file against the rule registry.
func Load(file string, reg *analysis.Registry) (*Config, error) {
	data, err := regular.ReadFile(file, maxFileSize)
	if err != nil {
		return nil, regular.ReadError(file, err)
	}
	return Parse(file, data, reg)
}

// Parse decodes config data; unknown keys, unknown rules and bad
// severities are errors naming the line.
func Parse(file string, data []byte, reg *analysis.Registry) (*Config, error) {
	cfg := &Config{Path: file}
	if dir, err := filepath.Abs(filepath.Dir(file)); err == nil {
		cfg.dir = dir
	}
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, yamlError(file, err, nil)
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(cfg); err != nil && !errors.Is(err, io.EOF) {
		return nil, yamlError(file, err, &root)
	}
	lineOf := func(value string) int { return findLine(&root, value) }
	checkRule := func(key string) error {
		if _, err := LookupRules(reg, key); err != nil {
			return &Error{Path: file, Line: lineOf(key), Msg: err.Error()}
		}
		return nil
	}
	checkSeverities := func(m map[string]string) error {
		for k, v := range m {
			if err := checkRule(k); err != nil {
				return err
			}
			if _, err := analysis.ParseSeverity(v); err != nil {
				return &Error{Path: file, Line: lineOf(k), Msg: err.Error()}
			}
		}
		return nil
	}
	for _, id := range cfg.Ignore {
		if err := checkRule(id); err != nil {
			return nil, err
		}
	}
	if err := checkSeverities(cfg.Severity); err != nil {
		return nil, err
	}
	if cfg.FailOn != "" {
		if _, err := ParseFailOn(cfg.FailOn); err != nil {
			return nil, &Error{Path: file, Line: lineOf(cfg.FailOn), Msg: err.Error()}
		}
	}
	for _, o := range cfg.Overrides {
		if len(o.Files) == 0 {
			return nil, &Error{Path: file, Line: lineOf("overrides"), Msg: "each override needs `files`"}
		}
		if _, err := patternmatcher.New(o.Files); err != nil {
			return nil, &Error{Path: file, Line: lineOf(o.Files[0]), Msg: fmt.Sprintf("bad files pattern: %v", err)}
		}
		for _, id := range o.Ignore {
			if err := checkRule(id); err != nil {
				return nil, err
			}
		}
		if err := checkSeverities(o.Severity); err != nil {
			return nil, err
		}
		if o.Purpose != "" {
			if _, err := analysis.ParsePurpose(o.Purpose); err != nil {
				return nil, &Error{Path: file, Line: lineOf(o.Purpose), Msg: err.Error()}
			}
		}
	}
	return cfg, nil
}

var yamlLine = regexp.MustCompile(`line (\d+): (.*)`)

func yamlError(file string, err error, root *yaml.Node) error {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	line := 0
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		line, _ = strconv.Atoi(m[1])
		msg = m[2]
	}
	msg = strings.TrimSpace(strings.Split(msg, "\n")[0])
	msg = strings.Replace(msg, " in type config.Config", "", 1)
	if m := yamlKindError.FindStringSubmatch(msg); m != nil && root != nil {
		// "cannot construct !!str `DF003` into []string": the key, and
		// the kinds in YAML's words rather than the tag and the Go type.
		msg = fmt.Sprintf("want %s, not %s", goKind(m[3]), yamlKinds[m[1]])
		if m[2] != "" {
			msg += " (" + m[2] + ")"
		}
		if key := keyAt(root, line, "!!"+m[1], strings.Trim(m[2], "`")); key != "" {
			msg = key + ": " + msg
		}
	}
	return &Error{Path: file, Line: line, Msg: "invalid config: " + msg}
}

// yamlKindError is the decoder's message for a value of the wrong kind:
// its tag, the value (scalars) and the Go type it was to go into.
var yamlKindError = regexp.MustCompile("^cannot construct !!(\\w+)(?: (`[^`]*`))? into (\\S+)$")

// yamlKinds names YAML's tags.
var yamlKinds = map[string]string{
	"str": "a string", "seq": "a list", "map": "a mapping", "int": "a number",
	"float": "a number", "bool": "a boolean", "null": "nothing",
}

// goKind names the kind of YAML value a Go type takes.
func goKind(t string) string {
	switch {
	case strings.HasPrefix(t, "[]"):
		return "a list"
	case strings.HasPrefix(t, "map["), strings.HasPrefix(t, "config."):
		return "a mapping"
	}
	return "a string"
}

// keyAt is the mapping key of the value on line with the tag (and, for a
// scalar, the text) the decoder named.
func keyAt(n *yaml.Node, line int, tag, value string) string {
	if n.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(n.Content); i += 2 {
			v := n.Content[i+1]
			if v.Line == line && v.ShortTag() == tag && (v.Kind != yaml.ScalarNode || v.Value == value) {
				return n.Content[i].Value
			}
		}
	}
	for _, c := range n.Content {
		if k := keyAt(c, line, tag, value); k != "" {
			return k
		}
	}
	return ""
}

// findLine returns the line of the first scalar equal to value.
func findLine(n *yaml.Node, value string) int {
	if n.Kind == yaml.ScalarNode && n.Value == value {
		return n.Line
	}
	for _, c := range n.Content {
		if l := findLine(c, value); l > 0 {
			return l
		}
	}
	return 0
}

// maxFileSize bounds what is read as a config file.
const maxFileSize = 1 << 20

// find looks for .seaworthy.yaml in dir and its parents, also returning
// the .seaworthy.yaml files passed over because they are not regular
// files (a named pipe would block the read).
func find(dir string) (string, []regular.Skipped, bool) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", nil, false
	}
	var skipped []regular.Skipped
	for {
		p := filepath.Join(abs, FileName)
		if st, err := os.Stat(p); err == nil && regular.Special(st.Mode()) {
			skipped = append(skipped, regular.Skipped{Path: relToWd(p), Mode: st.Mode()})
		} else if err == nil && !st.IsDir() {
			return relToWd(p), skipped, true
		}
		parent := filepath.Dir(abs)
		if parent == abs {
			return "", skipped, false
		}
		abs = parent
	}
}

// relToWd names p relative to the working directory when it is below it.
func relToWd(p string) string {
	if wd, err := os.Getwd(); err == nil {
		if rel, err := filepath.Rel(wd, p); err == nil && !strings.HasPrefix(rel, "..") {
			return rel
		}
	}
	return p
}

// FailOn is the lowest severity that makes the exit code 1; 0 means never.
type FailOn = analysis.Severity

// ParseFailOn accepts error, warning, info or none.
func ParseFailOn(s string) (FailOn, error) {
	if strings.EqualFold(s, "none") {
		return 0, nil
	}
	sev, err := analysis.ParseSeverity(s)
	if err != nil {
		return 0, fmt.Errorf("unknown fail-on level %q (want error, warning, info or none)", s)
	}
	return sev, nil
}

// Policy is the resolved ignore list and severity overrides.
type Policy struct {
	Ignore   map[string]bool              // rule IDs
	Severity map[string]analysis.Severity // rule ID → severity
}

// NewPolicy builds a policy from command-line settings; keys are rule IDs
// or names.
func NewPolicy(reg *analysis.Registry, ignore []string, severity map[string]string) (*Policy, error) {
	p := &Policy{Ignore: map[string]bool{}, Severity: map[string]analysis.Severity{}}
	if err := p.add(reg, ignore, severity); err != nil {
		return nil, err
	}
	return p, nil
}

func (p *Policy) add(reg *analysis.Registry, ignore []string, severity map[string]string) error {
	for _, key := range ignore {
		rules, err := LookupRules(reg, key)
		if err != nil {
			return err
		}
		for _, r := range rules {
			p.Ignore[r.ID] = true
		}
	}
	for key, level := range severity {
		rules, err := LookupRules(reg, key)
		if err != nil {
			return err
		}
		sev, err := analysis.ParseSeverity(level)
		if err != nil {
			return err
		}
		for _, r := range rules {
			p.Severity[r.ID] = sev
		}
	}
	return nil
}

// For returns the policy for file: the config's settings, then matching
// overrides, then the command-line policy cli (which wins).
func (c *Config) For(reg *analysis.Registry, file string, cli *Policy) *Policy {
	out := &Policy{Ignore: map[string]bool{}, Severity: map[string]analysis.Severity{}}
	if c != nil {
		_ = out.add(reg, c.Ignore, c.Severity) // validated by Parse
		for _, o := range c.matching(file) {
			_ = out.add(reg, o.Ignore, o.Severity)
		}
	}
	if cli != nil {
		for k := range cli.Ignore {
			out.Ignore[k] = true
		}
		for k, v := range cli.Severity {
			out.Severity[k] = v
		}
	}
	return out
}

// matching returns the overrides whose patterns match file, in order.
func (c *Config) matching(file string) []Override {
	rel := file
	if c.dir != "" {
		if abs, err := filepath.Abs(file); err == nil {
			if r, err := filepath.Rel(c.dir, abs); err == nil {
				rel = r
			}
		}
	}
	rel = path.Clean(filepath.ToSlash(rel))
	var out []Override
	for _, o := range c.Overrides {
		pm, err := patternmatcher.New(o.Files)
		if err != nil {
			continue
		}
		if ok, _ := pm.MatchesOrParentMatches(rel); ok {
			out = append(out, o)
		}
	}
	return out
}

// PurposeFor returns the purpose the config sets for file: that of the
// last matching override with a `purpose`; ok is false when none sets one.
func (c *Config) PurposeFor(file string) (p analysis.Purpose, ok bool) {
	if c == nil {
		return 0, false
	}
	for _, o := range c.matching(file) {
		if o.Purpose != "" {
			p, _ = analysis.ParsePurpose(o.Purpose) // validated by Parse
			ok = true
		}
	}
	return p, ok
}

// Apply filters ignored findings and sets overridden severities.
func (p *Policy) Apply(findings []analysis.Finding) []analysis.Finding {
	out := findings[:0]
	for _, f := range findings {
		if p.Ignore[f.Rule.ID] {
			continue
		}
		if sev, ok := p.Severity[f.Rule.ID]; ok {
			f.Severity = sev
		}
		out = append(out, f)
	}
	return out
}
