package checker_test

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/seaworthy-dev/seaworthy/checker"
)

// overlayProject has a Dockerfile whose base stage runs its CMD in shell
// form (DF013), which its compose file builds.
var overlayProject = map[string]string{
	"Dockerfile": `FROM node:22-slim AS base
WORKDIR /app
COPY package.json ./
COPY server.js ./
CMD npm start

FROM base AS release
CMD ["node", "server.js"]
`,
	"compose.yaml":    "services:\n  api:\n    build:\n      context: .\n      target: base\n",
	".dockerignore":   "node_modules\n",
	"package.json":    `{"name": "x", "scripts": {"start": "node server.js"}}` + "\n",
	"server.js":       "console.log('hi')\n",
	".seaworthy.yaml": "ignore: [DF003, DF010, DF011, DF014, DF015, DF017, CO009]\n",
}

func TestOverlay(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, overlayProject)
	check := func(overlay checker.Overlay) (*checker.Result, []string) {
		t.Helper()
		req := request(dir)
		req.Overlay = overlay
		res, err := checker.Check(context.Background(), req)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, id := range ids(res.Findings) {
			got = append(got, strings.TrimPrefix(id, dir+string(filepath.Separator)))
		}
		return res, got
	}
	abs := func(name string) string { return filepath.Join(dir, name) }
	want := func(what string, got []string, want ...string) {
		t.Helper()
		if !slices.Equal(got, want) {
			t.Errorf("%s: findings %q, want %q", what, got, want)
		}
	}

	res, got := check(nil)
	want("on disk", got, "Dockerfile:5 DF013")

	fixed := strings.Replace(overlayProject["Dockerfile"], "CMD npm start", `CMD ["npm", "start"]`, 1)
	_, got = check(checker.Overlay{abs("Dockerfile"): []byte(fixed)})
	want("the Dockerfile's unsaved text", got)

	_, got = check(checker.Overlay{abs("compose.yaml"): []byte(strings.Replace(overlayProject["compose.yaml"], "base", "release", 1))})
	want("the compose file builds the release stage", got)

	_, got = check(checker.Overlay{abs(".dockerignore"): []byte("node_modules\nserver.js\n")})
	want("the .dockerignore excludes what the Dockerfile copies", got, ".dockerignore:2 DI006", "Dockerfile:5 DF013")

	_, got = check(checker.Overlay{abs("package.json"): []byte(`{"name": "x", "dependencies": {"express": "^5.0.0"}}`)})
	want("package.json has dependencies and no lockfile", got, "Dockerfile:5 DF013", "package.json:1 AP001")

	// Recheck: the Dockerfile again, with the build the run settled (its
	// compose target).
	dr, ok, err := res.Recheck(abs("Dockerfile"), []byte(fixed))
	if err != nil || !ok || len(dr.Findings) != 0 {
		t.Errorf("Recheck of the fixed Dockerfile: ok %v, err %v, findings %q", ok, err, ids(dr.Findings))
	}
	// Built as the last stage, the base stage's CMD would not count.
	dr, ok, err = res.Recheck(abs("Dockerfile"), []byte(overlayProject["Dockerfile"]))
	if err != nil || !ok || len(dr.Findings) != 1 || dr.Findings[0].Range.Start.Line != 5 {
		t.Errorf("Recheck with the compose target: ok %v, err %v, findings %q, want DF013 on line 5 only", ok, err, ids(dr.Findings))
	}
	if _, ok, _ := res.Recheck(abs("other/Dockerfile"), []byte(fixed)); ok {
		t.Error("Recheck of a Dockerfile the run did not check: ok")
	}
}
