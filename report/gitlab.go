package report

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/seaworthy-dev/seaworthy/analysis"
)

// gitlabIssue is one entry of a GitLab Code Quality report
// (artifacts:reports:codequality), the subset of the Code Climate issue
// format that GitLab reads.
type gitlabIssue struct {
	Description string         `json:"description"`
	CheckName   string         `json:"check_name"`
	Fingerprint string         `json:"fingerprint"`
	Severity    string         `json:"severity"`
	Location    gitlabLocation `json:"location"`
}

type gitlabLocation struct {
	Path  string      `json:"path"`
	Lines gitlabLines `json:"lines"`
}

type gitlabLines struct {
	Begin int `json:"begin"`
	End   int `json:"end,omitempty"`
}

// writeGitLab renders a GitLab Code Quality report: a JSON array with one
// issue per finding. A finding without a position (an image's) is placed
// on line 1 of what it names. The fingerprint, which GitLab uses to tell a
// new issue from one the target branch already has, hashes the rule, the
// path and the text of the finding's first line (or its message when the
// text is unknown), not the line number, so an issue keeps its fingerprint
// when lines above it move; identical issues are told apart by their order.
func writeGitLab(b *bytes.Buffer, res *Result, _ Options) error {
	issues := make([]gitlabIssue, 0, len(res.Findings))
	seen := map[string]int{}
	for i := range res.Findings {
		f := &res.Findings[i]
		rule := res.rule(f)
		path := gitlabPath(f.File)
		is := gitlabIssue{
			Description: f.Message,
			CheckName:   strings.TrimSpace(rule.ID + " " + rule.Name),
			Severity:    gitlabSeverity(severity(f)),
			Location:    gitlabLocation{Path: path, Lines: gitlabLines{Begin: 1}},
		}
		anchor := f.Message
		if s, ok := res.resolve(f.File, f.Range); ok {
			is.Location.Lines.Begin = s.StartLine
			if s.EndLine > s.StartLine {
				is.Location.Lines.End = s.EndLine
			}
			if text, ok := res.line(f.File, s.StartLine); ok {
				anchor = strings.Join(strings.Fields(text), " ")
			}
		}
		key := strings.Join([]string{rule.ID, path, anchor}, "\x00")
		n := seen[key]
		seen[key]++
		sum := sha256.Sum256([]byte(key + "\x00" + strconv.Itoa(n)))
		is.Fingerprint = hex.EncodeToString(sum[:16])
		issues = append(issues, is)
	}
	enc := json.NewEncoder(b)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(issues)
}

// gitlabSeverity maps seaworthy's severities onto GitLab's scale (info,
// minor, major, critical, blocker). Blocker is left for nothing seaworthy
// finds: an error breaks the container in production, which GitLab calls
// critical.
func gitlabSeverity(s analysis.Severity) string {
	switch s {
	case analysis.Error:
		return "critical"
	case analysis.Warning:
		return "major"
	}
	return "info"
}

// gitlabPath is a finding's path as GitLab wants it: relative to the
// repository, which is the job's working directory (`seaworthy check
// $CI_PROJECT_DIR` names files by absolute paths), with slashes.
func gitlabPath(file string) string {
	if filepath.IsAbs(file) {
		if wd, err := os.Getwd(); err == nil {
			if rel, err := filepath.Rel(wd, file); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
				file = rel
			}
		}
	}
	path := filepath.ToSlash(file)
	for strings.HasPrefix(path, "./") {
		path = path[2:]
	}
	return path
}
