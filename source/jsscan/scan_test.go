package jsscan

import (
	"fmt"
	"strings"
	"testing"
)

func scanJS(src string) *File {
	var o Options
	o.SetLanguage("x.js")
	o.Calls = map[string]bool{"createServer": true, "File": true, "destination": true, "express": true, "Koa": true}
	o.Props = map[string]bool{"type": true, "host": true}
	o.Idents = map[string]bool{"enableShutdownHooks": true}
	return Scan([]byte(src), o)
}

func scanTS(src string) *File {
	var o Options
	o.SetLanguage("x.ts")
	return Scan([]byte(src), o)
}

func imports(f *File) string {
	var out []string
	for _, im := range f.Imports {
		s := fmt.Sprintf("%s:%s@%d", im.Kind, im.Spec, im.Line)
		if im.TypeOnly {
			s += ":type"
		}
		if im.Conditional {
			s += ":cond"
		}
		if im.DevOnly {
			s += ":dev"
		}
		out = append(out, s)
	}
	return strings.Join(out, " ")
}

func TestImports(t *testing.T) {
	tests := []struct {
		name, src string
		ts        bool
		want      string
	}{
		{"require", `const a = require('a'); const b = require("b/sub").x; require.resolve('no')`, false, "require:a@1 require:b/sub@1"},
		{"import forms", "import a from 'a'\nimport {b, c as d} from \"b\"\nimport * as e from 'e'\nimport 'side'\nimport f, {g} from 'f'", false,
			"import:a@1 import:b@2 import:e@3 import:side@4 import:f@5"},
		{"export from", "export * from 'x'\nexport { y } from 'y'\nexport const z = 1\nexport default from", false, "export:x@1 export:y@2"},
		{"dynamic import", "const m = await import('m'); import(`t`); import(name); import.meta.url", false, "import():m@1 import():t@1"},
		{"template require", "require(`tpl`)", false, "require:tpl@1"},
		{"not in strings or comments", "// require('a')\n/* import b from 'b' */\nconst s = \"require('c')\"; const t = `import d from 'd'`", false, ""},
		{"multiline import", "import {\n  a,\n  b,\n} from 'ab'", false, "import:ab@4"},
		{"type only", "import type { A } from 'a'\nimport { type B, type C } from 'b'\nimport { type D, E } from 'd'\nexport type { F } from 'f'\nlet x: import('g').G\ntype H = import('h').H\nimport type from 'notype'", true,
			"import:a@1:type import:b@2:type import:d@3 export:f@4:type import():g@5:type import():h@6:type import:notype@7"},
		{"conditional requires", "try { require('a') } catch { require('b') }\nif (dev) { require('c') } else { require('d') }\nif (x) require('e')\nconst f = dev && require('f')\nconst g = dev ? require('g') : null\nfunction h() { require('h') }\nrequire('i')", false,
			"require:a@1:cond require:b@1:cond require:c@2:cond require:d@2:cond require:e@3:cond require:f@4:cond require:g@5:cond require:h@6 require:i@7"},
		// hyperdx's src/api-app.ts loads swagger only outside production.
		{"requires outside production", "if (\n  process.env.NODE_ENV !== 'production' &&\n  process.env.ENABLE_SWAGGER === 'true'\n) {\n  const { setupSwagger } = require('./utils/swagger');\n}\n" +
			"if (process.env['NODE_ENV'] === 'development') { if (x) { require('b') } }\nif ('production' != process.env.NODE_ENV) require('c')\nif (dev) { import('d') }", false,
			"require:./utils/swagger@5:cond:dev require:b@7:cond:dev require:c@8:cond:dev import():d@9:cond"},
		// Near misses: these may run in production.
		{"requires that may run in production", "if (process.env.NODE_ENV !== 'production' || force) { require('a') }\n" +
			"if (process.env.NODE_ENV === 'production') { require('b') } else { require('c') }\nif (!(process.env.NODE_ENV !== 'production')) { require('d') }\n" +
			"if (process.env.NODE_ENV !== 'production') { x() }\nrequire('e')\nif (process.env.NODE_ENV !== 'production') x(); require('f')", false,
			"require:a@1:cond require:b@2:cond require:c@2:cond require:d@3:cond require:e@5 require:f@6"},
		{"method named require", "loader.require('x'); function require(x) {}; module.require('y')", false, "require:y@1"},
		{"import after jsx with apostrophe", "const A = () => <p>Don't</p>\nimport('late')", false, "import():late@2"},
		{"regex containing quote", "const r = /'/; const s = require('s')", false, "require:s@1"},
		{"division then string", "const half = total / 2; require('after')", false, "require:after@1"},
		{"ts import equals", "import fs = require('fs')", true, "require:fs@1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var f *File
			if tt.ts {
				f = scanTS(tt.src)
			} else {
				f = scanJS(tt.src)
			}
			if got := imports(f); got != tt.want {
				t.Errorf("imports of %q\n got: %s\nwant: %s", tt.src, got, tt.want)
			}
		})
	}
}

