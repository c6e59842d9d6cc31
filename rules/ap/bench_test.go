package ap

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/analysis/analysistest"
	"github.com/seaworthy-dev/seaworthy/source/dockerfile"
	"github.com/seaworthy-dev/seaworthy/source/project"
)

const (
	benchPackages        = 50
	benchFilesPerPackage = 400 // 20,000 source files in all
)

// BenchmarkMonorepo measures what `seaworthy check` spends on the AP
// family for a monorepo of 50 packages with 400 small source files each
// (20,000 files): project discovery, then per package source discovery,
// reading, scanning and all AP rules. Each iteration starts from fresh
// builds, so nothing is cached between iterations except the operating
// system's file cache. The target is well under a second per iteration.
func BenchmarkMonorepo(b *testing.B) {
	root := b.TempDir()
	files := writeMonorepo(b, root)
	b.ReportMetric(float64(files), "files")
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		p, err := project.Discover(root)
		if err != nil {
			b.Fatal(err)
		}
		findings := 0
		for _, bd := range p.Builds {
			src, err := os.ReadFile(bd.DockerfilePath)
			if err != nil {
				b.Fatal(err)
			}
			f, err := dockerfile.Parse(bd.DockerfilePath, src, dockerfile.Options{})
			if err != nil {
				b.Fatal(err)
			}
			for _, r := range Rules() {
				pass := analysis.NewPass(r, bd.DockerfilePath, func(analysis.Finding) { findings++ })
				bd.Dockerfile, pass.Today = f, analysistest.Today
				analysis.Run(r, pass, bd)
			}
		}
		if len(p.Builds) != benchPackages || findings == 0 {
			b.Fatalf("%d builds, %d findings", len(p.Builds), findings)
		}
	}
}

// writeMonorepo writes the benchmark tree and returns its number of
// source files.
func writeMonorepo(tb testing.TB, root string) int {
	write := func(p, body string) {
		p = filepath.Join(root, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			tb.Fatal(err)
		}
	}
	write(".git/HEAD", "ref: refs/heads/main\n")
	write("package.json", `{"private": true, "workspaces": ["packages/*"]}`+"\n")
	write("package-lock.json", "{}\n")
	n := 0
	dirs := []string{"src", "src/routes", "src/services", "src/lib", "src/models", "src/middleware", "src/components", "src/utils"}
	for p := 0; p < benchPackages; p++ {
		pkg := fmt.Sprintf("packages/svc%02d", p)
		write(pkg+"/package.json", fmt.Sprintf(`{
  "name": "@acme/svc%02d",
  "scripts": { "build": "tsc", "start": "node dist/index.js", "dev": "nodemon src/index.ts" },
  "engines": { "node": ">=22" },
  "dependencies": { "express": "^4.21.0", "pino": "^9.0.0", "zod": "^3.23.0" },
  "devDependencies": { "typescript": "^5.6.0", "dotenv": "^16.4.0", "nodemon": "^3.1.0" }
}
`, p))
		write(pkg+"/Dockerfile", `FROM node:22 AS build
WORKDIR /app
COPY package*.json ./
RUN npm ci
COPY . .
RUN npm run build

FROM node:20-slim
ENV NODE_ENV=production
WORKDIR /app
COPY package*.json ./
RUN npm ci --omit=dev
COPY --from=build /app/dist ./dist
HEALTHCHECK CMD node -e "fetch('http://localhost:3000/healthz').then(r => process.exit(r.ok ? 0 : 1))"
USER node
CMD ["node", "dist/index.js"]
`)
		write(pkg+"/node_modules/express/index.js", "module.exports = require('./lib/express')\n")
		write(pkg+"/dist/index.js", "require('./server')\n")
		for i := 0; i < benchFilesPerPackage; i++ {
			dir := dirs[i%len(dirs)]
			var name, body string
			switch {
			case i == 0:
				name, body = "src/index.ts", benchServer
			case dir == "src/components":
				name, body = fmt.Sprintf("%s/Widget%03d.tsx", dir, i), benchComponent(i)
			case i%3 == 0:
				name, body = fmt.Sprintf("%s/mod%03d.js", dir, i), benchCommonJS(i)
			default:
				name, body = fmt.Sprintf("%s/mod%03d.ts", dir, i), benchModule(i)
			}
			write(pkg+"/"+name, body)
			n++
		}
		write(pkg+"/src/index.test.ts", "import { describe } from 'vitest'\n")
	}
	return n
}

