package cli

import (
	"io"

	"github.com/spf13/cobra"

	"github.com/seaworthy-dev/seaworthy/lsp"
	"github.com/seaworthy-dev/seaworthy/rules"
)

func newLSPCmd(streams *IO) *cobra.Command {
	var stdio bool
	cmd := &cobra.Command{
		Use:   "lsp",
		Short: "Run the language server: diagnostics, fixes, ignore comments and rule docs in your editor (LSP over stdin/stdout)",
		Long: "seaworthy lsp speaks the Language Server Protocol over stdin and stdout. It checks the project of\n" +
			"each open file (its git repository, or the workspace folder inside one) and the workspace folders that\n" +
			"are repositories as `seaworthy check` does, with the unsaved text of open files, and publishes the\n" +
			"findings of Dockerfiles, .dockerignore files, compose files and package.json as diagnostics. Its code\n" +
			"actions apply a finding's fix or insert the comment that ignores it; hover on a finding shows the\n" +
			"rule's doc. Editors start it themselves: see \"Use it in your editor\" in the README.",
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			v, _ := versionString()
			s := lsp.New(lsp.Options{Rules: rules.Registry(), Version: v})
			if err := s.Serve(cmd.Context(), stdioConn{streams.In, streams.Out}); err != nil {
				return &exitError{code: ExitError, err: err}
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&stdio, "stdio", true, "speak over stdin and stdout (the only transport; accepted because some clients pass it)")
	return cmd
}

// stdioConn is the process's stdin and stdout as one stream.
type stdioConn struct {
	io.Reader
	io.Writer
}

// Close leaves stdin and stdout to the process.
func (stdioConn) Close() error { return nil }
