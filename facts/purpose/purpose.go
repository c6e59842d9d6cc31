// Package purpose tells what a Dockerfile or compose file is for:
// production, development, test or example (analysis.Purpose). The checker
// runs on each file only the rules that apply to its purpose; rules that
// look at final stages skip the stages named for development (DevStage,
// Deployed).
//
// A file's purpose comes from, in this order (the first that says
// anything decides):
//
//  1. its header: a leading comment that says "DO NOT USE IN PRODUCTION",
//     "for development only", "for testing only", or whose first
//     sentence calls the file a development or test one ("# Dev container
//     Dockerfile", "# The services required to develop and test X
//     locally");
//  2. its name: Dockerfile.dev, dev.Dockerfile, Dockerfile-local,
//     docker-compose.test.yml, compose.e2e.yaml, Dockerfile.ci; a name
//     that says prod, production, release or deploy is production;
//  3. its folders, the innermost first: .devcontainer/, .cursor/, dev/,
//     local/ (development); test/, tests/, e2e/, integration/,
//     benchmarks/, fixtures/, cypress/, .github/ (test); production/,
//     prod/, deploy/, release/, hosting/ stop the search: production;
//  4. what it runs: a Dockerfile whose final stages are all named for
//     development, or whose command idles (`tail -f /dev/null`, `sleep
//     infinity`), runs tests (jest, `npm test`, `playwright test`) or
//     serves files with `python -m http.server` (not for production, its
//     documentation says), or
//     whose start script (a heredoc, or read from the build context)
//     installs the dependencies or runs `prisma migrate dev` before a
//     development runner; a compose file with a service that idles, runs tests, runs a
//     development runner (nodemon, `next dev`, `npm run dev`), builds a
//     development target, runs a mail catcher (maildev, mailpit,
//     inbucket), bind-mounts the source tree (`.:/app`, `./src:/app/src`),
//     or is named or built from an image for tests (e2e, cypress,
//     playwright, sut). A Dockerfile that runs a development
//     runner or sets NODE_ENV=development is not classified by that
//     alone: that is what AP007 and DF010 exist to report; its author
//     says it is a development file by its name, folder or header (or in
//     .seaworthy.yaml);
//  5. its folders again: examples/, samples/, docs/, templates/ make it
//     an example (a development stack in an example folder is a
//     development one).
//
// Anything else is production. Folder names count from the project root
// (the caller passes the path relative to it), so that the folders a
// checkout happens to live in (~/dev/…) do not.
package purpose

import (
	"fmt"
	"path"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/compose-spec/compose-go/v2/types"

	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/facts/command"
	"github.com/seaworthy-dev/seaworthy/facts/install"
	"github.com/seaworthy-dev/seaworthy/facts/stage"
	"github.com/seaworthy-dev/seaworthy/knowledge"
	"github.com/seaworthy-dev/seaworthy/source/compose"
	"github.com/seaworthy-dev/seaworthy/source/dockerfile"
)

// Class is a file's purpose and the reason for it, a short phrase such as
// "named Dockerfile.dev" or "in .devcontainer/" ("" for a production file
// nothing marks).
type Class struct {
	Purpose analysis.Purpose
	Reason  string
}

// Dockerfile classifies a Dockerfile; rel is its path relative to the
// project root.
func Dockerfile(rel string, f *dockerfile.File) Class {
	if f == nil {
		return classify(rel, nil, nil, nil)
	}
	return classify(rel, f.Lines, dockerfileDirective, func() (Class, bool) { return dockerfileContent(f) })
}

// classify decides from, in order: the header comment of lines (skip
// passes over lines that are no comment to read), the file name, the
// folders but an examples folder (a production folder only when what the
// file runs does not show it is no service), what the file runs
// (content), and last an examples folder.
func classify(rel string, lines []string, skip func(string) bool, content func() (Class, bool)) Class {
	if c, ok := header(lines, skip); ok {
		return c
	}
	if c, ok := Name(rel); ok {
		return c
	}
	folders, ok := Folders(rel)
	if ok && folders.Purpose == analysis.Production && content != nil {
		// A production folder (deploy/, deployments/) yields to a command
		// that shows the container is no service: idle, a bare sleep, a
		// test runner (homarr's deployments/prebuilt-debian only sleeps).
		if c, ok := content(); ok && c.Purpose != analysis.Production {
			return c
		}
	}
	if ok && folders.Purpose != analysis.Example {
		return folders
	}
	if content != nil {
		if c, ok := content(); ok {
			return c
		}
	}
	return folders
}

