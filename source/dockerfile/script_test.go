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