func TestComputedLoad(t *testing.T) {
	tests := []struct {
		src  string
		want int
	}{
		{"require('a')\nimport('b')\nrequire.resolve(x)\nlet y: import('c').C", 0},
		{"require('a')\nfor (const f of files) require(path.join(dir, f))", 2},
		{"const m = await import(`./routes/${name}`)", 1},
		{"const m = await import(name)", 1},
		{"loader.require(x); function require(x) {}", 0},
		{"require('a' + b)", 1},
	}
	for _, tt := range tests {
		if got := scanTS(tt.src).ComputedLoad; got != tt.want {
			t.Errorf("ComputedLoad of %q = %d, want %d", tt.src, got, tt.want)
		}
	}
}

func TestListensAndSignals(t *testing.T) {
	src := `const host = process.env.HOST || 'localhost'
app.listen(3000, '127.0.0.1', () => {})
server.listen(PORT, host)
fastify.listen({ port: 3000, host: 'localhost' })
http.createServer(app).listen(port)
process.on('SIGTERM', shutdown)
process.once("SIGINT", shutdown)
process.on('exit', x)
const { HOST = 'localhost' } = process.env
`
	f := scanJS(src)
	var got []string
	for _, c := range f.Listens {
		var args []string
		for _, a := range c.Args {
			args = append(args, fmt.Sprintf("%d:%s", a.Kind, a.Value))
		}
		got = append(got, fmt.Sprintf("%s@%d(%s)", strings.Join(c.Callee, "."), c.Line, strings.Join(args, ",")))
	}
	want := "app.listen@2(2:3000,1:127.0.0.1,0:) server.listen@3(3:PORT,3:host) fastify.listen@4(4:) http.createServer().listen@5(3:port)"
	if strings.Join(got, " ") != want {
		t.Errorf("listens:\n got: %s\nwant: %s", strings.Join(got, " "), want)
	}
	obj := f.Listens[2].Args[0]
	if p, ok := obj.Prop("host"); !ok || p.Value.Kind != ArgString || p.Value.Value != "localhost" {
		t.Errorf("fastify listen host prop: %+v", obj.Props)
	}
	var sigs []string
	for _, s := range f.Signals {
		sigs = append(sigs, fmt.Sprintf("%s.%s@%d", s.Method, s.Name, s.Line))
	}
	if got, want := strings.Join(sigs, " "), "on.SIGTERM@6 once.SIGINT@7"; got != want {
		t.Errorf("signals: got %s, want %s", got, want)
	}
	var as []string
	for _, a := range f.Assigns {
		as = append(as, fmt.Sprintf("%s=%s@%d", a.Name, a.Value.Text, a.Line))
	}
	if got, want := strings.Join(as, " "), "host=process.env.HOST || 'localhost'@1 HOST='localhost'@9"; got != want {
		t.Errorf("assigns:\n got: %s\nwant: %s", got, want)
	}
}

func TestCallsPropsIdents(t *testing.T) {
	src := `const logger = winston.createLogger({
  transports: [new winston.transports.File({ filename: 'app.log' }), new transports.Console()],
})
log4js.configure({ appenders: { out: { type: 'file', filename: 'x.log' } } })
const dest = pino.destination('./logs/app.log')
app.enableShutdownHooks()
class S { createServer(opts) { return 1 } }
const srv = http.createServer(handler)
`
	f := scanJS(src)
	var calls []string
	for _, c := range f.Calls {
		s := fmt.Sprintf("%s@%d", strings.Join(c.Callee, "."), c.Line)
		if c.New {
			s = "new " + s
		}
		if len(c.Args) > 0 {
			s += fmt.Sprintf("[%s]", strings.Join(c.Args[0].Strings, ","))
		}
		calls = append(calls, s)
	}
	if got, want := strings.Join(calls, " "), "new winston.transports.File@2[app.log] pino.destination@5[./logs/app.log] http.createServer@8[]"; got != want {
		t.Errorf("calls:\n got: %s\nwant: %s", got, want)
	}
	if len(f.Props) != 1 || f.Props[0].Key != "type" || f.Props[0].Value.Value != "file" || f.Props[0].Line != 4 {
		t.Errorf("props: %+v", f.Props)
	}
	if f.Idents["enableShutdownHooks"] != 6 {
		t.Errorf("idents: %v", f.Idents)
	}
}

func TestStrings(t *testing.T) {
	f := scanJS("app.get('/health', h)\nrouter.use(`/api/${v}/users`)\n<Route path=\"/about\"/>")
	var got []string
	for _, s := range f.Strings {
		got = append(got, fmt.Sprintf("%s@%d", s.Value, s.Line))
	}
	if g, w := strings.Join(got, " "), "/health@1 /api/@2 /users@2 /about@3"; g != w {
		t.Errorf("strings: got %s, want %s", g, w)
	}
}

