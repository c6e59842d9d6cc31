package df

import (
	"fmt"
	"path"
	"regexp"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"

	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/facts/command"
	"github.com/seaworthy-dev/seaworthy/facts/locate"
	"github.com/seaworthy-dev/seaworthy/facts/secret"
	"github.com/seaworthy-dev/seaworthy/facts/stage"
	"github.com/seaworthy-dev/seaworthy/source/dockerfile"
)

// TokenWrittenToLayer reports a RUN that writes a registry token to a file.
var TokenWrittenToLayer = register(&analysis.Rule{
	ID:       "DF023",
	Name:     "token-written-to-layer",
	Title:    "registry token written into an image layer",
	Severity: analysis.Error,
	Doc: analysis.Doc{
		Why: "A RUN that writes a registry token into `.npmrc` (or `.yarnrc.yml`) stores the token in the layer it " +
			"creates. Deleting the file in a later RUN hides it from the final filesystem but not from the image: every " +
			"layer is shipped, and `docker save` or any layer inspector extracts it. Tokens passed as build arguments " +
			"are recorded in the image history as well.\n\n" +
			"The rule recognises `echo`/`printf`/heredoc redirections into `.npmrc`, `.yarnrc` and `.yarnrc.yml` " +
			"with `_authToken`, `_auth`, `_password` or `npmAuthToken` (or a secret-looking variable), `tee` into those " +
			"files, `npm config set …_authToken`, and `yarn config set npmAuthToken`. It stays silent when the file " +
			"lies inside a `--mount=type=secret` or `--mount=type=tmpfs` target of that RUN (nothing is written to " +
			"the layer), and when the same RUN removes the file again and the token comes from a secret mount of " +
			"that RUN rather than from a build argument: then neither the layer nor the history keeps it.\n\n" +
			"Confining the write to a build stage that does not reach the final image keeps the token out of the " +
			"shipped image, so there the finding is a warning: the stage's layers still stay in the build cache " +
			"(and in a registry cache exported with `mode=max`).",
		Bad: "FROM node:22-slim\nARG NPM_TOKEN\nWORKDIR /app\nCOPY package*.json ./\n" +
			"RUN echo \"//registry.npmjs.org/:_authToken=${NPM_TOKEN}\" > .npmrc && npm ci --omit=dev\n" +
			"RUN rm .npmrc\nUSER node\nCMD [\"node\", \"server.js\"]\n",
		Good: "# syntax=docker/dockerfile:1\nFROM node:22-slim\nWORKDIR /app\nCOPY package*.json ./\n" +
			"RUN --mount=type=secret,id=npmrc,target=/app/.npmrc npm ci --omit=dev\nUSER node\nCMD [\"node\", \"server.js\"]\n",
		Fix: "Keep the `.npmrc` with the token out of the image and mount it for the install only: " +
			"`RUN --mount=type=secret,id=npmrc,target=/root/.npmrc npm ci`, built with " +
			"`docker build --secret id=npmrc,src=$HOME/.npmrc .`. Or mount the token as an environment variable " +
			"(`--mount=type=secret,id=npm_token,env=NPM_TOKEN`) and keep a committed `.npmrc` that reads " +
			"`//registry.npmjs.org/:_authToken=${NPM_TOKEN}`. Rotate a token that was ever pushed in an image.",
		AppliesTo: "A token in a layer travels with every copy of the image: development and CI images are pushed " +
			"and cached too.",
	},
	Check: analysis.Check(func(pass *analysis.Pass, f *dockerfile.File) {
		for _, st := range f.Stages {
			for _, in := range stage.Runs(st) {
				// The scope is looked up only for a command that writes a token file.
				scope := func() stage.Scope { return stage.Scopes(st)[in] }
				cmds := in.Script.Commands
				for i, c := range cmds {
					w, ok := tokWrite(c, in.Script.Text, scope)
					if !ok || tokInSecretMount(in, w.File) {
						continue
					}
					args := stage.ArgNames(f, st)
					argRefs := ""
					for _, v := range command.VarRefs(w.Content) {
						if args[v] {
							argRefs = v
							break
						}
					}
					fromSecret := tokHasSecretMount(in) && argRefs == "" &&
						(len(command.VarRefs(w.Content)) > 0 || strings.Contains(w.Content, "$(") || strings.Contains(w.Content, "`"))
					if fromSecret && tokRemovedLater(cmds[i+1:], w.File, scope()) {
						continue
					}
					msg := fmt.Sprintf("`%s` writes a registry token into %s: the file stays in this layer even if a later step deletes it", w.Text, w.File)
					if argRefs != "" {
						msg = fmt.Sprintf("`%s` writes a registry token from build argument %s into %s: the layer and the image history keep it", w.Text, argRefs, w.File)
					}
					fd := analysis.Finding{
						Range:   locate.Command(f, c),
						Message: msg,
						Help:    fmt.Sprintf("mount the file as a build secret instead: `RUN --mount=type=secret,id=npmrc,target=%s …`", w.Target()),
					}
					if !stage.Shipped(f, st) {
						fd.Severity = analysis.Warning
						fd.Message += fmt.Sprintf(" (build stage %s is not shipped, but its layers stay in the build cache)", st.Label())
					}
					pass.Report(fd)
				}
			}
		}
	}),
})

// tokWriteOp is one write of a registry token into a file.
type tokWriteOp struct {
	File    string // resolved path of the file written
	Content string // what is written (or the config value)
	Text    string // the command as written, for the message
}

// Target is the path to suggest as a secret mount target.
func (w tokWriteOp) Target() string {
	if strings.HasPrefix(w.File, "$HOME/") {
		return "/root/" + strings.TrimPrefix(w.File, "$HOME/")
	}
	return w.File
}

