package di

import (
	"bytes"
	"fmt"
	"io"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/facts/secret"
	"github.com/seaworthy-dev/seaworthy/source/project"
	"github.com/seaworthy-dev/seaworthy/source/regular"
)

// SecretsNotIgnored reports a whole-context COPY that would bring
// environment files, registry tokens or private keys into the image.
var SecretsNotIgnored = register(&analysis.Rule{
	ID:       "DI004",
	Name:     "secrets-not-ignored",
	Title:    "secret files are not excluded from a whole-context COPY",
	Severity: analysis.Error,
	Fixable:  true,
	Doc: analysis.Doc{
		Why: "`COPY . .` copies every file the `.dockerignore` does not exclude, and a file in a layer can be read " +
			"by anyone who pulls the image, even if a later step deletes it. Local environment files " +
			"(`.env`, `.env.local`, `.env.production`), an `.npmrc` holding a registry token, private keys " +
			"(`*.pem`) and SSH keys (`id_rsa`) are the usual way credentials end up in published images.\n\n" +
			"The rule fires when a whole-context COPY/ADD (without `--from`, in any stage) would bring any of " +
			"`.env`, `.env.*`, `.npmrc`, `*.pem` or `id_rsa*` at the context root. It is an error when such a " +
			"file exists in the context (at any depth) and is not excluded: an `.env` that is not a template " +
			"(`.env.example`, `.env.sample`, `.env.template` are fine) and holds a secret value (a secret-looking " +
			"name with a real value, or a credential such as a URL with a password; `.env.test` with only " +
			"public settings does not count), an `.npmrc` with an auth token, a " +
			"`.pem` holding a private key, an `id_rsa` that is not `.pub`. Otherwise it is a warning: nothing " +
			"leaks today, but the first developer who creates a `.env` will ship it. A file named by a `!` " +
			"exception (`!.env.production` in an allow-list) is sent on purpose and not reported. Files the " +
			"Dockerfile copies by name are DF024's business, and without a `.dockerignore` DI001 reports instead.",
		Bad:         "# .dockerignore (the Dockerfile runs `COPY . .`)\nnode_modules\n.git\n",
		Good:        "node_modules\n.git\n.env\n.env.*\n!.env.example\n.npmrc\n*.pem\nid_rsa*\n",
		ExampleFile: ".dockerignore",
		Fix: "Add the patterns to the `.dockerignore` (`.env`, `.env.*` with `!.env.example` if the template " +
			"should stay, `.npmrc`, `*.pem`, `id_rsa*`; `**/.env` for nested packages). Inject runtime " +
			"configuration when the container starts, and give build-time tokens to the build with " +
			"`RUN --mount=type=secret`. Rotate any credential that was already pushed in an image.\n\n" +
			"`seaworthy fix` appends only patterns that exclude no file present in the context today: a " +
			"present `.env` or `.npmrc` may be read by the build or the app, so moving it out is left to you.",
		AppliesTo: "Secret files copied into a layer travel with every copy of the image: development and CI images " +
			"are pushed and cached too.",
	},
	Check: analysis.Check(func(pass *analysis.Pass, b *project.Build) {
		v := factsFor(b)
		if v == nil || v.b.Ignore == nil || len(v.whole) == 0 {
			return
		}
		var probes []target
		for _, c := range secretClasses {
			probes = append(probes, c.targets...)
		}
		miss, cp := v.missing(probes)
		sc := v.scan()
		var present []string
		for _, rel := range sc.secretCandidates {
			s := v.wholeCopy(rel)
			if s == nil || v.excluded(rel) || v.reincluded(rel, rel) || v.named(strings.SplitN(rel, "/", 2)[0]) || !v.isSecretFile(rel) {
				continue
			}
			present = append(present, rel)
			if cp == nil || s.In.StartLine < cp.In.StartLine {
				cp = s
			}
		}
		if len(miss) == 0 && len(present) == 0 {
			return
		}
		sort.Strings(present)
		var labels []string
		for _, t := range miss {
			if !contains(labels, t.label) {
				labels = append(labels, t.label)
			}
		}
		fd := analysis.Finding{File: v.b.IgnorePath, Range: anchor(v.b.Ignore), Fix: v.secretsFix(miss, sc)}
		if len(present) > 0 {
			fd.Message = fmt.Sprintf("%s %s in the build context and .dockerignore does not exclude %s: %s puts %s in an image layer",
				list(present, 3), isAre(len(present)), itThem(len(present)), v.dockerfileRef(cp.In), itThem(len(present)))
			if len(labels) > 0 {
				fd.Message += fmt.Sprintf("; it does not exclude %s either", list(labels, 5))
			}
			fd.Help = "exclude them in .dockerignore and inject configuration at run time or through `RUN --mount=type=secret`"
		} else {
			fd.Severity = analysis.Warning
			fd.Message = fmt.Sprintf(".dockerignore does not exclude %s: %s would put them in the image as soon as one exists",
				list(labels, 5), v.dockerfileRef(cp.In))
			fd.Help = "add the missing patterns to .dockerignore"
		}
		pass.Report(fd)
	}),
})

