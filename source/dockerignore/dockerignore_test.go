package dockerignore

import "testing"

func TestMatch(t *testing.T) {
	f, err := Parse(".dockerignore", []byte("# deps\nnode_modules\n/.git\n*.log\n**/*.md\n!README.md\n.env*\n!.env.example\n"))
	if err != nil {
		t.Fatal(err)
	}
	cases := map[string]bool{
		"node_modules":              true,
		"node_modules/express/a.js": true,
		"packages/a/node_modules":   false, // node_modules matches at the root only
		".git/config":               true,
		"npm-debug.log":             true,
		"logs/x.log":                false,
		"docs/guide.md":             true,
		"README.md":                 false,
		".env":                      true,
		".env.production":           true,
		".env.example":              false,
		"package-lock.json":         false,
	}
	for p, want := range cases {
		got, by := f.Match(p)
		if got != want {
			t.Errorf("Match(%q) = %v (by %+v), want %v", p, got, by, want)
		}
	}
	if _, by := f.Match("node_modules/x"); by == nil || by.Line != 2 {
		t.Errorf("deciding pattern line = %+v, want 2", by)
	}
}

func TestMayReinclude(t *testing.T) {
	f, err := Parse(".dockerignore", []byte("*\n!src\n!packages/*/package.json\n!**/*.d.ts\n"))
	if err != nil {
		t.Fatal(err)
	}
	g, err := Parse(".dockerignore", []byte("*\n!src\n!packages/*/package.json\n"))
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		f    *File
		dir  string
		want bool
	}{
		{g, "src", true},
		{g, "src/lib", true}, // !src re-includes everything below
		{g, "packages", true},
		{g, "packages/a", true},
		{g, "packages/a/src", false},
		{g, "docs", false},
		{f, "docs", true}, // !**/*.d.ts may match anywhere
	}
	for _, c := range cases {
		if got := c.f.MayReinclude(c.dir); got != c.want {
			t.Errorf("MayReinclude(%q) = %v, want %v", c.dir, got, c.want)
		}
	}
	if !(&File{}).FinalNewline() || !(&File{Source: []byte("a\n")}).FinalNewline() || (&File{Source: []byte("a")}).FinalNewline() {
		t.Error("FinalNewline")
	}
}
