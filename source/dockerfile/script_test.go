package dockerfile

import (
	"fmt"
	"reflect"
	"regexp"
	"strings"
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

// TestCommandNesting: commands in subshells and substitutions are marked
// Nested, and Precedes orders the statements of one script.
func TestCommandNesting(t *testing.T) {
	file, err := ParseShell("cd /a && (cd /b && make) && echo \"$(cd /c; pwd)\" && cd /d")
	if err != nil {
		t.Fatal(err)
	}
	cmds := collectCommands(file, func(l int) int { return l })
	var got []string
	for _, c := range cmds {
		got = append(got, fmt.Sprintf("%s %s nested=%v", c.Name, strings.Join(c.Args, " "), c.Nested))
	}
	want := []string{
		"cd /a nested=false", "cd /b nested=true", "make  nested=true",
		"echo $(cd /c; pwd) nested=false", "cd /c nested=true", "pwd  nested=true", "cd /d nested=false",
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("commands:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	first, last := cmds[0], cmds[len(cmds)-1]
	if !first.Precedes(cmds[1]) || !first.Precedes(last) || last.Precedes(first) || first.Precedes(first) {
		t.Errorf("Precedes does not follow the script's order")
	}
	// A statement ends after its substitutions: echo does not precede them.
	if cmds[3].Precedes(cmds[4]) {
		t.Errorf("echo precedes the command substitution in its own argument")
	}
}

// TestCollectCommandsInWords: commands inside words (substitutions, also
// within quotes and expansions) are found; plain words are not entered.
func TestCollectCommandsInWords(t *testing.T) {
	file, err := ParseShell(`echo "$(a b)" ${X} "$Y" ${Z:-$(d)} $((1 + $(e))) && c 'x' <(f)`)
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
