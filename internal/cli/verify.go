package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/seaworthy-dev/seaworthy/config"
	"github.com/seaworthy-dev/seaworthy/engine"
	"github.com/seaworthy-dev/seaworthy/report"
	"github.com/seaworthy-dev/seaworthy/rules"
	"github.com/seaworthy-dev/seaworthy/verify"
	"github.com/seaworthy-dev/seaworthy/verify/present"
	"github.com/seaworthy-dev/seaworthy/verify/probe"
)

// verifyOptions are the flags of verify.
type verifyOptions struct {
	port         int
	healthPath   string
	slowPath     string
	grace        time.Duration
	startTimeout time.Duration
	slowStart    time.Duration
	timeout      time.Duration
	env          []string
	memory       string
	pidsLimit    int64
	probe        string

	settings config.Settings
	format   string
	noColor  bool
	quiet    bool
	minSeverityFlag
}

func newVerifyCmd(streams *IO) *cobra.Command {
	o := &verifyOptions{}
	cmd := &cobra.Command{
		Use:   "verify IMAGE",
		Short: "Run an image in a Docker engine and check how it starts, stops and behaves (RT rules)",
		Long: "verify runs IMAGE in the Docker engine named by DOCKER_HOST (else the docker CLI's current\n" +
			"context; default: the local socket) on a private network with no way out, waits until it is\n" +
			"ready, and measures: the user of PID 1, SIGTERM and SIGINT handling, a request in flight\n" +
			"during shutdown (--slow-path), zombie reaping, a read-only root filesystem and the files it\n" +
			"writes. Every container, network and image it creates is removed when it finishes, fails or\n" +
			"is interrupted. See docs/verify.md.",
		Example: "  seaworthy verify my-api:latest\n" +
			"  seaworthy verify my-api:latest --port 8080 --health-path /healthz --slow-path /slow\n" +
			"  seaworthy verify my-api:latest --env DATABASE_URL=postgres://db/app --format json",
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usageError("verify wants exactly one IMAGE (got %d arguments)", len(args))
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error { return runVerify(streams, o, args[0]) },
	}
	fl := cmd.Flags()
	fl.IntVar(&o.port, "port", 0, "container `port` to probe (default: the HEALTHCHECK URL's, else the lowest EXPOSEd TCP port)")
	fl.StringVar(&o.healthPath, "health-path", "", "readiness `path`, answered with 2xx when ready (default: the HEALTHCHECK URL's, else /health)")
	fl.StringVar(&o.slowPath, "slow-path", "", "an endpoint that takes a second or more (`path`), requested while SIGTERM arrives (RT005)")
	fl.DurationVar(&o.grace, "grace", verify.DefaultGrace, "how long a signalled container may take to exit before SIGKILL")
	fl.DurationVar(&o.startTimeout, "start-timeout", verify.DefaultStartTimeout, "how long the container may take to become ready")
	fl.DurationVar(&o.slowStart, "slow-start", verify.DefaultSlowStart, "time to ready above which RT011 reports a slow start")
	fl.DurationVar(&o.timeout, "timeout", 0, "bound on the whole run (default: 3 × (start timeout + grace) + 2m)")
	fl.StringArrayVar(&o.env, "env", nil, "environment variable `K=V` for the container (repeatable)")
	fl.StringVar(&o.memory, "memory", "512m", "memory limit of each container (`bytes`, with k, m or g)")
	fl.Int64Var(&o.pidsLimit, "pids-limit", verify.DefaultPidsLimit, "process limit of each container")
	fl.StringVar(&o.probe, "probe", "auto", "where HTTP probes come from: auto, host (this machine) or container (a prober container on the image's network)")
	fl.StringVar(&o.format, "format", "text", "output format: "+strings.Join(report.Formats, ", "))
	completeValues(cmd, "format", report.Formats...)
	fl.BoolVar(&o.noColor, "no-color", false, "never colour the text output (also: NO_COLOR)")
	fl.BoolVarP(&o.quiet, "quiet", "q", false, "print only the findings, not the measurement table")
	o.minSeverityFlag.add(cmd)
	addPolicyFlags(cmd, &o.settings)
	hideFlags(cmd, "today") // the RT rules make no date decisions
	return cmd
}

// newProbeCmd is the hidden command the prober container runs: verify
// probes the image from a container made of this very binary when the
// engine's network cannot be reached from this machine.
func newProbeCmd(streams *IO) *cobra.Command {
	return &cobra.Command{
		Use:                probe.Command,
		Hidden:             true,
		DisableFlagParsing: true,
		RunE: func(_ *cobra.Command, args []string) error {
			if code := probe.Main(args, streams.In, streams.Out); code != 0 {
				return &exitError{code: code}
			}
			return nil
		},
	}
}

