package compose

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v4"
)

// File is one compose file as written: its lines and its YAML node tree,
// which keeps the line of every key and value (compose-go keeps none).
type File struct {
	// Path is the file's path as the user gave it.
	Path string
	// Lines are the file's lines without line terminators.
	Lines []string
	// docs are the top-level nodes of each YAML document (usually one).
	docs []*yaml.Node
}

// Error is a compose file that cannot be loaded; Line is 0 when unknown.
type Error struct {
	File string
	Line int
	Msg  string
}

func (e *Error) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("reading compose file %q: line %d: %s", e.File, e.Line, e.Msg)
	}
	return fmt.Sprintf("reading compose file %q: %s", e.File, e.Msg)
}

var yamlErrLine = regexp.MustCompile(`line (\d+)(?::\d+)?: (.*)`)

// ParseFile parses src into a File. Invalid YAML is an *Error with the line.
func ParseFile(path string, src []byte) (*File, error) {
	f := &File{Path: path, Lines: splitLines(src)}
	dec := yaml.NewDecoder(bytes.NewReader(src))
	for {
		var doc yaml.Node
		err := dec.Decode(&doc)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, yamlError(path, err)
		}
		n := &doc
		if n.Kind == yaml.DocumentNode && len(n.Content) > 0 {
			n = n.Content[0]
		}
		f.docs = append(f.docs, n)
		if err := checkAliases(path, n); err != nil {
			return nil, err
		}
	}
	return f, nil
}

// maxExpandedNodes bounds the size of a document once its aliases are
// expanded (the loader expands them, slowly).
const maxExpandedNodes = 100000

// checkAliases rejects documents whose aliases refer to an enclosing node
// (`a: &x {<<: *x}`) or expand to a huge tree: compose's own loader takes
// tens of seconds on them before failing.
func checkAliases(path string, root *yaml.Node) error {
	size := map[*yaml.Node]int{}
	onPath := map[*yaml.Node]bool{}
	var walk func(n *yaml.Node) (int, *Error)
	walk = func(n *yaml.Node) (int, *Error) {
		if n == nil {
			return 0, nil
		}
		if n.Kind == yaml.AliasNode {
			if onPath[n.Alias] {
				return 0, &Error{File: path, Line: n.Line, Msg: fmt.Sprintf("alias *%s refers to a node that contains it", n.Value)}
			}
			n = n.Alias
			if n == nil {
				return 0, nil
			}
		}
		if v, ok := size[n]; ok {
			return v, nil
		}
		onPath[n] = true
		defer delete(onPath, n)
		total := 1
		for _, c := range n.Content {
			v, err := walk(c)
			if err != nil {
				return 0, err
			}
			total += v
			if total > maxExpandedNodes {
				return 0, &Error{File: path, Line: c.Line, Msg: "aliases expand to too large a document"}
			}
		}
		size[n] = total
		return total, nil
	}
	if _, err := walk(root); err != nil {
		return err
	}
	return nil
}

func yamlError(path string, err error) *Error {
	msg := strings.TrimSpace(strings.Split(err.Error(), "\n")[0])
	msg = strings.TrimPrefix(msg, "yaml: ")
	e := &Error{File: path, Msg: "invalid YAML: " + msg}
	if m := yamlErrLine.FindStringSubmatch(msg); m != nil {
		e.Line, _ = strconv.Atoi(m[1])
		e.Msg = "invalid YAML: " + m[2]
	}
	return e
}

func splitLines(src []byte) []string {
	s := strings.TrimSuffix(string(src), "\n")
	if s == "" {
		return nil
	}
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimSuffix(l, "\r")
	}
	return lines
}

// Empty reports whether the file holds no YAML content.
func (f *File) Empty() bool {
	for _, d := range f.docs {
		if d.Kind == yaml.MappingNode && len(d.Content) > 0 || d.Kind == yaml.SequenceNode || d.Kind == yaml.ScalarNode && d.Value != "" {
			return false
		}
	}
	return true
}

