package cli

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/seaworthy-dev/seaworthy/audit"
	"github.com/seaworthy-dev/seaworthy/config"
	"github.com/seaworthy-dev/seaworthy/engine"
	"github.com/seaworthy-dev/seaworthy/facts/imagefs"
	"github.com/seaworthy-dev/seaworthy/report"
	"github.com/seaworthy-dev/seaworthy/rules"
	"github.com/seaworthy-dev/seaworthy/source/image"
)

// auditOptions are the flags of audit.
type auditOptions struct {
	project    string
	dockerfile string
	html       string
	settings   config.Settings
	format     string
	noColor    bool
	quiet      bool
	verify     bool
	minSeverityFlag
}

func newAuditCmd(streams *IO) *cobra.Command {
	o := &auditOptions{}
	cmd := &cobra.Command{
		Use:   "audit IMAGE",
		Short: "Check what ended up in a built image: secrets in any layer, devDependencies, build tools, waste (IM rules)",
		Long: "audit reads a built image in one streaming pass over its layers, nothing extracted to disk, and\n" +
			"checks its config, history and files (IM rules), lower layers included: a file deleted by a later\n" +
			"layer is still in the image. IMAGE is a `docker save` tar (legacy or OCI layout inside), an OCI\n" +
			"layout directory, an oci-archive tar, docker-daemon:NAME[:TAG] (the engine at DOCKER_HOST) or\n" +
			"registry:REF (credentials from the Docker config). The text format adds a size table: per layer\n" +
			"its size, the bytes later layers deleted or rewrote, its instruction; the largest directories\n" +
			"and node_modules packages. --project DIR traces layers to DIR's Dockerfile and reads its package.json.",
		Example: "  docker save my-api:latest -o api.tar && seaworthy audit api.tar --project .\n" +
			"  seaworthy audit docker-daemon:my-api:latest --html size.html\n" +
			"  seaworthy audit registry:ghcr.io/acme/api:1.4.2 --format sarif > audit.sarif",
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usageError("audit wants exactly one IMAGE (got %d arguments)", len(args))
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error { return runAudit(streams, o, args[0]) },
	}
	fl := cmd.Flags()
	fl.StringVar(&o.project, "project", "", "project `dir` the image was built from: its package.json (IM007) and the Dockerfile layers are traced to")
	fl.StringVar(&o.dockerfile, "dockerfile", "", "Dockerfile to trace layers to (default: the project's Dockerfile)")
	fl.StringVar(&o.html, "html", "", "write the size report with a layer chart to `file` (self-contained HTML)")
	fl.StringVar(&o.format, "format", "text", "output format: "+strings.Join(report.Formats, ", "))
	fl.BoolVar(&o.noColor, "no-color", false, "never colour the text output (also: NO_COLOR)")
	fl.BoolVarP(&o.quiet, "quiet", "q", false, "print only the findings, not the size table")
	fl.BoolVar(&o.verify, "verify-digests", false, "also check the digests of uncompressed layers in a local tar or OCI layout (reads every byte; compressed and registry layers are always checked)")
	o.minSeverityFlag.add(cmd)
	addPolicyFlags(cmd, &o.settings)
	return cmd
}

func runAudit(streams *IO, o *auditOptions, ref string) error {
	if !validFormat(o.format) {
		return formatError(o.format)
	}
	minSev, err := o.minSeverityFlag.severity()
	if err != nil {
		return err
	}
	reg := rules.Registry()
	// An image has no path to search a config from: the current
	// directory's (or the project's, or --config).
	from := "."
	if o.project != "" {
		from = o.project
	}
	policy, err := o.settings.Resolve(reg, from)
	if err != nil {
		return checkerError(err)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	src, err := openImage(ctx, ref)
	if err != nil {
		return &exitError{code: ExitError, err: err}
	}
	defer src.Close()
	opts := audit.Options{Project: o.project, Dockerfile: o.dockerfile, Today: policy.Today, VerifyInPlace: o.verify}
	progress := isTerminal(streams.Err) && !o.quiet
	if progress {
		opts.Progress = func(done, total int) {
			fmt.Fprintf(streams.Err, "\rseaworthy: read %d of %d layers", done, total)
		}
	}
	res, err := audit.Run(ctx, src, reg.ForInput((*imagefs.Image)(nil).InputKind()), opts)
	if progress {
		fmt.Fprint(streams.Err, "\r\033[K")
	}
	if err != nil {
		return &exitError{code: ExitError, err: err}
	}
	findings := policy.Config.For(reg, ref, policy.Policy).Apply(res.Findings)
	if o.html != "" {
		if err := writeHTMLReport(o.html, ref, res.Sizes); err != nil {
			return &exitError{code: ExitError, err: err}
		}
	}
	if o.format == "text" && !o.quiet {
		if err := audit.WriteText(streams.Out, ref, res.Sizes); err != nil {
			return &exitError{code: ExitError, err: fmt.Errorf("writing report: %w", err)}
		}
	}
	v, _ := versionString()
	rep := &report.Result{
		Findings: findings,
		Files:    1,
		Read:     report.Read{Images: 1},
		Rules:    reg,
		Tool:     report.Tool{Name: "seaworthy", Version: v, InformationURI: "https://github.com/seaworthy-dev/seaworthy"},
	}
	color := !o.noColor && os.Getenv("NO_COLOR") == "" && isTerminal(streams.Out)
	if err := report.Write(streams.Out, o.format, rep, report.Options{Color: color, Quiet: o.quiet, MinSeverity: minSev}); err != nil {
		return &exitError{code: ExitError, err: fmt.Errorf("writing report: %w", err)}
	}
	if policy.Fails(findings) {
		return findingsExit
	}
	return nil
}

// openImage opens IMAGE: docker-daemon: through the engine, the rest
// through package image.
func openImage(ctx context.Context, ref string) (*image.Image, error) {
	name, ok := strings.CutPrefix(ref, image.DaemonPrefix)
	if !ok {
		return image.Open(ctx, ref)
	}
	if name == "" {
		return nil, fmt.Errorf("%s: name the image (docker-daemon:NAME[:TAG])", ref)
	}
	eng, err := engine.NewDocker()
	if err != nil {
		return nil, err
	}
	defer eng.Close()
	return eng.SaveImage(ctx, name, ref)
}

func writeHTMLReport(path, ref string, s *audit.Sizes) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("--html: %w", err)
	}
	if err := audit.WriteHTML(f, ref, s); err != nil {
		f.Close()
		return fmt.Errorf("--html %s: %w", path, err)
	}
	return f.Close()
}
