package compose

import (
	"testing"
)

// FuzzLoad: loading never panics, and positions stay inside the file.
func FuzzLoad(f *testing.F) {
	for _, seed := range []string{
		base,
		"services:\n  a:\n    image: x\n    healthcheck:\n      test: [1, 2]\n",
		"services:\n  a:\n    depends_on: {b: {condition: service_healthy}}\n  b:\n    image: y\n",
		"services:\n  a: &x\n    image: x\n  b:\n    <<: *x\n    ports: ['${P}:80', '80-90:80-90/udp']\n",
		"version: '3'\nservices:\n  a:\n    build: {context: ., args: [A=1, B]}\n    environment: [X=1]\n",
		"services: []\n",
		"services:\n  a:\n    volumes:\n      - type: bind\n        source: /var/run/docker.sock\n        target: /s\n",
		"x: !reset null\nservices:\n  a:\n    image: !override b\n",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, src string) {
		p, err := LoadSources(Source{Path: "compose.yaml", Data: []byte(src)})
		if err != nil {
			return
		}
		for _, s := range p.Services {
			for _, path := range [][]string{{"services", s.Name}, {"services", s.Name, "depends_on", "x"}, {"services", s.Name, "ports", "0"}} {
				pos := p.Pos(path...)
				if pos.Line < 1 || pos.Line > len(p.Files[0].Lines)+1 {
					t.Fatalf("Pos(%v) = %+v outside the file", path, pos)
				}
			}
		}
		p.Builds()
	})
}
