package analysis

import "strings"

// Snippet prepares text quoted in a message: white space, line breaks and
// Dockerfile line continuations collapse to single spaces, and text longer
// than max runes is cut, at a word boundary when one is in the last third,
// and ends with "…". It never splits a UTF-8 sequence.
func Snippet(s string, max int) string {
	if strings.Contains(s, "\\\n") {
		s = strings.ReplaceAll(s, "\\\n", " ")
	}
	s = strings.Join(strings.Fields(s), " ")
	if len(s) <= max { // bytes ≥ runes: short enough
		return s
	}
	r := []rune(s)
	if len(r) <= max {
		return s
	}
	keep := r[:max-1]
	for i := len(keep) - 1; i >= max*2/3; i-- {
		if keep[i] == ' ' {
			return string(keep[:i]) + " …"
		}
	}
	return string(keep) + "…"
}