// hit is the result of following a key path in a file.
type hit struct {
	// depth is how many path components were found.
	depth int
	// key is the node of the deepest component found (a mapping key or a
	// sequence item); value is its value (the item itself for sequences).
	key, value *yaml.Node
}

// lookup follows path from the document roots and returns the deepest
// match over all documents (the later document on a tie).
func (f *File) lookup(path []string) hit {
	var best hit
	for _, d := range f.docs {
		h := follow(d, path)
		if h.depth >= best.depth && h.depth > 0 {
			best = h
		}
	}
	return best
}

func follow(n *yaml.Node, path []string) hit {
	var h hit
	cur := deref(n)
	for _, comp := range path {
		k, v := child(cur, comp)
		if k == nil {
			break
		}
		h.depth++
		h.key, h.value = k, v
		cur = deref(v)
	}
	return h
}

// deref resolves aliases (`*anchor`).
func deref(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && n.Kind == yaml.AliasNode && i < 16; i++ {
		n = n.Alias
	}
	return n
}

// child finds comp below n. In a mapping it is a key (merge keys `<<`
// included); in a sequence an item whose scalar is comp, or starts with
// comp followed by `=` or `:` (`KEY=value` environment entries, `db:`
// short entries), or else the item at index comp.
func child(n *yaml.Node, comp string) (key, value *yaml.Node) {
	return childDepth(n, comp, 0)
}

func childDepth(n *yaml.Node, comp string, depth int) (key, value *yaml.Node) {
	if n == nil || depth > 8 { // merge keys can refer to themselves
		return nil, nil
	}
	switch n.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == comp && n.Content[i].Kind == yaml.ScalarNode {
				return n.Content[i], n.Content[i+1]
			}
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value != "<<" {
				continue
			}
			m := deref(n.Content[i+1])
			var sources []*yaml.Node
			if m != nil && m.Kind == yaml.SequenceNode {
				sources = m.Content
			} else {
				sources = []*yaml.Node{m}
			}
			for _, s := range sources {
				if k, v := childDepth(deref(s), comp, depth+1); k != nil {
					return k, v
				}
			}
		}
	case yaml.SequenceNode:
		for _, it := range n.Content {
			it := deref(it)
			if it == nil || it.Kind != yaml.ScalarNode {
				continue
			}
			if it.Value == comp || strings.HasPrefix(it.Value, comp+"=") || strings.HasPrefix(it.Value, comp+":") {
				return it, it
			}
		}
		if i, err := strconv.Atoi(comp); err == nil && i >= 0 && i < len(n.Content) {
			return n.Content[i], n.Content[i]
		}
	}
	return nil, nil
}

// Line returns the line of the key at path (`Line("services", "db",
// "depends_on", "api")`), or of the nearest parent key that exists; 1 when
// not even the first component is in the file.
func (f *File) Line(path ...string) int {
	h := f.lookup(path)
	if h.key == nil {
		return 1
	}
	return h.key.Line
}

// Column returns the column of the key at path, or of the nearest parent
// key that exists; 1 when not even the first component is in the file.
func (f *File) Column(path ...string) int {
	h := f.lookup(path)
	if h.key == nil {
		return 1
	}
	return h.key.Column
}

// Has reports whether the whole path exists in the file.
func (f *File) Has(path ...string) bool {
	return f.lookup(path).depth == len(path)
}

// Node returns the value node at path, or nil when the path is not in the
// file. Aliases are resolved.
func (f *File) Node(path ...string) *yaml.Node {
	h := f.lookup(path)
	if h.depth != len(path) {
		return nil
	}
	return deref(h.value)
}

