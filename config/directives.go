package config

import (
	"regexp"
	"strings"

	"github.com/seaworthy-dev/seaworthy/analysis"
)

// Directive is one suppression comment.
type Directive struct {
	Line   int
	Global bool
	// Rules are seaworthy rule IDs the comment suppresses.
	Rules []string
	// Unknown lists codes that name no rule (see UnknownCodes).
	Unknown []string
	// Hadolint is set for `# hadolint ignore=` comments.
	Hadolint bool
}

var directiveRe = regexp.MustCompile(`^(seaworthy|hadolint)\s+(global\s+)?ignore\s*=\s*(.*)$`)

// ParseDirective reads a comment's text (without '#'): `seaworthy
// ignore=DF013,DF015`, `seaworthy global ignore=DF003`, `hadolint
// ignore=DL3006`. ok is false for any other comment.
func ParseDirective(reg *analysis.Registry, line int, text string) (Directive, bool) {
	text = strings.TrimSpace(text)
	if !strings.HasPrefix(text, "seaworthy") && !strings.HasPrefix(text, "hadolint") {
		return Directive{}, false // most comments: no need for the regexp
	}
	m := directiveRe.FindStringSubmatch(text)
	if m == nil {
		return Directive{}, false
	}
	d := Directive{Line: line, Global: m[2] != "", Hadolint: m[1] == "hadolint"}
	list := m[3]
	// Everything after whitespace is commentary ("ignore=DF013 reason").
	if i := strings.IndexAny(list, " \t"); i >= 0 {
		list = list[:i]
	}
	for _, code := range strings.Split(list, ",") {
		code = strings.TrimSpace(code)
		if code == "" {
			continue
		}
		if d.Hadolint {
			// Unmapped DL codes belong to hadolint, not to us: skip them.
			h, _ := LookupHadolint(code)
			d.Rules = append(d.Rules, h.Rules...)
			continue
		}
		rules, err := LookupRules(reg, code)
		for _, r := range rules {
			d.Rules = append(d.Rules, r.ID)
		}
		if err != nil {
			d.Unknown = append(d.Unknown, code)
		}
	}
	return d, true
}

// Suppressions holds the directives of one file.
type Suppressions struct {
	global map[string]bool
	// byLine maps a line to the rules suppressed on it.
	byLine map[int]map[string]bool
}

// NewSuppressions returns an empty set.
func NewSuppressions() *Suppressions {
	return &Suppressions{global: map[string]bool{}, byLine: map[int]map[string]bool{}}
}

// AddGlobal suppresses rules in the whole file.
func (s *Suppressions) AddGlobal(rules []string) {
	for _, r := range rules {
		s.global[r] = true
	}
}

// AddLines suppresses rules on lines from..to.
func (s *Suppressions) AddLines(from, to int, rules []string) {
	for l := from; l <= to; l++ {
		if s.byLine[l] == nil {
			s.byLine[l] = map[string]bool{}
		}
		for _, r := range rules {
			s.byLine[l][r] = true
		}
	}
}

// Suppressed reports whether the finding is silenced by a directive.
func (s *Suppressions) Suppressed(f analysis.Finding) bool {
	if s.global[f.Rule.ID] {
		return true
	}
	return s.byLine[f.Range.Start.Line][f.Rule.ID]
}

// Filter drops suppressed findings.
func (s *Suppressions) Filter(findings []analysis.Finding) []analysis.Finding {
	out := findings[:0]
	for _, f := range findings {
		if !s.Suppressed(f) {
			out = append(out, f)
		}
	}
	return out
}

// CommentSuppressions reads directives from the comment lines of any
// line-oriented file (`#` in .dockerignore and compose YAML, `//` in
// JavaScript and TypeScript sources): a `# seaworthy
// ignore=` comment applies to the next line that is neither blank nor a
// comment; `global` applies to the whole file.
func CommentSuppressions(reg *analysis.Registry, lines []string) *Suppressions {
	s := NewSuppressions()
	for i, l := range lines {
		t := strings.TrimSpace(l)
		text, ok := commentText(t)
		if !ok {
			continue
		}
		d, ok := ParseDirective(reg, i+1, text)
		if !ok || d.Hadolint {
			continue
		}
		if d.Global {
			s.AddGlobal(d.Rules)
			continue
		}
		for j := i + 1; j < len(lines); j++ {
			n := strings.TrimSpace(lines[j])
			if _, comment := commentText(n); n == "" || comment {
				continue
			}
			s.AddLines(j+1, j+1, d.Rules)
			break
		}
	}
	return s
}

// UnknownCode is a code in a `# seaworthy ignore=` comment that names no
// rule: usually a typo, which silently suppresses nothing.
type UnknownCode struct {
	Line int
	Code string
	// Hint is the nearest rule (" (did you mean DF013?)"), or a note on a
	// hadolint code seaworthy does not map; "" when there is none.
	Hint string
}

// UnknownCodes lists the codes of the seaworthy ignore comments in lines
// that name no rule, in line order. It reads comments the way
// CommentSuppressions does. Unmapped `# hadolint ignore=` codes are
// hadolint's own and are not listed.
func UnknownCodes(reg *analysis.Registry, lines []string) []UnknownCode {
	var out []UnknownCode
	for i, l := range lines {
		text, ok := commentText(strings.TrimSpace(l))
		if !ok {
			continue
		}
		d, ok := ParseDirective(reg, i+1, text)
		if !ok {
			continue
		}
		for _, code := range d.Unknown {
			u := UnknownCode{Line: i + 1, Code: code}
			if _, err := LookupRules(reg, code); err != nil {
				if e, ok := err.(*UnknownRuleError); ok {
					u.Hint = e.Hint()
				}
			}
			out = append(out, u)
		}
	}
	return out
}

// commentText returns the text of a whole-line `#` or `//` comment.
func commentText(line string) (string, bool) {
	switch {
	case strings.HasPrefix(line, "#"):
		return strings.TrimSpace(line[1:]), true
	case strings.HasPrefix(line, "//"):
		return strings.TrimSpace(line[2:]), true
	}
	return "", false
}
