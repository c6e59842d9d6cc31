// Package scaffold writes the container files for a Node project:
// a multi-stage Dockerfile, a .dockerignore and a compose.yaml, from the
// project's shape as facts/nodeapp reads it. It renders only: every
// decision about the project is a fact of its own, and Files carries them
// with the text.
package scaffold

import (
	"encoding/json"
	"errors"
	"fmt"
	"path"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/seaworthy-dev/seaworthy/facts/nodeapp"
	"github.com/seaworthy-dev/seaworthy/knowledge"
	"github.com/seaworthy-dev/seaworthy/source/nodeproject"
)

// Names of the files written, in the order they are written.
const (
	DockerfileName   = "Dockerfile"
	DockerignoreName = ".dockerignore"
	ComposeName      = "compose.yaml"
)

// File is one generated file.
type File struct {
	Name    string
	Content []byte
}

// Result is what Generate wrote and why.
type Result struct {
	Files []File
	Shape *nodeapp.Shape
	// Image is the Node image the project builds (and, but for a static
	// site, runs) on.
	Image string
	// rendered are what the rendering decided beyond the shape.
	rendered []Detection
}

// ErrUnsupported is a project init cannot write files for yet.
var ErrUnsupported = errors.New("not supported by init")

// Generate renders the files for a package.
func Generate(pkg *nodeproject.Package, shape *nodeapp.Shape) (*Result, error) {
	if shape.Toolchain.Manager == "bun" && shape.Workspace != nil {
		return nil, fmt.Errorf("%s: a workspace member that installs with bun: %w (it writes bun Dockerfiles for a single package)", pkg.ManifestPath, ErrUnsupported)
	}
	if shape.Toolchain.PnP {
		return nil, fmt.Errorf("%s: Yarn Plug'n'Play (no node_modules): %w; set `nodeLinker: node-modules` in .yarnrc.yml", pkg.ManifestPath, ErrUnsupported)
	}
	if err := refuseWorkspaceRoot(pkg); err != nil {
		return nil, err
	}
	if shape.StartOutsideOutput {
		return nil, fmt.Errorf("%s: the start command runs %s, outside the build output, and the build script names no output directory: init cannot tell what the image needs to start (an image without it could not start); make the build script name its output directory (tsc --outDir, babel -d, webpack --output-path) and run init again", pkg.ManifestPath, shape.StartFile())
	}
	g := &gen{pkg: pkg, s: shape, image: BaseImage(shape.Node.Major)}
	if shape.Toolchain.Manager == "bun" {
		g.image = BunImage(shape.Toolchain.Version)
	}
	dockerfile, ignoreName, ignore := g.dockerfile, DockerignoreName, g.dockerignore
	switch {
	case shape.Toolchain.Manager == "bun" && shape.StaticSite == nil:
		dockerfile = g.bunDockerfile
	case shape.StaticSite != nil && shape.Workspace != nil:
		dockerfile, ignoreName, ignore = g.staticWorkspaceDockerfile, WorkspaceIgnoreName, g.workspaceIgnore
	case shape.StaticSite != nil:
		dockerfile = g.staticDockerfile
	case shape.Workspace != nil:
		dockerfile, ignoreName, ignore = g.workspaceDockerfile, WorkspaceIgnoreName, g.workspaceIgnore
	}
	var rendered []Detection
	if shape.Workspace != nil && shape.StaticSite == nil {
		rendered = append(rendered, g.memberDependencies())
	}
	return &Result{Shape: shape, Image: g.image, rendered: rendered, Files: []File{
		{Name: DockerfileName, Content: []byte(dockerfile())},
		{Name: ignoreName, Content: []byte(ignore())},
		{Name: ComposeName, Content: []byte(g.compose())},
	}}, nil
}

// refuseWorkspaceRoot refuses a workspace root that has member
// packages. A workspace file with none (pnpm-workspace.yaml kept for its
// settings, `packages: ['**']` matching only the root) leaves a single
// package.
func refuseWorkspaceRoot(pkg *nodeproject.Package) error {
	ws := pkg.OwnWorkspace()
	if ws == nil {
		return nil
	}
	members, err := ws.Members()
	if err != nil {
		return fmt.Errorf("%s is a workspace root whose members cannot be listed: %w", pkg.ManifestPath, err)
	}
	var names []string
	for _, m := range members {
		if m.Rel != "." && m.Rel != "" {
			names = append(names, m.Rel)
		}
	}
	if len(names) == 0 {
		return nil
	}
	return fmt.Errorf("%s is a workspace root: init writes the files of one package; run it on a member (%s)", pkg.ManifestPath, strings.Join(names, ", "))
}