// Compose classifies a compose file set by its base file; rel is the base
// file's path relative to the project root.
func Compose(rel string, p *compose.Project) Class {
	if p == nil {
		return classify(rel, nil, nil, nil)
	}
	var lines []string
	if len(p.Files) > 0 {
		lines = p.Files[0].Lines
	}
	return classify(rel, lines, nil, func() (Class, bool) { return composeContent(p) })
}

// The words of names and folders that say what a file is for, matched as
// whole parts of a name split at '.', '-', '_' and spaces.
var (
	devWords = words("dev", "develop", "development", "local", "debug", "devcontainer", "devcontainers",
		"devenv", "codesandbox", "gitpod", "codespaces")
	testWords = words("test", "tests", "testing", "e2e", "integration", "ci", "bench", "benchmark",
		"benchmarks", "cypress", "playwright", "fixture", "fixtures", "testdata", "loadtest", "perf")
	exampleWords = words("example", "examples", "sample", "samples", "demo", "demos", "docs", "doc",
		"documentation", "tutorial", "tutorials", "template", "templates")
	// templateWords count in folder names only: Dockerfile.template is
	// what a generator fills in, templates/ what users start from.
	templateWords = words("template", "templates")
	prodWords     = words("prod", "production", "release", "releases", "deploy", "deployment", "deployments",
		"hosting", "selfhost", "selfhosted")
	// hiddenDev are editor, agent and cloud-IDE folders: whatever image
	// they hold is a developer's environment.
	hiddenDev = words(".devcontainer", ".codesandbox", ".cursor", ".vscode", ".idea", ".gitpod", ".idx",
		".claude", ".codex", ".windsurf", ".zed")
	// hiddenTest are CI folders.
	hiddenTest = words(".github", ".gitlab", ".circleci", ".buildkite")
)

func words(ws ...string) map[string]bool {
	m := make(map[string]bool, len(ws))
	for _, w := range ws {
		m[w] = true
	}
	return m
}

// parts splits a file or folder name into its lower-case words.
func parts(name string) []string {
	return strings.FieldsFunc(strings.ToLower(name), func(r rune) bool {
		return r == '.' || r == '-' || r == '_' || r == ' ' || r == '+' || r == '@'
	})
}

// nameClass classifies one name; folder says it is a folder (the CI word
// "ci" counts only in file names: ci/ folders hold release pipelines as
// often as tests).
func nameClass(name string, folder bool) (analysis.Purpose, string, bool) {
	// Development before test before example before production: the more
	// specific variant wins (Dockerfile.prod-debug, examples-dev/).
	found := map[analysis.Purpose]string{}
	for _, w := range parts(name) {
		var p analysis.Purpose
		switch {
		case devWords[w]:
			p = analysis.Development
		case testWords[w] && !(folder && w == "ci"):
			p = analysis.Test
		case exampleWords[w] && (folder || !templateWords[w]):
			p = analysis.Example
		case prodWords[w]:
			p = analysis.Production
		default:
			continue
		}
		if _, ok := found[p]; !ok {
			found[p] = w
		}
	}
	for _, p := range []analysis.Purpose{analysis.Development, analysis.Test, analysis.Example, analysis.Production} {
		if w, ok := found[p]; ok {
			return p, w, true
		}
	}
	return 0, "", false
}

// Name classifies a file by its name alone: Dockerfile.dev,
// docker-compose.test.yml, prod.Dockerfile. A name with words of several
// purposes is development, else test, else example, else production:
// Dockerfile.prod-debug is a debugging variant of the production image.
func Name(rel string) (Class, bool) {
	base := path.Base(filepath.ToSlash(rel))
	p, _, ok := nameClass(base, false)
	if !ok {
		return Class{}, false
	}
	return Class{Purpose: p, Reason: "named " + base}, true
}

