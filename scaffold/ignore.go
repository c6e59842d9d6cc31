package scaffold

import "strings"

// dockerignore keeps secrets, dependencies, VCS data, logs and build
// output out of the build context.
func (g *gen) dockerignore() string {
	var b strings.Builder
	b.WriteString("# Written by `seaworthy init`.\n")
	b.WriteString("# Dependencies are installed in the image, never copied from the host.\nnode_modules\n")
	b.WriteString("# Version control.\n.git\n")
	b.WriteString("# Secrets, at any depth: environment files, registry credentials, keys.\n**/.env\n**/.env.*\n**/.npmrc\n**/*.pem\n**/*.key\n**/id_rsa*\n")
	b.WriteString("# Logs, test coverage and build output (the image builds its own).\n*.log\ncoverage\n.nyc_output\n")
	outs := map[string]bool{"dist": true}
	if s := g.s.Build; s != nil && s.OutDir.Value != "." {
		top, _, _ := strings.Cut(s.OutDir.Value, "/")
		outs[top] = true
	}
	for _, o := range []string{"dist", ".next", "build", "out", ".output"} {
		if outs[o] {
			b.WriteString(o + "\n")
		}
	}
	if f := g.s.Framework; f != nil && frameworkCaches[f.Name] != "" {
		b.WriteString(frameworkCaches[f.Name] + "\n")
	}
	b.WriteString("# Container and editor files.\nDockerfile\n.dockerignore\ncompose.yaml\n.vscode\n.idea\n")
	return b.String()
}

// frameworkCaches are the directories a framework generates during
// development, beside its build output.
var frameworkCaches = map[string]string{"angular": ".angular", "nuxt": ".nuxt", "sveltekit": ".svelte-kit", "astro": ".astro", "react-router": ".react-router", "remix": ".cache"}
