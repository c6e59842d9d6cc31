package jsscan

import (
	"strings"
	"testing"
)

var allOptions = func() []Options {
	interest := func(o Options) Options {
		o.Calls = map[string]bool{"createServer": true, "File": true, "x": true, "listen": true}
		o.Props = map[string]bool{"host": true, "type": true, "a": true}
		o.Idents = map[string]bool{"a": true}
		return o
	}
	return []Options{
		interest(Options{JSX: true}),
		interest(Options{TypeScript: true}),
		interest(Options{JSX: true, TypeScript: true}),
	}
}()

// FuzzScan checks that no input makes Scan panic or loop, and that token
// lines never go backwards or past the input's line count.
func FuzzScan(f *testing.F) {
	for _, seed := range []string{
		"const a = require('a'); app.listen(3000, '127.0.0.1')",
		"`a${b}c${`d${e}`}f`",
		"x = <div a='b' c={<e/>}>it's {f} <g></g></div> / 2",
		"import type { A } from 'a'; export * from 'b'; import('c')",
		"a = /[/]/g / 2 /* c */ // d\n'e\\\nf'",
		"<", "`${", "<a {", "${}", "/[", "'\\", "\\u{", "<T,>() => 1", "process.on('SIGTERM'",
		"try { if (x) require('y') } catch { }",
		"const { HOST = 'localhost' } = process.env; new winston.transports.File({ filename: 'x.log' })",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, src string) {
		lines := strings.Count(src, "\n") + strings.Count(src, "\u2028") + strings.Count(src, "\u2029") + 1
		for _, o := range allOptions {
			toks := Tokenize(src, o.JSX, o.TypeScript)
			prev := 1
			for _, tk := range toks {
				if tk.Line < prev || tk.Line > lines {
					t.Fatalf("token %q at line %d after line %d (input has %d lines)", tk.Text, tk.Line, prev, lines)
				}
				prev = tk.Line
			}
			Scan([]byte(src), o)
		}
		PackageName(src)
	})
}

// TestLinearWork feeds pathological inputs of about 256 KB and bounds the
// work of a scan by counting it rather than timing it (a timed bound fails
// on slow or instrumented runs, such as -race): the lexer emits at most
// one token per input byte, the extractor visits each token once and its
// look-ahead helpers spend at most the budget Scan gives them (plus one
// step per token for calls made after it ran out), and what it extracts
// is no larger than the input.
func TestLinearWork(t *testing.T) {
	if testing.Short() {
		t.Skip("scans 14 inputs of 256 KB")
	}
	const n = 1 << 18
	inputs := map[string]string{
		"nested templates":       strings.Repeat("`${", n/3),
		"nested jsx":             strings.Repeat("<a>{", n/4),
		"nested parens":          strings.Repeat("x(", n/2),
		"nested interest calls":  strings.Repeat("createServer(", n/13),
		"nested objects":         strings.Repeat("listen({a:", n/10),
		"open braces":            strings.Repeat("{", n),
		"unterminated comment":   "/*" + strings.Repeat("a", n),
		"many strings":           strings.Repeat("'a',", n/4),
		"unterminated template":  "`" + strings.Repeat("a\n", n/2),
		"many imports":           strings.Repeat("import {a,b,c} from 'x'\n", n/24),
		"import without from":    "import " + strings.Repeat("a, ", n/3),
		"long assignment chains": strings.Repeat("const a = 'x' + ", n/16),
		"regex-like":             strings.Repeat("= /a/ ", n/6),
		"props everywhere":       "{" + strings.Repeat("host: 'x', ", n/11) + "}",
	}
	for name, src := range inputs {
		for _, o := range allOptions {
			toks := Tokenize(src, o.JSX, o.TypeScript)
			if len(toks) > len(src) {
				t.Errorf("%s: %d tokens for %d bytes", name, len(toks), len(src))
			}
			// As Scan does, counting the steps.
			budget := 8*len(toks) + 4096
			x := extractor{toks: toks, opts: o, f: &File{}, budget: budget}
			x.run()
			steps := len(toks) + budget - x.budget
			if max := 10*len(toks) + 4096; steps > max {
				t.Errorf("%s: %d steps for %d tokens, want at most %d", name, steps, len(toks), max)
			}
			f := x.f
			facts := len(f.Imports) + len(f.Strings) + len(f.Listens) + len(f.Signals) + len(f.Calls) + len(f.Props) + len(f.Assigns) + len(f.Idents)
			if facts > len(toks) {
				t.Errorf("%s: %d facts from %d tokens", name, facts, len(toks))
			}
			if testing.Verbose() {
				t.Logf("%s: %d bytes, %d tokens, %d steps, %d facts", name, len(src), len(toks), steps, facts)
			}
		}
	}
}

// BenchmarkScan measures throughput on realistic TypeScript.
func BenchmarkScan(b *testing.B) {
	src := []byte(strings.Repeat(`import { z } from 'zod'
import type { Request, Response } from 'express'
import { helper } from '../lib/helper'

/** Validates input and talks to the store; it's documented. */
export const Input = z.object({ id: z.string().uuid(), name: z.string().min(1).max(200) })
const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/i

export async function handle(req: Request, res: Response): Promise<void> {
  const parsed = Input.safeParse(req.body)
  if (!parsed.success) {
    res.status(400).json({ error: parsed.error.message })
    return
  }
  const ratio = parsed.data.name.length / 2 / 3
  res.json({ ok: true, ratio, path: `+"`/api/v1/items/${parsed.data.id}`"+`, helper })
}
`, 20))
	var o Options
	o.SetLanguage("x.ts")
	o.Calls = map[string]bool{"createServer": true, "File": true}
	o.Props = map[string]bool{"type": true}
	b.SetBytes(int64(len(src)))
	for i := 0; i < b.N; i++ {
		Scan(src, o)
	}
}
