package compose

import (
	"maps"
	"path/filepath"
	"slices"
	"strings"

	"go.yaml.in/yaml/v4"
)

// maxExtends bounds how far an `extends` chain is followed (compose
// refuses cycles; the bound keeps a broken chain cheap).
const maxExtends = 16

// Origin is a service as one file writes it: the file, and the name the
// service has there (`extends: {file: base.yml, service: sandbox}` names
// another service, maybe in another file).
type Origin struct {
	File    *File
	Service string
}

// Item is a sequence item (a `ports:` or `volumes:` entry) and the file
// that writes it.
type Item struct {
	File *File
	Node *yaml.Node
}

// Origins returns where service name is written: the set's files that
// declare it, the last (whose values win the merge) first, then the
// services these extend, nearest first. A key that no file of the set
// writes for the service is inherited from the first of these that
// writes it.
func (p *Project) Origins(name string) []Origin {
	if o, ok := p.origins[name]; ok {
		return o
	}
	return p.declaring(name)
}

// declaring returns the set's files that declare service name, the last
// first.
func (p *Project) declaring(name string) []Origin {
	var out []Origin
	for i := len(p.Files) - 1; i >= 0; i-- {
		if p.Files[i].Has("services", name) {
			out = append(out, Origin{p.Files[i], name})
		}
	}
	return out
}

// resolveExtends follows the `extends` of every declared service through
// the files it names (read and parsed here: compose-go keeps no positions),
// recording each service's origins and the files read in Extended. A file
// that cannot be read or parsed, or a reference with an unset variable,
// ends its chain: compose-go has already skipped or refused it.
func (p *Project) resolveExtends(declared map[string]bool) {
	files := map[string]*File{}
	for _, f := range p.Files {
		files[filepath.Clean(f.Path)] = f
	}
	open := func(path string) *File {
		path = filepath.Clean(path)
		if f, ok := files[path]; ok {
			return f
		}
		var f *File
		if data, err := readFile(path); err == nil {
			if g, err := ParseFile(path, data); err == nil && !g.Empty() {
				f = g
				p.Extended = append(p.Extended, f)
			}
		}
		files[path] = f
		return f
	}
	p.origins = map[string][]Origin{}
	for _, name := range slices.Sorted(maps.Keys(declared)) {
		out := p.declaring(name)
		seen := map[Origin]bool{}
		for _, o := range out {
			seen[o] = true
		}
		for _, start := range append([]Origin(nil), out...) {
			for cur, n := start, 0; n < maxExtends; n++ {
				file, service, ok := p.extends(cur)
				if !ok {
					break
				}
				next := Origin{File: cur.File, Service: service}
				if file != "" {
					if !filepath.IsAbs(file) {
						file = filepath.Join(filepath.Dir(cur.File.Path), file)
					}
					if next.File = open(file); next.File == nil {
						break
					}
				}
				if seen[next] || !next.File.Has("services", service) {
					break
				}
				seen[next] = true
				out = append(out, next)
				cur = next
			}
		}
		p.origins[name] = out
	}
}

// extends reads the `extends` of service o as written: the file it names
// ("" for the same file) and the service.
func (p *Project) extends(o Origin) (file, service string, ok bool) {
	n := o.File.Node("services", o.Service, "extends")
	if n == nil {
		return "", "", false
	}
	switch n.Kind {
	case yaml.ScalarNode:
		service = n.Value
	case yaml.MappingNode:
		if s := deref(MappingValue(n, "service")); s != nil && s.Kind == yaml.ScalarNode {
			service = s.Value
		}
		if f := deref(MappingValue(n, "file")); f != nil && f.Kind == yaml.ScalarNode {
			file = f.Value
		}
	}
	var unset, fileUnset bool
	service, unset = p.Interpolate(service)
	file, fileUnset = p.Interpolate(file)
	service, file = strings.TrimSpace(service), strings.TrimSpace(file)
	if service == "" || unset || fileUnset {
		return "", "", false
	}
	return file, service, true
}

// inherited returns where a key below a service (`"services", name,
// "privileged"`) is written by the services it extends, when no file of
// the set writes it: the nearest origin that writes the whole path.
func (p *Project) inherited(path []string) (*File, hit, bool) {
	if len(path) < 3 || path[0] != "services" {
		return nil, hit{}, false
	}
	for _, o := range p.Origins(path[1]) {
		if o.Service == path[1] && !p.Extends(o.File.Path) {
			continue // a file of the set: Pos has looked at it
		}
		rel := append([]string{"services", o.Service}, path[2:]...)
		if h := o.File.lookup(rel); h.depth == len(rel) {
			return o.File, h, true
		}
	}
	return nil, hit{}, false
}

// Items returns the items of the sequence at path in every file that
// writes it: the set's files, the last first; for a path below a service
// (`"services", name, "ports"`), then the services it extends, nearest
// first (compose appends the sequences of both).
func (p *Project) Items(path ...string) []Item {
	var out []Item
	if len(path) >= 3 && path[0] == "services" {
		for _, o := range p.Origins(path[1]) {
			for _, it := range o.File.Items(append([]string{"services", o.Service}, path[2:]...)...) {
				out = append(out, Item{o.File, it})
			}
		}
		return out
	}
	for i := len(p.Files) - 1; i >= 0; i-- {
		for _, it := range p.Files[i].Items(path...) {
			out = append(out, Item{p.Files[i], it})
		}
	}
	return out
}

// Extends reports whether path is one of Extended: a file the set does not
// merge, read only for the services it extends.
func (p *Project) Extends(path string) bool {
	for _, f := range p.Extended {
		if f.Path == path {
			return true
		}
	}
	return false
}
