package analysis

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestSnippet(t *testing.T) {
	for _, c := range []struct {
		in   string
		max  int
		want string
	}{
		{"npm  ci\n  --omit=dev", 40, "npm ci --omit=dev"},
		{"apt-get update && \\\n    apt-get install -y curl", 80, "apt-get update && apt-get install -y curl"},
		{"aaaa bbbb cccc dddd", 12, "aaaa bbbb …"},
		{"abcdefghijklmnop", 10, "abcdefghi…"},
		{"ééééééééééééééé", 10, "ééééééééé…"},
		{"short", 5, "short"},
	} {
		got := Snippet(c.in, c.max)
		if got != c.want {
			t.Errorf("Snippet(%q, %d) = %q, want %q", c.in, c.max, got, c.want)
		}
		if !utf8.ValidString(got) || utf8.RuneCountInString(strings.TrimSuffix(got, "…")) > c.max {
			t.Errorf("Snippet(%q, %d) = %q: invalid or too long", c.in, c.max, got)
		}
	}
}