// Folders classifies a file by the folders of rel. An editor, cloud-IDE or
// CI folder (.devcontainer/, .cursor/, .github/) decides wherever it is;
// then, the innermost first, the first folder named for development or
// test does. A folder named
// for examples decides only when no folder outside it is for development
// or test (test/examples/ holds test fixtures), and a folder named for
// production stops the search (deploy/, hosting/): production, or example
// for an examples folder inside it. ok is false when no folder says
// anything.
func Folders(rel string) (Class, bool) {
	dir := path.Dir(path.Clean(filepath.ToSlash(rel)))
	if dir == "." || dir == "/" {
		return Class{}, false
	}
	segs := strings.Split(strings.TrimPrefix(dir, "/"), "/")
	in := func(i int) string { return "in " + strings.Join(segs[:i+1], "/") + "/" }
	// Editor, cloud-IDE and CI folders hold nothing else.
	for i := len(segs) - 1; i >= 0; i-- {
		if s := strings.ToLower(segs[i]); hiddenDev[s] {
			return Class{Purpose: analysis.Development, Reason: in(i)}, true
		} else if hiddenTest[s] {
			return Class{Purpose: analysis.Test, Reason: in(i) + " (CI)"}, true
		}
	}
	example := -1
	for i := len(segs) - 1; i >= 0; i-- {
		s := segs[i]
		if s == "." || s == ".." || s == "" {
			continue
		}
		p, _, ok := nameClass(s, true)
		if !ok {
			continue
		}
		switch p {
		case analysis.Example:
			if example < 0 {
				example = i
			}
			continue
		case analysis.Production:
			if example >= 0 {
				return Class{Purpose: analysis.Example, Reason: in(example)}, true
			}
		}
		return Class{Purpose: p, Reason: in(i)}, true
	}
	if example >= 0 {
		return Class{Purpose: analysis.Example, Reason: in(example)}, true
	}
	return Class{}, false
}

// Headers. A strong phrase anywhere in the leading comment block decides;
// a weaker one only in its first sentence (the comment lines up to one
// that ends a sentence, an empty comment line or the third line), and only when
// that sentence does not also speak of production or deploying
// ("Self-hosting and local development" is not a development file).
var (
	strongDev = regexp.MustCompile(`(?i)\b(do not|don'?t|never) (use|run|deploy)( (this|it|these|the \w+( \w+)?))? in production\b|` +
		`\bnot (intended |meant |designed |suitable |safe |ready )?(for|to be used in|for use in) production\b|` +
		`\bnot production[- ]ready\b|\bfor (local )?(development|dev)( purposes| use)? only\b|` +
		`\bonly for (local )?(development|dev)\b|\b(development|dev) use only\b`)
	strongTest = regexp.MustCompile(`(?i)\bfor (testing|tests|ci)( purposes| use)? only\b|\bonly for (testing|tests|ci)\b|\btesting use only\b`)
	titleDev   = regexp.MustCompile(`(?i)\b(dev ?containers?|development (environment|container|image|stack|setup|dockerfile|compose|services)|` +
		`(for|used in|used for) (local )?development|local[- ]dev(elopment)?|dev (environment|stack|setup|services)|` +
		// "the services required to develop and test Vendure locally"
		`develop(ing)?( (and|or|&) test(ing)?)?( [\w@./-]+){0,3} locally)\b`)
	titleTest = regexp.MustCompile(`(?i)\b(e2e|end[- ]to[- ]end|integration|unit|load|smoke|acceptance) tests?\b|\b(for|used in|used for) (testing|tests|ci)\b|\btest (environment|stack|image|container|setup)\b`)
	titleProd = regexp.MustCompile(`(?i)\b(prod|production|deploy\w*|self[- ]?host\w*|release)\b`)
)

// maxTitleLines bounds the first sentence of a header: an unpunctuated
// block (a licence, a list of commands) is no title.
const maxTitleLines = 3

// header classifies by the leading comment block of lines; skip tells
// lines to step over (parser directives).
func header(lines []string, skip func(string) bool) (Class, bool) {
	var title []string // the first sentence, while it is read
	titleDone := false
	for _, l := range lines {
		t := strings.TrimSpace(l)
		if t == "" || t == "---" {
			continue
		}
		if !strings.HasPrefix(t, "#") {
			break
		}
		if skip != nil && skip(t) {
			continue
		}
		text := strings.TrimSpace(strings.TrimLeft(t, "#"))
		if text == "" {
			if len(title) > 0 && !titleDone {
				titleDone = true
				if c, ok := titleClass(strings.Join(title, " ")); ok {
					return c, true
				}
			}
			continue
		}
		// Each regexp runs only on text holding a literal every match of
		// it holds: most headers are licences and descriptions.
		lower := strings.ToLower(text)
		only := strings.Contains(lower, "only")
		if only || strings.Contains(lower, "production") {
			if m := strongDev.FindString(text); m != "" {
				return Class{Purpose: analysis.Development, Reason: fmt.Sprintf("its header says %q", m)}, true
			}
		}
		if only {
			if m := strongTest.FindString(text); m != "" {
				return Class{Purpose: analysis.Test, Reason: fmt.Sprintf("its header says %q", m)}, true
			}
		}
		if !titleDone {
			title = append(title, text)
			if strings.ContainsAny(text[len(text)-1:], ".!?:") || len(title) == maxTitleLines {
				titleDone = true
				if c, ok := titleClass(strings.Join(title, " ")); ok {
					return c, true
				}
			}
		}
	}
	if len(title) > 0 && !titleDone {
		return titleClass(strings.Join(title, " "))
	}
	return Class{}, false
}

