package co

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"

	"go.yaml.in/yaml/v4"

	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/knowledge"
	"github.com/seaworthy-dev/seaworthy/source/compose"
)

// This file holds the fixes of CO001, CO002 and CO011: text edits placed
// with the positions of the YAML node tree, so that the rest of the file
// (comments, quoting, order, blank lines) stays as written.

// indentUnit is the file's indentation step under a service: the column
// of the service's first key minus the service name's column (2 when it
// cannot be told).
func indentUnit(keyCol int, val *yaml.Node) int {
	if val != nil && val.Kind == yaml.MappingNode && len(val.Content) > 0 && val.Style&yaml.FlowStyle == 0 {
		if u := val.Content[0].Column - keyCol; u > 0 {
			return u
		}
	}
	return 2
}

// lastLine returns the last line of the block value of a key written at
// column keyCol: the deepest line of its nodes, extended over the lines
// indented deeper than the key that follow (block scalars), across
// blank and comment lines only when a deeper line follows them.
func lastLine(f *compose.File, keyCol int, val *yaml.Node) int {
	last := maxLine(val, 0)
	for l := last + 1; l <= len(f.Lines); l++ {
		line := f.Lines[l-1]
		t := strings.TrimSpace(line)
		if t == "" || strings.HasPrefix(t, "#") {
			continue
		}
		if len(line)-len(strings.TrimLeft(line, " \t")) < keyCol {
			break
		}
		last = l
	}
	return last
}

func maxLine(n *yaml.Node, depth int) int {
	if n == nil || depth > 64 {
		return 0
	}
	m := n.Line
	for _, c := range n.Content {
		if l := maxLine(c, depth+1); l > m {
			m = l
		}
	}
	return m
}

// written returns what follows the key at path on its line (after the
// colon): "" or a comment for a block value, `[…` for a flow one. ok is
// false when the value is an alias (`db: *base`), which other keys share:
// an edit would change them too.
func written(f *compose.File, path ...string) (rest string, ok bool) {
	line, col := f.Line(path...), f.Column(path...)
	if line < 1 || line > len(f.Lines) || col > len(f.Lines[line-1]) {
		return "", false
	}
	text := f.Lines[line-1][col-1:]
	i := strings.Index(text, ":")
	if i < 0 {
		return "", false
	}
	rest = strings.TrimSpace(text[i+1:])
	if strings.HasPrefix(rest, "&") { // an anchor on the value: `db: &db`
		_, rest, _ = strings.Cut(rest, " ")
		rest = strings.TrimSpace(rest)
	}
	return rest, !strings.HasPrefix(rest, "*")
}

// healthcheckTest renders a canonical test as a YAML flow sequence,
// `["CMD-SHELL", "pg_isready -U $${POSTGRES_USER:-postgres}"]`.
func healthcheckTest(test string) string {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode([]string{"CMD-SHELL", test})
	return strings.Replace(strings.TrimSpace(buf.String()), `","`, `", "`, 1)
}

// healthcheckEdit inserts the datastore's canonical healthcheck as the
// last key of service name in f: nil when the service is not a block
// mapping in f, when a file of the project already writes a
// `healthcheck:` for it (timings only: a second key would be a duplicate),
// or when no canonical test is known.
func healthcheckEdit(p *compose.Project, f *compose.File, name string, ds knowledge.Datastore) *analysis.Edit {
	if ds.Healthcheck == "" {
		return nil
	}
	for _, g := range p.Files {
		if g.Has("services", name, "healthcheck") {
			return nil
		}
	}
	val := f.Node("services", name)
	if val == nil || val.Kind != yaml.MappingNode || val.Style&yaml.FlowStyle != 0 || len(val.Content) == 0 {
		return nil
	}
	if rest, ok := written(f, "services", name); !ok || rest != "" && !strings.HasPrefix(rest, "#") {
		return nil
	}
	keyCol := f.Column("services", name)
	unit := indentUnit(keyCol, val)
	ind := strings.Repeat(" ", val.Content[0].Column-1)
	sub := ind + strings.Repeat(" ", unit)
	last := lastLine(f, keyCol, val)
	text := "\n" + ind + "healthcheck:\n" +
		sub + "test: " + healthcheckTest(ds.Healthcheck) + "\n" +
		sub + "interval: 5s\n" + sub + "timeout: 5s\n" + sub + "retries: 10\n" + sub + "start_period: 10s"
	pos := analysis.Pos{Line: last, Col: len(f.Lines[last-1]) + 1}
	return &analysis.Edit{Start: pos, End: pos, NewText: text}
}

