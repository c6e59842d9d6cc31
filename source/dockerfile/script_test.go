package dockerfile

import (
	"reflect"
	"regexp"
	"testing"
)

// TestSeparatorIndexes: the separator scan finds what the regexp
// `&&|\|\||;|\||\n` finds.
func TestSeparatorIndexes(t *testing.T) {
	re := regexp.MustCompile(`&&|\|\||;|\||\n`)
	for _, text := range []string{
		"", "a", "a && b || c; d | e\nf", "a &&& b", "a ||| b", "a & b", "&&||;|\n",
		"a&&&&b", "x|||y", "if x; then y; fi\n", "a\\\nb && c",
	} {
		var want [][2]int
		for _, m := range re.FindAllStringIndex(text, -1) {
			want = append(want, [2]int{m[0], m[1]})
		}
		if got := separatorIndexes(text); !reflect.DeepEqual(got, want) {
			t.Errorf("%q: got %v, want %v", text, got, want)
		}
	}
}

// plainMatchesParser checks that when plainCommands reads text, the shell
// parser reads it the same way.
func plainMatchesParser(t *testing.T, text string) (handled bool) {
	t.Helper()
	mapLine := func(l int) int { return l + 10 }
	got, ok := plainCommands(text, mapLine)
	if !ok {
		return false
	}
	file, err := parseSh(text)
	if err != nil {
		t.Fatalf("%q: read as plain commands, but the parser fails: %v", text, err)
	}
	want := collectCommands(file, mapLine)
	if len(got) != len(want) {
		t.Fatalf("%q: %d commands, parser %d", text, len(got), len(want))
	}
	for i := range got {
		if !reflect.DeepEqual(got[i], want[i]) {
			t.Errorf("%q: command %d = %+v, parser %+v", text, i, got[i], want[i])
		}
	}
	return true
}

// TestPlainCommands: scripts of plain words and && / || come out as the
// parser gives them; anything else is left to the parser.
func TestPlainCommands(t *testing.T) {
	for _, text := range []string{
		"    npm ci",
		"    apt-get update && apt-get install -y curl git \\\n    && rm -rf /var/lib/apt/lists/*",
		"    \\\n  npm ci --omit=dev || true",
		"a&&b||c",
		"a | b", "a; b", "a ;", "a && b; c", "a\nb", "a &&\n\n  b", "echo 'x y' \"a b\"z --x=\"1\" ''",
		"wget -qO- https://x | sh -",
		"FOO=1 a", "A=1 B='x y' C=\"$D\" cmd $HOME ${X}y \"a $B ${C}\"", "A=1", "A=1; b", "x=1 && y",
		"chmod +x /usr/local/bin/app:1 ~/x %y @z a,b ^c",
		"",
		"   ",
	} {
		if !plainMatchesParser(t, text) {
			t.Errorf("%q: not read as plain commands", text)
		}
	}
	for _, text := range []string{
		"a &&", "&& a", "a & b", "a |& b", "a;; b", "A+=1 b", "a-b=1 c",
		"echo ${A:-x}", "echo $1", "echo $(id)", "echo `id`", "echo $'x'", "echo \"${A/b/c}\"", "export A=1", "if true; then a; fi",
		"echo 'x\ny'", "a > f", "a\\\nb", "echo a\\ b", "time a", "{ a; }", "! a",
		"a # c", "[ -f x ] && a", "echo \xc3\xa9",
	} {
		if plainMatchesParser(t, text) {
			t.Errorf("%q: read as plain commands", text)
		}
	}
}

func FuzzPlainCommands(f *testing.F) {
	for _, s := range []string{"npm ci", "a && b || c", "  x \\\n  y", "a=b c", "a&&", "done", "x ~y *z ?w ^v", "a | b; c\nd", "e 'f' \"g\"h", "A=$B c \"${D}e\""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		plainMatchesParser(t, text)
	})
}

// TestCollectCommandsInWords: commands inside words (substitutions, also
// within quotes and expansions) are found; plain words are not entered.
func TestCollectCommandsInWords(t *testing.T) {
	file, err := parseSh(`echo "$(a b)" ${X} "$Y" ${Z:-$(d)} $((1 + $(e))) && c 'x' <(f)`)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, c := range collectCommands(file, func(l int) int { return l }) {
		names = append(names, c.Name)
	}
	if want := []string{"echo", "a", "d", "e", "c", "f"}; !reflect.DeepEqual(names, want) {
		t.Errorf("commands = %v, want %v", names, want)
	}
}
