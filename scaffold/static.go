package scaffold

import (
	"fmt"
	"path"
	"strings"
)

// This file writes the Dockerfile of a single-page app with no server:
// Node builds it, an unprivileged nginx serves the output (not a
// development preview server), with index.html as the fallback for
// client-side routes.

// StaticServerImage is the web server image of static sites: nginx's
// official unprivileged build, which runs as uid 101 and listens on 8080.
const StaticServerImage = "nginxinc/nginx-unprivileged:1.28-alpine"

func (g *gen) staticDockerfile() string {
	s, t := g.s, g.s.Toolchain
	var b strings.Builder
	// The nginx configuration is a heredoc.
	g.header(&b, true, "")
	fmt.Fprintf(&b, "\nFROM %s AS build\n", g.image)
	g.installTools(&b)
	b.WriteString("WORKDIR /app\n")
	manifests := []string{"package.json"}
	if t.Lockfile != "" {
		manifests = append(manifests, t.Lockfile)
	}
	if t.Berry && g.pkg.Exists(".yarnrc.yml") {
		manifests = append(manifests, ".yarnrc.yml")
	}
	fmt.Fprintf(&b, "COPY %s ./\n", strings.Join(manifests, " "))
	install := t.FrozenInstall(false)
	if s.Npmrc != nil {
		fmt.Fprintf(&b, "RUN --mount=type=secret,id=npmrc,target=/app/.npmrc,required=true %s\n", install)
	} else {
		fmt.Fprintf(&b, "RUN %s\n", install)
	}
	b.WriteString("COPY . .\n")
	fmt.Fprintf(&b, "RUN %s\n", t.Run(s.Build.Script))
	g.nginxStage(&b, "/app/"+s.StaticSite.Value)
	return b.String()
}

// staticWorkspaceDockerfile builds a static site that is a workspace
// member from the workspace root (its local packages built first) and
// serves its output with nginx.
func (g *gen) staticWorkspaceDockerfile() string {
	var b strings.Builder
	g.header(&b, true, g.s.Workspace.Rel)
	g.workspaceBuildStage(&b)
	g.nginxStage(&b, path.Join("/app", g.s.Workspace.Rel, g.s.StaticSite.Value))
	return b.String()
}

// nginxStage writes the runtime of a static site: the unprivileged nginx
// serving the build stage's directory out.
func (g *gen) nginxStage(b *strings.Builder, out string) {
	port := g.s.Port.Value
	fmt.Fprintf(b, "\nFROM %s AS runtime\n", StaticServerImage)
	b.WriteString("# Client-side routes fall back to index.html.\n")
	b.WriteString("COPY <<'EOF' /etc/nginx/conf.d/default.conf\n")
	fmt.Fprintf(b, "server {\n    listen %d;\n    root /usr/share/nginx/html;\n    location / {\n        try_files $uri $uri/ /index.html;\n    }\n}\nEOF\n", port)
	fmt.Fprintf(b, "COPY --from=build %s /usr/share/nginx/html\n", out)
	b.WriteString("USER nginx\n")
	fmt.Fprintf(b, "EXPOSE %d\n", port)
	b.WriteString("HEALTHCHECK --interval=10s --timeout=3s --start-period=5s --retries=3 \\\n")
	fmt.Fprintf(b, "  CMD [\"wget\", \"-q\", \"--spider\", \"http://127.0.0.1:%d/\"]\n", port)
}
