package nodeapp

import (
	"fmt"
	"strings"
	"time"

	"github.com/seaworthy-dev/seaworthy/knowledge"
	"github.com/seaworthy-dev/seaworthy/source/nodeproject"
)

// NodeLine is the Node major a project should run on.
type NodeLine struct {
	Major int
	// From names what asked for it (".nvmrc", "engines.node"), "" when
	// nothing did; Asked is what it said.
	From, Asked string
	// EndOfLife is set when the project asks for a line past its end of
	// life on the day of the choice; Notes say so and what else is odd.
	EndOfLife bool
	Notes     []string
}

// versionFiles are read in this order; the first that names a major wins.
var versionFiles = []string{".nvmrc", ".node-version", ".tool-versions"}

// NodeLineOf chooses the Node major for a package on a day: the major a
// version file names (.nvmrc, .node-version, .tool-versions' nodejs
// line), else the newest supported LTS line engines.node admits, else the
// newest supported LTS line.
//
// A workspace member that names no version takes its workspace root's.
func NodeLineOf(pkg *nodeproject.Package, day time.Time) NodeLine {
	if !asksForNode(pkg) {
		if ws := pkg.Workspace(); ws != nil {
			if root, err := nodeproject.Load(ws.Dir); err == nil && root != nil && asksForNode(root) {
				nl := nodeLineOf(root, day)
				nl.From = "the workspace root's " + nl.From
				for i, n := range nl.Notes {
					nl.Notes[i] = "the workspace root's " + n
				}
				return nl
			}
		}
	}
	return nodeLineOf(pkg, day)
}

// asksForNode reports whether a package names a Node version: a version
// file or engines.node.
func asksForNode(pkg *nodeproject.Package) bool {
	if strings.TrimSpace(pkg.Manifest.Engines["node"]) != "" {
		return true
	}
	for _, name := range versionFiles {
		if _, ok := pkg.NodeVersionFiles[name]; ok || pkg.Exists(name) {
			return true
		}
	}
	return false
}

func nodeLineOf(pkg *nodeproject.Package, day time.Time) NodeLine {
	sched := knowledge.NodeSchedule()
	engines := strings.TrimSpace(pkg.Manifest.Engines["node"])
	for _, name := range versionFiles {
		content, ok := pkg.NodeVersionFiles[name]
		if !ok {
			b, err := pkg.ReadFile(name)
			if err != nil || b == nil {
				continue
			}
			content = string(b)
		}
		if name == ".tool-versions" {
			content = toolVersionsNode(content)
		}
		major, _, ok := VersionFileMajor(content)
		if !ok {
			continue
		}
		nl := NodeLine{Major: major, From: name, Asked: firstWord(content)}
		if engines != "" {
			if allowed, parsed := EngineAllows(engines, major, nil); parsed && !allowed {
				nl.Notes = append(nl.Notes, fmt.Sprintf("%s asks for Node %d but engines.node is %q: the version file wins", name, major, engines))
			}
		}
		nl.judge(sched, day)
		return nl
	}
	lts := sched.SupportedLTS(day)
	if engines != "" {
		for _, m := range lts {
			if allowed, parsed := EngineAllows(engines, m, nil); parsed && allowed {
				return NodeLine{Major: m, From: "engines.node", Asked: engines}
			}
		}
		// No supported LTS line satisfies the range: take the newest line
		// it admits and say why.
		for m := 60; m >= 4; m-- {
			if allowed, parsed := EngineAllows(engines, m, nil); parsed && allowed {
				if _, known := sched.Lines[m]; !known {
					continue
				}
				nl := NodeLine{Major: m, From: "engines.node", Asked: engines}
				nl.judge(sched, day)
				if !nl.EndOfLife {
					nl.Notes = append(nl.Notes, fmt.Sprintf("engines.node %q admits no supported LTS line: Node %d is not LTS", engines, m))
				}
				return nl
			}
		}
	}
	major, stale := newestLTS(sched, day)
	nl := NodeLine{Major: major}
	nl.Notes = append(nl.Notes, fmt.Sprintf("the project names no Node version (.nvmrc, .node-version, .tool-versions, engines.node): Node %d, the newest LTS line", major))
	if stale != "" {
		nl.Notes = append(nl.Notes, stale)
	}
	return nl
}

// newestLTS is the newest LTS line supported on day. When the schedule
// seaworthy carries has none for day (day is past its data), it is the
// newest LTS line the schedule knows, and stale says so.
func newestLTS(sched *knowledge.Schedule, day time.Time) (major int, stale string) {
	if lts := sched.SupportedLTS(day); len(lts) > 0 {
		return lts[0], ""
	}
	for m, line := range sched.Lines {
		if !line.LTS.IsZero() && m > major {
			major = m
		}
	}
	return major, fmt.Sprintf("seaworthy's Node release schedule (retrieved %s) has no LTS line supported on %s: Node %d is the newest it knows (a newer seaworthy knows more)",
		sched.Retrieved, day.Format("2006-01-02"), major)
}

// judge notes an end-of-life or never-LTS line.
func (nl *NodeLine) judge(sched *knowledge.Schedule, day time.Time) {
	switch st, line := sched.Status(nl.Major, day); st {
	case knowledge.EndOfLife:
		nl.EndOfLife = true
		newest, _ := newestLTS(sched, day)
		nl.Notes = append(nl.Notes, fmt.Sprintf("%s asks for Node %d, which reached end of life on %s and gets no security fixes: move the project to Node %d",
			nl.From, nl.Major, line.End.Format("2006-01-02"), newest))
	case knowledge.NeverLTS:
		nl.Notes = append(nl.Notes, fmt.Sprintf("%s asks for Node %d, which never becomes LTS", nl.From, nl.Major))
	}
}

// toolVersionsNode returns the version of the nodejs (or node) line of
// a .tool-versions file.
func toolVersionsNode(content string) string {
	for _, l := range strings.Split(content, "\n") {
		f := strings.Fields(l)
		if len(f) >= 2 && (f[0] == "nodejs" || f[0] == "node") {
			return f[1]
		}
	}
	return ""
}

func firstWord(s string) string {
	for _, l := range strings.Split(s, "\n") {
		if f := strings.Fields(l); len(f) > 0 && !strings.HasPrefix(f[0], "#") {
			return f[0]
		}
	}
	return ""
}