// BaseImage is the official slim image of a Node major: bookworm for 22
// and 24, trixie from 26 (the Debian release each line's default
// variant uses).
func BaseImage(major int) string {
	if major >= 26 {
		return fmt.Sprintf("node:%d-trixie-slim", major)
	}
	return fmt.Sprintf("node:%d-bookworm-slim", major)
}

type gen struct {
	pkg   *nodeproject.Package
	s     *nodeapp.Shape
	image string
}

// fullInstall reports whether the app installs everything in a build
// stage and prunes afterwards: it builds, or an install script needs
// devDependencies.
func (g *gen) fullInstall() bool {
	if g.s.Build != nil || g.s.DeferInstallScripts() {
		return true
	}
	for _, is := range g.s.InstallScripts {
		if is.NeedsDev {
			return true
		}
	}
	return false
}

// installStage names the stage whose node_modules the runtime takes.
func (g *gen) installStage() string {
	if g.fullInstall() {
		return "build"
	}
	return "deps"
}

func (g *gen) dockerfile() string {
	var b strings.Builder
	s := g.s
	g.header(&b, s.Npmrc != nil, "")
	if !s.ZeroDeps {
		g.installStageText(&b)
	}
	g.runtimeStage(&b)
	return b.String()
}

// header writes the Dockerfile's first lines: the syntax directive when
// the file needs BuildKit, what wrote it, and how to build it when that
// takes more than `docker build .` (a secret, another context).
func (g *gen) header(b *strings.Builder, buildkit bool, context string) {
	if buildkit || g.s.Npmrc != nil {
		b.WriteString("# syntax=docker/dockerfile:1\n")
	}
	b.WriteString("# Written by `seaworthy init`; `seaworthy init --json` says what it detected and why.\n")
	switch {
	case g.s.Npmrc != nil && context != "":
		fmt.Fprintf(b, "# Build from the workspace root with: docker build --secret id=npmrc,src=.npmrc -f %s/Dockerfile .\n", context)
	case g.s.Npmrc != nil:
		b.WriteString("# Build with: docker build --secret id=npmrc,src=.npmrc .\n")
	case context != "":
		fmt.Fprintf(b, "# Build from the workspace root with: docker build -f %s/Dockerfile .\n", context)
	}
}

// installStageText writes the stage that installs dependencies (and
// builds).
func (g *gen) installStageText(b *strings.Builder) {
	s, t := g.s, g.s.Toolchain
	full := g.fullInstall()
	fmt.Fprintf(b, "\nFROM %s AS %s\n", g.image, g.installStage())
	g.installTools(b)
	b.WriteString("WORKDIR /app\n")
	manifests := []string{"package.json"}
	if t.Lockfile != "" {
		manifests = append(manifests, t.Lockfile)
	}
	if t.Berry {
		if g.pkg.Exists(".yarnrc.yml") {
			manifests = append(manifests, ".yarnrc.yml")
		}
	}
	if t.Manager == "pnpm" && g.pkg.Exists("pnpm-workspace.yaml") {
		// Settings of the install (onlyBuiltDependencies, overrides).
		manifests = append(manifests, "pnpm-workspace.yaml")
	}
	fmt.Fprintf(b, "COPY %s ./\n", strings.Join(manifests, " "))
	if t.YarnPath != "" {
		fmt.Fprintf(b, "COPY %s ./%s\n", path.Dir(t.YarnPath), path.Dir(t.YarnPath))
	}
	deferred := s.DeferInstallScripts()
	install := t.FrozenInstall(!full)
	if deferred {
		b.WriteString(deferComment(s))
		install = t.WithoutScripts(install)
	} else {
		for _, n := range installNeeds(s) {
			fmt.Fprintf(b, "COPY %s ./%s\n", n, n)
		}
	}
	if s.Npmrc != nil {
		fmt.Fprintf(b, "RUN --mount=type=secret,id=npmrc,target=/app/.npmrc,required=true %s\n", install)
	} else {
		fmt.Fprintf(b, "RUN %s\n", install)
	}
	if !full {
		return
	}
	b.WriteString("COPY . .\n")
	if deferred {
		for _, c := range deferredScripts(s, t.Rebuild(), t.Run) {
			fmt.Fprintf(b, "RUN %s\n", c)
		}
	}
	if s.Build != nil {
		fmt.Fprintf(b, "RUN %s\n", t.Run(s.Build.Script))
	}
	if !s.NextStandalone && (s.Framework == nil || !s.Framework.SelfContained) {
		prune := t.Prune()
		if deferred && t.Manager == "yarn" && !t.Berry {
			// Yarn 1 prunes by installing again, which would run the
			// scripts again.
			prune = t.WithoutScripts(prune)
		}
		if s.Npmrc != nil && t.Manager == "yarn" {
			fmt.Fprintf(b, "RUN --mount=type=secret,id=npmrc,target=/app/.npmrc,required=true %s\n", prune)
		} else {
			fmt.Fprintf(b, "RUN %s\n", prune)
		}
	}
}

