package scaffold

import (
	"fmt"
	"strings"
)

// This file writes the Dockerfile of a project that installs and runs
// with bun: the official oven/bun slim image (Debian, with the non-root
// user bun, uid 1000), bun's frozen production install, `bun <file>`
// behind tini, a healthcheck bun itself runs.

// BunImage is the official bun image of a version: the pinned one, else
// the newest bun 1.
func BunImage(version string) string {
	if version == "" {
		return "oven/bun:1-slim"
	}
	return "oven/bun:" + version + "-slim"
}

func (g *gen) bunDockerfile() string {
	s, t := g.s, g.s.Toolchain
	var b strings.Builder
	g.header(&b, false, "")
	manifests := "package.json"
	if t.Lockfile != "" {
		manifests += " " + t.Lockfile
	}
	if !s.ZeroDeps {
		fmt.Fprintf(&b, "\nFROM %s AS deps\nWORKDIR /app\nCOPY %s ./\n", g.image, manifests)
		g.bunInstall(&b, t.FrozenInstall(true))
	}
	if s.Build != nil {
		fmt.Fprintf(&b, "\nFROM %s AS build\nWORKDIR /app\nCOPY %s ./\n", g.image, manifests)
		g.bunInstall(&b, t.FrozenInstall(false))
		b.WriteString("COPY . .\n")
		fmt.Fprintf(&b, "RUN %s\n", t.Run(s.Build.Script))
	}
	fmt.Fprintf(&b, "\nFROM %s AS runtime\n", g.image)
	b.WriteString("# tini is PID 1: it forwards signals to bun and reaps zombies.\n")
	b.WriteString("RUN apt-get update \\\n && apt-get install -y --no-install-recommends tini \\\n && rm -rf /var/lib/apt/lists/*\n")
	b.WriteString("ENV NODE_ENV=production\nWORKDIR /app\n")
	if !s.ZeroDeps {
		b.WriteString("COPY --from=deps /app/node_modules ./node_modules\n")
	}
	b.WriteString("COPY package.json ./\n")
	if s.Build != nil && s.Build.OutDir.Value != "." {
		fmt.Fprintf(&b, "COPY --from=build /app/%s ./%s\n", s.Build.OutDir.Value, s.Build.OutDir.Value)
	} else {
		for _, src := range g.runtimeSources() {
			fmt.Fprintf(&b, "COPY %s ./%s\n", src, src)
		}
	}
	b.WriteString("USER bun\n")
	fmt.Fprintf(&b, "EXPOSE %d\n", s.Port.Value)
	b.WriteString("HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \\\n")
	check := g.healthcheck()
	check[0] = "bun"
	fmt.Fprintf(&b, "  CMD %s\n", execForm(check))
	b.WriteString("ENTRYPOINT [\"/usr/bin/tini\", \"--\"]\n")
	fmt.Fprintf(&b, "CMD %s\n", execForm(bunStart(s.Start.Value)))
	return b.String()
}

// bunInstall runs a bun install, with the registry credentials as a
// secret when the project has them (bun reads .npmrc).
func (g *gen) bunInstall(b *strings.Builder, install string) {
	if g.s.Npmrc != nil {
		fmt.Fprintf(b, "RUN --mount=type=secret,id=npmrc,target=/app/.npmrc,required=true %s\n", install)
		return
	}
	fmt.Fprintf(b, "RUN %s\n", install)
}

// bunStart runs the start command with bun: `node dist/x.js` (the
// fallback from main or an entry file) becomes `bun dist/x.js`.
func bunStart(argv []string) []string {
	out := append([]string(nil), argv...)
	if len(out) > 0 && out[0] == "node" {
		out[0] = "bun"
	}
	return out
}
