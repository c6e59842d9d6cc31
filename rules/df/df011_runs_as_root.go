package df

import (
	"fmt"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"

	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/facts/command"
	"github.com/seaworthy-dev/seaworthy/facts/locate"
	"github.com/seaworthy-dev/seaworthy/facts/purpose"
	"github.com/seaworthy-dev/seaworthy/facts/stage"
	"github.com/seaworthy-dev/seaworthy/knowledge"
	"github.com/seaworthy-dev/seaworthy/source/dockerfile"
)

// RunsAsRoot reports a final stage whose container runs as root.
var RunsAsRoot = register(&analysis.Rule{
	ID:       "DF011",
	Name:     "runs-as-root",
	Title:    "container runs as root",
	Severity: analysis.Error,
	Purposes: analysis.Deployed,
	Doc: analysis.Doc{
		Why: "Without a `USER` instruction the container's process runs as root (uid 0). A bug or " +
			"a compromised dependency then has root inside the container: it can rewrite the app, " +
			"install tools, read every mounted secret, and any container-escape vulnerability starts " +
			"from the most privileged position. Official node images ship a `node` user (uid 1000) " +
			"for exactly this; distroless `:nonroot`, Chainguard images and the runtime variants of Docker Hardened Images (`dhi.io/node`) default to a non-root user, the official postgres, mysql, mariadb, mongo and redis images start as root but their " +
			"entrypoint switches to the database's own user (kept when the Dockerfile sets no ENTRYPOINT), " +
			"and AWS Lambda runs images built on its Node.js base images " +
			"(`public.ecr.aws/lambda/nodejs`) as a non-root user of its own.",
		Bad:  "FROM node:22-slim\nWORKDIR /app\nCOPY . .\nCMD [\"node\", \"server.js\"]\n",
		Good: "FROM node:22-slim\nWORKDIR /app\nCOPY --chown=node:node . .\nUSER node\nCMD [\"node\", \"server.js\"]\n",
		Fix: "Add `USER node` (official node images) or create a system user " +
			"(`RUN useradd --system --uid 10001 app`, `USER app`) after the steps that need root, and give " +
			"the files the app must write to that user with `COPY --chown=`. If a step near the end needs " +
			"root, switch back to the non-root user after it.",
		AppliesTo: "The risk is an exposed production process with root. Development containers run as root or set " +
			"their user elsewhere (devcontainer.json's `remoteUser`), and test images are short-lived.",
	},
	Check: analysis.Check(func(pass *analysis.Pass, f *dockerfile.File) {
		for _, st := range f.FinalStages() {
			facts, known := stage.Base(st)
			if stage.Windows(st) || stage.RuntimeOnly(st) || purpose.DevStage(st) {
				// Windows users work differently; a bare Node runtime
				// image leaves USER to the images built on it; a Dev
				// Container sets its user in devcontainer.json.
				continue
			}
			user := stage.LastInChain(st, "USER")
			if user == nil {
				if known && facts.NonRootDefault {
					continue
				}
				if root := st.Root(); root.External() && knowledge.EntrypointDropsRoot(root.Registry, root.Repository) && stage.LastInChain(st, "ENTRYPOINT") == nil {
					continue // the official image's docker-entrypoint.sh switches to its own user (gosu)
				}
				if dropsPrivileges(f, st) {
					continue
				}
				pass.Report(analysis.Finding{
					Range:   locate.Instruction(f, st.From),
					Message: finalStageName(st) + " has no USER instruction: the container runs as root",
					Help:    userHelp(st, facts, known),
				})
				continue
			}
			uc, ok := user.Command.(*instructions.UserCommand)
			if !ok {
				continue
			}
			root, sure := stage.UserIsRoot(uc.User)
			if !sure || !root || dropsPrivileges(f, st) {
				continue
			}
			pass.Report(analysis.Finding{
				Range:   locate.Instruction(f, user),
				Message: fmt.Sprintf("the last USER of the final stage is `%s`: the container runs as root", uc.User),
				Help:    userHelp(st, facts, known),
			})
		}
	}),
})

func userHelp(st *dockerfile.Stage, facts knowledge.ImageFacts, known bool) string {
	if b := st.Root(); b.External() && b.Registry == "" && b.Repository == "nginx" {
		// nginx binds port 80 and writes /var/run/nginx.pid: a bare
		// `USER nginx` stops it from starting (homarr, lago-front).
		return "use `nginxinc/nginx-unprivileged` (runs as uid 101, listens on 8080), or move the listen port above 1024 and the pid file to /tmp before `USER nginx`"
	}
	if u := stage.CreatedUser(st); u != "" && u != "root" {
		// actual-server creates its own user and gives it /data.
		return fmt.Sprintf("switch to the user the Dockerfile creates, `USER %s`, after the steps that need root", u)
	}
	if known && facts.Node && (facts.Variant == knowledge.VariantFull || facts.Variant == knowledge.VariantSlim || facts.Variant == knowledge.VariantAlpine) {
		return "add `USER node` after the steps that need root"
	}
	if known && facts.Variant == knowledge.VariantDistroless {
		return "use the `:nonroot` tag or add `USER nonroot`"
	}
	return "create an unprivileged user and switch to it with `USER` after the steps that need root"
}

// dropsPrivileges reports whether the container command itself switches
// to another user (gosu, su-exec, setpriv, runuser, chpst, s6-setuidgid),
// or the entrypoint script it runs does (read from a heredoc of the
// Dockerfile or from the build context).
func dropsPrivileges(f *dockerfile.File, st *dockerfile.Stage) bool {
	ep, cmd := stage.Command(st)
	for _, in := range []*dockerfile.Instruction{ep, cmd} {
		if in == nil || in.Script == nil {
			continue
		}
		for _, c := range in.Script.Commands {
			if command.DropsPrivileges(c.Words()) {
				return true
			}
		}
	}
	_, text, ok := stage.StartScript(f, st)
	return ok && command.ScriptDropsPrivileges(text)
}