// secretClass is one kind of secret file.
type secretClass struct {
	// targets are the representative root paths with their patterns.
	targets []target
	// match recognises the class by file name (secret or not).
	match func(base string) bool
}

var secretClasses = []secretClass{
	{
		targets: []target{
			{label: "`.env`", probe: ".env", pattern: ".env"},
			{label: "`.env.*`", probe: ".env.local", pattern: ".env.*"},
			{label: "`.env.*`", probe: ".env.production", pattern: ".env.*"},
		},
		match: func(b string) bool { return b == ".env" || strings.HasPrefix(b, ".env.") },
	},
	{
		targets: []target{{label: "`.npmrc`", probe: ".npmrc", pattern: ".npmrc"}},
		match:   func(b string) bool { return b == ".npmrc" },
	},
	{
		targets: []target{{label: "`*.pem` keys", probe: "server.pem", pattern: "*.pem"}},
		match:   func(b string) bool { return strings.HasSuffix(b, ".pem") },
	},
	{
		targets: []target{{label: "`id_rsa*` SSH keys", probe: "id_rsa", pattern: "id_rsa*"}},
		match:   func(b string) bool { return strings.HasPrefix(b, "id_rsa") },
	},
}

// secretClassOf returns the class a file name belongs to (nil if none).
func secretClassOf(base string) *secretClass {
	for i := range secretClasses {
		if secretClasses[i].match(base) {
			return &secretClasses[i]
		}
	}
	return nil
}

// isSecretFile decides whether an existing candidate holds a secret: an
// .env that is not a template and holds a secret value (or cannot be
// parsed), an .npmrc with credentials, a .pem with a
// private key, an id_rsa key that is not the public half.
func (v *facts) isSecretFile(rel string) bool {
	base := path.Base(rel)
	switch {
	case base == ".env" || strings.HasPrefix(base, ".env."):
		if !secret.EnvFileName(base) {
			return false
		}
		names, ok := secret.EnvFileSecrets(v.head(rel))
		return !ok || len(names) > 0
	case base == ".npmrc":
		b := v.head(rel)
		return bytes.Contains(b, []byte("_authToken")) || bytes.Contains(b, []byte("_auth=")) ||
			bytes.Contains(b, []byte("_auth =")) || bytes.Contains(b, []byte("_password"))
	case strings.HasSuffix(base, ".pem"):
		return bytes.Contains(v.head(rel), []byte("PRIVATE KEY"))
	case strings.HasPrefix(base, "id_rsa"):
		return !strings.HasSuffix(base, ".pub")
	}
	return false
}

// head reads the first 64 KiB of a context file.
func (v *facts) head(rel string) []byte {
	fh, err := regular.Open(filepath.Join(v.b.ContextDir, filepath.FromSlash(rel)))
	if err != nil {
		return nil
	}
	defer fh.Close()
	b, _ := io.ReadAll(io.LimitReader(fh, 64<<10))
	return b
}

// secretsFix appends the patterns of the missing targets, class by class,
// leaving out a class whose patterns would exclude a file present in the
// context today (it may be needed); present env templates are re-included
// with `!name` so they stay as they are.
func (v *facts) secretsFix(miss []target, sc *contextScan) *analysis.Fix {
	var patterns []string
	for i := range secretClasses {
		c := &secretClasses[i]
		var mine []string
		for _, t := range miss {
			if secretClassOf(path.Base(t.probe)) == c && !contains(mine, t.pattern) {
				mine = append(mine, t.pattern)
			}
		}
		if len(mine) == 0 {
			continue
		}
		sim := simulate(v.b.Ignore, append(append([]string(nil), patterns...), mine...))
		if sim == nil {
			continue
		}
		ok := true
		var reinclude []string
		for _, rel := range sc.secretCandidates {
			if secretClassOf(path.Base(rel)) != c || v.excluded(rel) {
				continue
			}
			if ex, _ := sim.Match(rel); !ex {
				continue
			}
			if base := path.Base(rel); strings.HasPrefix(base, ".env.") && !secret.EnvFileName(base) {
				reinclude = append(reinclude, "!"+rel)
				continue
			}
			ok = false
		}
		if ok {
			patterns = append(append(patterns, mine...), reinclude...)
		}
	}
	return v.fixAppending(patterns)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func itThem(n int) string {
	if n == 1 {
		return "it"
	}
	return "them"
}
