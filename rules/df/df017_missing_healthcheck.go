package df

import (
	"fmt"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/facts/command"
	"github.com/seaworthy-dev/seaworthy/facts/locate"
	"github.com/seaworthy-dev/seaworthy/facts/purpose"
	"github.com/seaworthy-dev/seaworthy/facts/stage"
	"github.com/seaworthy-dev/seaworthy/knowledge"
	"github.com/seaworthy-dev/seaworthy/source/dockerfile"
)

// MissingHealthcheck reports a server-like final stage without HEALTHCHECK.
var MissingHealthcheck = register(&analysis.Rule{
	ID:       "DF017",
	Name:     "missing-healthcheck",
	Title:    "server image has no healthcheck",
	Severity: analysis.Warning,
	Purposes: analysis.Deployed,
	Doc: analysis.Doc{
		Why: "Without a `HEALTHCHECK`, Docker only knows whether the process is alive, not whether " +
			"it answers: a server stuck in a deadlock, an exhausted event loop or a lost database pool " +
			"stays `running`. With one, `docker ps` shows `unhealthy`, Compose can wait for " +
			"`service_healthy`, and Swarm replaces the task. (Kubernetes ignores HEALTHCHECK and uses " +
			"its own readiness and liveness probes; if you deploy only there, `HEALTHCHECK NONE` " +
			"states that choice.)",
		Bad: "FROM node:22-slim\nWORKDIR /app\nCOPY . .\nUSER node\nEXPOSE 3000\nCMD [\"node\", \"server.js\"]\n",
		Good: "FROM node:22-slim\nWORKDIR /app\nCOPY . .\nUSER node\nEXPOSE 3000\n" +
			"HEALTHCHECK --interval=30s --timeout=3s --start-period=10s \\\n" +
			"  CMD [\"node\", \"-e\", \"fetch('http://127.0.0.1:3000/health').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))\"]\n" +
			"CMD [\"node\", \"server.js\"]\n",
		Fix: "Add a cheap `/health` endpoint to the app and a `HEALTHCHECK` that calls it with a tool " +
			"the image has: `node -e \"fetch(…)\"` works in every Node image, including slim and " +
			"distroless ones that have neither curl nor wget. Give it a `--start-period` covering " +
			"startup. If the orchestrator does its own health checking, write `HEALTHCHECK NONE` to " +
			"make that explicit.\n\nA final stage counts as a server when it EXPOSEs a port, or when it " +
			"runs a Node command that is not a test run (`npm test`, jest, …) or a command-line tool " +
			"(an ENTRYPOINT whose CMD is only flags, or a stage, working directory or entry file named " +
			"`cli`). An image built on an AWS Lambda base image is run by Lambda, which ignores HEALTHCHECK: " +
			"not reported.",
		AppliesTo: "Health checks are for orchestrators and deployments. DF018 still checks, in every file, that a " +
			"HEALTHCHECK which is there can run.",
	},
	Check: analysis.Check(func(pass *analysis.Pass, f *dockerfile.File) {
		for _, st := range f.FinalStages() {
			why := serverLike(st)
			if why == "" || purpose.DevStage(st) {
				continue
			}
			if facts, ok := stage.Base(st); ok && facts.Platform != "" {
				continue // AWS Lambda runs the function and ignores HEALTHCHECK
			}
			hc := stage.LastInChain(st, "HEALTHCHECK")
			if hc != nil && stage.HealthcheckNone(hc) {
				pass.Report(analysis.Finding{
					Range:    locate.Instruction(f, hc),
					Severity: analysis.Info,
					Message:  fmt.Sprintf("health checks are explicitly disabled with `HEALTHCHECK NONE` for a server image (%s)", why),
					Help:     "fine if the orchestrator probes the app itself (Kubernetes); otherwise add a HEALTHCHECK",
				})
				continue
			}
			if hc != nil {
				continue
			}
			pass.Report(analysis.Finding{
				Range:   locate.Instruction(f, st.From),
				Message: fmt.Sprintf("%s %s but has no HEALTHCHECK: a hung server still looks healthy", finalStageName(st), why),
				Help:    healthcheckHelp(st),
			})
		}
	}),
})

// serverLike says why a final stage looks like a long-running server: it
// EXPOSEs a port, or it is a Node stage with a command. "" when neither.
func serverLike(st *dockerfile.Stage) string {
	if expose := stage.LastInChain(st, "EXPOSE"); expose != nil {
		if args := expose.Args(); len(args) > 0 {
			port := args[0]
			if expose.Stage != nil {
				if sc, ok := stage.Scopes(expose.Stage)[expose]; ok {
					if p := sc.ExpandDefaults(port); !strings.Contains(p, "$") {
						port = p
					}
				}
			}
			return fmt.Sprintf("exposes port %s", port)
		}
	}
	ep, cmd := stage.Command(st)
	if (ep != nil || cmd != nil) && stage.IsNode(st) && !stage.RuntimeOnly(st) && !testOrCLI(ep, cmd) && !namedCLI(st, ep, cmd) {
		return "runs a Node process"
	}
	return ""
}

