package buildctx

import (
	"fmt"
	"path"
	"slices"
	"strings"

	"github.com/seaworthy-dev/seaworthy/facts/stage"
	"github.com/seaworthy-dev/seaworthy/source/dockerfile"
)

// Candidate is a workspace package a Dockerfile may build.
type Candidate struct {
	// Rel is its directory relative to the build context, slash-separated.
	Rel string
	// Name is its package.json name.
	Name string
}

// Choice is the package a Dockerfile builds.
type Choice struct {
	// Index is the chosen candidate's index.
	Index int
	// Why names the strongest evidence, with its Dockerfile line.
	Why string
}

// The evidence that a Dockerfile builds a package, by weight. A
// candidate's score is the sum of its strongest evidence of each kind
// (weights are distinct: a weight is a kind).
const (
	weightRuns     = 12 // the final stage's WORKDIR or command is in the package
	weightHome     = 10 // the Dockerfile is in the package's directory
	weightSelects  = 8  // a command selects it: `-w`, `--filter`, `turbo prune`, …
	weightCopies   = 6  // COPY of the package's files (more than its package.json)
	weightBuilt    = 4  // COPY --from of a path inside the package (its build output)
	weightDeploys  = 3  // a command selecting it alone deploys it: `pnpm --filter X deploy DIR`
	weightManifest = 2  // COPY of the package's package.json only
)

type evidence struct {
	weight int
	why    string
}

// Package tells which of the workspace packages the Dockerfile builds:
// the one whose directory the final stage works in or runs a file from
// (`WORKDIR /app/apps/server`, `CMD ["node", "apps/web/server.js"]`),
// that holds the Dockerfile, that a command selects (`npm run build -w
// server`, `pnpm --filter server`, `turbo prune server`, `yarn workspace
// server`, `nx build server`, `lerna --scope server`), or whose files it
// copies; of two it selects, the one it deploys (`pnpm --filter server
// deploy /prod/server` after `pnpm --filter lib build`). dockerfileRel is
// the Dockerfile's path relative to the context ("" when outside it). ok
// is false when no candidate has the highest score alone.
func Package(f *dockerfile.File, dockerfileRel string, cands []Candidate) (Choice, bool) {
	return PackageNamed(f, dockerfileRel, cands, nil)
}

