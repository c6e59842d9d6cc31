package scaffold

import (
	"fmt"
	"path"
	"strings"

	"github.com/seaworthy-dev/seaworthy/facts/nodeapp"
)

// This file writes the files of a workspace member: the build context is
// the workspace root (it holds the lockfile), the Dockerfile and its own
// ignore file (<Dockerfile>.dockerignore, read by BuildKit) sit in the
// member's directory.

// WorkspaceIgnoreName is the ignore file written for a workspace member.
const WorkspaceIgnoreName = "Dockerfile.dockerignore"

func (g *gen) workspaceDockerfile() string {
	s, t, w := g.s, g.s.Toolchain, g.s.Workspace
	var b strings.Builder
	g.header(&b, false, w.Rel)
	fmt.Fprintf(&b, "\nFROM %s AS build\n", g.image)
	g.installTools(&b)
	b.WriteString("WORKDIR /app\n")
	root := []string{"package.json"}
	if t.Lockfile != "" {
		root = append(root, t.Lockfile)
	}
	for _, f := range w.Files {
		if f == "pnpm-workspace.yaml" || f == ".yarnrc.yml" {
			root = append(root, f)
		}
	}
	fmt.Fprintf(&b, "COPY %s ./\n", strings.Join(root, " "))
	b.WriteString("# Every member's package.json, so that the install matches the lockfile.\n")
	for _, m := range w.Members {
		fmt.Fprintf(&b, "COPY %s/package.json ./%s/\n", m, m)
	}
	install := t.FrozenInstall(false)
	if s.Npmrc != nil {
		fmt.Fprintf(&b, "RUN --mount=type=secret,id=npmrc,target=/app/.npmrc,required=true %s\n", install)
	} else {
		fmt.Fprintf(&b, "RUN %s\n", install)
	}
	for _, f := range w.Files {
		if strings.HasPrefix(f, "tsconfig") {
			fmt.Fprintf(&b, "COPY %s ./\n", f)
		}
	}
	for _, l := range w.Locals {
		fmt.Fprintf(&b, "COPY %s ./%s\n", l.Rel, l.Rel)
	}
	fmt.Fprintf(&b, "COPY %s ./%s\n", w.Rel, w.Rel)
	for _, l := range w.Locals {
		if _, ok := l.Package.Manifest.Scripts["build"]; ok {
			fmt.Fprintf(&b, "RUN %s\n", t.RunIn("build", l.Rel, l.Name))
		}
	}
	if s.Build != nil {
		fmt.Fprintf(&b, "RUN %s\n", t.RunIn(s.Build.Script, w.Rel, g.pkg.Manifest.Name))
	}
	fmt.Fprintf(&b, "RUN %s\n", t.Prune())
	// The runtime stage copies each member's node_modules: make sure it
	// exists where the manager hoisted everything.
	dirs := []string{w.Rel + "/node_modules"}
	for _, l := range w.Locals {
		dirs = append(dirs, l.Rel+"/node_modules")
	}
	fmt.Fprintf(&b, "RUN mkdir -p %s\n", strings.Join(dirs, " "))

	g.runtimeHead(&b)
	b.WriteString("COPY --from=build /app/node_modules ./node_modules\n")
	b.WriteString("COPY --from=build /app/package.json ./\n")
	for _, l := range w.Locals {
		fmt.Fprintf(&b, "COPY --from=build /app/%s ./%s\n", l.Rel, l.Rel)
	}
	fmt.Fprintf(&b, "COPY --from=build /app/%s/package.json ./%s/\n", w.Rel, w.Rel)
	fmt.Fprintf(&b, "COPY --from=build /app/%s/node_modules ./%s/node_modules\n", w.Rel, w.Rel)
	for _, out := range g.memberOutputs() {
		fmt.Fprintf(&b, "COPY --from=build /app/%s ./%s\n", path.Join(w.Rel, out), path.Join(w.Rel, out))
	}
	fmt.Fprintf(&b, "WORKDIR /app/%s\n", w.Rel)
	g.runtimeTail(&b)
	return b.String()
}

// memberOutputs are the member's directories the runtime needs: its
// build output, else its sources.
func (g *gen) memberOutputs() []string {
	if b := g.s.Build; b != nil && b.OutDir.Value != "." {
		out := []string{b.OutDir.Value}
		if g.s.Prisma != nil {
			out = append(out, path.Dir(g.s.Prisma.Schema))
		}
		return out
	}
	return g.runtimeSources()
}

// workspaceIgnore is the ignore file of a build whose context is the
// workspace root: every pattern applies in every member.
func (g *gen) workspaceIgnore() string {
	var b strings.Builder
	b.WriteString("# Written by `seaworthy init`: the ignore file of ")
	fmt.Fprintf(&b, "%s/Dockerfile, whose context is the workspace root.\n", g.s.Workspace.Rel)
	b.WriteString("# Dependencies are installed in the image, never copied from the host.\nnode_modules\n**/node_modules\n")
	b.WriteString("# Version control.\n.git\n")
	b.WriteString("# Secrets: environment files, registry credentials, keys.\n**/.env\n**/.env.*\n**/.npmrc\n**/*.pem\n**/*.key\n**/id_rsa*\n")
	b.WriteString("# Logs, test coverage and build output (the image builds its own).\n**/*.log\n**/coverage\n**/dist\n**/.next\n")
	b.WriteString("# Container and editor files.\n**/Dockerfile\n**/*.dockerignore\n**/compose.yaml\n.vscode\n.idea\n")
	return b.String()
}

// workspaceBuild is the compose build section of a workspace member.
func workspaceBuild(w *nodeapp.Workspace) string {
	up := strings.Repeat("../", strings.Count(w.Rel, "/")+1)
	return fmt.Sprintf("    build:\n      context: %s\n      dockerfile: %s/Dockerfile\n", strings.TrimSuffix(up, "/"), w.Rel)
}
