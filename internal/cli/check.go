package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/seaworthy-dev/seaworthy/checker"
	"github.com/seaworthy-dev/seaworthy/config"
	"github.com/seaworthy-dev/seaworthy/report"
	"github.com/seaworthy-dev/seaworthy/rules"
)

// checkOptions are the flags of check.
type checkOptions struct {
	inputFlags
	settings config.Settings
	format   string
	noColor  bool
	quiet    bool
	verbose  bool
	minSeverityFlag
}

func newCheckCmd(streams *IO) *cobra.Command {
	o := &checkOptions{}
	cmd := &cobra.Command{
		Use:   "check [PATH...]",
		Short: "Check Dockerfiles statically (PATH: a project directory, a Dockerfile, or - for stdin)",
		Example: "  seaworthy check\n  seaworthy check services/api --format sarif > seaworthy.sarif\n" +
			"  seaworthy check -f deploy/api.Dockerfile --target runtime\n  cat Dockerfile | seaworthy check -",
		RunE: func(cmd *cobra.Command, args []string) error { return runCheck(cmd.Context(), streams, o, args) },
	}
	o.inputFlags.addFlags(cmd)
	addPolicyFlags(cmd, &o.settings)
	fl := cmd.Flags()
	fl.StringVar(&o.format, "format", "text", "output format: "+strings.Join(report.Formats, ", "))
	completeValues(cmd, "format", report.Formats...)
	fl.BoolVar(&o.noColor, "no-color", false, "never colour the text output (also: NO_COLOR)")
	fl.BoolVarP(&o.quiet, "quiet", "q", false, "print only the findings, no excerpts or summary")
	fl.BoolVarP(&o.verbose, "verbose", "v", false, "say on stderr, per Dockerfile, which build context, .dockerignore and package are used and why")
	o.minSeverityFlag.add(cmd)
	return cmd
}

// request is what check and fix ask of the checker.
func (o *inputFlags) request(streams *IO, args []string, settings config.Settings) checker.Request {
	return checker.Request{
		Paths: args, Dockerfiles: o.files, Stdin: streams.In, Target: o.target,
		Production: o.production, Rules: rules.Registry(), Settings: settings,
	}
}

func runCheck(ctx context.Context, streams *IO, o *checkOptions, args []string) error {
	if !validFormat(o.format) {
		return formatError(o.format)
	}
	minSev, err := o.minSeverityFlag.severity()
	if err != nil {
		return err
	}
	req := o.request(streams, args, o.settings)
	res, err := checker.Check(ctx, req)
	if err != nil {
		return checkerError(err)
	}
	for _, w := range res.Warnings {
		fmt.Fprintf(streams.Err, "seaworthy: warning: %s\n", w)
	}
	if o.verbose {
		writeBuilds(streams.Err, res.Builds)
	}
	v, _ := versionString()
	rep := &report.Result{
		Findings: res.Findings,
		Files:    res.Files,
		Read: report.Read{
			Dockerfiles: res.Read.Dockerfiles, IgnoreFiles: res.Read.IgnoreFiles, ComposeFiles: res.Read.ComposeFiles,
			Packages: res.Read.Packages, Sources: res.Read.Sources,
		},
		Purposes: res.Purposes,
		Sources:  res.Sources,
		Rules:    req.Rules,
		Tool:     report.Tool{Name: "seaworthy", Version: v, InformationURI: "https://github.com/seaworthy-dev/seaworthy"},
		Builds:   reportBuilds(res.Builds),
	}
	color := !o.noColor && os.Getenv("NO_COLOR") == "" && isTerminal(streams.Out)
	if err := report.Write(streams.Out, o.format, rep, report.Options{Color: color, Quiet: o.quiet, MinSeverity: minSev}); err != nil {
		return &exitError{code: ExitError, err: fmt.Errorf("writing report: %w", err)}
	}
	if res.Failed() {
		return findingsExit
	}
	return nil
}

// writeBuilds says per Dockerfile which context, .dockerignore and
// package the checks used, and why (--verbose).
func writeBuilds(w io.Writer, builds []checker.Build) {
	for _, b := range builds {
		fmt.Fprintf(w, "%s: context %s (%s)\n", b.Dockerfile, b.Context, b.ContextWhy)
		ignore := "none"
		if b.Ignore != "" {
			ignore = b.Ignore
		}
		fmt.Fprintf(w, "%s: .dockerignore %s\n", b.Dockerfile, ignore)
		switch {
		case b.TargetOnly:
			fmt.Fprintf(w, "%s: target %s (the project's build commands build only this: the image checked)\n", b.Dockerfile, b.Target)
		case b.Target != "":
			fmt.Fprintf(w, "%s: target %s (built by the project; the last stage is checked too)\n", b.Dockerfile, b.Target)
		}
		if len(b.NamedContexts) > 0 {
			fmt.Fprintf(w, "%s: named contexts: %s\n", b.Dockerfile, strings.Join(b.NamedContexts, ", "))
		}
		switch {
		case b.Package == "":
			fmt.Fprintf(w, "%s: package none (no package.json)\n", b.Dockerfile)
		case b.PackageWhy != "":
			fmt.Fprintf(w, "%s: package %s (workspace package: %s)\n", b.Dockerfile, b.Package, b.PackageWhy)
		default:
			fmt.Fprintf(w, "%s: package %s (the nearest package.json)\n", b.Dockerfile, b.Package)
		}
	}
}

func reportBuilds(builds []checker.Build) []report.Build {
	out := make([]report.Build, 0, len(builds))
	for _, b := range builds {
		out = append(out, report.Build{
			Dockerfile: b.Dockerfile, Context: b.Context, ContextSource: b.ContextSource, ContextFrom: b.ContextFrom,
			Dockerignore: b.Ignore, Package: b.Package, PackageSource: b.PackageWhy,
			Target: b.Target, TargetOnly: b.TargetOnly, NamedContexts: b.NamedContexts,
		})
	}
	return out
}
