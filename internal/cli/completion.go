package cli

import (
	"slices"

	"github.com/spf13/cobra"
)

// shells are the shells completion writes a script for.
var shells = []string{"bash", "zsh", "fish"}

// newCompletionCmd prints a shell completion script. Completion knows the
// subcommands, their flags and the values of --format, --fail-on and
// --min-severity.
func newCompletionCmd(streams *IO) *cobra.Command {
	return &cobra.Command{
		Use:   "completion bash|zsh|fish",
		Short: "Print a shell completion script",
		Long: "completion prints a completion script for bash, zsh or fish. Load it for this shell with\n" +
			"  source <(seaworthy completion bash)         # bash (needs the bash-completion package)\n" +
			"  source <(seaworthy completion zsh)          # zsh\n" +
			"  seaworthy completion fish | source          # fish\n" +
			"or install it for every shell, e.g.\n" +
			"  seaworthy completion bash > /etc/bash_completion.d/seaworthy\n" +
			"  seaworthy completion zsh > \"${fpath[1]}/_seaworthy\"\n" +
			"  seaworthy completion fish > ~/.config/fish/completions/seaworthy.fish",
		ValidArgs: shells,
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usageError("completion wants one shell: bash, zsh or fish (got %d arguments)", len(args))
			}
			if !slices.Contains(shells, args[0]) {
				return usageError("completion: no shell %q: want bash, zsh or fish", args[0])
			}
			return nil
		},
		DisableFlagsInUseLine: true,
		RunE: func(cmd *cobra.Command, args []string) error {
			root := cmd.Root()
			switch args[0] {
			case "bash":
				return root.GenBashCompletionV2(streams.Out, true)
			case "zsh":
				return root.GenZshCompletion(streams.Out)
			default:
				return root.GenFishCompletion(streams.Out, true)
			}
		},
	}
}
