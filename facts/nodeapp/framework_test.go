package nodeapp

import (
	"strings"
	"testing"
)

// TestFramework tells framework server builds from their near misses:
// the same framework configured for another target gets no special
// handling.
func TestFramework(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		want  string // name output start, or "" for none
	}{
		{"nuxt", map[string]string{"package.json": `{"scripts": {"build": "nuxt build"}, "devDependencies": {"nuxt": "^3"}}`},
			"nuxt .output node .output/server/index.mjs"},
		{"sveltekit with adapter-node", map[string]string{
			"package.json":     `{"scripts": {"build": "vite build"}, "devDependencies": {"@sveltejs/kit": "^2", "@sveltejs/adapter-node": "^5"}}`,
			"svelte.config.js": "import adapter from '@sveltejs/adapter-node';\nexport default { kit: { adapter: adapter() } };\n"},
			"sveltekit build node build/index.js"},
		// adapter-node installed but the config uses adapter-static.
		{"sveltekit with another adapter", map[string]string{
			"package.json":     `{"scripts": {"build": "vite build"}, "devDependencies": {"@sveltejs/kit": "^2", "@sveltejs/adapter-node": "^5", "@sveltejs/adapter-static": "^3"}}`,
			"svelte.config.js": "import adapter from '@sveltejs/adapter-static';\nexport default { kit: { adapter: adapter() } };\n"},
			""},
		{"astro standalone", map[string]string{
			"package.json":     `{"scripts": {"build": "astro build"}, "dependencies": {"astro": "^5", "@astrojs/node": "^9"}}`,
			"astro.config.mjs": "import node from '@astrojs/node';\nexport default { adapter: node({ mode: 'standalone' }) };\n"},
			"astro dist node dist/server/entry.mjs"},
		// Middleware mode: the app mounts Astro's handler in its own server.
		{"astro middleware", map[string]string{
			"package.json":     `{"scripts": {"build": "astro build"}, "dependencies": {"astro": "^5", "@astrojs/node": "^9"}}`,
			"astro.config.mjs": "import node from '@astrojs/node';\nexport default { adapter: node({ mode: 'middleware' }) };\n"},
			""},
		{"angular ssr, outputPath object", map[string]string{
			"package.json": `{"scripts": {"build": "ng build"}, "dependencies": {"@angular/ssr": "^19"}}`,
			"angular.json": `{"projects": {"web": {"architect": {"build": {"options": {"outputPath": {"base": "out/web"}, "server": "src/main.server.ts"}}}}}}`},
			"angular out/web node out/web/server/server.mjs"},
		// @angular/ssr installed but no project builds a server.
		{"angular without a server build", map[string]string{
			"package.json": `{"scripts": {"build": "ng build"}, "dependencies": {"@angular/ssr": "^19"}}`,
			"angular.json": `{"projects": {"web": {"architect": {"build": {"options": {"outputPath": "dist/web"}}}}}}`},
			""},
		{"remix classic", map[string]string{
			"package.json": `{"scripts": {"build": "remix build", "start": "remix-serve ./build/index.js"}, "dependencies": {"@remix-run/serve": "^2"}}`},
			"remix build node node_modules/@remix-run/serve/dist/cli.js build/index.js"},
		// No build script: nothing to copy a server build from.
		{"nuxt without a build", map[string]string{"package.json": `{"dependencies": {"nuxt": "^3"}}`}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := ShapeOf(project(t, ".", tt.files), shapeDay)
			if err != nil {
				t.Fatal(err)
			}
			got := ""
			if f := s.Framework; f != nil {
				got = f.Name + " " + f.Output + " " + strings.Join(s.Start.Value, " ")
			}
			if got != tt.want {
				t.Errorf("framework = %q, want %q", got, tt.want)
			}
		})
	}
}