// titleClass classifies by the first sentence of a header: what the file
// is called there ("# Dev container Dockerfile", "# Core local-dev
// stack", "# Services required to develop and test X locally"), unless
// the sentence speaks of production or deploying too.
func titleClass(text string) (Class, bool) {
	lower := strings.ToLower(text)
	if containsAny(lower, "prod", "deploy", "host", "release") && titleProd.MatchString(text) {
		return Class{}, false
	}
	if strings.Contains(lower, "dev") {
		if m := titleDev.FindString(text); m != "" {
			return Class{Purpose: analysis.Development, Reason: fmt.Sprintf("its header says %q", m)}, true
		}
	}
	if containsAny(lower, "test", "e2e", "end", "ci") {
		if m := titleTest.FindString(text); m != "" {
			return Class{Purpose: analysis.Test, Reason: fmt.Sprintf("its header says %q", m)}, true
		}
	}
	return Class{}, false
}

var directive = regexp.MustCompile(`(?i)^#\s*(syntax|escape|check)\s*=`)

// dockerfileDirective: a parser directive (`# syntax=`), not prose.
func dockerfileDirective(line string) bool { return directive.MatchString(line) }

// dockerfileContent classifies a Dockerfile by its final stages.
func dockerfileContent(f *dockerfile.File) (Class, bool) {
	finals := f.FinalStages()
	if len(finals) == 0 {
		return Class{}, false
	}
	allDev := true
	for _, st := range finals {
		allDev = allDev && DevStage(st)
	}
	if allDev {
		return Class{Purpose: analysis.Development, Reason: fmt.Sprintf("its final stage %q is a development stage", finals[0].Name)}, true
	}
	for _, st := range finals {
		if DevStage(st) {
			continue
		}
		words, ok := stage.ProcessWords(f, st)
		if !ok {
			continue
		}
		argv := make([]string, len(words))
		for i, w := range words {
			argv[i] = w.Text
		}
		if c, ok := runs(argv, false); ok {
			return c, true
		}
	}
	for _, st := range finals {
		if DevStage(st) {
			continue
		}
		if c, ok := devStartScript(f, st); ok {
			return c, true
		}
	}
	return Class{}, false
}

// devStartScript classifies by the shell script a final stage's command
// runs (`CMD ["sh", "/app/apps/web/entrypoint.sh"]`), written by the
// Dockerfile (a heredoc) or read from the build context: it is a
// development setup when it ends in a development runner or script
// (`pnpm run dev`, `nodemon`) after setting up a developer's environment
// at start: installing the project's dependencies (`pnpm install`, not
// `--prod`) or running `prisma migrate dev`/`reset`, which Prisma
// documents as development only (inbox-zero's docker/Dockerfile.web). A
// development runner alone is what AP007 reports, as in the command
// itself; a script that migrates (`prisma migrate deploy`) and then execs
// `node server.js` is a production start.
func devStartScript(f *dockerfile.File, st *dockerfile.Stage) (Class, bool) {
	name, text, ok := stage.StartScript(f, st)
	if !ok {
		return Class{}, false
	}
	last, _, ok := command.LastCall(text)
	if !ok || len(last) == 0 {
		return Class{}, false
	}
	if command.DevRunner(last) == "" && !DevScript(command.ScriptRun(last)) {
		return Class{}, false
	}
	script := dockerfile.ParseScript(text)
	if script == nil {
		return Class{}, false
	}
	for _, c := range script.Commands {
		words := command.Words(c)
		if len(words) == 0 {
			continue
		}
		if i, ok := install.Classify(c); (ok && i.ProjectInstall() && !i.OmitDev) || devMigration(words) {
			return Class{Purpose: analysis.Development, Reason: fmt.Sprintf("its start script %s runs `%s`, then `%s`: a development setup",
				name, strings.Join(words, " "), strings.Join(last, " "))}, true
		}
	}
	return Class{}, false
}

