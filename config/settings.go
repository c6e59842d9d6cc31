package config

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/source/regular"
)

// Settings are a run's policy as the user gives it: every command (check,
// fix, verify) takes them from the same flags and resolves them with
// Resolve, so that they mean the same thing everywhere.
type Settings struct {
	// Ignore lists rules to drop: IDs, names or mapped hadolint codes,
	// each item possibly a comma-separated list ("DF013,DF014").
	Ignore []string
	// Severity overrides rules' severities, each "ID=level" (or
	// "name=level", or a mapped hadolint code), each item possibly a
	// comma-separated list ("DF003=info,DF019=warning").
	Severity []string
	// FailOn is the lowest severity that fails the run: error, warning,
	// info or none. Empty: the config's fail-on, else warning.
	FailOn string
	// Config is the config file for every checked file. Empty: each file
	// gets the nearest .seaworthy.yaml above it (see Configs).
	Config string
	// Today is the check date, YYYY-MM-DD, for end-of-life decisions.
	// Empty: $SEAWORTHY_TODAY, else the current date.
	Today string
}

// Resolved is Settings checked against the rule registry, with the config
// file loaded.
type Resolved struct {
	// Config is the run's root config: the file named by --config, else
	// the one found from the first checked path upwards (nil when there is
	// none). Findings get the config of their own file (ConfigFor).
	Config *Config
	// Configs finds each file's config.
	Configs *Configs
	// Policy holds the command-line ignores and severity overrides; they
	// win over the config's (see Config.For).
	Policy *Policy
	// FailOn is the lowest severity that fails the run, 0 meaning never:
	// --fail-on, else the root config's fail-on, else warning. Without
	// --fail-on, a finding fails the run by the fail-on of its own file's
	// config (see Fails).
	FailOn FailOn
	// failOnFlag is set when --fail-on gave FailOn.
	failOnFlag bool
	// Today is the check date; zero means the current date.
	Today time.Time
}

// Skipped are the .seaworthy.yaml files passed over on the way up from
// the checked files because they are not regular files (named pipes,
// devices), so far.
func (r *Resolved) Skipped() []regular.Skipped { return r.Configs.Skipped() }

// Resolve checks the settings and loads the root config: the file named
// by s.Config, else the one Locate finds from near, the path the run
// checks. Errors name the flag (or the config file and line) at fault;
// an unknown rule gets the nearest one as a suggestion.
func (s Settings) Resolve(reg *analysis.Registry, near string) (*Resolved, error) {
	r := &Resolved{}
	var err error
	if r.Today, err = checkDate(s.Today); err != nil {
		return nil, err
	}
	sev := map[string]string{}
	for _, kv := range splitList(s.Severity) {
		k, v, ok := strings.Cut(kv, "=")
		if !ok {
			return nil, fmt.Errorf("--severity %q: want ID=level, e.g. DF003=info", kv)
		}
		sev[strings.TrimSpace(k)] = strings.TrimSpace(v)
	}
	for _, key := range splitList(s.Ignore) {
		if _, err := LookupRules(reg, key); err != nil {
			return nil, fmt.Errorf("--ignore: %w", err)
		}
	}
	for key, level := range sev {
		if _, err := LookupRules(reg, key); err != nil {
			return nil, fmt.Errorf("--severity: %w", err)
		}
		if _, err := analysis.ParseSeverity(level); err != nil {
			return nil, fmt.Errorf("--severity %s=%s: %w", key, level, err)
		}
	}
	if r.Policy, err = NewPolicy(reg, splitList(s.Ignore), sev); err != nil {
		return nil, err
	}
	if r.Configs, err = NewConfigs(reg, s.Config, near); err != nil {
		return nil, err
	}
	r.Config = r.Configs.Root()
	r.FailOn = analysis.Warning
	if s.FailOn != "" {
		if r.FailOn, err = ParseFailOn(s.FailOn); err != nil {
			return nil, fmt.Errorf("--fail-on: %v", err)
		}
		r.failOnFlag = true
	} else if r.Config != nil && r.Config.FailOn != "" {
		r.FailOn, _ = ParseFailOn(r.Config.FailOn) // checked by Parse
	}
	return r, nil
}

// ConfigFor returns the config of a file findings name (see Configs.For).
func (r *Resolved) ConfigFor(file string) *Config {
	if r.Configs == nil {
		return r.Config
	}
	return r.Configs.For(file)
}

// PolicyFor returns the policy for a file's findings: its config's
// settings and overrides, then the command line's.
func (r *Resolved) PolicyFor(reg *analysis.Registry, file string) *Policy {
	return r.ConfigFor(file).For(reg, file, r.Policy)
}

// FailOnFor is the fail-on level for a file's findings: --fail-on, else
// the fail-on of the file's config, else warning.
func (r *Resolved) FailOnFor(file string) FailOn {
	if r.failOnFlag {
		return r.FailOn
	}
	cfg := r.ConfigFor(file)
	if cfg == r.Config {
		return r.FailOn
	}
	if cfg != nil && cfg.FailOn != "" {
		level, _ := ParseFailOn(cfg.FailOn) // checked by Parse
		return level
	}
	return analysis.Warning
}

// Fails reports whether a finding reaches the fail-on level of its file
// (see FailOnFor).
func (r *Resolved) Fails(findings []analysis.Finding) bool {
	for _, f := range findings {
		if level := r.FailOnFor(f.File); level != 0 && f.Severity >= level {
			return true
		}
	}
	return false
}

// checkDate reads the --today flag, else $SEAWORTHY_TODAY; zero when
// neither is set.
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
		return time.Time{}, fmt.Errorf("%s %q: want a date as YYYY-MM-DD", from, v)
	}
	return t, nil
}

// Locate loads the config of a run that checks the path near: the file
// named by explicit when it is set, else the .seaworthy.yaml that Find
// finds from near upwards. near is a directory, a file (its directory is
// searched) or "-" for stdin (the current directory); a run with no path
// (verify checks an image) passes ".". It returns nil when there is no
// config.
func Locate(reg *analysis.Registry, explicit, near string) (*Config, error) {
	cfg, _, err := locate(reg, explicit, near)
	return cfg, err
}

// locate is Locate, also returning the config files passed over (see find).
func locate(reg *analysis.Registry, explicit, near string) (*Config, []regular.Skipped, error) {
	file := explicit
	var skipped []regular.Skipped
	if file == "" {
		start := near
		if start == "-" || start == "" {
			start = "."
		} else if st, err := os.Stat(start); err == nil && !st.IsDir() {
			start = filepath.Dir(start)
		}
		file, skipped, _ = find(start)
	}
	if file == "" {
		return nil, skipped, nil
	}
	cfg, err := Load(file, reg)
	return cfg, skipped, err
}
