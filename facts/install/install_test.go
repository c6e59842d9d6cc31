package install

import (
	"strings"
	"testing"

	"github.com/seaworthy-dev/seaworthy/source/dockerfile"
)

func commandOf(t *testing.T, run string) *dockerfile.ShellCommand {
	t.Helper()
	f, err := dockerfile.Parse("Dockerfile", []byte("FROM node:22\nRUN "+run+"\n"), dockerfile.Options{})
	if err != nil {
		t.Fatal(err)
	}
	in := f.Stages[0].Instructions[0]
	if in.Script == nil || len(in.Script.Commands) == 0 {
		t.Fatalf("no command in %q", run)
	}
	return in.Script.Commands[0] // the outer command comes first

}

func TestClassify(t *testing.T) {
	for _, c := range []struct {
		run                     string
		manager                 Manager
		verb                    string
		frozen, omitDev, global bool
		packages                string
	}{
		{run: "npm ci --omit=dev", manager: NPM, verb: "ci", frozen: true, omitDev: true},
		{run: "sudo -u app npm install", manager: NPM, verb: "install"},
		{run: "env NODE_ENV=production npm ci", manager: NPM, verb: "ci", frozen: true},
		{run: "corepack pnpm install --frozen-lockfile --prod", manager: PNPM, verb: "install", frozen: true, omitDev: true},
		{run: "npx --yes yarn install --immutable", manager: Yarn, verb: "install", frozen: true},
		{run: "yarn", manager: Yarn},
		{run: "npm install -g pm2@5", manager: NPM, verb: "install", global: true, packages: "pm2@5"},
		{run: "bun install --production", manager: Bun, verb: "install", omitDev: true},
	} {
		i, ok := Classify(commandOf(t, c.run))
		if !ok {
			t.Errorf("%q: not an install", c.run)
			continue
		}
		if i.Manager != c.manager || i.Verb != c.verb || i.Frozen != c.frozen || i.OmitDev != c.omitDev ||
			i.Global != c.global || strings.Join(i.Packages, " ") != c.packages {
			t.Errorf("%q: got %+v", c.run, i)
		}
	}
	for _, run := range []string{"yarn --version", "npm run build", "npm test", "apt-get install -y npm", "pnpm prune --prod"} {
		if i, ok := Classify(commandOf(t, run)); ok {
			t.Errorf("%q: classified as an install: %+v", run, i)
		}
	}
}

func TestIsBuildStep(t *testing.T) {
	for run, want := range map[string]bool{
		"npm run build":                 true,
		"yarn build:prod":               true,
		"pnpm --filter api run build":   true,
		"npx tsc -p .":                  true,
		"sudo npm run build":            true,
		"next build":                    true,
		"esbuild src/index.ts --bundle": true,
		"npm run lint":                  false,
		"next start":                    false,
		"tsc --version":                 false,
	} {
		if got := IsBuildStep(commandOf(t, run)); got != want {
			t.Errorf("IsBuildStep(%q) = %v, want %v", run, got, want)
		}
	}
}

func TestPrunesDev(t *testing.T) {
	for _, c := range []struct {
		run                  string
		prunes, underProdEnv bool
	}{
		{"npm prune --omit=dev", true, false},
		{"npm prune --production", true, false},
		{"npm prune", false, true},
		{"corepack pnpm prune --prod", true, false},
		{"yarn workspaces focus --production", true, false},
		{"yarn remove $(jq -r '.devDependencies | keys | join(\" \")' package.json)", true, false},
		{"npm prune --dry-run", false, true},
		{"pnpm prune", false, false},
		{"npm ci", false, false},
	} {
		prunes, env := PrunesDev(commandOf(t, c.run))
		if prunes != c.prunes || env != c.underProdEnv {
			t.Errorf("PrunesDev(%q) = %v, %v; want %v, %v", c.run, prunes, env, c.prunes, c.underProdEnv)
		}
	}
}

func TestUnpinnedSpec(t *testing.T) {
	for _, c := range []struct {
		spec, name, tag string
		unpinned        bool
	}{
		{"serve", "serve", "", true},
		{"pnpm@latest", "pnpm", "latest", true},
		{"@nestjs/cli", "@nestjs/cli", "", true},
		{"@nestjs/cli@next", "@nestjs/cli", "next", true},
		{"pm2@5", "pm2", "", false},
		{"pnpm@^9.1.0", "pnpm", "", false},
		{"pnpm@$PNPM_VERSION", "", "", false},
		{"./pnpm.tgz", "", "", false},
		{".", "", "", false},
		{"<your-package-here>", "", "", false},
		{"git+https://github.com/a/b.git", "", "", false},
		{"user/repo", "", "", false},
	} {
		name, tag, unpinned := UnpinnedSpec(c.spec)
		if unpinned != c.unpinned || unpinned && (name != c.name || tag != c.tag) {
			t.Errorf("UnpinnedSpec(%q) = %q, %q, %v; want %q, %q, %v", c.spec, name, tag, unpinned, c.name, c.tag, c.unpinned)
		}
	}
}
