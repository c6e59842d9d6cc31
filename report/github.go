package report

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/seaworthy-dev/seaworthy/analysis"
)

// writeGitHub emits one GitHub Actions workflow command per finding, which
// the runner turns into an annotation:
//
//	::error file=Dockerfile,line=4,col=1,endLine=4,endColumn=20,title=DF013 shell-form-command::message
func writeGitHub(b *bytes.Buffer, res *Result, _ Options) error {
	for i := range res.Findings {
		f := &res.Findings[i]
		rule := res.rule(f)
		props := []string{"file=" + escapeProperty(f.File)}
		if s, ok := res.resolve(f.File, f.Range); ok {
			props = append(props, fmt.Sprintf("line=%d", s.StartLine))
			// Annotations support columns only within one line.
			if s.EndLine == s.StartLine {
				props = append(props, fmt.Sprintf("col=%d", s.StartCol))
			}
			props = append(props, fmt.Sprintf("endLine=%d", s.EndLine))
			if s.EndLine == s.StartLine && s.EndCol > 0 {
				props = append(props, fmt.Sprintf("endColumn=%d", s.EndCol))
			}
		}
		props = append(props, "title="+escapeProperty(strings.TrimSpace(rule.ID+" "+rule.Name)))
		msg := f.Message
		if f.Help != "" {
			msg += "\nhelp: " + f.Help
		}
		fmt.Fprintf(b, "::%s %s::%s\n", githubCommand(severity(f)), strings.Join(props, ","), escapeData(msg))
	}
	return nil
}

func githubCommand(s analysis.Severity) string {
	switch s {
	case analysis.Error:
		return "error"
	case analysis.Warning:
		return "warning"
	}
	return "notice"
}

// escapeData escapes a workflow command's message as the runner expects.
func escapeData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

// escapeProperty escapes a workflow command property value.
func escapeProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}