// Keys returns the keys of the mapping at path in document order
// (merge-key sources after the mapping's own keys).
func (f *File) Keys(path ...string) []string {
	var n *yaml.Node
	if len(path) == 0 {
		for _, d := range f.docs {
			if d.Kind == yaml.MappingNode {
				n = d
			}
		}
	} else {
		n = f.Node(path...)
	}
	var out []string
	seen := map[string]bool{}
	var collect func(m *yaml.Node, depth int)
	collect = func(m *yaml.Node, depth int) {
		if m == nil || m.Kind != yaml.MappingNode || depth > 8 {
			return
		}
		for i := 0; i+1 < len(m.Content); i += 2 {
			k := m.Content[i].Value
			if k == "<<" {
				continue
			}
			if !seen[k] {
				seen[k] = true
				out = append(out, k)
			}
		}
		for i := 0; i+1 < len(m.Content); i += 2 {
			if m.Content[i].Value != "<<" {
				continue
			}
			v := deref(m.Content[i+1])
			if v != nil && v.Kind == yaml.SequenceNode {
				for _, s := range v.Content {
					collect(deref(s), depth+1)
				}
			} else {
				collect(v, depth+1)
			}
		}
	}
	collect(n, 0)
	return out
}

// Entry is one `KEY: value` or `KEY=value` entry of a mapping-or-list
// field such as `environment`, `build.args` or `labels`, as written.
type Entry struct {
	Key string
	// Value is the raw text, before interpolation.
	Value string
	// HasValue is false for `KEY:` (null) and for a bare `KEY` list item.
	HasValue bool
	// Line and Col locate the entry (its key in mapping form).
	Line, Col int
	// ValueNode is the value's node (nil for list items).
	ValueNode *yaml.Node
}

// Entries returns the entries of the mapping or `KEY=value` list at path.
func (f *File) Entries(path ...string) []Entry {
	n := f.Node(path...)
	if n == nil {
		return nil
	}
	var out []Entry
	switch n.Kind {
	case yaml.MappingNode:
		for _, k := range f.Keys(path...) {
			kn, vn := child(n, k)
			vn = deref(vn)
			e := Entry{Key: k, Line: kn.Line, Col: kn.Column, ValueNode: vn}
			if vn != nil && vn.Kind == yaml.ScalarNode && vn.Tag != "!!null" {
				e.Value, e.HasValue = vn.Value, true
			}
			out = append(out, e)
		}
	case yaml.SequenceNode:
		for _, it := range n.Content {
			it := deref(it)
			if it == nil || it.Kind != yaml.ScalarNode {
				continue
			}
			k, v, ok := strings.Cut(it.Value, "=")
			out = append(out, Entry{Key: strings.TrimSpace(k), Value: v, HasValue: ok, Line: it.Line, Col: it.Column})
		}
	}
	return out
}

// Items returns the items of the sequence at path (aliases resolved).
func (f *File) Items(path ...string) []*yaml.Node {
	n := f.Node(path...)
	if n == nil || n.Kind != yaml.SequenceNode {
		return nil
	}
	out := make([]*yaml.Node, 0, len(n.Content))
	for _, it := range n.Content {
		if it := deref(it); it != nil {
			out = append(out, it)
		}
	}
	return out
}

// valueLine returns the line of the first scalar value that contains v,
// or 0.
func (f *File) valueLine(v string) int {
	var find func(n *yaml.Node, depth int) int
	find = func(n *yaml.Node, depth int) int {
		if n == nil || depth > 64 {
			return 0
		}
		switch n.Kind {
		case yaml.ScalarNode:
			if strings.Contains(n.Value, v) {
				return n.Line
			}
		case yaml.MappingNode:
			for i := 1; i < len(n.Content); i += 2 {
				if l := find(n.Content[i], depth+1); l > 0 {
					return l
				}
			}
		case yaml.SequenceNode:
			for _, it := range n.Content {
				if l := find(it, depth+1); l > 0 {
					return l
				}
			}
		}
		return 0
	}
	for _, d := range f.docs {
		if l := find(d, 0); l > 0 {
			return l
		}
	}
	return 0
}
