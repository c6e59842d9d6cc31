package nodeapp

import (
	"reflect"
	"testing"
)

func TestScriptCommands(t *testing.T) {
	for text, want := range map[string][][]string{
		"tsc && node dist/server.js":            {{"tsc"}, {"node", "dist/server.js"}},
		`concurrently "tsc -w" "nodemon dist"`:  {{"concurrently", "tsc -w", "nodemon dist"}, {"tsc", "-w"}, {"nodemon", "dist"}},
		`concurrently "  " "remix-serve build"`: {{"concurrently", "  ", "remix-serve build"}, {"remix-serve", "build"}},
		`node "unterminated`:                    {{"node", `"unterminated`}},
		"":                                      nil,
	} {
		if got := ScriptCommands(text); !reflect.DeepEqual(got, want) {
			t.Errorf("ScriptCommands(%q) = %q, want %q", text, got, want)
		}
	}
}

// TestShapeOfBlankConcurrentlyCommand: a blank command given to
// concurrently is no command; reading the start script of a Remix app
// does not stop on it.
func TestShapeOfBlankConcurrentlyCommand(t *testing.T) {
	pkg := project(t, ".", map[string]string{"package.json": `{"dependencies": {"@remix-run/serve": "2"},
		"scripts": {"build": "remix build", "start": "concurrently \"  \" \"remix-serve build/index.js\""}}`})
	s, err := ShapeOf(pkg, shapeDay)
	if err != nil {
		t.Fatal(err)
	}
	if s.Framework == nil || s.Framework.Name != "remix" {
		t.Errorf("framework %+v, want remix", s.Framework)
	}
}
