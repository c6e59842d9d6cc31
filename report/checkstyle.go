package report

import (
	"bytes"
	"encoding/xml"
)

type checkstyleRoot struct {
	XMLName xml.Name         `xml:"checkstyle"`
	Version string           `xml:"version,attr"`
	Files   []checkstyleFile `xml:"file"`
}

type checkstyleFile struct {
	Name   string            `xml:"name,attr"`
	Errors []checkstyleError `xml:"error"`
}

// checkstyleError's line is required by the Checkstyle DTD; findings without
// a position use line 0 and no column.
type checkstyleError struct {
	Line     int    `xml:"line,attr"`
	Column   int    `xml:"column,attr,omitempty"`
	Severity string `xml:"severity,attr"`
	Message  string `xml:"message,attr"`
	Source   string `xml:"source,attr"`
}

// writeCheckstyle renders Checkstyle 4.3 XML, one <file> per file with
// findings in order of first appearance.
func writeCheckstyle(b *bytes.Buffer, res *Result, _ Options) error {
	root := checkstyleRoot{Version: "4.3"}
	index := map[string]int{}
	for i := range res.Findings {
		f := &res.Findings[i]
		e := checkstyleError{
			Severity: severity(f).String(),
			Message:  f.Message,
			Source:   "seaworthy." + ruleID(f),
		}
		if s, ok := res.resolve(f.File, f.Range); ok {
			e.Line, e.Column = s.StartLine, s.StartCol
		}
		k, ok := index[f.File]
		if !ok {
			k = len(root.Files)
			index[f.File] = k
			root.Files = append(root.Files, checkstyleFile{Name: f.File})
		}
		root.Files[k].Errors = append(root.Files[k].Errors, e)
	}
	return writeXML(b, root)
}
