package analysis

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"sync"
)

// Registry is the single list of rules that the CLI, `seaworthy rules`,
// `seaworthy explain`, SARIF metadata and the docs generator all read.
type Registry struct {
	rules  []*Rule
	byID   map[string]*Rule
	byName map[string][]*Rule
	sorted bool

	mu      sync.Mutex         // guards sorted and byInput, which readers fill in
	byInput map[string][]*Rule // ForInput's lists, reset by Add
}

// NewRegistry returns a registry holding rules, sorted by ID.
func NewRegistry(rules ...*Rule) *Registry {
	r := &Registry{byID: map[string]*Rule{}, byName: map[string][]*Rule{}}
	for _, rule := range rules {
		r.Add(rule)
	}
	return r
}

// Add registers a rule. Validate reports duplicates.
func (r *Registry) Add(rule *Rule) {
	r.rules = append(r.rules, rule)
	r.byID[strings.ToUpper(rule.ID)] = rule
	name := strings.ToLower(rule.Name)
	r.byName[name] = append(r.byName[name], rule)
	r.mu.Lock()
	r.sorted = false
	r.byInput = nil
	r.mu.Unlock()
}

// ForInput returns the rules that read inputs of the kind (see Input),
// ordered by ID. The list is shared: callers must not modify it.
func (r *Registry) ForInput(kind string) []*Rule {
	r.mu.Lock()
	defer r.mu.Unlock()
	if rules, ok := r.byInput[kind]; ok {
		return rules
	}
	var out []*Rule
	for _, rule := range r.sortedLocked() {
		if rule.Check != nil && rule.Check.Input() == kind {
			out = append(out, rule)
		}
	}
	out = out[:len(out):len(out)]
	if r.byInput == nil {
		r.byInput = map[string][]*Rule{}
	}
	r.byInput[kind] = out
	return out
}

// Rules returns every rule ordered by ID. The list is shared: callers must
// not modify it.
func (r *Registry) Rules() []*Rule {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.sortedLocked()
}

func (r *Registry) sortedLocked() []*Rule {
	if !r.sorted {
		sort.Slice(r.rules, func(i, j int) bool { return r.rules[i].ID < r.rules[j].ID })
		r.sorted = true
	}
	return r.rules
}

// Lookup finds a rule by ID (case-insensitive) or name; a name shared by
// rules of several families (runs-as-root: DF011 and RT003) returns the
// first by ID.
func (r *Registry) Lookup(key string) (*Rule, bool) {
	all := r.LookupAll(key)
	if len(all) == 0 {
		return nil, false
	}
	return all[0], true
}

// LookupAll returns the rule with ID key, or every rule named key.
func (r *Registry) LookupAll(key string) []*Rule {
	k := strings.TrimSpace(key)
	if rule, ok := r.byID[strings.ToUpper(k)]; ok {
		return []*Rule{rule}
	}
	var out []*Rule
	for _, rule := range r.Rules() {
		if strings.EqualFold(rule.Name, k) {
			out = append(out, rule)
		}
	}
	return out
}

var (
	idPattern   = regexp.MustCompile(`^(DF|DI|CO|AP|IM|RT)[0-9]{3}$`)
	namePattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
)

// Validate checks the registry's invariants: unique well-formed IDs and
// names, a title, a severity, documentation and a check function.
func (r *Registry) Validate() error {
	var errs []string
	ids, names := map[string]bool{}, map[string]bool{} // names: per family
	for _, rule := range r.Rules() {
		bad := func(format string, args ...any) {
			errs = append(errs, fmt.Sprintf("%s: %s", rule.ID, fmt.Sprintf(format, args...)))
		}
		if !idPattern.MatchString(rule.ID) {
			bad("ID does not match %s", idPattern)
		}
		if ids[rule.ID] {
			bad("duplicate ID")
		}
		ids[rule.ID] = true
		if !namePattern.MatchString(rule.Name) {
			bad("name %q is not kebab-case", rule.Name)
		}
		if names[rule.Family()+"/"+rule.Name] {
			bad("duplicate name %q in family %s", rule.Name, rule.Family())
		}
		names[rule.Family()+"/"+rule.Name] = true
		if !titleOK(rule.Title) {
			bad("title %q must be set, start lowercase (or with an upper-case keyword such as CMD) and have no final period", rule.Title)
		}
		if rule.Severity < Info || rule.Severity > Error {
			bad("no severity")
		}
		if strings.TrimSpace(rule.Doc.Why) == "" || strings.TrimSpace(rule.Doc.Fix) == "" {
			bad("doc needs Why and Fix")
		}
		if rule.ID != "DF000" && (strings.TrimSpace(rule.Doc.Bad) == "" || strings.TrimSpace(rule.Doc.Good) == "") {
			bad("doc needs Bad and Good examples")
		}
		if rule.Check == nil {
			bad("no Check function")
		}
		if len(rule.Purposes) > 0 && strings.TrimSpace(rule.Doc.AppliesTo) == "" {
			bad("doc needs AppliesTo: why the rule runs only on %s files", rule.PurposeList())
		}
		seen := map[Purpose]bool{}
		for _, p := range rule.Purposes {
			if p < Production || p > Example || seen[p] {
				bad("bad or repeated purpose %v", p)
			}
			seen[p] = true
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("invalid rule registry:\n  %s", strings.Join(errs, "\n  "))
	}
	return nil
}

// titleOK: a title is lowercase prose with no final period; it may start
// with an all-caps keyword or acronym (`CMD`, `ADD`, `NODE_ENV`).
func titleOK(t string) bool {
	if t == "" || strings.HasSuffix(t, ".") {
		return false
	}
	first := strings.FieldsFunc(t, func(r rune) bool { return r == ' ' || r == ',' || r == ':' })[0]
	if strings.ToUpper(first) == first {
		return true
	}
	return strings.ToLower(t[:1]) == t[:1]
}