const benchServer = `import express from 'express'
import pino from 'pino'
import { config } from 'dotenv'
import { router } from './routes/mod001'

config()
const log = pino()
const app = express()
app.use(express.json())
app.get('/health', (_req, res) => res.send('ok'))
app.use('/api/v1', router)

const HOST = process.env.HOST || 'localhost'
app.listen(Number(process.env.PORT ?? 3000), HOST, () => log.info(` + "`listening on ${HOST}`" + `))
`

func benchModule(i int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "import { z } from 'zod'\nimport type { Request, Response } from 'express'\nimport { helper%d } from '../lib/mod%03d'\n\n", i, (i+1)%400)
	fmt.Fprintf(&b, "/**\n * Service %d: validates input and talks to the store.\n * It's documented with an apostrophe and a `backtick`.\n */\n", i)
	fmt.Fprintf(&b, "export const Input%d = z.object({\n  id: z.string().uuid(),\n  name: z.string().min(1).max(200),\n  tags: z.array(z.string()).default([]),\n})\n\n", i)
	fmt.Fprintf(&b, "export type Input%d = z.infer<typeof Input%d>\n\n", i, i)
	fmt.Fprintf(&b, "const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/i\n\n")
	fmt.Fprintf(&b, "export async function handle%d(req: Request, res: Response): Promise<void> {\n", i)
	b.WriteString("  const parsed = Input" + fmt.Sprint(i) + ".safeParse(req.body)\n")
	b.WriteString("  if (!parsed.success) {\n    res.status(400).json({ error: parsed.error.message })\n    return\n  }\n")
	b.WriteString("  const ratio = parsed.data.tags.length / 2 / (parsed.data.name.length || 1)\n")
	b.WriteString("  const slug = SLUG.test(parsed.data.name) ? parsed.data.name : `item-${parsed.data.id}`\n")
	fmt.Fprintf(&b, "  res.json({ ok: true, slug, ratio, path: `/api/v1/items/${parsed.data.id}`, helper: helper%d })\n}\n", i)
	b.WriteString("\nexport default { route: '/items/:id', method: 'GET' as const }\n")
	return b.String()
}

func benchCommonJS(i int) string {
	return fmt.Sprintf(`'use strict'
const path = require('node:path')
const { Router } = require('express')

const router = Router()
// Routes of module %d.
router.get('/things/%d', (req, res) => {
  res.json({ file: path.join(__dirname, 'data', '%d.json'), q: req.query.q || '' })
})
router.post("/things/%d", async (req, res, next) => {
  try {
    const n = Number(req.body.n) / 3
    res.status(201).send({ n })
  } catch (err) {
    next(err)
  }
})

module.exports = { router }
`, i, i, i, i)
}

func benchComponent(i int) string {
	return fmt.Sprintf(`import React, { useState } from 'react'

type Props = { title: string; items: Array<{ id: string; label: string }> }

export function Widget%d({ title, items }: Props) {
  const [open, setOpen] = useState<boolean>(false)
  return (
    <section className="widget" onClick={() => setOpen(o => !o)}>
      <h2>{title} — don't panic, it's fine</h2>
      {open && (
        <ul>
          {items.map(item => <li key={item.id}><a href={`+"`/items/${item.id}`"+`}>{item.label}</a></li>)}
        </ul>
      )}
    </section>
  )
}
`, i)
}
