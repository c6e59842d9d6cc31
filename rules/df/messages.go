package df

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/facts/command"
	"github.com/seaworthy-dev/seaworthy/facts/locate"
	"github.com/seaworthy-dev/seaworthy/source/dockerfile"
)

// This file renders Dockerfile text for findings' messages.

// finalStageName is "the final stage", with its name when it has one.
func finalStageName(st *dockerfile.Stage) string {
	if st.Name != "" {
		return fmt.Sprintf("the final stage %q", st.Name)
	}
	return "the final stage"
}

// quoteWords renders words for a message, shell-like.
func quoteWords(words []command.LaunchWord) string {
	s := make([]string, len(words))
	for i, w := range words {
		s[i] = w.Text
	}
	return strings.Join(s, " ")
}

// keywordText is `COPY . .` as written on the instruction's first line
// (flags kept), for messages.
func keywordText(f *dockerfile.File, in *dockerfile.Instruction) string {
	return locate.Text(in)
}

// cmdText renders a shell command for a message.
func cmdText(c *dockerfile.ShellCommand) string {
	return analysis.Snippet(c.String(), 72)
}

// pkgList renders package names for a message: "curl, git and 3 more".
func pkgList(pkgs []string) string {
	switch {
	case len(pkgs) == 0:
		return "packages"
	case len(pkgs) == 1:
		return pkgs[0]
	case len(pkgs) <= 3:
		return strings.Join(pkgs[:len(pkgs)-1], ", ") + " and " + pkgs[len(pkgs)-1]
	}
	return strings.Join(pkgs[:2], ", ") + " and " + strconv.Itoa(len(pkgs)-2) + " more"
}
