package rules

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"

	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/analysis/analysistest"
	"github.com/seaworthy-dev/seaworthy/source/dockerfile"
	"github.com/seaworthy-dev/seaworthy/source/observation"
	"github.com/seaworthy-dev/seaworthy/source/project"
)

// TestDocExamples runs every rule on the examples of its doc, built into a
// small project the way analysistest builds a test case: the Bad example
// must make the rule fire, the Good one must not, and the Good one must be
// clean of every error-level finding of the rules that check the same
// input (a Good Dockerfile is not one that fails another check).
//
// An image (IM) rule's example describes an image as its test cases do
// (see imageExample).
//
// An example is written as the file its doc names (Doc.ExampleFile,
// "Dockerfile" when empty) into the project exampleProjects gives for the
// rule: what the example's comment says surrounds it. Runtime (RT) rules
// read what `seaworthy verify` observed, which no example shows: their
// examples are the Dockerfile or source that leads there, so only what a
// static check can say is checked (see checkRuntimeExamples).
func TestDocExamples(t *testing.T) {
	for _, r := range Registry().Rules() {
		t.Run(r.ID, func(t *testing.T) {
			if r.Check.Input() == (*observation.Result)(nil).InputKind() {
				checkRuntimeExamples(t, r)
				return
			}
			for _, ex := range []struct {
				name, src string
				fires     bool
			}{{"Bad", r.Doc.Bad, true}, {"Good", r.Doc.Good, false}} {
				c := exampleCase(t, r, ex.name, ex.src)
				_, findings := c.Check(t, rulesReading(r.Check.Input()))
				fired := false
				for _, f := range findings {
					switch {
					case f.Rule == r:
						fired = true
						if !ex.fires {
							t.Errorf("%s example: %s fires: %s:%d: %s", ex.name, r.ID, f.File, f.Range.Start.Line, f.Message)
						}
					case !ex.fires && f.Severity == analysis.Error:
						t.Errorf("%s example trips %s (error): %s:%d: %s", ex.name, f.Rule.ID, f.File, f.Range.Start.Line, f.Message)
					}
				}
				if ex.fires && !fired {
					t.Errorf("%s example: %s does not fire", ex.name, r.ID)
				}
			}
		})
	}
}

// rulesReading returns the rules that check an input of kind: a build's
// check runs the Dockerfile rules too.
func rulesReading(kind string) []*analysis.Rule {
	var out []*analysis.Rule
	for _, r := range Registry().Rules() {
		if k := r.Check.Input(); k == kind || kind == (*project.Build)(nil).InputKind() && k == (*dockerfile.File)(nil).InputKind() {
			out = append(out, r)
		}
	}
	return out
}

// checkRuntimeExamples checks what can be checked of a runtime rule's
// examples without running a container: a Dockerfile example parses, and
// a Good Dockerfile is clean of error-level Dockerfile findings; a source
// example is not empty.
func checkRuntimeExamples(t *testing.T, r *analysis.Rule) {
	for _, ex := range []struct{ name, src string }{{"Bad", r.Doc.Bad}, {"Good", r.Doc.Good}} {
		if strings.TrimSpace(ex.src) == "" {
			t.Errorf("%s example is empty", ex.name)
			continue
		}
		if r.Doc.ExampleFile != "" {
			continue
		}
		c := exampleCase(t, r, ex.name, ex.src)
		_, findings := c.Check(t, rulesReading((*dockerfile.File)(nil).InputKind()))
		for _, f := range findings {
			if f.Rule.ID == "DF000" || ex.name == "Good" && f.Severity == analysis.Error {
				t.Errorf("%s example trips %s (%s): %s:%d: %s", ex.name, f.Rule.ID, f.Severity, f.File, f.Range.Start.Line, f.Message)
			}
		}
	}
}

// imageExample is the ExampleFile of image (IM) rules: the example is an
// image description, image/config.json and image/layerN/ files in a txtar
// archive, composed as the IM test cases are.
const imageExample = "image.txtar"

// example and bad mark the files of a project archive that the example
// and the rule's Bad example replace.
const (
	example = "EXAMPLE\n"
	bad     = "BAD\n"
)

