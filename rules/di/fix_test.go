package di

import (
	"testing"

	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/source/dockerignore"
	"github.com/seaworthy-dev/seaworthy/source/project"
)

// TestAppendEdit: the fix keeps the file's line endings and adds a
// missing final newline before the new patterns.
func TestAppendEdit(t *testing.T) {
	cases := map[string]string{
		"":                 "dist\ncoverage\n",
		"node_modules":     "node_modules\ndist\ncoverage\n",
		"node_modules\n":   "node_modules\ndist\ncoverage\n",
		"a\r\nb\r\n":       "a\r\nb\r\ndist\r\ncoverage\r\n",
		"a\r\nb":           "a\r\nb\r\ndist\r\ncoverage\r\n",
		"# only\n\n":       "# only\n\ndist\ncoverage\n",
		"x\n# last, no nl": "x\n# last, no nl\ndist\ncoverage\n",
	}
	for src, want := range cases {
		ig, err := dockerignore.Parse(".dockerignore", []byte(src))
		if err != nil {
			t.Fatal(err)
		}
		got, err := analysis.ApplyEdits([]byte(src), []analysis.Edit{appendEdit(ig, []string{"dist", "coverage"})})
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != want {
			t.Errorf("append to %q = %q, want %q", src, got, want)
		}
	}
}

// TestUnparsedBuild: the rules stay quiet (and do not panic) on a build
// whose Dockerfile was not parsed.
func TestUnparsedBuild(t *testing.T) {
	for _, r := range Rules() {
		pass := analysis.NewPass(r, "Dockerfile", func(f analysis.Finding) { t.Errorf("%s reported %q", r.ID, f.Message) })
		analysis.Run(r, pass, &project.Build{DockerfilePath: "Dockerfile"})
	}
}
