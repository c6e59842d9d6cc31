package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/config"
	"github.com/seaworthy-dev/seaworthy/ruledoc"
	"github.com/seaworthy-dev/seaworthy/rules"
)

func newRulesCmd(streams *IO) *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "rules",
		Short: "List every rule: ID, name, severity, family, fixable, the files it applies to",
		Args:  noArgs,
		RunE: func(*cobra.Command, []string) error {
			reg := rules.Registry()
			switch format {
			case "text":
				tw := tabwriter.NewWriter(streams.Out, 0, 4, 2, ' ', 0)
				fmt.Fprintln(tw, "ID\tNAME\tSEVERITY\tFAMILY\tFIXABLE\tAPPLIES TO\tTITLE")
				for _, r := range reg.Rules() {
					fix := ""
					if r.Fixable {
						fix = "yes"
					}
					fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", r.ID, r.Name, r.Severity, r.Family(), fix, appliesTo(r), r.Title)
				}
				return tw.Flush()
			case "json":
				type row struct {
					ID       string `json:"id"`
					Name     string `json:"name"`
					Severity string `json:"severity"`
					Family   string `json:"family"`
					Fixable  bool   `json:"fixable"`
					// AppliesTo lists the purposes of the files the rule
					// runs on; absent for IM and RT rules, which run on images.
					AppliesTo []string `json:"applies_to,omitempty"`
					Title     string   `json:"title"`
				}
				var rows []row
				for _, r := range reg.Rules() {
					var applies []string
					if !r.OnImage() {
						for _, p := range analysis.Purposes {
							if r.AppliesTo(p) {
								applies = append(applies, p.String())
							}
						}
					}
					rows = append(rows, row{r.ID, r.Name, r.Severity.String(), r.Family(), r.Fixable, applies, r.Title})
				}
				enc := json.NewEncoder(streams.Out)
				enc.SetIndent("", "  ")
				return enc.Encode(rows)
			}
			return usageError("--format %q: want text or json", format)
		},
	}
	cmd.Flags().StringVar(&format, "format", "text", "text or json")
	return cmd
}

// appliesTo is the APPLIES TO column: "all" or the purposes of the files
// a rule runs on ("production, example"); "-" for IM and RT rules, which
// run on images.
func appliesTo(r *analysis.Rule) string {
	if r.OnImage() {
		return "-"
	}
	return r.PurposeList()
}

func newExplainCmd(streams *IO) *cobra.Command {
	return &cobra.Command{
		Use:     "explain ID|NAME|DLxxxx",
		Short:   "Print a rule's documentation (a hadolint code: the seaworthy rule it maps to)",
		Example: "  seaworthy explain DF013\n  seaworthy explain shell-form-command\n  seaworthy explain DL3025",
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usageError("explain wants one rule ID or name (got %d arguments), e.g. `seaworthy explain DF013`; `seaworthy rules` lists them", len(args))
			}
			return nil
		},
		RunE: func(_ *cobra.Command, args []string) error {
			key := args[0]
			found, err := config.LookupRules(rules.Registry(), key)
			if err != nil {
				var ue *config.UnknownRuleError
				if errors.As(err, &ue) && ue.Hadolint {
					return usageError("%s is a hadolint rule that no seaworthy rule checks; the hadolint codes seaworthy maps: %s",
						strings.ToUpper(key), strings.Join(config.HadolintList(), ", "))
				}
				hint := "`seaworthy rules` lists them"
				if errors.As(err, &ue) && ue.Suggestion != "" {
					hint = "did you mean " + ue.Suggestion + "? `seaworthy rules` lists them"
				}
				return usageError("no rule %q; %s", key, hint)
			}
			if h, ok := config.LookupHadolint(key); ok && len(rules.Registry().LookupAll(key)) == 0 {
				var names []string
				for _, r := range found {
					names = append(names, r.ID+" ("+r.Name+")")
				}
				fmt.Fprintf(streams.Out, "hadolint's %s (%s) is checked by seaworthy's %s:\n\n", h.Code, h.Title, strings.Join(names, ", "))
			}
			for i, r := range found {
				if i > 0 {
					fmt.Fprintln(streams.Out)
				}
				fmt.Fprint(streams.Out, ruledoc.Page(r))
			}
			return nil
		},
	}
}