// devMigration reports whether argv runs `prisma migrate dev` or `prisma
// migrate reset` (through npx, pnpm, yarn, bunx): commands Prisma
// documents for development only (they create migrations from the
// schema and may reset the database).
func devMigration(argv []string) bool {
	for i, w := range argv {
		if command.BaseName(w) != "prisma" {
			continue
		}
		var pos []string
		for _, a := range argv[i+1:] {
			if !strings.HasPrefix(a, "-") {
				pos = append(pos, a)
			}
		}
		return len(pos) >= 2 && pos[0] == "migrate" && (pos[1] == "dev" || pos[1] == "reset")
	}
	return false
}

// runs classifies a container's command: idle, a test runner, a bare
// short sleep (a helper image), and when
// dev is set a development runner or a development script.
func runs(argv []string, dev bool) (Class, bool) {
	if len(argv) == 0 {
		return Class{}, false
	}
	if command.IsShell(argv[0]) && len(argv) >= 3 && argv[1] == "-c" {
		if call, _, ok := command.LastCall(argv[2]); ok && len(call) > 0 {
			argv = call
		}
	}
	if r := command.Idle(argv); r != "" {
		return Class{Purpose: analysis.Development, Reason: "it runs " + r + " (an idle container)"}, true
	}
	if r := command.TestRunner(argv); r != "" {
		return Class{Purpose: analysis.Test, Reason: "it runs " + r}, true
	}
	if u := command.Unwrap(argv); len(u) == 2 && command.BaseName(u[0]) == "sleep" {
		// homarr's deployments/prebuilt-debian: CI builds it and copies
		// node_modules out of a container that only sleeps.
		return Class{Purpose: analysis.Test, Reason: "its command is `sleep " + u[1] + "`: it starts no app (a helper image a build copies files out of)"}, true
	}
	if stdlibHTTPServer(argv) {
		// nango's packages/frontend/bin: a helper serving the test pages
		// next to it.
		return Class{Purpose: analysis.Development, Reason: "it runs `" + strings.Join(argv, " ") + "`, Python's file server that its documentation says is not for production"}, true
	}
	if !dev {
		return Class{}, false
	}
	if r := command.DevRunner(argv); r != "" {
		return Class{Purpose: analysis.Development, Reason: "it runs " + shortRunner(r)}, true
	}
	if s := command.ScriptRun(argv); DevScript(s) {
		return Class{Purpose: analysis.Development, Reason: fmt.Sprintf("it runs the %q script", s)}, true
	}
	return Class{}, false
}

// stdlibHTTPServer reports whether argv runs `python -m http.server` (or
// Python 2's SimpleHTTPServer): the Python documentation warns it is not
// recommended for production (basic security checks only), so an image
// whose command it is serves files to a developer. Node static servers
// (`serve`, `http-server`) are production servers.
func stdlibHTTPServer(argv []string) bool {
	argv = command.Unwrap(argv)
	if len(argv) < 3 || !strings.HasPrefix(command.BaseName(argv[0]), "python") {
		return false
	}
	for i, a := range argv[1 : len(argv)-1] {
		if a == "-m" {
			m := argv[i+2]
			return m == "http.server" || m == "SimpleHTTPServer"
		}
		if !strings.HasPrefix(a, "-") {
			return false // a script: python app.py
		}
	}
	return false
}

// shortRunner drops the explanation DevRunner adds in parentheses.
func shortRunner(r string) string {
	if i := strings.Index(r, " ("); i > 0 {
		return r[:i]
	}
	return r
}

// DevScript reports whether a package.json script name is one for
// development: dev, develop, watch, start:dev, dev:server.
func DevScript(name string) bool {
	n := strings.ToLower(name)
	switch n {
	case "dev", "develop", "development", "watch", "serve:dev", "start:dev", "start:development", "start:watch":
		return true
	}
	return strings.HasPrefix(n, "dev:") || strings.HasPrefix(n, "watch:")
}

// DevStage reports whether a stage is named for development (dev,
// development, develop, local, devcontainer, dev-envs): when it is a
// final stage, the image is a developer's environment.
func DevStage(st *dockerfile.Stage) bool { return DevStageName(st.Name) }