var testWord = regexp.MustCompile(`(^|[/_.:-])(test|tests|spec|e2e)([/_.:-]|$)|^(jest|mocha|vitest|ava|tap|playwright|cypress)$`)

// testWordHints: every testWord match holds one of these.
var testWordHints = []string{"test", "spec", "e2e", "jest", "mocha", "ava", "tap", "playwright", "cypress"}

// cliWord matches a name that says "command-line tool": cli, karakeep-cli,
// cli-tools, cli.mjs.
var cliWord = regexp.MustCompile(`(^|[-_.])cli([-_.]|$)`)

// namedCLI reports whether the stage, its working directory or the file
// its command runs is named as a command-line tool (karakeep's `cli`
// stage: `WORKDIR /app/apps/cli`, `ENTRYPOINT ["node", "index.mjs"]`).
// A tool runs and exits; it has nothing to answer a health check.
func namedCLI(st *dockerfile.Stage, ep, cmd *dockerfile.Instruction) bool {
	if cliWord.MatchString(st.Name) || cliWord.MatchString(path.Base(stage.Workdir(st))) {
		return true
	}
	for _, in := range []*dockerfile.Instruction{ep, cmd} {
		if in == nil || in.Script == nil {
			continue
		}
		for _, c := range in.Script.Commands {
			for _, w := range c.Words() {
				if strings.Contains(w, "cli") && cliWord.MatchString(command.BaseName(w)) {
					return true
				}
			}
		}
	}
	return false
}

// testOrCLI reports whether a command without an EXPOSE looks like a test
// run (`npm test`, `tests.sh`, `jest`) or a command-line tool (an
// ENTRYPOINT whose CMD is only flags, like `CMD ["--help"]`).
func testOrCLI(ep, cmd *dockerfile.Instruction) bool {
	for _, in := range []*dockerfile.Instruction{ep, cmd} {
		if in == nil || in.Script == nil {
			continue
		}
		for _, c := range in.Script.Commands {
			for _, w := range c.Words() {
				if b := command.BaseName(w); slices.ContainsFunc(testWordHints, func(h string) bool { return strings.Contains(b, h) }) && testWord.MatchString(b) {
					return true
				}
			}
		}
	}
	if ep != nil && cmd != nil && cmd.Script != nil && cmd.Script.Exec && len(cmd.Script.Commands) == 1 &&
		strings.HasPrefix(cmd.Script.Commands[0].Name, "-") {
		return true
	}
	return false
}

// healthcheckHelp suggests a HEALTHCHECK for the stage: on the port the
// app listens on (`ENV PORT`, else the lowest EXPOSEd port, else 3000),
// with node itself in a Node image (slim and distroless images have
// neither curl nor wget), else with curl or wget when the base image has
// one.
func healthcheckHelp(st *dockerfile.Stage) string {
	port := 3000
	if _, v := stage.LastEnv(st, "PORT"); v != "" {
		if p, err := strconv.Atoi(strings.TrimSpace(v)); err == nil {
			port = p
		}
	} else if exposed := stage.ExposedPorts(st); len(exposed) > 0 {
		port = 0
		for p := range exposed {
			if port == 0 || p < port {
				port = p
			}
		}
	}
	if stage.IsNode(st) {
		return fmt.Sprintf("add e.g. `HEALTHCHECK --start-period=10s CMD [\"node\", \"-e\", \"fetch('http://127.0.0.1:%d/health').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))\"]` (with the app's own health route)", port)
	}
	if facts, ok := stage.Base(st); ok {
		switch {
		case facts.Curl == knowledge.Yes:
			return fmt.Sprintf("add e.g. `HEALTHCHECK --start-period=10s CMD [\"curl\", \"-fsS\", \"-o\", \"/dev/null\", \"http://127.0.0.1:%d/\"]`", port)
		case facts.Wget == knowledge.Yes:
			return fmt.Sprintf("add e.g. `HEALTHCHECK --start-period=10s CMD [\"wget\", \"-q\", \"-O\", \"/dev/null\", \"http://127.0.0.1:%d/\"]`", port)
		}
	}
	return fmt.Sprintf("add a `HEALTHCHECK` that probes port %d with a tool the image has (check that it has curl or wget)", port)
}
