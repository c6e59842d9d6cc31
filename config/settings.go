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
	// Ignore lists rules (IDs or names) to drop.
	Ignore []string
	// Severity overrides rules' severities, each "ID=level" (or
	// "name=level").
	Severity []string
	// FailOn is the lowest severity that fails the run: error, warning,
	// info or none. Empty: the config's fail-on, else warning.
	FailOn string
	// Config is the config file. Empty: .seaworthy.yaml found by Locate.
	Config string
	// Today is the check date, YYYY-MM-DD, for end-of-life decisions.
	// Empty: $SEAWORTHY_TODAY, else the current date.
	Today string
}

// Resolved is Settings checked against the rule registry, with the config
// file loaded.
type Resolved struct {
	// Config is the loaded config file (nil when there is none).
	Config *Config
	// Policy holds the command-line ignores and severity overrides; they
	// win over the config's (see Config.For).
	Policy *Policy
	// FailOn is the lowest severity that fails the run; 0 means never.
	FailOn FailOn
	// Today is the check date; zero means the current date.
	Today time.Time
	// Skipped are the .seaworthy.yaml files passed over on the way up
	// because they are not regular files (named pipes, devices).
	Skipped []regular.Skipped
}

// Resolve checks the settings and loads the config: the file named by
// s.Config, else the one Locate finds from near, the path the run checks.
// Errors name the flag (or the config file and line) at fault.
func (s Settings) Resolve(reg *analysis.Registry, near string) (*Resolved, error) {
	r := &Resolved{}
	var err error
	if r.Today, err = checkDate(s.Today); err != nil {
		return nil, err
	}
	sev := map[string]string{}
	for _, kv := range s.Severity {
		k, v, ok := strings.Cut(kv, "=")
		if !ok {
			return nil, fmt.Errorf("--severity %q: want ID=level, e.g. DF003=info", kv)
		}
		sev[k] = v
	}
	if r.Policy, err = NewPolicy(reg, s.Ignore, sev); err != nil {
		return nil, err
	}
	if r.Config, r.Skipped, err = locate(reg, s.Config, near); err != nil {
		return nil, err
	}
	v := s.FailOn
	if v == "" && r.Config != nil {
		v = r.Config.FailOn // checked by Parse
	}
	r.FailOn = analysis.Warning
	if v != "" {
		if r.FailOn, err = ParseFailOn(v); err != nil {
			return nil, fmt.Errorf("--fail-on: %v", err)
		}
	}
	return r, nil
}

// Fails reports whether a finding reaches the fail-on level.
func (r *Resolved) Fails(findings []analysis.Finding) bool {
	if r.FailOn == 0 {
		return false
	}
	for _, f := range findings {
		if f.Severity >= r.FailOn {
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
