package nodeproject

// KeyLine returns the 1-based line of the key at path in package.json
// (KeyLine("engines", "node") is the line of `"node":` inside the
// top-level `"engines"` object), or 0 when the key is absent. It scans
// the JSON text, so it needs no positions from encoding/json.
func (p *Package) KeyLine(path ...string) int {
	return JSONKeyLine(p.Source, path...)
}

// JSONKeyLine finds the line of a key path in JSON text; see KeyLine.
func JSONKeyLine(src []byte, path ...string) int {
	if len(path) == 0 {
		return 0
	}
	type container struct {
		object  bool
		key     string // current key of an object
		wantKey bool
	}
	var stack []container
	line := 1
	match := func(key string) bool {
		// stack holds the enclosing containers; the key is at depth len(stack).
		if len(stack) != len(path) {
			return false
		}
		for i := 0; i < len(stack)-1; i++ {
			if !stack[i].object || stack[i].key != path[i] {
				return false
			}
		}
		return key == path[len(path)-1]
	}
	for i := 0; i < len(src); i++ {
		c := src[i]
		switch c {
		case '\n':
			line++
		case '{':
			stack = append(stack, container{object: true, wantKey: true})
		case '[':
			stack = append(stack, container{})
		case '}', ']':
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
		case ',':
			if n := len(stack); n > 0 && stack[n-1].object {
				stack[n-1].wantKey = true
			}
		case ':':
			if n := len(stack); n > 0 && stack[n-1].object {
				stack[n-1].wantKey = false
			}
		case '"':
			start, startLine := i+1, line
			i++
			escaped := false
			for ; i < len(src) && src[i] != '"'; i++ {
				if src[i] == '\\' {
					escaped = true
					i++
				} else if src[i] == '\n' {
					line++
				}
			}
			if i > len(src) {
				i = len(src)
			}
			n := len(stack)
			if n == 0 || !stack[n-1].object || !stack[n-1].wantKey {
				continue
			}
			key := string(src[start:min(i, len(src))])
			if escaped {
				key = unescapeJSON(key)
			}
			stack[n-1].key = key
			if match(key) {
				return startLine
			}
		}
	}
	return 0
}

func unescapeJSON(s string) string {
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			i++
			switch s[i] {
			case 'n':
				out = append(out, '\n')
			case 't':
				out = append(out, '\t')
			default:
				out = append(out, s[i])
			}
			continue
		}
		out = append(out, s[i])
	}
	return string(out)
}