var (
	tokFiles    = map[string]bool{".npmrc": true, ".yarnrc": true, ".yarnrc.yml": true, "npmrc": true}
	tokMarkers  = regexp.MustCompile(`_authToken|:_auth\b|^_auth\b|[^A-Za-z]_auth\s*=|_password|npmAuthToken|npmAuthIdent|authToken`)
	tokNpmrcVar = regexp.MustCompile(`(?i)\$\{?[A-Za-z0-9_]*(NPMRC|YARNRC)`)
)

// tokContent reports whether written content carries a token: a token
// key, a secret-looking variable, or a whole npmrc from a variable.
func tokContent(s string) bool {
	if tokMarkers.MatchString(s) || tokNpmrcVar.MatchString(s) {
		return true
	}
	for _, v := range command.VarRefs(s) {
		if secret.Name(v) {
			return true
		}
	}
	return false
}

// tokWrite recognises a command that writes a registry token to a file;
// scope gives the RUN's WORKDIR and variables (asked only for a write).
func tokWrite(c *dockerfile.ShellCommand, script string, scope func() stage.Scope) (tokWriteOp, bool) {
	words := command.Words(c)
	name := command.BaseName(words[0])
	// Redirections: echo/printf/cat <<EOF > .npmrc.
	var target, op string
	for _, r := range c.Redirects {
		switch r.Op {
		case ">", ">>", ">|", "&>", "&>>":
			if tokFiles[path.Base(r.Target)] {
				target, op = r.Target, r.Op
			}
		}
	}
	if target != "" {
		content := strings.Join(words[1:], " ")
		for _, r := range c.Redirects {
			if r.Heredoc != "" {
				content += "\n" + r.Heredoc
			}
		}
		// The message shows the command and the file, never the value written.
		if tokContent(content) {
			return tokWriteOp{File: scope().Resolve(target), Content: content, Text: name + " … " + op + " " + target}, true
		}
	}
	switch name {
	case "tee":
		for _, a := range words[1:] {
			if !strings.HasPrefix(a, "-") && tokFiles[path.Base(a)] && tokContent(script) {
				return tokWriteOp{File: scope().Resolve(a), Content: script, Text: "tee " + a}, true
			}
		}
	case "npm", "pnpm", "yarn":
		var pos []string
		var flags []string
		for _, a := range words[1:] {
			if strings.HasPrefix(a, "-") {
				flags = append(flags, a)
			} else {
				pos = append(pos, a)
			}
		}
		verb := "set"
		if len(pos) > 0 && pos[0] == "config" {
			pos = pos[1:]
			verb = "config set"
		} else if name == "yarn" {
			return tokWriteOp{}, false
		}
		if len(pos) < 2 || pos[0] != "set" || !tokMarkers.MatchString(pos[1]) {
			return tokWriteOp{}, false
		}
		key, _, _ := strings.Cut(pos[1], "=")
		return tokWriteOp{
			File:    tokConfigFile(name, flags, c, scope()),
			Content: strings.Join(pos[1:], " "),
			Text:    name + " " + verb + " " + key + " …",
		}, true
	}
	return tokWriteOp{}, false
}

// tokConfigFile is the file `npm config set` (or pnpm/yarn) writes to.
func tokConfigFile(tool string, flags []string, c *dockerfile.ShellCommand, scope stage.Scope) string {
	for _, fl := range flags {
		if v, ok := strings.CutPrefix(fl, "--userconfig="); ok {
			return scope.Resolve(v)
		}
	}
	for i, w := range c.Args {
		if w == "--userconfig" && i+1 < len(c.Args) {
			return scope.Resolve(c.Args[i+1])
		}
	}
	for _, a := range c.Assigns {
		if v, ok := strings.CutPrefix(a, "NPM_CONFIG_USERCONFIG="); ok {
			return scope.Resolve(v)
		}
	}
	for _, fl := range flags {
		switch fl {
		case "--location=project":
			return scope.Resolve(".npmrc")
		case "-g", "--global", "--location=global":
			return "/usr/local/etc/npmrc"
		}
	}
	if tool == "yarn" {
		for _, fl := range flags {
			if fl == "-H" || fl == "--home" {
				return "$HOME/.yarnrc.yml"
			}
		}
		return scope.Resolve(".yarnrc.yml")
	}
	return "$HOME/.npmrc"
}

// tokInSecretMount reports whether file lies inside a secret or tmpfs mount
// of the RUN: writes there do not reach the layer.
func tokInSecretMount(in *dockerfile.Instruction, file string) bool {
	for _, m := range in.Mounts {
		if m.Type != instructions.MountTypeSecret && m.Type != instructions.MountTypeTmpfs {
			continue
		}
		t := m.Target
		if t == "" && m.Type == instructions.MountTypeSecret {
			t = "/run/secrets/" + m.CacheID
		}
		if t == "" {
			continue
		}
		t = stage.Resolve(t, "/")
		if stage.Under(file, t) || stage.Under(stage.Home(file), stage.Home(t)) {
			return true
		}
	}
	return false
}

func tokHasSecretMount(in *dockerfile.Instruction) bool {
	for _, m := range in.Mounts {
		if m.Type == instructions.MountTypeSecret {
			return true
		}
	}
	return false
}

// tokRemovedLater reports whether one of the commands removes file.
func tokRemovedLater(cmds []*dockerfile.ShellCommand, file string, scope stage.Scope) bool {
	for _, c := range cmds {
		words := command.Words(c)
		if command.BaseName(words[0]) != "rm" {
			continue
		}
		for _, a := range words[1:] {
			if strings.HasPrefix(a, "-") {
				continue
			}
			p := scope.Resolve(a)
			if stage.Under(file, p) || stage.Under(stage.Home(file), stage.Home(p)) {
				return true
			}
		}
	}
	return false
}