// DevStageName reports whether a stage name says the stage is for
// development (`dev`, `development`, `local`, …).
func DevStageName(name string) bool {
	switch strings.ToLower(name) {
	case "dev", "development", "develop", "dev-envs", "devcontainer", "local":
		return true
	}
	return false
}

// DeployedFinal are the final stages not named for development (see
// DevStage), whatever they run.
func DeployedFinal(f *dockerfile.File) []*dockerfile.Stage {
	if f == nil {
		return nil
	}
	var out []*dockerfile.Stage
	for _, st := range f.FinalStages() {
		if !DevStage(st) {
			out = append(out, st)
		}
	}
	return out
}

// Deployed are the final Node stages not named for development.
func Deployed(f *dockerfile.File) []*dockerfile.Stage {
	var out []*dockerfile.Stage
	for _, st := range DeployedFinal(f) {
		if stage.IsNode(st) {
			out = append(out, st)
		}
	}
	return out
}

// Compose services that are tests by their name or image.
var (
	testServices = words("e2e", "test", "tests", "sut", "cypress", "playwright", "test-runner", "testrunner", "e2e-tests", "integration-tests")
	testImages   = []string{"cypress/", "mcr.microsoft.com/playwright", "browserless/", "selenium/", "postman/newman", "grafana/k6"}
	// mailCatchers catch the mail a developer's app sends.
	mailCatchers = words("maildev", "mailhog", "mailpit", "inbucket", "smtp4dev", "mailcatcher")
)

// imageName is the last path component of an image reference without tag
// or digest: "maildev" for docker.io/maildev/maildev:2.0.
func imageName(ref string) string {
	ref, _, _ = strings.Cut(ref, "@")
	if i := strings.LastIndex(ref, "/"); i >= 0 {
		ref = ref[i+1:]
	}
	ref, _, _ = strings.Cut(ref, ":")
	return ref
}

// composeContent classifies a compose file set by its services.
func composeContent(p *compose.Project) (Class, bool) {
	for _, s := range p.Services {
		if testServices[strings.ToLower(s.Name)] {
			return Class{Purpose: analysis.Test, Reason: fmt.Sprintf("its service %q runs tests", s.Name)}, true
		}
		img := strings.ToLower(s.Config.Image)
		for _, t := range testImages {
			if strings.HasPrefix(img, t) {
				return Class{Purpose: analysis.Test, Reason: fmt.Sprintf("its service %q runs %s", s.Name, s.Config.Image)}, true
			}
		}
		if repo := imageName(img); mailCatchers[repo] {
			return Class{Purpose: analysis.Development, Reason: fmt.Sprintf("its service %q runs %s, a mail catcher", s.Name, s.Config.Image)}, true
		}
		argv := append(append([]string(nil), s.Config.Entrypoint...), s.Config.Command...)
		if len(s.Config.Profiles) > 0 && command.Idle(argv) != "" {
			// An optional helper behind a profile (dittofeed's admin-cli
			// in its self-hosting file) does not make the stack a
			// development one.
			continue
		}
		if c, ok := runs(argv, true); ok {
			c.Reason = fmt.Sprintf("its service %q%s", s.Name, strings.TrimPrefix(c.Reason, "it"))
			return c, true
		}
		if b := s.Config.Build; b != nil && b.Target != "" && DevStageName(b.Target) {
			return Class{Purpose: analysis.Development, Reason: fmt.Sprintf("its service %q builds the %q target", s.Name, b.Target)}, true
		}
		for _, v := range s.Config.Volumes {
			if v.Type == types.VolumeTypeBind && SourceTreeMount(v.Source) {
				return Class{Purpose: analysis.Development, Reason: fmt.Sprintf("its service %q bind-mounts the source tree (%s)", s.Name, v.Source)}, true
			}
		}
	}
	return Class{}, false
}

// SourceTreeMount reports whether a bind-mount source, as written
// (relative to the compose file), is the project directory (`.`, `./`,
// `..` from a docker/ folder) or a source folder directly below it
// (`./src`, `./app`): the live-reload mount of a development stack.
func SourceTreeMount(source string) bool {
	if !strings.HasPrefix(source, ".") {
		return false // a named volume, an absolute host path, ~
	}
	clean := path.Clean(source)
	if clean == "." || clean == ".." {
		return true
	}
	if strings.HasPrefix(clean, "..") || strings.Contains(clean, "/") {
		return false
	}
	return knowledge.IsSourceDir(clean)
}

// containsAny reports whether s contains one of subs.
func containsAny(s string, subs ...string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}
