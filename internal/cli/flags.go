package cli

import (
	"strings"

	"github.com/spf13/cobra"

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
	fl.StringArrayVar(&s.Ignore, "ignore", nil, "ignore a rule by `ID or name` (repeatable)")
	fl.StringArrayVar(&s.Severity, "severity", nil, "override a rule's severity: `ID=level` (error, warning, info; repeatable)")
	fl.StringVar(&s.FailOn, "fail-on", "", "lowest severity that makes the exit code 1: error, warning, info, none (default warning)")
	fl.StringVar(&s.Config, "config", "", "config `file` (default: .seaworthy.yaml found from the checked path upwards; for an image, from the current directory)")
	fl.StringVar(&s.Today, "today", "", "check date `YYYY-MM-DD` for end-of-life decisions (default: $SEAWORTHY_TODAY or today)")
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
