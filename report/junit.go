package report

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"strings"
)

type junitTestsuites struct {
	XMLName  xml.Name         `xml:"testsuites"`
	Name     string           `xml:"name,attr"`
	Tests    int              `xml:"tests,attr"`
	Failures int              `xml:"failures,attr"`
	Errors   int              `xml:"errors,attr"`
	Suites   []junitTestsuite `xml:"testsuite"`
}

type junitTestsuite struct {
	Name      string          `xml:"name,attr"`
	Tests     int             `xml:"tests,attr"`
	Failures  int             `xml:"failures,attr"`
	Errors    int             `xml:"errors,attr"`
	Skipped   int             `xml:"skipped,attr"`
	Testcases []junitTestcase `xml:"testcase"`
}

type junitTestcase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Failure   *junitFailure `xml:"failure,omitempty"`
}

type junitFailure struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Body    string `xml:",chardata"`
}

// writeJUnit renders findings as JUnit XML: one <testsuite> per file with
// findings (in order), one failing <testcase> per finding. Clean files are
// known only by count, so a run without findings is one passing testcase in
// a "seaworthy" suite; parsers that treat an empty report as an error then
// still see a pass.
func writeJUnit(b *bytes.Buffer, res *Result, _ Options) error {
	root := junitTestsuites{Name: "seaworthy"}
	suite := map[string]int{} // file → index in root.Suites
	for i := range res.Findings {
		f := &res.Findings[i]
		id := ruleID(f)
		name := id + " " + f.File
		where := f.File
		if s, ok := res.resolve(f.File, f.Range); ok {
			name = fmt.Sprintf("%s %s:%d", id, f.File, s.StartLine)
			where = fmt.Sprintf("%s:%d:%d", f.File, s.StartLine, s.StartCol)
		}
		body := []string{where + ": " + id + " " + f.Message}
		if f.Help != "" {
			body = append(body, "help: "+f.Help)
		}
		body = append(body, "docs: seaworthy explain "+id)
		tc := junitTestcase{
			Name:      name,
			Classname: f.File,
			Failure: &junitFailure{
				Message: f.Message,
				Type:    severity(f).String(),
				Body:    strings.Join(body, "\n"),
			},
		}
		k, ok := suite[f.File]
		if !ok {
			k = len(root.Suites)
			suite[f.File] = k
			root.Suites = append(root.Suites, junitTestsuite{Name: f.File})
		}
		s := &root.Suites[k]
		s.Testcases = append(s.Testcases, tc)
		s.Tests++
		s.Failures++
	}
	if len(root.Suites) == 0 {
		root.Suites = []junitTestsuite{{
			Name:  "seaworthy",
			Tests: 1,
			Testcases: []junitTestcase{{
				Name:      fmt.Sprintf("no problems found in %s", plural(res.Files, "file", "files")),
				Classname: "seaworthy",
			}},
		}}
	}
	for _, s := range root.Suites {
		root.Tests += s.Tests
		root.Failures += s.Failures
	}
	return writeXML(b, root)
}

// writeXML writes the XML declaration, v indented by two spaces, and a
// final newline.
func writeXML(b *bytes.Buffer, v any) error {
	b.WriteString(xml.Header)
	enc := xml.NewEncoder(b)
	enc.Indent("", "  ")
	if err := enc.Encode(v); err != nil {
		return err
	}
	if err := enc.Close(); err != nil {
		return err
	}
	b.WriteByte('\n')
	return nil
}
