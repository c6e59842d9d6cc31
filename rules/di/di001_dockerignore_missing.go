package di

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/facts/locate"
	"github.com/seaworthy-dev/seaworthy/source/dockerignore"
	"github.com/seaworthy-dev/seaworthy/source/project"
)

// DockerignoreMissing reports a build with no .dockerignore whose
// Dockerfile copies a directory or the whole context.
var DockerignoreMissing = register(&analysis.Rule{
	ID:       "DI001",
	Name:     "dockerignore-missing",
	Title:    "no .dockerignore for a build that copies directories",
	Severity: analysis.Warning,
	Fixable:  true,
	Doc: analysis.Doc{
		Why: "Without a `.dockerignore`, `docker build` sends everything in the context directory to the builder, " +
			"and `COPY . .` or `COPY src/ ./src/` copies whatever is there into the image: the host's " +
			"`node_modules` (compiled for another OS, with dev dependencies), the `.git` history, local `.env` " +
			"files with credentials, logs and old build output. Builds get slower, every unrelated file change " +
			"invalidates the layer cache, and secrets end up in layers anyone who pulls the image can read.\n\n" +
			"The rule fires on the first COPY/ADD from the context whose source is the whole context (`.`, `./`, " +
			"`*`) or a directory, when neither `<Dockerfile>.dockerignore` beside the Dockerfile nor " +
			"`.dockerignore` in the context exists. The other DI rules (DI002–DI005) check what a " +
			"`.dockerignore` leaves out; while there is none they stay silent and this one finding names what " +
			"is missing, so one cause gives one finding. It is an error, as DI004 is, when what the COPY sends " +
			"holds a file with credentials: an environment file with a secret value (`.env`, `.env.production`; " +
			"templates such as `.env.example`, empty values and public settings do not count), an `.npmrc` with " +
			"a token, a private key. Those credentials are in the image today.",
		Bad:         "FROM node:22-slim\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci --omit=dev\nCOPY . .\nUSER node\nCMD [\"node\", \"server.js\"]\n",
		Good:        "# .dockerignore beside the Dockerfile\nnode_modules\n.git\n.env\n.env.*\n!.env.example\n*.log\ncoverage\ndist\n",
		ExampleFile: ".dockerignore",
		Fix: "Create `.dockerignore` in the build context (or `<Dockerfile>.dockerignore` next to a Dockerfile " +
			"that needs its own) and list at least `node_modules`, `.git`, `.env` and `.env.*`, `.npmrc`, " +
			"`*.log`, `coverage` and the build output (`dist`, `.next`). An allow-list works too: `*` first, " +
			"then `!package.json`, `!package-lock.json`, `!src` for what the build needs. `seaworthy fix` creates " +
			"`.dockerignore` in the build context with the patterns DI002–DI005 would ask for (node_modules, .git, " +
			"env files and keys, logs, coverage and the build output), leaving out any that would exclude a path the " +
			"Dockerfile copies by name, or a file present today that may be needed; when they ask for none (only " +
			"directories are copied), it creates nothing.",
		AppliesTo: "Without a .dockerignore every build sends node_modules, .git and .env files to the builder, and " +
			"`COPY . .` puts them into development and test images too.",
	},
	Check: analysis.Check(func(pass *analysis.Pass, b *project.Build) {
		v := factsFor(b)
		if v == nil || v.b.Ignore != nil || v.b.IgnoreError != nil {
			return // DI000 reports an ignore file that cannot be used
		}
		for _, s := range v.sources {
			if s.Mount {
				continue
			}
			var what string
			switch {
			case s.Broad != "":
				what = fmt.Sprintf("sends the whole build context (`%s`)", s.Raw)
			case s.Glob:
				continue
			case strings.HasSuffix(s.Raw, "/") || isDir(filepath.Join(v.b.ContextDir, filepath.FromSlash(s.Rel))):
				what = fmt.Sprintf("copies the directory %q with everything in it", s.Rel)
			default:
				continue
			}
			present := v.presentJunk(s)
			detail := ""
			switch {
			case len(present) == 0 && s.Broad != "" && v.node:
				detail = "; node_modules, .git, .env files and logs go in as soon as they exist"
			case len(present) == 0 && s.Broad != "":
				detail = "; .git, .env files and logs go in as soon as they exist"
			case len(present) > 0:
				detail = ", " + list(present, 4) + " included"
			}
			sev := analysis.Warning
			if secretFile := v.copiedSecret(s); secretFile != "" {
				sev = analysis.Error
				detail += fmt.Sprintf(": %s holds credentials that anyone who pulls the image can read", secretFile)
			}
			patterns := ".git, .env, .env.*, *.log and the build output"
			if v.node {
				patterns = "node_modules, " + patterns
			}
			pass.Report(analysis.Finding{
				Severity: sev,
				Range:    locate.Instruction(v.f, s.In),
				Message:  fmt.Sprintf("no .dockerignore: `%s` %s%s", instText(v.f, s.In), what, detail),
				Help:     fmt.Sprintf("create %s listing %s", filepath.ToSlash(filepath.Join(v.b.ContextDir, ".dockerignore")), patterns),
				Fix:      v.createFix(),
			})
			return
		}
	}),
})

// presentJunk lists what exists in the part of the context a source
// copies and should not go into an image.
func (v *facts) presentJunk(s source) []string {
	base := ""
	if s.Broad == "" {
		base = s.Rel + "/"
	}
	var out []string
	for _, name := range []string{"node_modules", ".git", ".env", ".npmrc", "npm-debug.log", "coverage"} {
		if s.Broad == ".*" && !strings.HasPrefix(name, ".") {
			continue
		}
		if v.exists(base + name) {
			out = append(out, base+name)
		}
	}
	return out
}

// copiedSecret names the first file the source copies that holds a
// secret as DI004 decides it (an environment file with a secret value, an
// .npmrc with a token, a private key); "" when none does.
func (v *facts) copiedSecret(s source) string {
	for _, rel := range v.scan().secretCandidates {
		if s.Broad == "" && !strings.HasPrefix(rel, s.Rel+"/") {
			continue
		}
		if v.isSecretFile(rel) {
			return rel
		}
	}
	return ""
}

func isDir(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.IsDir()
}

// createFix creates the context's .dockerignore with the patterns that
// DI002–DI005 would append to an empty one (each with its own safety
// checks), in their order; nil when they would append none.
func (v *facts) createFix() *analysis.Fix {
	path := filepath.Join(v.b.ContextDir, ".dockerignore")
	empty, err := dockerignore.Parse(path, nil)
	if err != nil {
		return nil
	}
	b := *v.b
	b.IgnorePath, b.Ignore, b.IgnoreError = path, empty, nil
	var text strings.Builder
	for _, r := range []*analysis.Rule{NodeModulesNotIgnored, GitNotIgnored, SecretsNotIgnored, NoiseNotIgnored} {
		pass := analysis.NewPass(r, path, func(f analysis.Finding) {
			if f.Fix != nil {
				for _, e := range f.Fix.Edits {
					text.WriteString(e.NewText)
				}
			}
		})
		analysis.Run(r, pass, &b)
	}
	if text.Len() == 0 {
		return nil
	}
	return &analysis.Fix{
		Title: "Create .dockerignore",
		File:  path,
		Edits: []analysis.Edit{{Start: analysis.Pos{Line: 1, Col: 1}, End: analysis.Pos{Line: 1, Col: 1}, NewText: text.String()}},
	}
}
