package audit

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// mb formats bytes in decimal megabytes.
func mb(n int64) string {
	switch {
	case n == 0:
		return "-"
	case n < 1000:
		return fmt.Sprintf("%d B", n)
	case n < 100_000:
		return fmt.Sprintf("%.1f kB", float64(n)/1e3)
	}
	return fmt.Sprintf("%.1f MB", float64(n)/1e6)
}

// shorten cuts s to n runes with an ellipsis.
func shorten(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// WriteText writes the size report: a summary line, one row per layer
// (size, the bytes of it later layers deleted or rewrote, the bytes of
// lower layers it deleted or rewrote, its instruction and Dockerfile
// line), the largest directories and node_modules packages.
func WriteText(w io.Writer, ref string, s *Sizes) error {
	fmt.Fprintf(w, "%s: %d layers, %d files; %s in layers, %s in the final filesystem, %s wasted (deleted or rewritten by a later layer)\n\n",
		ref, len(s.Layers), s.Files, mb(s.Total), mb(s.Final), mb(s.Wasted))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "LAYER\tSIZE\tWASTED\tHIDES\tINSTRUCTION")
	base := s.BaseLayers()
	for _, l := range s.Layers {
		ins := shorten(l.Instruction, 70)
		switch {
		case l.Source != "":
			ins += "  (" + l.Source + ")"
		case l.Index < base:
			ins = strings.TrimSpace(ins + "  (base image)")
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\n", l.Index+1, mb(l.Size), mb(l.Wasted), mb(l.Hides), ins)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, part := range []struct {
		title string
		rows  []Usage
	}{{"Largest directories", s.Dirs}, {"node_modules by package", s.Packages}} {
		if len(part.rows) == 0 {
			continue
		}
		fmt.Fprintf(w, "\n%s:\n", part.title)
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		for _, u := range part.rows {
			fmt.Fprintf(tw, "  %s\t%s\t%s\n", mb(u.Bytes), u.Path, files(u.Files))
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	_, err := fmt.Fprintln(w)
	return err
}

// files says "1 file", "12 files".
func files(n int) string {
	if n == 1 {
		return "1 file"
	}
	return fmt.Sprintf("%d files", n)
}
