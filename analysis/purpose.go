package analysis

import (
	"fmt"
	"strings"
)

// Purpose is what a Dockerfile or compose file is for. The checker
// classifies every file it checks (facts/purpose) and runs on it only the
// rules whose Purposes include its purpose.
type Purpose int

const (
	// Production files build or run what is deployed. The zero value:
	// a file nothing says otherwise about is production.
	Production Purpose = iota
	// Development files build or run a developer's environment: a Dev
	// Container, Dockerfile.dev, a compose stack of local services.
	Development
	// Test files build or run tests: CI and e2e images, test stacks,
	// benchmarks, fixtures.
	Test
	// Example files show how to do it: examples, samples, docs. They are
	// what readers copy into production, so production rules apply.
	Example
)

// Purposes lists every purpose in order.
var Purposes = []Purpose{Production, Development, Test, Example}

// Deployed are the purposes of files whose image or stack is (or is
// copied into) what runs in production: the purposes of rules about
// production concerns (image size, health checks, signals, users,
// restart policies).
var Deployed = []Purpose{Production, Example}

func (p Purpose) String() string {
	switch p {
	case Production:
		return "production"
	case Development:
		return "development"
	case Test:
		return "test"
	case Example:
		return "example"
	}
	return fmt.Sprintf("Purpose(%d)", int(p))
}

// ParsePurpose accepts production, development, test or example (and the
// short forms prod and dev).
func ParsePurpose(s string) (Purpose, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "production", "prod":
		return Production, nil
	case "development", "dev":
		return Development, nil
	case "test":
		return Test, nil
	case "example":
		return Example, nil
	}
	return 0, fmt.Errorf("unknown purpose %q (want production, development, test or example)", s)
}

// AppliesTo reports whether the rule runs on files of purpose p: every
// purpose when the rule lists none.
func (r *Rule) AppliesTo(p Purpose) bool {
	if len(r.Purposes) == 0 {
		return true
	}
	for _, q := range r.Purposes {
		if q == p {
			return true
		}
	}
	return false
}

// PurposeList says in words which files the rule applies to: "all" or
// the purposes, comma-separated ("production, example").
func (r *Rule) PurposeList() string {
	if len(r.Purposes) == 0 {
		return "all"
	}
	names := make([]string, len(r.Purposes))
	for i, p := range r.Purposes {
		names[i] = p.String()
	}
	return strings.Join(names, ", ")
}

// FilePurpose is what one checked file is for, and why seaworthy thinks
// so.
type FilePurpose struct {
	// File is the path as findings name it.
	File    string
	Purpose Purpose
	// Reason is a short phrase: "named Dockerfile.dev", "in .devcontainer/",
	// "its header says \"DO NOT USE IN PRODUCTION\"", "set in
	// .seaworthy.yaml"; empty for a production file nothing marks.
	Reason string
}