// packageComment is an example's comment saying what package.json holds.
var packageComment = regexp.MustCompile(`(?m)^(?:#|//) package\.json: (.*)$`)

// setFile sets the content of the archive's file name, adding it if needed.
func setFile(ar *txtar.Archive, name, data string) {
	for i, f := range ar.Files {
		if f.Name == name {
			ar.Files[i].Data = []byte(data)
			return
		}
	}
	ar.Files = append(ar.Files, txtar.File{Name: name, Data: []byte(data)})
}

// exampleCase builds a rule's example (variant Bad or Good) into a case.
func exampleCase(t *testing.T, r *analysis.Rule, variant, src string) *analysistest.Case {
	t.Helper()
	file := r.Doc.ExampleFile
	if file == "" {
		file = "Dockerfile"
	}
	if file == imageExample {
		// The example is itself the image's description, as a case holds it.
		c, err := analysistest.ParseCase(fmt.Sprintf("%s %s example", r.ID, variant), []byte(src))
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	ar := &txtar.Archive{Files: []txtar.File{{Name: file, Data: []byte(example)}}}
	if p, ok := exampleProjects[r.ID]; ok {
		text := p.bad
		if variant == "Good" && p.good != "" {
			text = p.good
		}
		ar = txtar.Parse([]byte(text))
	}
	placed := false
	for i, f := range ar.Files {
		switch string(f.Data) {
		case example:
			ar.Files[i].Data = []byte(src)
			placed = true
		case bad:
			ar.Files[i].Data = []byte(r.Doc.Bad)
		}
	}
	if file == "project tree" {
		ar, placed = projectTree(t, src, ar), true
	}
	if m := packageComment.FindStringSubmatch(src); m != nil {
		setFile(ar, "package.json", "{"+strings.TrimSpace(m[1])+"}\n")
	}
	if !placed {
		t.Fatalf("the %s project of %s has no %q file for the example", variant, r.ID, strings.TrimSpace(example))
	}
	c, err := analysistest.ParseCase(fmt.Sprintf("%s %s example", r.ID, variant), txtar.Format(ar))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

var treeLine = regexp.MustCompile(`^[│ ]*[├└]── (\S+)\s*(.*)$`)

// projectTree turns a `project tree` example into the files it lists.
// A file annotated with JSON members (`package.json  "dependencies": {…}`)
// holds them; any other file takes its content from project, which must
// have one.
func projectTree(t *testing.T, tree string, project *txtar.Archive) *txtar.Archive {
	t.Helper()
	contents := map[string][]byte{}
	for _, f := range project.Files {
		contents[f.Name] = f.Data
	}
	out := &txtar.Archive{}
	for _, line := range strings.Split(tree, "\n") {
		m := treeLine.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		name, note := m[1], strings.TrimSpace(m[2])
		data, ok := contents[name]
		if strings.HasPrefix(note, `"`) {
			data, ok = []byte("{"+note+"}\n"), true
		}
		if !ok {
			t.Fatalf("the project tree names %s, which the example project does not hold", name)
		}
		out.Files = append(out.Files, txtar.File{Name: name, Data: data})
	}
	return out
}

// exampleProjects holds, for the rules whose examples are one file of a
// project (or say in a comment what is beside them), the rest of that
// project as a txtar archive: the file whose content is EXAMPLE is the
// example, a file whose content is BAD the rule's Bad example. Bad and
// Good share bad unless good is set. A comment line of the example
// `# package.json: MEMBERS` (or `// package.json: …`) gives package.json.
var exampleProjects = map[string]struct{ bad, good string }{
	"AP000": {bad: `
-- Dockerfile --
` + nodeDockerfile + `
-- .dockerignore --
node_modules
.git
-- package.json --
EXAMPLE
-- package-lock.json --
{"lockfileVersion": 3}
-- server.js --
` + serverJS},
	"AP001": {bad: `
-- Dockerfile --
` + nodeDockerfile + `
-- package-lock.json --
{"lockfileVersion": 3}
-- server.js --
` + serverJS},
	"AP002": {bad: `
-- Dockerfile --
EXAMPLE
-- package.json --
{"name": "api", "dependencies": {"express": "^4.21.0"}}
-- yarn.lock --
# yarn lockfile v1
-- server.js --
` + serverJS},
	"AP003": {bad: nodeProject + `
-- server.js --
EXAMPLE`},
	"AP004": {bad: nodeProject + `
-- server.js --
EXAMPLE`},
	"AP005": {bad: nodeProject + `
-- logger.js --
EXAMPLE`},
	"AP006": {bad: `
-- Dockerfile --
` + nodeDockerfile + `
-- package-lock.json --
{"lockfileVersion": 3}
-- server.js --
EXAMPLE`},
	"AP008": {bad: `
-- Dockerfile --
EXAMPLE
-- server.js --
` + serverJS},
	"AP009": {bad: `
-- Dockerfile --
EXAMPLE
-- package.json --
{"name": "api", "dependencies": {"express": "^4.21.0"}}
-- package-lock.json --
{"lockfileVersion": 3}
-- server.js --
` + serverJS},
	"DI001": {
		bad: `
-- Dockerfile --
EXAMPLE
-- package.json --
{"name": "api"}
-- server.js --
` + serverJS,
		good: `
-- Dockerfile --
BAD
-- .dockerignore --
EXAMPLE
-- package.json --
{"name": "api"}
-- server.js --
` + serverJS},
	"DF014": {bad: `
-- Dockerfile --
EXAMPLE
-- .dockerignore --
node_modules
.git
-- package.json --
{"name": "api", "scripts": {"start": "node server.js"}, "dependencies": {"express": "^4.21.0"}}
-- package-lock.json --
{"lockfileVersion": 3}
-- server.js --
` + serverJS},
	"DI000": {bad: ignoreProject},
	"DI002": {bad: ignoreProject + `
-- node_modules/express/index.js --
`},
	"DI003": {bad: ignoreProject + `
-- .git/HEAD --
ref: refs/heads/main
`},
	"DI004": {bad: ignoreProject},
	"DI005": {bad: `
-- Dockerfile --
FROM node:22-slim
WORKDIR /app
COPY package*.json ./
RUN npm ci
COPY . .
RUN npm run build
USER node
CMD ["node", "dist/server.js"]
-- .dockerignore --
EXAMPLE
-- package.json --
{"name": "api", "scripts": {"build": "tsc"}}
-- package-lock.json --
{"lockfileVersion": 3}
-- npm-debug.log --
`},
	"DI006": {bad: `
-- Dockerfile --
FROM node:22-slim
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev
COPY server.js ./
USER node
CMD ["node", "server.js"]
-- .dockerignore --
EXAMPLE
-- package.json --
{"name": "api", "dependencies": {"express": "^4.21.0"}}
-- package-lock.json --
{"lockfileVersion": 3}
-- server.js --
` + serverJS},
}

const (
	nodeDockerfile = `FROM node:22-slim
WORKDIR /app
COPY package*.json ./
RUN npm ci --omit=dev
COPY . .
USER node
CMD ["node", "server.js"]`

	serverJS = `const express = require('express')
const app = express()
app.get('/health', (req, res) => res.send('ok'))
const server = app.listen(3000)
process.on('SIGTERM', () => server.close(() => process.exit(0)))
`

	// nodeProject is a Node project around a source example.
	nodeProject = `
-- Dockerfile --
` + nodeDockerfile + `
-- .dockerignore --
node_modules
.git
-- package.json --
{"name": "api", "dependencies": {"express": "^4.21.0", "winston": "^3.17.0"}}
-- package-lock.json --
{"lockfileVersion": 3}`

	// ignoreProject is a Node project around a .dockerignore example.
	ignoreProject = `
-- Dockerfile --
` + nodeDockerfile + `
-- .dockerignore --
EXAMPLE
-- package.json --
{"name": "api", "dependencies": {"express": "^4.21.0"}}
-- package-lock.json --
{"lockfileVersion": 3}
-- server.js --
` + serverJS
)