func TestPackageName(t *testing.T) {
	tests := []struct {
		spec, name string
		kind       SpecKind
	}{
		{"express", "express", SpecPackage},
		{"lodash/fp", "lodash", SpecPackage},
		{"@scope/name/sub/x", "@scope/name", SpecPackage},
		{"@scope/name", "@scope/name", SpecPackage},
		{"node:fs", "fs", SpecBuiltin},
		{"node:test", "test", SpecBuiltin},
		{"fs/promises", "fs", SpecBuiltin},
		{"http", "http", SpecBuiltin},
		{"punycode/", "punycode", SpecPackage},
		{"./x", "", SpecLocal},
		{"../x", "", SpecLocal},
		{"/abs/x", "", SpecLocal},
		{"#internal", "", SpecLocal},
		{"@/components/x", "", SpecOther},
		{"~/utils", "", SpecOther},
		{"@scope", "", SpecOther},
		{"https://esm.sh/x", "", SpecOther},
		{"", "", SpecOther},
	}
	for _, tt := range tests {
		name, kind := PackageName(tt.spec)
		if name != tt.name || kind != tt.kind {
			t.Errorf("PackageName(%q) = %q, %d; want %q, %d", tt.spec, name, kind, tt.name, tt.kind)
		}
	}
}

// TestRealisticFiles: typical React/TSX and NestJS/TS files keep their
// imports and route strings; nothing in JSX text or type syntax derails
// the scanner.
func TestRealisticFiles(t *testing.T) {
	tsx := "import React, { useState } from 'react'\n" + // 1
		"import type { FC } from 'react'\n" + // 2
		"import { api } from '@/lib/api'\n" + // 3
		"\n" + // 4
		"export const Page: FC<{ items: Array<Map<string, number>> }> = ({ items }) => {\n" + // 5
		"  const [open, setOpen] = useState<boolean>(false)\n" + // 6
		"  const pick = <T,>(x: T) => x\n" + // 7
		"  return (\n" + // 8
		"    <div className=\"a\" onClick={() => setOpen(o => !o)}>\n" + // 9
		"      Don't click — it's \"fine\" / really {items.length > 1 ? <b>many</b> : 'one'}\n" + // 10
		"      <a href={`/users/${1}`}>it's a link</a>\n" + // 11
		"    </div>\n" + // 12
		"  )\n" + // 13
		"}\n" + // 14
		"const ratio = total / 2 / count\n" + // 15
		"const lazy = () => import('./Lazy')\n" + // 16
		"fetch('/api/health')\n" // 17
	var o Options
	o.SetLanguage("page.tsx")
	f := Scan([]byte(tsx), o)
	if got, want := imports(f), "import:react@1 import:react@2:type import:@/lib/api@3 import():./Lazy@16"; got != want {
		t.Errorf("tsx imports:\n got: %s\nwant: %s", got, want)
	}
	var strs []string
	for _, s := range f.Strings {
		strs = append(strs, fmt.Sprintf("%s@%d", s.Value, s.Line))
	}
	if got, want := strings.Join(strs, " "), "react@1 react@2 @/lib/api@3 a@9 one@10 /users/@11 @11 ./Lazy@16 /api/health@17"; got != want {
		t.Errorf("tsx strings:\n got: %s\nwant: %s", got, want)
	}

	nest := "import { Controller, Get } from '@nestjs/common'\n" + // 1
		"import { HealthCheckService } from '@nestjs/terminus'\n" + // 2
		"@Controller('health')\n" + // 3
		"export class HealthController {\n" + // 4
		"  constructor(private readonly health: HealthCheckService) {}\n" + // 5
		"  @Get('/live')\n" + // 6
		"  live(): { status: 'ok' } { return <const>{ status: 'ok' } as const }\n" + // 7
		"  private re = /\\/health\\/?$/i\n" + // 8
		"}\n" + // 9
		"enum Mode { A = 'a' }\n" + // 10
		"export * as utils from './utils'\n" // 11
	o.SetLanguage("health.controller.ts")
	f = Scan([]byte(nest), o)
	if got, want := imports(f), "import:@nestjs/common@1 import:@nestjs/terminus@2 export:./utils@11"; got != want {
		t.Errorf("ts imports:\n got: %s\nwant: %s", got, want)
	}
	found := false
	for _, s := range f.Strings {
		if s.Value == "/live" && s.Line == 6 {
			found = true
		}
	}
	if !found {
		t.Errorf("route /live not found: %+v", f.Strings)
	}
}

func TestKeepAssignName(t *testing.T) {
	src := "const port = Number(process.env.PORT || 3000);\nconst { PORT = 8080 } = process.env;\nconst other = 1;\n"
	var o Options
	o.SetLanguage("x.js")
	o.KeepAssignName = func(n string) bool { return strings.EqualFold(n, "port") }
	f := Scan([]byte(src), o)
	var got []string
	for _, a := range f.Assigns {
		got = append(got, fmt.Sprintf("%s=%s@%d default=%v", a.Name, a.Value.Text, a.Line, a.Default))
	}
	want := "port=Number(process.env.PORT || 3000)@1 default=false PORT=8080@2 default=true"
	if strings.Join(got, " ") != want {
		t.Errorf("assigns:\n got %s\nwant %s", strings.Join(got, " "), want)
	}
	// Without the option nothing without a string literal is recorded.
	o.KeepAssignName = nil
	if f := Scan([]byte(src), o); len(f.Assigns) != 0 {
		t.Errorf("without KeepAssignName: %v", f.Assigns)
	}
}
