// Package cli is seaworthy's command line: one file per subcommand, each
// with an options struct and a run function; exit codes are decided here.
package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"golang.org/x/term"
)

// Exit codes.
const (
	ExitOK       = 0
	ExitFindings = 1
	ExitError    = 2
)

// Version and Commit are set at build time with -ldflags; otherwise they
// come from the module build info.
var (
	Version = ""
	Commit  = ""
)

// exitError carries an exit code through cobra.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string {
	if e.err == nil {
		return ""
	}
	return e.err.Error()
}

func usageError(format string, args ...any) error {
	return &exitError{code: ExitError, err: fmt.Errorf(format, args...)}
}

// flagError is a usage error for a flag cobra could not parse. A value
// of the wrong type says what the flag wants ("want a whole number"), not
// the Go parser's words (strconv.ParseInt, time.ParseDuration).
func flagError(err error) error {
	var ive *pflag.InvalidValueError
	if errors.As(err, &ive) {
		if want, ok := flagWants[ive.GetFlag().Value.Type()]; ok {
			return usageError("--%s %q: want %s", ive.GetFlag().Name, ive.GetValue(), want)
		}
	}
	return usageError("%v", err)
}

// flagWants says, per pflag value type, what a flag of that type takes.
var flagWants = map[string]string{
	"int":      "a whole number",
	"int64":    "a whole number",
	"uint":     "a whole number",
	"duration": "a duration such as 10s or 1m30s",
	"bool":     "true or false",
}

// noArgs is the Args check of a command that takes no arguments: an
// extra word is not an "unknown command" (cobra's words), it is an
// argument the command does not take.
func noArgs(cmd *cobra.Command, args []string) error {
	if len(args) > 0 {
		return usageError("%s takes no arguments (got %q)", cmd.Name(), strings.Join(args, " "))
	}
	return nil
}

// findingsExit is returned when findings reach the --fail-on level.
var findingsExit = &exitError{code: ExitFindings}

// IO is the process's standard streams.
type IO struct {
	In       io.Reader
	Out, Err io.Writer
}

// isTerminal reports whether w is a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// GCPercent is the garbage collector target seaworthy runs with unless GOGC
// is set: a short-lived process that allocates many small parse trees
// spends less time collecting with a larger heap goal, and a check of a
// large monorepo still stays within tens of megabytes.
const GCPercent = 400

// Main runs the command line and returns the exit code. It never panics:
// a panic is reported as an internal error with exit code 2.
func Main(args []string, stdin io.Reader, stdout, stderr io.Writer) (code int) {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(GCPercent)
	}
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintf(stderr, "seaworthy: internal error: %v\n(please report this with the input that caused it)\n", r)
			code = ExitError
		}
	}()
	streams := &IO{In: stdin, Out: stdout, Err: stderr}
	root := newRootCmd(streams)
	root.SetArgs(args)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.Execute()
	if err == nil {
		return ExitOK
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.err != nil {
			fmt.Fprintf(stderr, "seaworthy: %v\n", ee.err)
		}
		return ee.code
	}
	// cobra's own errors: unknown flag, unknown command, bad arguments.
	fmt.Fprintf(stderr, "seaworthy: %v\n", err)
	if strings.Contains(err.Error(), "unknown command") || strings.Contains(err.Error(), "flag") {
		fmt.Fprintln(stderr, "Run 'seaworthy --help' for usage.")
	}
	return ExitError
}

func newRootCmd(streams *IO) *cobra.Command {
	root := &cobra.Command{
		Use:   "seaworthy",
		Short: "Check that a Node.js service is ready for production containers",
		Long: "seaworthy checks a Node.js project's Dockerfile, .dockerignore, compose files and\n" +
			"package.json for the mistakes that break containers in production, and explains each finding.",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return flagError(err) })
	root.AddCommand(newCheckCmd(streams), newFixCmd(streams), newRulesCmd(streams), newExplainCmd(streams), newVersionCmd(streams), newVerifyCmd(streams), newAuditCmd(streams), newProbeCmd(streams), newCompletionCmd(streams), newLSPCmd(streams), newInitCmd(streams))
	root.CompletionOptions.DisableDefaultCmd = true
	return root
}

func versionString() (version, commit string) {
	version, commit = Version, Commit
	if info, ok := debug.ReadBuildInfo(); ok {
		if version == "" && info.Main.Version != "" && info.Main.Version != "(devel)" {
			version = info.Main.Version
		}
		for _, s := range info.Settings {
			if s.Key == "vcs.revision" && commit == "" {
				commit = s.Value
			}
		}
	}
	if version == "" {
		version = "dev"
	}
	return version, commit
}

func newVersionCmd(streams *IO) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version and commit",
		Args:  noArgs,
		RunE: func(*cobra.Command, []string) error {
			v, c := versionString()
			if c == "" {
				c = "unknown"
			}
			fmt.Fprintf(streams.Out, "seaworthy %s (commit %s)\n", v, c)
			return nil
		},
	}
}
