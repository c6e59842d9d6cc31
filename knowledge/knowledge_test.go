package knowledge

import (
	"testing"
	"time"
)

func day(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestStatus(t *testing.T) {
	s := NodeSchedule()
	cases := []struct {
		major int
		day   string
		want  Support
	}{
		{18, "2026-11-23", EndOfLife},
		{20, "2026-04-29", Supported},
		{20, "2026-04-30", EndOfLife},
		{22, "2026-11-23", Supported},
		{23, "2025-01-01", NeverLTS},
		{25, "2026-01-01", NeverLTS},
		{24, "2026-11-23", Supported},
		{26, "2026-11-23", Supported},
		{27, "2027-06-01", Supported},
		{29, "2031-01-01", Supported},
		{2, "2026-01-01", EndOfLife},
	}
	for _, c := range cases {
		got, _ := s.Status(c.major, day(c.day))
		if got != c.want {
			t.Errorf("Status(%d, %s) = %v, want %v", c.major, c.day, got, c.want)
		}
	}
	if got := s.SupportedLTS(day("2026-11-23")); len(got) != 3 || got[0] != 26 || got[2] != 22 {
		t.Errorf("SupportedLTS = %v, want [26 24 22]", got)
	}
}

func TestLookupImage(t *testing.T) {
	cases := []struct {
		registry, repo, tag string
		variant             Variant
		major               int
		curl, wget          Tri
		nonRoot             bool
	}{
		{"", "node", "22", VariantFull, 22, Yes, Yes, false},
		{"", "node", "22.11.0-bookworm-slim", VariantSlim, 22, No, No, false},
		{"", "node", "20-alpine3.20", VariantAlpine, 20, No, Yes, false},
		{"", "node", "lts", VariantFull, 0, Yes, Yes, false},
		{"", "node", "lts-alpine", VariantAlpine, 0, No, Yes, false},
		{"", "node", "iron-slim", VariantSlim, 20, No, No, false},
		{"", "node", "alpine", VariantAlpine, 0, No, Yes, false},
		{"", "node", "", VariantFull, 0, Yes, Yes, false},
		{"gcr.io", "distroless/nodejs22-debian12", "nonroot", VariantDistroless, 22, No, No, true},
		{"gcr.io", "distroless/nodejs20-debian12", "debug", VariantDistroless, 20, No, Yes, false},
		{"gcr.io", "distroless/nodejs22-debian12", "debug-nonroot", VariantDistroless, 22, No, Yes, true},
		{"gcr.io", "distroless/static-debian12", "nonroot", VariantDistroless, 0, No, No, true},
		{"gcr.io", "distroless/static-debian12", "", VariantDistroless, 0, No, No, false},
		{"gcr.io", "distroless/base-debian12", "debug", VariantDistroless, 0, No, Yes, false},
		{"cgr.dev", "chainguard/node", "latest", VariantChainguard, 0, No, No, true},
		{"cgr.dev", "chainguard/node", "", VariantChainguard, 0, No, No, true},
		{"", "cimg/node", "22.1", VariantOther, 22, Unknown, Unknown, false},
		{"dhi.io", "node", "24-debian12", VariantHardened, 24, No, No, true},
		{"dhi.io", "node", "24-debian12-dev", VariantHardened, 24, Unknown, Unknown, false},
		{"public.ecr.aws", "lambda/nodejs", "22-arm64", VariantOther, 22, Yes, Unknown, true},
		{"", "amazon/aws-lambda-nodejs", "20", VariantOther, 20, Yes, Unknown, true},
	}
	for _, c := range cases {
		f, ok := LookupImage(c.registry, c.repo, c.tag)
		if !ok || f.Variant != c.variant || f.NodeMajor != c.major || f.Curl != c.curl || f.Wget != c.wget || f.NonRootDefault != c.nonRoot {
			t.Errorf("LookupImage(%q, %q, %q) = %+v, %v", c.registry, c.repo, c.tag, f, ok)
		}
	}
	if f, _ := LookupImage("public.ecr.aws", "lambda/nodejs", "22"); f.Platform != "AWS Lambda" {
		t.Errorf("Lambda base image: Platform = %q", f.Platform)
	}
	if f, _ := LookupImage("", "node", "22"); f.Platform != "" {
		t.Errorf("node image: Platform = %q", f.Platform)
	}
	if _, ok := LookupImage("", "nginx", "1.27"); ok {
		t.Errorf("nginx classified as a Node image")
	}
}