// installNeeds are the files the install scripts need before the
// install, sorted and once each.
func installNeeds(s *nodeapp.Shape) []string {
	var needs []string
	for _, is := range s.InstallScripts {
		needs = append(needs, is.Needs...)
	}
	sort.Strings(needs)
	return slices.Compact(needs)
}

// deferComment says why the install runs without scripts.
func deferComment(s *nodeapp.Shape) string {
	var names []string
	for _, is := range s.InstallScripts {
		if is.NeedsSources {
			names = append(names, is.Name)
		}
	}
	return fmt.Sprintf("# %s run%s package scripts that need the sources: the install runs without scripts, they run once the sources are in.\n",
		strings.Join(names, " and "), plural(len(names) == 1, "s", ""))
}

// deferredScripts are the commands that run, once the sources are in,
// what an install without scripts skipped: the dependencies' install
// scripts, then the project's lifecycle scripts in order (those that
// only run the build are left to the build step).
func deferredScripts(s *nodeapp.Shape, rebuild string, run func(string) string) []string {
	out := []string{rebuild}
	for _, is := range s.InstallScripts {
		if !is.RunsBuild {
			out = append(out, run(is.Name))
		}
	}
	return out
}

// installTools writes what the install stage needs before WORKDIR: the
// node-gyp toolchain for native addons, the project's pnpm or Yarn.
func (g *gen) installTools(b *strings.Builder) {
	s, t := g.s, g.s.Toolchain
	if len(s.NativeAddons) > 0 {
		fmt.Fprintf(b, "# %s compile%s with node-gyp: the toolchain stays in this stage.\n", strings.Join(s.NativeAddons, ", "), plural(len(s.NativeAddons) == 1, "s", ""))
		b.WriteString("RUN apt-get update \\\n && apt-get install -y --no-install-recommends python3 make g++ \\\n && rm -rf /var/lib/apt/lists/*\n")
	}
	switch {
	case t.Manager == "pnpm":
		// npm installs pnpm from the same registry, with the same
		// integrity check, as every other dependency.
		if pin := t.Pin(); pin != "" {
			fmt.Fprintf(b, "RUN npm install -g pnpm@%s\n", pin)
		} else {
			b.WriteString("RUN npm install -g pnpm\n")
		}
	case t.Manager == "yarn" && t.Berry && t.YarnPath == "":
		b.WriteString(g.corepack())
	case t.Manager == "yarn" && s.Node.Major >= 26:
		// Node 26 images no longer bundle Yarn 1 (which also runs a
		// committed yarnPath release).
		fmt.Fprintf(b, "RUN npm install -g yarn@%s\n", knowledge.Yarn1Version)
	}
}

// corepack installs a pinned corepack and, through it, the project's
// Yarn berry at the version the packageManager field pins (corepack then
// checks its signature).
func (g *gen) corepack() string {
	t := g.s.Toolchain
	var b strings.Builder
	fmt.Fprintf(&b, "RUN npm install -g corepack@%s \\\n && corepack enable", knowledge.CorepackVersion)
	if t.Version != "" {
		fmt.Fprintf(&b, " \\\n && corepack install -g %s@%s", t.Manager, t.Version)
	}
	b.WriteString("\n")
	return b.String()
}

// runtimeHead writes the final stage up to its WORKDIR.
func (g *gen) runtimeHead(b *strings.Builder) {
	s := g.s
	fmt.Fprintf(b, "\nFROM %s AS runtime\n", g.image)
	pkgs := []string{"tini"}
	if s.Prisma != nil {
		pkgs = append(pkgs, "openssl")
	}
	fmt.Fprintf(b, "# tini is PID 1: it forwards signals to node and reaps zombies.\n")
	fmt.Fprintf(b, "RUN apt-get update \\\n && apt-get install -y --no-install-recommends %s \\\n && rm -rf /var/lib/apt/lists/*\n", strings.Join(pkgs, " "))
	b.WriteString("ENV NODE_ENV=production\n")
	if s.NextStandalone {
		fmt.Fprintf(b, "ENV HOSTNAME=0.0.0.0 PORT=%d\n", s.Port.Value)
	}
	switch f := s.Framework; {
	case f != nil && f.PortOnly:
		fmt.Fprintf(b, "# %s's server listens on PORT.\nENV PORT=%d\n", f.Name, s.Port.Value)
	case f != nil:
		fmt.Fprintf(b, "# %s's server listens on HOST and PORT.\n", f.Name)
		fmt.Fprintf(b, "ENV HOST=0.0.0.0 PORT=%d\n", s.Port.Value)
	}
	b.WriteString("WORKDIR /app\n")
}