// PackageNamed is Package for a build with named contexts: named maps a
// named context's name (lower-cased) to its directory relative to the
// context, slash-separated. A COPY from a named context that is a
// package's directory (`COPY --from=api ./src …` with
// api=./packages/api) copies that package's files.
func PackageNamed(f *dockerfile.File, dockerfileRel string, cands []Candidate, named map[string]string) (Choice, bool) {
	if f == nil || len(cands) == 0 {
		return Choice{}, false
	}
	ev := make([]map[int]evidence, len(cands)) // by weight: the first of each kind
	note := func(i, weight int, why string) {
		if ev[i] == nil {
			ev[i] = map[int]evidence{}
		}
		if _, ok := ev[i][weight]; !ok {
			ev[i][weight] = evidence{weight, why}
		}
	}
	at := func(in *dockerfile.Instruction) string {
		if in == nil {
			return f.Path
		}
		return fmt.Sprintf("%s:%d", f.Path, in.StartLine)
	}
	// Where the final stages work and what they run.
	for _, st := range f.FinalStages() {
		if wd := stage.Workdir(st); wd != "" {
			for i, c := range cands {
				if inImagePath(wd, c.Rel) {
					in := stage.LastInChain(st, "WORKDIR")
					note(i, weightRuns, fmt.Sprintf("WORKDIR %s (%s)", wd, at(in)))
				}
			}
		}
		if p, ok := stage.ProcessOf(f, st); ok {
			dir := stage.Workdir(st)
			for _, w := range p.Argv {
				if !strings.Contains(w.Text, "/") || strings.HasPrefix(w.Text, "-") {
					continue
				}
				abs := w.Text
				if !strings.HasPrefix(abs, "/") && dir != "" {
					abs = path.Join(dir, abs)
				}
				for i, c := range cands {
					if inImagePath(abs, c.Rel) && w.In != nil {
						note(i, weightRuns, fmt.Sprintf("runs %s (%s)", w.Text, at(w.In)))
					}
				}
			}
		}
	}
	// The Dockerfile's own directory.
	for i, c := range cands {
		if dockerfileRel != "" && strings.HasPrefix(dockerfileRel, c.Rel+"/") {
			note(i, weightHome, fmt.Sprintf("the Dockerfile is in %s", c.Rel))
		}
	}
	// Commands that select a package.
	for _, st := range f.Stages {
		for _, rc := range stage.RunCommands(st) {
			sels := selections(rc.Cmd)
			for _, sel := range sels {
				for i, c := range cands {
					if selects(sel, c) {
						why := fmt.Sprintf("%s (%s)", strings.Join(rc.Cmd.Words(), " "), at(rc.In))
						note(i, weightSelects, why)
						if len(sels) == 1 && deploys(rc.Cmd, sels) {
							// The deploy says best why it is the package.
							ev[i][weightSelects] = evidence{weightSelects, why}
							note(i, weightDeploys, why)
						}
					}
				}
			}
		}
	}
	// What it copies.
	for _, st := range f.Stages {
		for _, in := range st.Instructions {
			c, ok := stage.CopyOf(in)
			if !ok {
				continue
			}
			from, inNamed := "", false
			if c.From != "" && f.StageByName(c.From) == nil {
				from, inNamed = named[strings.ToLower(c.From)]
			}
			for _, src := range c.Sources {
				p := path.Clean(strings.TrimPrefix(src, "./"))
				if inNamed {
					// A path of the named context: the same path below
					// its directory in the context.
					p = path.Join(from, strings.TrimPrefix(p, "/"))
				}
				for i, cand := range cands {
					switch {
					case c.From != "" && !inNamed:
						if inImagePath(p, cand.Rel) {
							note(i, weightBuilt, fmt.Sprintf("COPY --from=%s %s (%s)", c.From, src, at(in)))
						}
					case strings.ContainsAny(p, "*?["):
					case p == cand.Rel+"/package.json":
						note(i, weightManifest, fmt.Sprintf("COPY %s%s (%s)", fromFlag(c.From, inNamed), src, at(in)))
					case p == cand.Rel || strings.HasPrefix(p, cand.Rel+"/"):
						note(i, weightCopies, fmt.Sprintf("COPY %s%s (%s)", fromFlag(c.From, inNamed), src, at(in)))
					}
				}
			}
		}
	}
	best, bestScore, tie := -1, 0, false
	for i := range cands {
		score := 0
		for w := range ev[i] {
			score += w
		}
		switch {
		case score > bestScore:
			best, bestScore, tie = i, score, false
		case score == bestScore && score > 0:
			tie = true
		}
	}
	if best < 0 || tie {
		return Choice{}, false
	}
	strongest := evidence{}
	for _, e := range ev[best] {
		if e.weight > strongest.weight {
			strongest = e
		}
	}
	return Choice{Index: best, Why: strongest.why}, true
}

// fromFlag is "--from=NAME " for a COPY from a named context, else "".
func fromFlag(from string, named bool) string {
	if !named {
		return ""
	}
	return "--from=" + from + " "
}

// inImagePath reports whether an absolute image path lies in the package
// directory rel, copied below some directory: /app/apps/server or
// /app/apps/server/dist/main.js for apps/server (but not /apps/server,
// nor /app for a package at app).
func inImagePath(p, rel string) bool {
	if !strings.HasPrefix(p, "/") {
		return false
	}
	for i := 1; i < len(p); i++ {
		if p[i] != '/' {
			continue
		}
		rest := p[i+1:]
		if rest == rel || strings.HasPrefix(rest, rel+"/") {
			return true
		}
	}
	return false
}

