package cli

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/spf13/cobra"

	"github.com/seaworthy-dev/seaworthy/checker"
	"github.com/seaworthy-dev/seaworthy/config"
)

// fixOptions are the flags of fix.
type fixOptions struct {
	inputFlags
	settings config.Settings
	diff     bool
}

func newFixCmd(streams *IO) *cobra.Command {
	o := &fixOptions{}
	cmd := &cobra.Command{
		Use:     "fix [PATH...]",
		Short:   "Apply the safe autofixes in place (--diff prints them instead, exit code 1 when there are any)",
		Example: "  seaworthy fix --diff\n  seaworthy fix services/api",
		RunE:    func(cmd *cobra.Command, args []string) error { return runFix(cmd.Context(), streams, o, args) },
	}
	o.inputFlags.addFlags(cmd)
	addPolicyFlags(cmd, &o.settings)
	hideFlags(cmd, "fail-on") // fix's exit code does not depend on findings
	cmd.Flags().BoolVar(&o.diff, "diff", false, "print a unified diff instead of writing files; exit code 1 when it is not empty")
	return cmd
}

func runFix(ctx context.Context, streams *IO, o *fixOptions, args []string) error {
	if !o.diff && (contains(args, "-") || contains(o.files, "-")) {
		return usageError("fix cannot write to stdin; use --diff")
	}
	res, err := checker.Fix(ctx, o.request(streams, args, o.settings))
	if err != nil {
		return checkerError(err)
	}
	// A file that cannot be written does not stop the others: each
	// failure is a line on stderr, and the exit code is 2.
	failed := false
	for _, c := range res.Changes {
		if o.diff {
			streams.Out.Write(c.Diff())
			continue
		}
		mode := os.FileMode(0o644)
		if st, err := os.Stat(c.Path); err == nil {
			mode = st.Mode().Perm()
		}
		if err := os.WriteFile(c.Path, c.New, mode); err != nil {
			var pe *fs.PathError
			if errors.As(err, &pe) {
				err = pe.Err
			}
			fmt.Fprintf(streams.Err, "seaworthy: %s: cannot be written: %v\n", c.Path, err)
			failed = true
		}
	}
	if failed {
		return &exitError{code: ExitError}
	}
	verb := "Fixed"
	if o.diff {
		verb = "Would fix"
	}
	fmt.Fprintf(streams.Err, "%s %d %s.\n", verb, res.Fixed, plural(res.Fixed, "problem", "problems"))
	if o.diff && len(res.Changes) > 0 {
		// Like `gofmt -d -l` and `ruff --diff`: a CI step fails while
		// fixes are pending.
		return findingsExit
	}
	return nil
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