// runtimeStage writes the final stage.
func (g *gen) runtimeStage(b *strings.Builder) {
	s := g.s
	g.runtimeHead(b)
	switch {
	case s.NextStandalone:
		b.WriteString("COPY --from=build /app/.next/standalone ./\n")
		b.WriteString("COPY --from=build /app/.next/static ./.next/static\n")
		if g.pkg.Exists("public") {
			b.WriteString("COPY --from=build /app/public ./public\n")
		}
	case s.Framework != nil && s.Framework.SelfContained:
		fmt.Fprintf(b, "COPY --from=build /app/%s ./%s\n", s.Framework.Output, s.Framework.Output)
	case s.Build != nil:
		b.WriteString("COPY --from=build /app/node_modules ./node_modules\n")
		b.WriteString("COPY --from=build /app/package.json ./\n")
		out := s.Build.OutDir.Value
		if out == "." {
			for _, src := range g.runtimeSources() {
				fmt.Fprintf(b, "COPY --from=build /app/%s ./%s\n", src, src)
			}
		} else {
			for _, o := range g.buildOutputs() {
				fmt.Fprintf(b, "COPY --from=build /app/%s ./%s\n", o, o)
			}
			for _, src := range s.Sources {
				fmt.Fprintf(b, "COPY --from=build /app/%s ./%s\n", src, src)
			}
		}
		if s.Build.Tool == "next" || s.Build.Tool == "remix" || s.Build.Tool == "react-router" {
			if g.pkg.Exists("public") {
				b.WriteString("COPY --from=build /app/public ./public\n")
			}
		}
		if s.Build.Tool == "next" {
			for _, c := range []string{"next.config.js", "next.config.mjs", "next.config.ts"} {
				if g.pkg.Exists(c) {
					fmt.Fprintf(b, "COPY --from=build /app/%s ./\n", c)
				}
			}
		}
		if s.Prisma != nil {
			dir := path.Dir(s.Prisma.Schema)
			fmt.Fprintf(b, "COPY --from=build /app/%s ./%s\n", dir, dir)
		}
	default:
		if !s.ZeroDeps {
			fmt.Fprintf(b, "COPY --from=%s /app/node_modules ./node_modules\n", g.installStage())
		}
		b.WriteString("COPY package.json ./\n")
		for _, src := range g.runtimeSources() {
			fmt.Fprintf(b, "COPY %s ./%s\n", src, src)
		}
	}
	g.runtimeTail(b)
}

// runtimeTail writes the final stage from USER to CMD.
func (g *gen) runtimeTail(b *strings.Builder) {
	s := g.s
	b.WriteString("USER node\n")
	fmt.Fprintf(b, "EXPOSE %d\n", s.Port.Value)
	b.WriteString("HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \\\n")
	fmt.Fprintf(b, "  CMD %s\n", execForm(g.healthcheck()))
	b.WriteString("ENTRYPOINT [\"/usr/bin/tini\", \"--\"]\n")
	fmt.Fprintf(b, "CMD %s\n", execForm(s.Start.Value))
}

// buildOutputs are the directories the build writes, the main one
// first.
func (g *gen) buildOutputs() []string {
	out := []string{g.s.Build.OutDir.Value}
	for _, m := range g.s.Build.More {
		out = append(out, m.Value)
	}
	return out
}

// runtimeSources are the files and directories an app without a build
// output runs from.
func (g *gen) runtimeSources() []string {
	if len(g.s.Sources) > 0 {
		return g.s.Sources
	}
	if len(g.s.Start.Value) > 1 {
		top, _, _ := strings.Cut(g.s.Start.Value[len(g.s.Start.Value)-1], "/")
		return []string{top}
	}
	return nil
}

// healthcheck is a check node itself runs (slim images have neither
// curl nor wget): an HTTP GET of the health route, else a TCP connect.
func (g *gen) healthcheck() []string {
	port := strconv.Itoa(g.s.Port.Value)
	if h := g.s.Health.Value; h != "" {
		return []string{"node", "-e", "fetch('http://127.0.0.1:" + port + h + "').then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))"}
	}
	return []string{"node", "-e", "require('net').connect(" + port + ", '127.0.0.1').on('connect', () => process.exit(0)).on('error', () => process.exit(1))"}
}

// execForm renders an exec-form (JSON array) argument list. Each word is
// a JSON string (Go's quoting writes \x escapes JSON has not, and Docker
// would run the line in a shell), `&&` and `<` left as they are.
func execForm(argv []string) string {
	q := make([]string, len(argv))
	for i, a := range argv {
		var b strings.Builder
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(false)
		_ = enc.Encode(a) // a string always encodes
		q[i] = strings.TrimSuffix(b.String(), "\n")
	}
	return "[" + strings.Join(q, ", ") + "]"
}

func plural(one bool, a, b string) string {
	if one {
		return a
	}
	return b
}
