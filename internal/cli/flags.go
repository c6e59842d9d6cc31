package cli

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/checker"
	"github.com/seaworthy-dev/seaworthy/config"
	"github.com/seaworthy-dev/seaworthy/report"
)

// addPolicyFlags binds the policy settings to the flags every command
// that reports findings takes (check, fix, verify), so that they are
// spelt, documented and resolved (config.Settings.Resolve) alike. The
// config file is found from the checked path upwards; verify, which checks
// an image, searches from the current directory.
func addPolicyFlags(cmd *cobra.Command, s *config.Settings) {
	fl := cmd.Flags()
	fl.StringArrayVar(&s.Ignore, "ignore", nil, "ignore `rules` by ID, name or hadolint code (comma-separated, repeatable)")
	fl.StringArrayVar(&s.Severity, "severity", nil, "override rules' severities: `ID=level` (error, warning, info; comma-separated, repeatable)")
	fl.StringVar(&s.FailOn, "fail-on", "", "lowest severity that makes the exit code 1: error, warning, info, none (default warning)")
	fl.StringVar(&s.Config, "config", "", "config `file` for every checked file (default: each file's nearest .seaworthy.yaml above it; for an image, the current directory's)")
	fl.StringVar(&s.Today, "today", "", "check date `YYYY-MM-DD` for end-of-life decisions (default: $SEAWORTHY_TODAY or today)")
	completeValues(cmd, "fail-on", "error", "warning", "info", "none")
}

// completeValues tells shell completion the values a flag takes.
func completeValues(cmd *cobra.Command, flag string, values ...string) {
	_ = cmd.RegisterFlagCompletionFunc(flag, cobra.FixedCompletions(values, cobra.ShellCompDirectiveNoFileComp))
}

// minSeverityFlag is --min-severity of the commands that print findings:
// it hides findings below a level from the output, whatever --fail-on
// says (a hidden finding can still fail the run; the summary counts it).
type minSeverityFlag struct{ value string }

func (m *minSeverityFlag) add(cmd *cobra.Command) {
	cmd.Flags().StringVar(&m.value, "min-severity", "info", "show only findings at or above this `level`: error, warning, info (the exit code still follows --fail-on)")
	completeValues(cmd, "min-severity", "error", "warning", "info")
}

func (m *minSeverityFlag) severity() (analysis.Severity, error) {
	sev, err := analysis.ParseSeverity(m.value)
	if err != nil {
		return 0, usageError("--min-severity %q: want error, warning or info", m.value)
	}
	return sev, nil
}

// inputFlags are the flags of check and fix that name what to check
// besides the path arguments.
type inputFlags struct {
	files      []string
	target     string
	production bool
}

func (o *inputFlags) addFlags(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.StringArrayVarP(&o.files, "file", "f", nil, "Dockerfile to check (repeatable; `-` reads stdin)")
	fl.StringVar(&o.target, "target", "", "build target `stage`: checked as a final stage")
	fl.BoolVar(&o.production, "production", false, "check every Dockerfile and compose file as a production one, whatever its name, folders, header or content say")
}

// hideFlags hides flags a command accepts, for one set of flags to work
// with every command, but does not use.
func hideFlags(cmd *cobra.Command, names ...string) {
	for _, n := range names {
		_ = cmd.Flags().MarkHidden(n)
	}
}

// checkerError makes an error of the checker (a bad setting, an input
// that cannot be read) the exit code 2 with its message.
func checkerError(err error) error {
	var nf *checker.NothingFoundError
	if errors.As(err, &nf) {
		if _, statErr := os.Stat(filepath.Join(nf.Dir, "package.json")); statErr == nil {
			// A Node project with no container files yet: say how to
			// start.
			err = fmt.Errorf("%w; `seaworthy init %s` writes them for its Node project", err, nf.Dir)
		}
	}
	return &exitError{code: ExitError, err: err}
}

func validFormat(f string) bool {
	for _, v := range report.Formats {
		if v == f {
			return true
		}
	}
	return false
}

func formatError(format string) error {
	return usageError("--format %q: want one of %s", format, strings.Join(report.Formats, ", "))
}
