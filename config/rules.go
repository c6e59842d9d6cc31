package config

import (
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/seaworthy-dev/seaworthy/analysis"
)

// HadolintRule is a hadolint rule that checks what seaworthy rules check,
// so that its code works wherever a rule ID does: `# hadolint ignore=`
// comments, `# seaworthy ignore=`, --ignore, --severity, the config file
// and `seaworthy explain`.
type HadolintRule struct {
	Code  string
	Title string
	// Rules are the seaworthy rule IDs the code stands for.
	Rules []string
}

// Hadolint lists the hadolint codes seaworthy maps, by code. Other DL codes
// are hadolint's own: ignore comments skip them, and settings refuse them.
var Hadolint = []HadolintRule{
	{"DL3002", "last USER should not be root", []string{"DF011"}},
	{"DL3003", "use WORKDIR to switch to a directory", []string{"DF033"}},
	{"DL3004", "do not use sudo", []string{"DF040"}},
	{"DL3006", "always tag the version of an image explicitly", []string{"DF001"}},
	{"DL3007", "using latest is prone to errors", []string{"DF002"}},
	{"DL3009", "delete the apt-get lists after installing something", []string{"DF026"}},
	{"DL3015", "avoid additional packages by specifying --no-install-recommends", []string{"DF027"}},
	{"DL3019", "use the --no-cache switch of apk add", []string{"DF028"}},
	{"DL3020", "use COPY instead of ADD for files and folders", []string{"DF030"}},
	{"DL3025", "use arguments JSON notation for CMD and ENTRYPOINT", []string{"DF013"}},
	{"DL3045", "COPY to a relative destination without WORKDIR set", []string{"DF033"}},
	{"DL3057", "HEALTHCHECK instruction missing", []string{"DF017"}},
	{"DL4000", "MAINTAINER is deprecated", []string{"DF039"}},
	{"DL4003", "multiple CMD instructions found", []string{"DF034"}},
	{"DL4004", "multiple ENTRYPOINT instructions found", []string{"DF034"}},
}

// LookupHadolint returns the mapping of a hadolint code (case-insensitive).
func LookupHadolint(code string) (HadolintRule, bool) {
	code = strings.ToUpper(strings.TrimSpace(code))
	for _, h := range Hadolint {
		if h.Code == code {
			return h, true
		}
	}
	return HadolintRule{}, false
}

var hadolintCode = regexp.MustCompile(`^(?i:DL)\d{4}$`)

// IsHadolintCode reports whether code is spelt like a hadolint rule code
// (DL and four digits), mapped or not.
func IsHadolintCode(code string) bool { return hadolintCode.MatchString(strings.TrimSpace(code)) }

// UnknownRuleError is a rule key that names no rule, with the nearest
// match when there is one.
type UnknownRuleError struct {
	Key string
	// Suggestion is the nearest rule ID, name or hadolint code ("" when
	// nothing is near).
	Suggestion string
	// Hadolint is set when Key is a hadolint code seaworthy does not map.
	Hadolint bool
}

func (e *UnknownRuleError) Error() string { return fmt.Sprintf("unknown rule %q%s", e.Key, e.Hint()) }

// Hint is what follows the message: " (did you mean DF013?)", a note on
// unmapped hadolint codes, or "".
func (e *UnknownRuleError) Hint() string {
	switch {
	case e.Hadolint:
		return " (a hadolint rule that no seaworthy rule checks; `seaworthy explain " + strings.ToUpper(e.Key) + "` lists the ones mapped)"
	case e.Suggestion != "":
		return " (did you mean " + e.Suggestion + "?)"
	}
	return ""
}

// LookupRules returns the rules key names: a rule ID (any case), a rule
// name (every family's rule of that name), or a hadolint code seaworthy
// maps (see Hadolint). Otherwise the error is an *UnknownRuleError with the
// nearest match.
func LookupRules(reg *analysis.Registry, key string) ([]*analysis.Rule, error) {
	if rules := reg.LookupAll(key); len(rules) > 0 {
		return rules, nil
	}
	if h, ok := LookupHadolint(key); ok {
		var out []*analysis.Rule
		for _, id := range h.Rules {
			if r, ok := reg.Lookup(id); ok {
				out = append(out, r)
			}
		}
		if len(out) > 0 {
			return out, nil
		}
	}
	return nil, &UnknownRuleError{Key: key, Suggestion: Suggest(reg, key), Hadolint: IsHadolintCode(key)}
}

