package nodeapp

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/Masterminds/semver/v3"

	"github.com/seaworthy-dev/seaworthy/knowledge"
)

// This file reads the Node versions a project asks for: engines.node
// ranges and .nvmrc / .node-version files.

var versionNumber = regexp.MustCompile(`\d+(\.(\d+|x|X|\*))*`)

// EngineAllows reports whether an engines.node range admits the major (or
// the exact version). ok is false when the range does not parse.
func EngineAllows(rng string, major int, exact *semver.Version) (allowed, ok bool) {
	r := strings.TrimSpace(rng)
	switch strings.ToLower(r) {
	case "", "*", "x", "latest", "lts", "node":
		return true, false
	}
	c, err := semver.NewConstraint(r)
	if err != nil {
		return true, false
	}
	if exact != nil {
		return c.Check(exact), true
	}
	cands := []*semver.Version{semver.New(uint64(major), 0, 0, "", ""), semver.New(uint64(major), 999, 999, "", "")}
	for _, lit := range versionNumber.FindAllString(r, -1) {
		parts := strings.Split(lit, ".")
		m, err := strconv.Atoi(parts[0])
		if err != nil || m != major {
			continue
		}
		minor, patch := 0, 0
		if len(parts) > 1 {
			minor, _ = strconv.Atoi(parts[1])
		}
		if len(parts) > 2 {
			patch, _ = strconv.Atoi(parts[2])
		}
		for _, v := range [][2]int{{minor, patch}, {minor, patch + 1}, {minor, 999}, {minor + 1, 0}} {
			cands = append(cands, semver.New(uint64(major), uint64(v[0]), uint64(v[1]), "", ""))
		}
	}
	for _, v := range cands {
		if c.Check(v) {
			return true, true
		}
	}
	return false, true
}

// VersionFileMajor reads the Node major of .nvmrc/.node-version content:
// `20`, `v20.11.1`, `20.x`, `lts/iron`, `iron`; aliases (`lts/*`, `node`,
// `stable`, `latest`, `system`) give ok=false. line is the content's line.
func VersionFileMajor(content string) (major, line int, ok bool) {
	for i, l := range strings.Split(content, "\n") {
		l = strings.TrimSpace(l)
		if j := strings.IndexByte(l, '#'); j >= 0 {
			l = strings.TrimSpace(l[:j])
		}
		if l == "" {
			continue
		}
		l = strings.ToLower(strings.Fields(l)[0])
		line = i + 1
		if name, found := strings.CutPrefix(l, "lts/"); found {
			m, known := knowledge.NodeCodename(name)
			return m, line, known
		}
		if m, known := knowledge.NodeCodename(l); known {
			return m, line, true
		}
		l = strings.TrimPrefix(l, "v")
		digits := 0
		for digits < len(l) && l[digits] >= '0' && l[digits] <= '9' {
			digits++
		}
		if digits == 0 {
			return 0, line, false
		}
		m, err := strconv.Atoi(l[:digits])
		return m, line, err == nil && m > 0
	}
	return 0, 0, false
}