func runVerify(streams *IO, o *verifyOptions, image string) error {
	if !validFormat(o.format) {
		return formatError(o.format)
	}
	minSev, err := o.minSeverityFlag.severity()
	if err != nil {
		return err
	}
	// Zero means "the default" to the verify package; on the command
	// line, where the defaults are the flags' own, it is a mistake.
	for _, d := range []struct {
		flag string
		v    time.Duration
	}{{"--grace", o.grace}, {"--start-timeout", o.startTimeout}, {"--slow-start", o.slowStart}} {
		if d.v <= 0 {
			return usageError("%s %v: want a duration above zero", d.flag, d.v)
		}
	}
	if o.timeout < 0 {
		return usageError("--timeout %v: want a duration above zero (0: the default)", o.timeout)
	}
	memory, err := parseBytes(o.memory)
	if err != nil {
		return usageError("--memory %q: %v", o.memory, err)
	}
	reg := rules.Registry()
	// An image has no path to search from: the config is the current
	// directory's (or the one named by --config).
	policy, err := o.settings.Resolve(reg, ".")
	if err != nil {
		return checkerError(err)
	}
	opts := verify.Options{
		Image: image, Port: o.port, HealthPath: o.healthPath, SlowPath: o.slowPath,
		Grace: o.grace, StartTimeout: o.startTimeout, SlowStart: o.slowStart, Timeout: o.timeout,
		Env: o.env, Memory: memory, PidsLimit: o.pidsLimit, Probe: o.probe,
		ProberBinary: os.Getenv("SEAWORTHY_PROBER_BINARY"),
	}
	if err := opts.Validate(); err != nil {
		return usageError("%v", err)
	}
	eng, err := engine.NewDocker()
	if err != nil {
		return &exitError{code: ExitError, err: err}
	}
	defer eng.Close()

	// Ctrl-C and SIGTERM cancel the run; verify then removes what it
	// created before returning.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if isTerminal(streams.Err) && !o.quiet {
		fmt.Fprintf(streams.Err, "seaworthy: running %s in the Docker engine at %s (Ctrl-C stops and cleans up)...\n", image, eng.Host())
	}
	rep, err := verify.Run(ctx, eng, opts)
	if err != nil {
		var ve *verify.Error
		if errors.As(err, &ve) {
			for _, n := range ve.Notes {
				fmt.Fprintf(streams.Err, "seaworthy: note: %s\n", n)
			}
		}
		return &exitError{code: ExitError, err: err}
	}
	findings := verify.Findings(rep, reg)
	findings = policy.Config.For(reg, image, policy.Policy).Apply(findings)
	steps := present.Steps(rep, findings)

	v, _ := versionString()
	res := &report.Result{
		Findings:     findings,
		Files:        1,
		Read:         report.Read{Images: 1},
		Rules:        reg,
		Tool:         report.Tool{Name: "seaworthy", Version: v, InformationURI: "https://github.com/seaworthy-dev/seaworthy"},
		Measurements: present.NewMeasurements(rep, steps),
	}
	color := !o.noColor && os.Getenv("NO_COLOR") == "" && isTerminal(streams.Out)
	if o.format == "text" && !o.quiet {
		present.WriteText(streams.Out, rep, steps, color)
	} else {
		for _, n := range rep.Notes {
			fmt.Fprintf(streams.Err, "seaworthy: note: %s\n", n)
		}
	}
	if err := report.Write(streams.Out, o.format, res, report.Options{Color: color, Quiet: o.quiet, MinSeverity: minSev}); err != nil {
		return &exitError{code: ExitError, err: fmt.Errorf("writing report: %w", err)}
	}
	if policy.Fails(findings) {
		return findingsExit
	}
	return nil
}

// parseBytes reads "512m", "1g", "256k" or a plain number of bytes.
func parseBytes(s string) (int64, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	mult := int64(1)
	switch {
	case strings.HasSuffix(s, "g"), strings.HasSuffix(s, "gb"), strings.HasSuffix(s, "gib"):
		mult = 1 << 30
	case strings.HasSuffix(s, "m"), strings.HasSuffix(s, "mb"), strings.HasSuffix(s, "mib"):
		mult = 1 << 20
	case strings.HasSuffix(s, "k"), strings.HasSuffix(s, "kb"), strings.HasSuffix(s, "kib"):
		mult = 1 << 10
	}
	num := strings.TrimRight(s, "kmgib")
	var n int64
	if _, err := fmt.Sscan(num, &n); err != nil || n <= 0 || fmt.Sprint(n) != num {
		return 0, fmt.Errorf("want a size such as 512m or 1g")
	}
	if n*mult < 6<<20 {
		return 0, fmt.Errorf("below Docker's 6 MiB minimum")
	}
	return n * mult, nil
}
