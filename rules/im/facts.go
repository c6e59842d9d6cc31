package im

import (
	"fmt"
	"strings"

	"github.com/seaworthy-dev/seaworthy/facts/command"
	"github.com/seaworthy-dev/seaworthy/facts/imagefs"
)

// mb formats a byte count in decimal megabytes ("62.4 MB"), or kB or B
// below one.
func mb(n int64) string {
	switch {
	case n >= 1e6:
		return fmt.Sprintf("%.1f MB", float64(n)/1e6)
	case n >= 1e3:
		return fmt.Sprintf("%.1f kB", float64(n)/1e3)
	}
	return fmt.Sprintf("%d B", n)
}

// layerName names a layer for messages: its position, the instruction
// that made it (shortened, secrets masked) and, when traced, the
// Dockerfile line.
func layerName(img *imagefs.Image, i int) string {
	if i < 0 || i >= len(img.Layers) {
		return "a layer"
	}
	l := img.Layers[i]
	ins := instruction(l.CreatedBy)
	switch {
	case ins != "" && l.Source != "":
		return fmt.Sprintf("layer %d (`%s`, %s)", i+1, ins, l.Source)
	case l.Source != "":
		return fmt.Sprintf("layer %d (%s)", i+1, l.Source)
	case ins != "":
		return fmt.Sprintf("layer %d (`%s`)", i+1, ins)
	}
	return fmt.Sprintf("layer %d", i+1)
}

// instruction is a history entry as a short Dockerfile instruction,
// secrets masked.
func instruction(createdBy string) string {
	return shorten(imagefs.ShownInstruction(createdBy))
}

// shorten cuts s past 72 bytes to 69 and "...", on a rune boundary.
func shorten(s string) string {
	if len(s) <= 72 {
		return s
	}
	cut := 69
	for cut > 0 && s[cut]&0xC0 == 0x80 {
		cut--
	}
	return s[:cut] + "..."
}

// listSome joins up to n items: "a, b and c", "a, b, c and 4 more".
func listSome(items []string, n int) string {
	if len(items) > n {
		return strings.Join(items[:n], ", ") + fmt.Sprintf(" and %d more", len(items)-n)
	}
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}

// shellForm reports a command that a shell runs (`/bin/sh -c "npm
// start"`) and its script.
func shellForm(argv []string) (script string, ok bool) {
	if len(argv) >= 3 && command.IsShell(argv[0]) && argv[1] == "-c" {
		return argv[2], true
	}
	return "", false
}

// quoteCommand shows a command for a message.
func quoteCommand(argv []string) string {
	return "`" + shorten(strings.Join(argv, " ")) + "`"
}
