package command

import (
	"strings"

	"mvdan.cc/sh/v3/syntax"

	"github.com/seaworthy-dev/seaworthy/source/dockerfile"
)

// This file reads downloads in shell commands: the URLs curl and wget
// fetch, and downloads piped straight into a shell.

// IsDownloader reports whether a command (a base name) fetches URLs: curl
// or wget.
func IsDownloader(name string) bool { return name == "curl" || name == "wget" }

// DownloadURLs returns the http(s)/ftp URLs a curl or wget command
// fetches (wrappers looked through); nil for other commands.
func DownloadURLs(c *dockerfile.ShellCommand) []string {
	words := Words(c)
	if !IsDownloader(BaseName(words[0])) {
		return nil
	}
	for _, w := range words[1:] {
		if w == "--head" || w == "--spider" || len(w) > 1 && w[0] == '-' && w[1] != '-' && strings.Contains(w, "I") {
			return nil // a HEAD request (`curl -Iv`, `wget --spider`) downloads nothing
		}
	}
	var out []string
	for _, w := range words[1:] {
		w = strings.Trim(w, `"'`)
		for _, scheme := range []string{"https://", "http://", "ftp://"} {
			if strings.HasPrefix(w, scheme) {
				out = append(out, w)
			}
		}
	}
	return out
}

// DownloadIntoShell returns the downloader command of a script that pipes
// a download into a shell (`curl -fsSL url | sh`, `wget -qO- url | sudo
// bash`) or runs a shell on one (`sh -c "$(curl -fsSL url)"`, `bash <(curl
// url)`), "" when there is none or the script does not parse.
func DownloadIntoShell(text string) string {
	if !strings.Contains(text, "curl") && !strings.Contains(text, "wget") {
		return ""
	}
	file := ParseScript(text)
	if file == nil {
		return ""
	}
	found := ""
	syntax.Walk(file, func(n syntax.Node) bool {
		if found != "" {
			return false
		}
		switch n := n.(type) {
		case *syntax.BinaryCmd:
			if n.Op != syntax.Pipe && n.Op != syntax.PipeAll {
				return true
			}
			if dl := lastDownloader(n.X); dl != "" && runsShell(n.Y) {
				found = dl
			}
		case *syntax.CallExpr:
			w := callWords(n)
			if len(w) < 2 || !IsShell(BaseName(w[0])) {
				return true
			}
			for _, arg := range n.Args[1:] {
				for _, p := range arg.Parts {
					if dl := substitutedDownloader(p); dl != "" {
						found = dl
					}
				}
			}
		}
		return true
	})
	return found
}

// lastDownloader is the curl/wget call a pipeline's left side ends with.
func lastDownloader(st *syntax.Stmt) string {
	switch c := st.Cmd.(type) {
	case *syntax.CallExpr:
		if w := unwrapped(callWords(c)); len(w) > 0 && IsDownloader(BaseName(w[0])) {
			return strings.Join(w, " ")
		}
	case *syntax.BinaryCmd:
		if c.Op == syntax.Pipe || c.Op == syntax.PipeAll {
			return lastDownloader(c.Y)
		}
	}
	return ""
}

// runsShell: the statement (a pipeline's right side) starts with a shell
// reading its standard input.
func runsShell(st *syntax.Stmt) bool {
	switch c := st.Cmd.(type) {
	case *syntax.CallExpr:
		w := unwrapped(callWords(c))
		if len(w) == 0 || !IsShell(BaseName(w[0])) {
			return false
		}
		for _, a := range w[1:] {
			if a == "-c" || !strings.HasPrefix(a, "-") && a != "-" {
				return false // `| sh -c 'cmd'`, `| bash file`: not the piped text
			}
		}
		return true
	case *syntax.BinaryCmd:
		return runsShell(c.X)
	}
	return false
}

// substitutedDownloader: a `$(curl …)` or `<(curl …)` word part.
func substitutedDownloader(p syntax.WordPart) string {
	var stmts []*syntax.Stmt
	switch p := p.(type) {
	case *syntax.CmdSubst:
		stmts = p.Stmts
	case *syntax.ProcSubst:
		stmts = p.Stmts
	case *syntax.DblQuoted:
		for _, q := range p.Parts {
			if dl := substitutedDownloader(q); dl != "" {
				return dl
			}
		}
	}
	for _, st := range stmts {
		if dl := lastDownloader(st); dl != "" {
			return dl
		}
	}
	return ""
}

// unwrapped drops wrappers (sudo, env) from the front of words.
func unwrapped(words []string) []string {
	for {
		n := wrapped(words, func(w string) string { return w })
		if n == 0 {
			return words
		}
		words = words[n:]
	}
}
