package df

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/facts/command"
	"github.com/seaworthy-dev/seaworthy/facts/install"
	"github.com/seaworthy-dev/seaworthy/facts/locate"
	"github.com/seaworthy-dev/seaworthy/facts/stage"
	"github.com/seaworthy-dev/seaworthy/source/dockerfile"
)

// DeprecatedNpmFlag reports npm's old spellings of "omit devDependencies".
var DeprecatedNpmFlag = register(&analysis.Rule{
	ID:       "DF009",
	Name:     "deprecated-npm-flag",
	Title:    "npm command uses a deprecated production flag",
	Severity: analysis.Info,
	Fixable:  true,
	Doc: analysis.Doc{
		Why: "Since npm 7 (shipped with Node 15 and later), `--only=production`, `--only=prod` and " +
			"`--production` are deprecated spellings of `--omit=dev`: npm prints a warning on every " +
			"build and may drop them in a future major. `--omit=dev` says the same thing in the form " +
			"npm documents. Yarn 1's `--production` is a different tool's flag and is not reported; " +
			"nor are stages whose base is a Node release older than 15 (npm 6 has no `--omit`).",
		Bad:  "FROM node:22-slim\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci --only=production\nUSER node\n",
		Good: "FROM node:22-slim\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci --omit=dev\nUSER node\n",
		Fix: "Replace the flag with `--omit=dev` (`npm ci --omit=dev`, `npm prune --omit=dev`). " +
			"`seaworthy fix` does it when the flag appears once on its line.",
		AppliesTo: "The deprecated flags behave the same, or not at all, whatever the image is for.",
	},
	Check: analysis.Check(func(pass *analysis.Pass, f *dockerfile.File) {
		for _, st := range f.Stages {
			tooOld, decided := false, false
			for _, rc := range stage.RunCommands(st) {
				c := rc.Cmd
				sub, ok := npmSubcommand(c)
				if !ok {
					continue
				}
				switch sub {
				case "ci", "clean-install", "install-clean", "ic", "install", "i", "in", "add", "prune", "update", "up", "dedupe", "ddp":
				default:
					continue
				}
				for i, a := range c.Args {
					flag := ""
					switch a {
					case "--only=production", "--only=prod", "--production", "--production=true":
						flag = a
					case "--only":
						if i+1 < len(c.Args) && (c.Args[i+1] == "production" || c.Args[i+1] == "prod") {
							flag = a + " " + c.Args[i+1]
						}
					}
					if flag == "" {
						continue
					}
					if !decided {
						tooOld, decided = npmTooOldForOmit(st), true
					}
					if tooOld {
						continue
					}
					fd := analysis.Finding{
						Range: locate.Command(f, c),
						Message: fmt.Sprintf("`%s` is deprecated since npm 7 (in `npm %s`): use `--omit=dev`",
							flag, sub),
						Help: "replace `" + flag + "` with `--omit=dev`",
					}
					if !strings.Contains(flag, " ") {
						fd.Fix = npmFlagFix(f, rc.In, c, flag)
					}
					pass.Report(fd)
				}
			}
		}
	}),
})

// npmSubcommand returns the npm subcommand of c (`npm ci` → ci), also under
// `corepack npm`, `npx npm` and `sudo npm`.
func npmSubcommand(c *dockerfile.ShellCommand) (string, bool) {
	words := install.ManagerWords(c)
	if command.BaseName(words[0]) != "npm" {
		return "", false
	}
	for _, w := range words[1:] {
		if !strings.HasPrefix(w, "-") {
			return w, true
		}
	}
	return "", false
}

// npmTooOldForOmit: the stage's base is a Node release before 15 (npm 6,
// which has no --omit), or the stage chain installs such a Node (a
// `node-v14.…` tarball, NodeSource `setup_14.x`) or npm 6 or older.
func npmTooOldForOmit(st *dockerfile.Stage) bool {
	if facts, ok := stage.Base(st); ok && facts.NodeMajor > 0 && facts.NodeMajor < 15 {
		return true
	}
	for _, in := range st.ChainInstructions() {
		if in.Keyword != "RUN" || in.Script == nil {
			continue
		}
		t := in.Script.Text
		if !strings.Contains(t, "node-v") && !strings.Contains(t, "setup_") && !strings.Contains(t, "npm@") {
			continue
		}
		for _, m := range oldNodeOrNpm.FindAllStringSubmatch(t, -1) {
			major := m[1] + m[2] + m[3]
			limit := 15 // Node majors
			if m[3] != "" {
				limit = 7 // npm majors
			}
			if n, err := strconv.Atoi(major); err == nil && n < limit {
				return true
			}
		}
	}
	return false
}

var oldNodeOrNpm = regexp.MustCompile(`node-v(\d+)\.|setup_(\d+)\.x|\bnpm@\$?(\d+)\b`)

// npmFlagFix replaces the flag with --omit=dev when it is written exactly
// once on its line, as its own word.
func npmFlagFix(f *dockerfile.File, in *dockerfile.Instruction, c *dockerfile.ShellCommand, flag string) *analysis.Fix {
	var hit *commandToken
	for _, t := range commandTokens(f, in, c) {
		if t.Text != flag {
			continue
		}
		if hit != nil {
			return nil
		}
		t := t
		hit = &t
	}
	if hit == nil || strings.Count(f.Line(hit.Line), flag) != 1 {
		return nil
	}
	return &analysis.Fix{
		Title: fmt.Sprintf("Replace `%s` with `--omit=dev`", flag),
		Edits: []analysis.Edit{wordEdit(*hit, "--omit=dev")},
	}
}