// selections are the package selectors of a command: `npm -w X`
// (--workspace), `pnpm --filter X` (-F), `yarn workspace X`, `yarn
// workspaces focus X`, `turbo prune X` (--scope), `turbo run --filter X`,
// `nx build X`, `nx run X:build`, `lerna --scope X`, `--prefix X` and
// `pnpm -C X`.
func selections(c *dockerfile.ShellCommand) []string {
	words := c.Words()
	var out []string
	for i := 0; i < len(words); i++ {
		w := words[i]
		name, val, hasVal := strings.Cut(w, "=")
		switch name {
		case "-w", "--workspace", "--filter", "-F", "--scope", "--prefix", "-C", "--dir", "-p", "--projects":
			if name == "-C" && c.Base() != "pnpm" || (name == "-p" || name == "--projects") && c.Base() != "nx" && c.Base() != "npx" {
				continue
			}
			if hasVal {
				out = append(out, val)
			} else if i+1 < len(words) {
				out = append(out, words[i+1])
				i++
			}
		}
	}
	pos := c.Positional()
	switch base := c.Base(); {
	case base == "yarn" && len(pos) >= 2 && pos[0] == "workspace":
		out = append(out, pos[1])
	case base == "yarn" && len(pos) >= 3 && pos[0] == "workspaces" && pos[1] == "focus":
		out = append(out, pos[2:]...)
	case base == "turbo" && len(pos) >= 2 && pos[0] == "prune":
		out = append(out, pos[1:]...)
	case base == "nx" || (base == "npx" && len(pos) > 0 && pos[0] == "nx"):
		if base == "npx" {
			pos = pos[1:]
		}
		if len(pos) >= 2 && pos[0] != "run-many" && pos[0] != "affected" {
			if pos[0] == "run" {
				project, _, _ := strings.Cut(pos[1], ":")
				out = append(out, project)
			} else {
				out = append(out, pos[1])
			}
		}
	}
	return out
}

// deploys reports whether a command is `pnpm deploy`: it writes the
// selected package alone, with its production dependencies, to a folder
// for the image to ship (a workspace library built before it is not what
// the image runs). sels are its selectors, which are not its subcommand
// (`pnpm --filter web deploy`); `pnpm run deploy` runs a script. `yarn
// workspaces focus X --production` deploys too: it installs the one
// package's production dependencies, what the image runs (without
// --production it installs what a build needs).
func deploys(c *dockerfile.ShellCommand, sels []string) bool {
	if pos := c.Positional(); c.Base() == "yarn" && len(pos) >= 2 && pos[0] == "workspaces" && pos[1] == "focus" {
		return c.HasArg("--production")
	}
	if c.Base() != "pnpm" {
		return false
	}
	for _, p := range c.Positional() {
		if !slices.Contains(sels, p) {
			return p == "deploy"
		}
	}
	return false
}

// selects reports whether a selector names the candidate: by package name
// (pnpm and turbo filters may add `...` and `^...` around it, or wrap a
// path in `{}`), by path, or by the name without its scope.
func selects(sel string, c Candidate) bool {
	sel = strings.Trim(sel, `"'`)
	sel = strings.TrimPrefix(strings.TrimSuffix(sel, "..."), "...")
	sel = strings.TrimSuffix(strings.TrimPrefix(sel, "^"), "^")
	sel = strings.TrimSuffix(strings.TrimPrefix(sel, "{"), "}")
	sel = strings.TrimSuffix(strings.TrimPrefix(sel, "./"), "/")
	if sel == "" {
		return false
	}
	if sel == c.Name || sel == c.Rel {
		return true
	}
	_, unscoped, scoped := strings.Cut(c.Name, "/")
	return scoped && strings.HasPrefix(c.Name, "@") && sel == unscoped
}
