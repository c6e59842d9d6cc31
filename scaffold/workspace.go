package scaffold

import (
	"fmt"
	"path"
	"strconv"
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
	if t.Manager == "npm" {
		g.workspaceDepsStage(&b)
	}
	g.workspaceBuildStage(&b)
	switch {
	case t.Manager == "pnpm":
		fmt.Fprintf(&b, "# Only %s's production dependencies, local packages included, in /prod.\n", g.pkg.Manifest.Name)
		g.workspaceInstall(&b, g.pnpmDeploy())
		g.pnpmRuntime(&b)
		return b.String()
	case t.Manager == "npm":
		// The runtime takes node_modules from the deps stage: drop the
		// full install's copies where they would be copied from here.
		fmt.Fprintf(&b, "RUN rm -rf %s\n", strings.Join(g.memberModules(), " "))
	default:
		if t.Manager == "yarn" && t.Berry {
			fmt.Fprintf(&b, "# Only %s's production dependencies.\n", g.pkg.Manifest.Name)
			g.workspaceInstall(&b, "yarn workspaces focus --production "+g.pkg.Manifest.Name)
		} else {
			fmt.Fprintf(&b, "RUN %s\n", t.Prune())
		}
		// The runtime stage copies each member's node_modules: make sure
		// it exists where the manager hoisted everything.
		fmt.Fprintf(&b, "RUN mkdir -p %s\n", strings.Join(g.memberModules(), " "))
	}

	modules := "build"
	if t.Manager == "npm" {
		modules = "deps"
	}
	g.runtimeHead(&b)
	fmt.Fprintf(&b, "COPY --from=%s /app/node_modules ./node_modules\n", modules)
	if s.Prisma != nil && modules == "deps" {
		// prisma generate wrote the client in the build stage.
		b.WriteString("COPY --from=build /app/node_modules/.prisma ./node_modules/.prisma\n")
	}
	b.WriteString("COPY --from=build /app/package.json ./\n")
	for _, l := range w.Locals {
		fmt.Fprintf(&b, "COPY --from=build /app/%s ./%s\n", l.Rel, l.Rel)
		if modules == "deps" {
			fmt.Fprintf(&b, "COPY --from=deps /app/%s/node_modules ./%s/node_modules\n", l.Rel, l.Rel)
		}
	}
	fmt.Fprintf(&b, "COPY --from=build /app/%s/package.json ./%s/\n", w.Rel, w.Rel)
	fmt.Fprintf(&b, "COPY --from=%s /app/%s/node_modules ./%s/node_modules\n", modules, w.Rel, w.Rel)
	for _, out := range g.memberOutputs() {
		fmt.Fprintf(&b, "COPY --from=build /app/%s ./%s\n", path.Join(w.Rel, out), path.Join(w.Rel, out))
	}
	fmt.Fprintf(&b, "WORKDIR /app/%s\n", w.Rel)
	g.runtimeTail(&b)
	return b.String()
}

// workspaceBuildStage writes the stage that installs everything from the
// workspace root, copies the member and the local packages it depends on,
// and builds them, local packages first.
func (g *gen) workspaceBuildStage(b *strings.Builder) {
	s, t, w := g.s, g.s.Toolchain, g.s.Workspace
	fmt.Fprintf(b, "\nFROM %s AS build\n", g.image)
	g.installTools(b)
	b.WriteString("WORKDIR /app\n")
	g.workspaceManifests(b)
	deferred := s.DeferInstallScripts()
	install := t.FrozenInstall(false)
	if deferred {
		b.WriteString(deferComment(s))
		install = t.WithoutScripts(install)
	} else {
		for _, n := range installNeeds(s) {
			fmt.Fprintf(b, "COPY %s ./%s\n", path.Join(w.Rel, n), path.Join(w.Rel, n))
		}
	}
	g.workspaceInstall(b, install)
	for _, f := range w.Files {
		if strings.HasPrefix(f, "tsconfig") {
			fmt.Fprintf(b, "COPY %s ./\n", f)
		}
	}
	for _, l := range w.Locals {
		fmt.Fprintf(b, "COPY %s ./%s\n", l.Rel, l.Rel)
	}
	fmt.Fprintf(b, "COPY %s ./%s\n", w.Rel, w.Rel)
	if deferred {
		rebuild := t.Rebuild()
		if t.Manager == "pnpm" {
			// Every workspace project's dependencies, not the root's only.
			rebuild += " --recursive"
		}
		for _, c := range deferredScripts(s, rebuild, func(script string) string { return t.RunIn(script, w.Rel, g.pkg.Manifest.Name) }) {
			fmt.Fprintf(b, "RUN %s\n", c)
		}
	}
	for _, l := range w.Locals {
		if _, ok := l.Package.Manifest.Scripts["build"]; ok {
			fmt.Fprintf(b, "RUN %s\n", t.RunIn("build", l.Rel, l.Name))
		}
	}
	if s.Build != nil {
		fmt.Fprintf(b, "RUN %s\n", t.RunIn(s.Build.Script, w.Rel, g.pkg.Manifest.Name))
	}
}

