package audit

import (
	"html/template"
	"io"
)

// WriteHTML writes the size report as one self-contained HTML page (no
// scripts, no external files): a chart of the layers, each bar split into
// what stays in the final filesystem and what later layers deleted or
// rewrote, then the tables of the text report.
func WriteHTML(w io.Writer, ref string, s *Sizes) error {
	// The largest layer spans the chart's width.
	var scale int64 = 1
	for _, l := range s.Layers {
		scale = max(scale, l.Size)
	}
	type bar struct {
		LayerSize
		Y, Kept, Lost int
		Label         string
	}
	const width = 640
	var bars []bar
	base := s.BaseLayers()
	for i, l := range s.Layers {
		kept := int(float64(l.Size-l.Wasted) / float64(scale) * width)
		lost := int(float64(l.Wasted) / float64(scale) * width)
		if l.Size > 0 && kept+lost == 0 {
			kept = 1
		}
		label := shorten(l.Instruction, 48)
		switch {
		case l.Source != "":
			label += " (" + l.Source + ")"
		case l.Index < base:
			label += " (base image)"
		}
		bars = append(bars, bar{LayerSize: l, Y: 28 * i, Kept: kept, Lost: lost, Label: label})
	}
	return page.Execute(w, map[string]any{
		"Ref": ref, "S": s, "Bars": bars, "Height": 28*len(bars) + 8, "Width": width + 480,
	})
}

var page = template.Must(template.New("audit").Funcs(template.FuncMap{
	"mb":    mb,
	"files": files,
	"add":   func(a, b int) int { return a + b },
}).Parse(`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>seaworthy audit: {{.Ref}}</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#222;max-width:72em}
h1{font-size:1.4em} h2{font-size:1.1em;margin-top:2em}
table{border-collapse:collapse} td,th{padding:.2em .8em;text-align:left;border-bottom:1px solid #ddd}
td.n{text-align:right;white-space:nowrap} code{font-size:12px}
.kept{fill:#3b7dd8} .lost{fill:#d9453b} .lbl{font:12px system-ui,sans-serif;fill:#222}
.key span{display:inline-block;width:1em;height:1em;vertical-align:middle;margin:0 .3em 0 1em}
</style></head><body>
<h1>seaworthy audit: <code>{{.Ref}}</code></h1>
<p>{{len .S.Layers}} layers, {{.S.Files}} files: {{mb .S.Total}} in layers, {{mb .S.Final}} in the final filesystem,
<strong>{{mb .S.Wasted}} wasted</strong> (bytes of lower layers that a later layer deleted or rewrote, each copy counted once).</p>
<p class="key"><span style="background:#3b7dd8"></span>in the final filesystem<span style="background:#d9453b"></span>deleted or rewritten later</p>
<svg xmlns="http://www.w3.org/2000/svg" width="{{.Width}}" height="{{.Height}}" role="img" aria-label="layer sizes">
{{range .Bars}}<g transform="translate(0,{{.Y}})"><text class="lbl" x="0" y="16">{{add .Index 1}}</text>
<rect class="kept" x="24" y="4" width="{{.Kept}}" height="18"><title>layer {{add .Index 1}}: {{mb .Size}}</title></rect>
<rect class="lost" x="{{add 24 .Kept}}" y="4" width="{{.Lost}}" height="18"><title>{{mb .Wasted}} deleted or rewritten later</title></rect>
<text class="lbl" x="{{add 32 (add .Kept .Lost)}}" y="17">{{mb .Size}}  {{.Label}}</text></g>
{{end}}</svg>
<h2>Layers</h2>
<table><tr><th>#</th><th>size</th><th>wasted</th><th>hides</th><th>instruction</th><th>Dockerfile</th></tr>
{{range .S.Layers}}<tr><td class="n">{{add .Index 1}}</td><td class="n">{{mb .Size}}</td><td class="n">{{mb .Wasted}}</td><td class="n">{{mb .Hides}}</td><td><code>{{.Instruction}}</code></td><td>{{.Source}}</td></tr>
{{end}}</table>
{{if .S.Dirs}}<h2>Largest directories</h2><table>
{{range .S.Dirs}}<tr><td class="n">{{mb .Bytes}}</td><td><code>{{.Path}}</code></td><td class="n">{{files .Files}}</td></tr>
{{end}}</table>{{end}}
{{if .S.Packages}}<h2>node_modules by package</h2><table>
{{range .S.Packages}}<tr><td class="n">{{mb .Bytes}}</td><td><code>{{.Path}}</code></td><td class="n">{{files .Files}}</td></tr>
{{end}}</table>{{end}}
</body></html>
`))