var ruleIDPattern = regexp.MustCompile(`^([A-Za-z]{2})0*(\d+)$`)

// Suggest returns the rule ID, rule name or mapped hadolint code nearest
// to key, or "" when none is near enough to be a likely typo. An ID with
// the right family and number but other zero padding (DF13, DF0013) gets
// that rule; otherwise the candidate at the smallest edit distance
// (insertions, deletions, substitutions and swaps of neighbours, ignoring
// case) within a bound that grows with the key's length; ties go to the
// longest common prefix, then the first in order.
func Suggest(reg *analysis.Registry, key string) string {
	key = strings.TrimSpace(key)
	if key == "" {
		return ""
	}
	upper := strings.ToUpper(key)
	if m := ruleIDPattern.FindStringSubmatch(upper); m != nil {
		for _, r := range reg.Rules() {
			if rm := ruleIDPattern.FindStringSubmatch(r.ID); rm != nil && rm[1] == m[1] && rm[2] == m[2] {
				return r.ID
			}
		}
	}
	var cands []string
	seen := map[string]bool{}
	for _, r := range reg.Rules() {
		for _, c := range []string{r.ID, r.Name} {
			if c != "" && !seen[c] {
				seen[c] = true
				cands = append(cands, c)
			}
		}
	}
	for _, h := range Hadolint {
		cands = append(cands, h.Code)
	}
	limit := 1 + len(key)/6
	if ruleIDPattern.MatchString(key) {
		limit = 1 // IDs: one digit or letter off
	}
	limit = min(limit, 3)
	best, bestDist, bestPrefix := "", limit+1, -1
	for _, c := range cands {
		d := distance(strings.ToLower(key), strings.ToLower(c))
		if d > limit || d > bestDist {
			continue
		}
		p := commonPrefix(strings.ToLower(key), strings.ToLower(c))
		if d < bestDist || p > bestPrefix {
			best, bestDist, bestPrefix = c, d, p
		}
	}
	if best == "" && !ruleIDPattern.MatchString(key) {
		best = onlyNameContaining(reg, strings.ToLower(key))
	}
	return best
}

// onlyNameContaining is the rule name that contains part ("shell-form"
// in shell-form-command), when exactly one does and part has at least
// five letters; "" otherwise.
func onlyNameContaining(reg *analysis.Registry, part string) string {
	if len(part) < 5 {
		return ""
	}
	found := ""
	for _, r := range reg.Rules() {
		if !strings.Contains(r.Name, part) || r.Name == found {
			continue
		}
		if found != "" {
			return ""
		}
		found = r.Name
	}
	return found
}

// distance is the optimal string alignment distance between a and b:
// the edits that turn one into the other, a swap of neighbours counting
// as one.
func distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	if len(ra) > 64 || len(rb) > 64 {
		if a == b {
			return 0
		}
		return max(len(ra), len(rb))
	}
	d := make([][]int, len(ra)+1)
	for i := range d {
		d[i] = make([]int, len(rb)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(ra); i++ {
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(ra)][len(rb)]
}

func commonPrefix(a, b string) int {
	n := 0
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}
	return n
}

// HadolintList is the mapped hadolint codes as "DL3002 → DF011" lines,
// sorted by code, for messages.
func HadolintList() []string {
	out := make([]string, 0, len(Hadolint))
	for _, h := range Hadolint {
		out = append(out, h.Code+" → "+strings.Join(h.Rules, ", "))
	}
	sort.Strings(out)
	return out
}

// splitList splits comma-separated settings ("DF013,DF014"), dropping
// blanks around and between the items.
func splitList(values []string) []string {
	var out []string
	for _, v := range values {
		for _, item := range strings.Split(v, ",") {
			if item = strings.TrimSpace(item); item != "" {
				out = append(out, item)
			}
		}
	}
	return out
}