// workspaceManifests copies the root's manifests and every member's
// package.json: the install must match the lockfile.
func (g *gen) workspaceManifests(b *strings.Builder) {
	t, w := g.s.Toolchain, g.s.Workspace
	root := []string{"package.json"}
	if t.Lockfile != "" {
		root = append(root, t.Lockfile)
	}
	for _, f := range w.Files {
		if f == "pnpm-workspace.yaml" || f == ".yarnrc.yml" {
			root = append(root, f)
		}
	}
	fmt.Fprintf(b, "COPY %s ./\n", strings.Join(root, " "))
	b.WriteString("# Every member's package.json, so that the install matches the lockfile.\n")
	for _, m := range w.Members {
		fmt.Fprintf(b, "COPY %s/package.json ./%s/\n", m, m)
	}
}

// workspaceInstall runs an install (or a deploy or focus, which install
// too), with the registry credentials as a
// secret when the project has them.
func (g *gen) workspaceInstall(b *strings.Builder, install string) {
	if g.s.Npmrc != nil {
		fmt.Fprintf(b, "RUN --mount=type=secret,id=npmrc,target=/app/.npmrc,required=true %s\n", install)
	} else {
		fmt.Fprintf(b, "RUN %s\n", install)
	}
}

// workspaceDepsStage writes npm's stage that installs the member's
// production dependencies only: `npm ci --workspace` installs that
// member's closure (its local packages' dependencies included), where
// `npm prune --workspace` would keep every other member's.
func (g *gen) workspaceDepsStage(b *strings.Builder) {
	w := g.s.Workspace
	fmt.Fprintf(b, "\nFROM %s AS deps\n", g.image)
	if len(g.s.NativeAddons) > 0 {
		g.installTools(b)
	}
	b.WriteString("WORKDIR /app\n")
	g.workspaceManifests(b)
	fmt.Fprintf(b, "# Only %s's production dependencies.\n", g.pkg.Manifest.Name)
	g.workspaceInstall(b, "npm ci --omit=dev --workspace "+w.Rel)
	fmt.Fprintf(b, "RUN mkdir -p %s\n", strings.Join(g.memberModules(), " "))
}

// memberModules are the node_modules directories of the member and its
// local packages.
func (g *gen) memberModules() []string {
	w := g.s.Workspace
	dirs := []string{w.Rel + "/node_modules"}
	for _, l := range w.Locals {
		dirs = append(dirs, l.Rel+"/node_modules")
	}
	return dirs
}

// pnpmDeploy is the `pnpm deploy` of the member's production
// dependencies into /prod. pnpm 10 deploys only with
// inject-workspace-packages unless it is told --legacy.
func (g *gen) pnpmDeploy() string {
	t := g.s.Toolchain
	legacy := " --legacy"
	major, _, _ := strings.Cut(t.Pin(), ".")
	if n, err := strconv.Atoi(major); err == nil && n < 10 {
		legacy = ""
	}
	return fmt.Sprintf("pnpm --filter ./%s deploy --prod%s /prod", g.s.Workspace.Rel, legacy)
}

// pnpmRuntime writes the runtime of a pnpm member: the deployed
// node_modules and package.json, the member's build output or sources,
// the member's directory as /app.
func (g *gen) pnpmRuntime(b *strings.Builder) {
	w := g.s.Workspace
	g.runtimeHead(b)
	b.WriteString("COPY --from=build /prod/node_modules ./node_modules\n")
	b.WriteString("COPY --from=build /prod/package.json ./\n")
	for _, out := range g.memberOutputs() {
		fmt.Fprintf(b, "COPY --from=build /app/%s ./%s\n", path.Join(w.Rel, out), out)
	}
	g.runtimeTail(b)
}

// memberOutputs are the member's directories the runtime needs: its
// build output, else its sources.
func (g *gen) memberOutputs() []string {
	if b := g.s.Build; b != nil && b.OutDir.Value != "." {
		out := g.buildOutputs()
		out = append(out, g.s.Sources...)
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

// memberDependencies says how the runtime of a workspace member gets
// only that member's production dependencies.
func (g *gen) memberDependencies() Detection {
	t, name := g.s.Toolchain, g.pkg.Manifest.Name
	d := Detection{What: "runtime dependencies"}
	switch {
	case t.Manager == "npm":
		d.Value = "npm ci --omit=dev --workspace " + g.s.Workspace.Rel
		d.Why = "a deps stage installs " + name + "'s production dependencies and its local packages' only (npm prune would keep every member's)"
	case t.Manager == "pnpm":
		d.Value = g.pnpmDeploy()
		d.Why = "pnpm deploy copies " + name + " with its production dependencies, local packages included, into a node_modules of its own"
	case t.Manager == "yarn" && t.Berry:
		d.Value = "yarn workspaces focus --production " + name
		d.Why = "focus installs " + name + "'s production dependencies only"
	default:
		d.Value = t.Prune()
		d.Why = "Yarn 1 cannot install one workspace's dependencies: every member's production dependencies stay"
	}
	return d
}
