package dockerfile

import "testing"

func TestLooksLike(t *testing.T) {
	for src, want := range map[string]bool{
		"FROM node:22\nCMD [\"node\"]\n":                    true,
		"\n# a comment\nfrom node:22 as build\n":            true,
		"FROM --platform=$BUILDPLATFORM node:22 AS build\n": true,
		"ARG NODE=22\nFROM node:${NODE}\n":                  true,
		"ARG A B=1\n":                                       true,
		"# syntax=docker/dockerfile:1\nRUN x\n":             true,
		"# escape=`\nFROM x\n":                              true,
		"{\n  \"name\": \"app\"\n}\n":                       false, // package.json
		"# My app\n\nFrom here, you can run it.\n":          false, // README.md
		"From the start\n":                                  false,
		"services:\n  api:\n    image: x\n":                 false,
		"RUN npm ci\n":                                      false,
		"ARG\n":                                             false,
		"ARG the rest of the sentence.\n":                   false,
		"":                                                  false,
		"# only comments\n":                                 false,
		"FROM\n":                                            false,
		"node_modules\n.git\n":                              false, // .dockerignore
		"# syntax is a word in this comment, not a directive": false,
	} {
		if got := LooksLike([]byte(src)); got != want {
			t.Errorf("LooksLike(%q) = %v, want %v", src, got, want)
		}
	}
}
