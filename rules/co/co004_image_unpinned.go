package co

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/source/compose"
)

// ImageUnpinned reports `image:` without a tag or with `latest`.
var ImageUnpinned = register(&analysis.Rule{
	ID:       "CO004",
	Name:     "image-unpinned",
	Title:    "image has no tag or uses latest",
	Severity: analysis.Warning,
	Purposes: analysis.Deployed,
	Doc: analysis.Doc{
		Why: "`image: postgres` means `postgres:latest`, and `latest` is whatever the registry serves the day " +
			"the image is pulled. Two developers, or CI and a laptop, end up on different major versions; a " +
			"database image that moves a major version refuses to start on the data directory of the old one. " +
			"The same holds for a database, cache or broker image whose tag names a variant but no version " +
			"(`redis:alpine`, `postgres:alpine`, `mongo:jammy`). A tag names a version when it starts with one " +
			"(`7.4-alpine`, `v2.10`), names the Postgres major (pgvector's `pg18`) or is a dated release " +
			"(MinIO's `RELEASE.2025-01-20T14-49-07Z`).\n\n" +
			"Services that also `build:` are skipped (there `image:` names the image being built), and so are " +
			"references whose variables have no value in the file's `.env`. A digest (`@sha256:…`) pins the " +
			"image even without a tag.",
		Bad:  "services:\n  cache:\n    image: redis\n",
		Good: "services:\n  cache:\n    image: redis:7.4-alpine\n",
		Fix: "Name a version tag, as precise as the upgrades you want to control (`postgres:17`, `redis:7.4-alpine`). " +
			"For fully reproducible environments add the digest: `redis:7.4-alpine@sha256:…`.",
		ExampleFile: "compose.yaml",
		AppliesTo: "Reproducible, reviewed deployments need pinned images. Development and test stacks often " +
			"follow `latest` on purpose (a mail catcher, a database for local work, a test against the latest " +
			"release).",
	},
	Check: analysis.Check(func(pass *analysis.Pass, p *compose.Project) {
		for _, s := range p.Services {
			if s.Config.Build != nil {
				continue
			}
			ref, ok := serviceImage(p, s)
			if !ok || ref.Unset || ref.Digest != "" {
				continue
			}
			shown := fmt.Sprintf("%q", ref.display())
			if ref.Raw != ref.Value {
				shown += fmt.Sprintf(" (%q once interpolated)", ref.Value)
			}
			switch ref.Tag {
			case "":
				report(pass, p, ref.Pos,
					fmt.Sprintf("image %s of service %q has no tag: it pulls whatever `latest` is that day", shown, s.Name),
					fmt.Sprintf("pin a version, e.g. `%s:<version>`", ref.display()))
			case "latest":
				report(pass, p, ref.Pos,
					fmt.Sprintf("image %s of service %q uses the `latest` tag, which moves with every release", shown, s.Name),
					"replace `latest` with a version tag")
			default:
				ds, _, isDatastore := datastoreOf(p, s)
				if !isDatastore || tagNamesVersion(ref.Tag) {
					continue
				}
				report(pass, p, ref.Pos,
					fmt.Sprintf("image %s of service %q is a %s image whose tag names no version: it moves to each new major, which may not start on the old one's data", shown, s.Name, ds.Label),
					fmt.Sprintf("put the version in the tag, e.g. `%s:<major>-%s`", strings.TrimSuffix(ref.Value, ":"+ref.Tag), ref.Tag))
			}
		}
	}),
})

// tagNamesVersion: the tag names a version of the image: it starts with one
// (`7`, `7.4-alpine`, `v2.10`), names a Postgres major the way pgvector and
// TimescaleDB do (`pg18`, `0.8.0-pg17`, `latest-pg17`), or is a dated
// release the way MinIO tags them (`RELEASE.2025-01-20T14-49-07Z`). A
// variant alone (`alpine`, `jammy`, `lts-alpine`), even one with the
// variant's own version (`alpine3.20`), names none.
func tagNamesVersion(tag string) bool {
	t := strings.ToLower(tag)
	if startsWithDigit(strings.TrimPrefix(t, "v")) {
		return true
	}
	return pgMajorPart.MatchString(t) || datedRelease.MatchString(t)
}

// pgMajorPart is a `pg<major>` part of a tag; datedRelease a release tag
// whose version is its date.
var (
	pgMajorPart  = regexp.MustCompile(`(?:^|[-_.])pg\d+(?:$|[-_.])`)
	datedRelease = regexp.MustCompile(`^release[-_.]\d{4}-?\d{2}-?\d{2}`)
)

func startsWithDigit(s string) bool {
	return s != "" && s[0] >= '0' && s[0] <= '9'
}
