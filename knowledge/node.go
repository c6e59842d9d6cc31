// Package knowledge holds the data seaworthy reasons with: the Node.js
// release schedule and what common base images contain. Each data set
// names its source and the date it was taken.
package knowledge

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
)

//go:embed node-schedule.json
var scheduleJSON []byte

// ReleaseLine is one Node.js major release line.
type ReleaseLine struct {
	Major       int
	Start       time.Time
	LTS         time.Time // zero when the line never became LTS
	Maintenance time.Time
	End         time.Time
	Codename    string
}

// Schedule is the Node.js release schedule.
type Schedule struct {
	Source    string
	Retrieved string
	Lines     map[int]ReleaseLine
}

// NodeSchedule returns the embedded Node.js release schedule.
func NodeSchedule() *Schedule { return nodeSchedule }

var nodeSchedule = mustSchedule(scheduleJSON)

func mustSchedule(data []byte) *Schedule {
	var raw struct {
		Source    string `json:"source"`
		Retrieved string `json:"retrieved"`
		Lines     map[string]map[string]string
	}
	if err := json.Unmarshal(data, &raw); err != nil {
		panic(fmt.Sprintf("knowledge: embedded node schedule: %v", err))
	}
	s := &Schedule{Source: raw.Source, Retrieved: raw.Retrieved, Lines: map[int]ReleaseLine{}}
	date := func(v string) time.Time {
		if v == "" {
			return time.Time{}
		}
		t, err := time.Parse("2006-01-02", v)
		if err != nil {
			panic(fmt.Sprintf("knowledge: node schedule date %q: %v", v, err))
		}
		return t
	}
	for key, l := range raw.Lines {
		major, err := strconv.Atoi(strings.TrimPrefix(key, "v"))
		if err != nil {
			continue // v0.x lines
		}
		s.Lines[major] = ReleaseLine{Major: major, Start: date(l["start"]), LTS: date(l["lts"]),
			Maintenance: date(l["maintenance"]), End: date(l["end"]), Codename: l["codename"]}
	}
	return s
}

// Support is the verdict on a Node major at a date.
type Support int

const (
	// SupportUnknown: the major is not in the schedule (too new or bogus).
	SupportUnknown Support = iota
	// Supported: an LTS line (or future LTS line) before its end of life.
	Supported
	// NeverLTS: an odd major up to 25, which never becomes LTS.
	NeverLTS
	// EndOfLife: past its end date.
	EndOfLife
)

// Status says whether Node major is a supported line on day, with the
// line's end date when known.
func (s *Schedule) Status(major int, day time.Time) (Support, ReleaseLine) {
	line, ok := s.Lines[major]
	if !ok {
		if major < 4 {
			return EndOfLife, ReleaseLine{Major: major}
		}
		if major >= 27 {
			// From 27 on every major becomes LTS; a line newer than the
			// data is assumed current.
			return Supported, ReleaseLine{Major: major}
		}
		return SupportUnknown, ReleaseLine{Major: major}
	}
	if !day.Before(line.End) {
		return EndOfLife, line
	}
	if major <= 25 && major%2 == 1 {
		return NeverLTS, line
	}
	return Supported, line
}

// SupportedLTS returns the LTS majors supported on day, newest first.
func (s *Schedule) SupportedLTS(day time.Time) []int {
	var out []int
	for m := 60; m >= 4; m-- {
		if st, line := s.Status(m, day); st == Supported && !line.LTS.IsZero() && !day.Before(line.Start) {
			out = append(out, m)
		}
	}
	return out
}
