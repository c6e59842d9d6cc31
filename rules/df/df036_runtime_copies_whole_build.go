package df

import (
	"fmt"
	"path"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"

	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/facts/command"
	"github.com/seaworthy-dev/seaworthy/facts/install"
	"github.com/seaworthy-dev/seaworthy/facts/locate"
	"github.com/seaworthy-dev/seaworthy/facts/stage"
	"github.com/seaworthy-dev/seaworthy/source/dockerfile"
)

// RuntimeCopiesWholeBuild reports a final stage that copies a build
// stage's whole working directory.
var RuntimeCopiesWholeBuild = register(&analysis.Rule{
	ID:       "DF036",
	Name:     "runtime-copies-whole-build",
	Title:    "runtime stage copies the whole build directory",
	Severity: analysis.Warning,
	Purposes: analysis.Deployed,
	Doc: analysis.Doc{
		Why: "A multi-stage build exists to leave the build behind: sources, devDependencies, compilers " +
			"output caches and test files stay in the build stage and only what the app needs at run time " +
			"reaches the runtime image. `COPY --from=build /app /app` undoes that: the runtime image gets the " +
			"whole build directory, with its sources, its `node_modules` including devDependencies and any " +
			"caches. The image is larger, slower to pull and start, and ships more code with known " +
			"vulnerabilities than it runs.",
		Bad: "FROM node:22 AS build\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci\nCOPY . .\nRUN npm run build\n\n" +
			"FROM node:22-slim\nWORKDIR /app\nCOPY --from=build /app /app\nUSER node\nCMD [\"node\", \"dist/server.js\"]\n",
		Good: "FROM node:22 AS build\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci\nCOPY . .\nRUN npm run build\n" +
			"RUN npm prune --omit=dev\n\n" +
			"FROM node:22-slim\nWORKDIR /app\nCOPY --from=build /app/package.json ./\nCOPY --from=build /app/node_modules ./node_modules\n" +
			"COPY --from=build /app/dist ./dist\nUSER node\nCMD [\"node\", \"dist/server.js\"]\n",
		Fix: "Copy only the outputs the app needs: the build output (`/app/dist`, `/app/.next/standalone`), " +
			"`package.json`, and production `node_modules` (from a stage that ran `npm ci --omit=dev`, or " +
			"after `npm prune --omit=dev`).",
		AppliesTo: "It is about what ships in the runtime image; development and test images carry the whole build " +
			"on purpose.",
	},
	Check: analysis.Check(func(pass *analysis.Pass, f *dockerfile.File) {
		seen := map[*dockerfile.Instruction]bool{}
		for _, st := range f.FinalStages() {
			for _, s := range st.Ancestors() {
				for _, in := range s.Instructions {
					c, ok := in.Command.(*instructions.CopyCommand)
					if !ok || c.From == "" || seen[in] {
						continue
					}
					src := f.StageByName(c.From)
					if src == nil || src.Index >= s.Index {
						continue // an external image, or not a stage before this one
					}
					wd := stage.Workdir(src)
					for _, p := range c.SourcePaths {
						if !cmdWholeDir(p, wd) {
							continue
						}
						dir := wd
						if cl := path.Clean(p); cl == "." || cl == "/" {
							dir = ""
						}
						what := cmdBuildContents(f, src, dir)
						if what == "" {
							continue
						}
						seen[in] = true
						pass.Report(analysis.Finding{
							Range: locate.Instruction(f, in),
							Message: fmt.Sprintf("the runtime image copies `%s`, the whole %s of stage %s, bringing %s",
								p, cmdDirKind(p, wd), src.Label(), what),
							Help: "copy only what the app runs: the build output (e.g. `dist`), `package.json` and production `node_modules`",
						})
						break
					}
				}
			}
		}
	}),
})

// cmdWholeDir: the source is the stage's root or its working directory.
func cmdWholeDir(src, workdir string) bool {
	if strings.ContainsAny(src, "$*?[") {
		return false
	}
	p := path.Clean(src)
	if p == "." || p == "/" {
		return true
	}
	return workdir != "" && workdir != "/" && path.Clean("/"+p) == workdir
}

func cmdDirKind(src, workdir string) string {
	p := path.Clean(src)
	if p == "." || p == "/" || workdir == "" {
		return "filesystem"
	}
	return "working directory"
}

// cmdBuildContents describes what a stage's directory dir holds beyond
// runtime needs: the sources next to the output of a build step,
// devDependencies. Only RUNs working in dir (or below it) count; dir ""
// is the whole filesystem; scripts from the build context that a RUN
// calls count as part of it. "" for a directory with production
// dependencies only (next to plain JavaScript sources, which then are the
// app).
func cmdBuildContents(f *dockerfile.File, st *dockerfile.Stage, dir string) string {
	built, dev := false, false
	for _, s := range cmdReverse(st.Ancestors()) {
		wd := "/"
		if s.Base.Stage != nil {
			wd = cmdOr(stage.Workdir(s.Base.Stage), "/")
		}
		for _, in := range s.Instructions {
			if w, ok := in.Command.(*instructions.WorkdirCommand); ok {
				if strings.HasPrefix(w.Path, "/") {
					wd = path.Clean(w.Path)
				} else {
					wd = path.Join(wd, w.Path)
				}
				continue
			}
			if in.Keyword != "RUN" || in.Script == nil {
				continue
			}
			if dir != "" && wd != dir && !strings.HasPrefix(wd, dir+"/") {
				continue
			}
			for _, c := range in.Script.Commands {
				if i, ok := install.Classify(c); ok && i.ProjectInstall() {
					dev = !i.OmitDev && !stage.ProdEnvFor(s, []stage.RunCmd{{In: in, Cmd: c}}, 0)
					continue
				}
				// A script from the build context the command runs
				// (`RUN ./scripts/build.sh`) builds or cleans up too.
				for _, x := range append([]*dockerfile.ShellCommand{c}, stage.CalledScript(f, in, c)...) {
					if install.IsBuildStep(x) {
						built = true
					}
					if cmdRemovesPath(x, "src") {
						built = false
					}
				}
				if stage.RemovesDevDependencies(f, in, c) || cmdRemovesPath(c, "node_modules") {
					dev = false
				}
			}
		}
	}
	var what []string
	if built {
		what = append(what, "the sources next to the build output")
	}
	if dev {
		what = append(what, "devDependencies in node_modules")
	}
	return strings.Join(what, " and ")
}

func cmdOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// cmdRemovesPath: `rm` of a path whose last element is name, also as the
// command of a wrapper (`pnpm recursive exec -- rm -rf ./src`).
func cmdRemovesPath(c *dockerfile.ShellCommand, name string) bool {
	words := c.Words()
	for i, w := range words {
		if command.BaseName(w) != "rm" {
			continue
		}
		for _, a := range words[i+1:] {
			if !strings.HasPrefix(a, "-") && path.Base(path.Clean(a)) == name {
				return true
			}
		}
	}
	return false
}

func cmdReverse(s []*dockerfile.Stage) []*dockerfile.Stage {
	out := make([]*dockerfile.Stage, len(s))
	for i, x := range s {
		out[len(s)-1-i] = x
	}
	return out
}
