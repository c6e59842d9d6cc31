package analysis

// RuleList collects a family's rules as its files declare them:
//
//	var family analysis.RuleList
//	var ShellFormCommand = family.Add(&analysis.Rule{…})
type RuleList struct {
	rules []*Rule
}

// Add appends a rule and returns it.
func (l *RuleList) Add(r *Rule) *Rule {
	l.rules = append(l.rules, r)
	return r
}

// Rules returns a copy of the list.
func (l *RuleList) Rules() []*Rule {
	return append([]*Rule(nil), l.rules...)
}