// addHealthcheckFix adds the datastore's canonical healthcheck to
// service name in the compose file at path (see healthcheckEdit).
func addHealthcheckFix(p *compose.Project, path, name string, ds knowledge.Datastore) *analysis.Fix {
	f := p.File(path)
	if f == nil {
		return nil
	}
	e := healthcheckEdit(p, f, name, ds)
	if e == nil {
		return nil
	}
	return &analysis.Fix{Title: fmt.Sprintf("Give %q the healthcheck `%s`", name, ds.Healthcheck), Edits: []analysis.Edit{*e}}
}

// listItem matches a block sequence item written `- name` (quoted or
// not), with an optional comment.
var listItem = regexp.MustCompile(`^(\s*)-(\s+)([^#\s]+)(\s*#.*)?$`)

// dependsOnHealthyEdits rewrite service svc's `depends_on` entry for dep
// in f to `condition: service_healthy`: a short-form list becomes the long
// form (the other entries `condition: service_started`, which is what the
// short form means), a long-form `condition:` is replaced. nil when the
// entry is written another way.
func dependsOnHealthyEdits(f *compose.File, svc, dep string) []analysis.Edit {
	n := f.Node("services", svc, "depends_on")
	if n == nil {
		return nil
	}
	if _, ok := written(f, "services", svc, "depends_on"); !ok {
		return nil
	}
	if _, ok := written(f, "services", svc); !ok {
		return nil
	}
	keyCol := f.Column("services", svc, "depends_on")
	unit := indentUnit(f.Column("services", svc), f.Node("services", svc))
	switch {
	case n.Kind == yaml.SequenceNode && n.Style&yaml.FlowStyle == 0:
		var edits []analysis.Edit
		for _, it := range n.Content {
			if it.Kind != yaml.ScalarNode || it.Line < 1 || it.Line > len(f.Lines) {
				return nil
			}
			line := f.Lines[it.Line-1]
			m := listItem.FindStringSubmatch(line)
			if m == nil || unquote(m[3]) != it.Value {
				return nil
			}
			ind := strings.Repeat(" ", max(len(m[1]), keyCol-1+unit))
			cond := "service_started"
			if it.Value == dep {
				cond = "service_healthy"
			}
			edits = append(edits, analysis.Edit{
				Start:   analysis.Pos{Line: it.Line, Col: 1},
				End:     analysis.Pos{Line: it.Line, Col: len(line) + 1},
				NewText: ind + m[3] + ":" + m[4] + "\n" + ind + strings.Repeat(" ", unit) + "condition: " + cond,
			})
		}
		return edits
	case n.Kind == yaml.SequenceNode:
		// A flow sequence on one line: `depends_on: [db, cache]`.
		line := f.Lines[n.Line-1]
		start := n.Column - 1
		end := strings.IndexByte(line[start:], ']')
		if start >= len(line) || line[start] != '[' || end < 0 || strings.Contains(line[start:start+end], "#") {
			return nil
		}
		var parts []string
		for _, it := range n.Content {
			if it.Kind != yaml.ScalarNode || it.Line != n.Line {
				return nil
			}
			cond := "service_started"
			if it.Value == dep {
				cond = "service_healthy"
			}
			parts = append(parts, fmt.Sprintf("%s: {condition: %s}", it.Value, cond))
		}
		return []analysis.Edit{{
			Start:   analysis.Pos{Line: n.Line, Col: start + 1},
			End:     analysis.Pos{Line: n.Line, Col: start + end + 2},
			NewText: "{" + strings.Join(parts, ", ") + "}",
		}}
	case n.Kind == yaml.MappingNode:
		entry := f.Node("services", svc, "depends_on", dep)
		if entry == nil || entry.Kind != yaml.MappingNode {
			return nil
		}
		if c := compose.MappingValue(entry, "condition"); c != nil {
			if c.Kind != yaml.ScalarNode || c.Line < 1 {
				return nil
			}
			line := f.Lines[c.Line-1]
			from := c.Column - 1
			width := len(c.Value)
			if c.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) != 0 {
				width += 2
			}
			if from+width > len(line) || unquote(line[from:from+width]) != c.Value {
				return nil
			}
			return []analysis.Edit{{
				Start:   analysis.Pos{Line: c.Line, Col: from + 1},
				End:     analysis.Pos{Line: c.Line, Col: from + width + 1},
				NewText: "service_healthy",
			}}
		}
	}
	return nil
}

func unquote(s string) string {
	if len(s) >= 2 && (s[0] == '"' && s[len(s)-1] == '"' || s[0] == '\'' && s[len(s)-1] == '\'') {
		return s[1 : len(s)-1]
	}
	return s
}
