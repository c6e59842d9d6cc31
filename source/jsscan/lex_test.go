package jsscan

import (
	"fmt"
	"strings"
	"testing"
)

// render shows tokens compactly: kind-initial and text, with the line.
func render(toks []Token) string {
	var parts []string
	for _, t := range toks {
		k := map[Kind]string{Ident: "", Punct: "", String: "s", Template: "t", Number: "n", Regex: "r"}[t.Kind]
		if t.Kind == Template {
			if t.Flags&TmplHead != 0 {
				k += "<"
			}
			if t.Flags&TmplTail != 0 {
				k += ">"
			}
		}
		if k == "" {
			parts = append(parts, t.Text)
		} else {
			parts = append(parts, fmt.Sprintf("%s%q", k, t.Text))
		}
	}
	return strings.Join(parts, " ")
}

func TestTokenize(t *testing.T) {
	tests := []struct {
		name, src string
		jsx, ts   bool
		want      string
	}{
		{"division after ident", "a / b / c", false, false, "a / b / c"},
		{"regex after =", "x = /ab+c/gi.test(s)", false, false, `x = r"/ab+c/gi" . test ( s )`},
		{"regex with slash in class", `re = /[/]"/; y = 1`, false, false, `re = r"/[/]\"/" ; y = n"1"`},
		{"division after paren", "(a) / 2 / (b)", false, false, `( a ) / n"2" / ( b )`},
		{"regex after return", "return /x/", false, false, `return r"/x/"`},
		{"division after property named return", "a.return / 2", false, false, `a . return / n"2"`},
		{"regex after brace", "} /x/.exec(y)", false, false, `} r"/x/" . exec ( y )`},
		{"comments", "a // c 'x\n/* 'y\n */ b", false, false, "a b"},
		{"strings", `'it\'s' "a\"b" 'x\n'`, false, false, `s"it's" s"a\"b" s"x\n"`},
		{"unterminated string stops at newline", "'abc\nfoo()", false, false, `s"abc" foo ( )`},
		{"template", "`a${b}c${`d${e}`}f`", false, false, `t<"a" b t"c" t<"d" e t>"" t>"f"`},
		{"template with braces inside", "`${ {a:1}.a }x`", false, false, `t<"" { a : n"1" } . a t>"x"`},
		{"template then division", "`a` / 2", false, false, `t<>"a" / n"2"`},
		{"jsx text with apostrophe", "const x = <p>Don't \"stop\" {name} it's</p>; const y = 'z'", true, false, `const x = name ; const y = s"z"`},
		{"jsx attrs", `f(<Route path="/health" element={<Health />} />)`, true, false, `f ( s"/health" )`},
		{"jsx nested and fragments", "return <><a href='/x'>it's {items.map(i => <li key={i}>{i}</li>)}</a></>", true, false, `return s"/x" items . map ( i => i i )`},
		{"jsx then division", "x = <b/> / 2", true, false, `x = / n"2"`},
		{"less-than is not jsx", "if (a <b) c()", true, false, `if ( a < b ) c ( )`},
		{"ts generic arrow in tsx", "const f = <T,>(x: T) => x", true, true, `const f = < T , > ( x : T ) => x`},
		{"ts has no jsx", "const v = <Foo>bar; 'ok'", false, true, `const v = < Foo > bar ; s"ok"`},
		{"numbers", "1_000 0x1F 1e-5 .5", false, false, `n"1_000" n"0x1F" n"1e-5" n".5"`},
		{"private and optional chaining", "this.#x?.y ?? z", false, false, "this . #x ?. y ?? z"},
		{"hashbang", "#!/usr/bin/env node\nrequire('x')", false, false, `require ( s"x" )`},
		{"escapes", `'\x41\u0042\u{43}\
D'`, false, false, `s"ABCD"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := render(Tokenize(tt.src, tt.jsx, tt.ts))
			if got != tt.want {
				t.Errorf("Tokenize(%q)\n got: %s\nwant: %s", tt.src, got, tt.want)
			}
		})
	}
}

func TestTokenLines(t *testing.T) {
	src := "a\n/* x\ny */\n`t\n${b}\n`\n'c';\n<div>\n{d}\n</div>\ne"
	toks := Tokenize(src, true, false)
	var got []string
	for _, tk := range toks {
		got = append(got, fmt.Sprintf("%s@%d", tk.Text, tk.Line))
	}
	want := "a@1 t\n@4 b@5 \n@5 c@7 ;@7 d@9 e@11"
	if strings.Join(got, " ") != want {
		t.Errorf("lines: got %q, want %q", strings.Join(got, " "), want)
	}
}
