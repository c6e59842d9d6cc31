package nodeapp

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/seaworthy-dev/seaworthy/source/nodeproject"
)

func TestTestOnlyFiles(t *testing.T) {
	const manifest = `{"name": "api", "scripts": {"start": "node build/index.js"}, "dependencies": {"express": "4"}, "devDependencies": {"supertest": "7"}}`
	tests := []struct {
		name  string
		files map[string]string
		want  string // the test-only files, sorted, space-separated
		// wantDev are the files loaded only outside production.
		wantDev string
	}{
		{
			// hyperdx packages/api: src/fixtures.ts, imported through the
			// `@/` alias by src/**/__tests__/*.int.test.ts only, and what
			// only it imports.
			"helper only tests import",
			map[string]string{
				"src/index.ts":                   "import app from './api-app'\napp.listen(8000)\n",
				"src/api-app.ts":                 "import express from 'express'\nimport { Team } from '@/models/team'\nexport default express()\n",
				"src/models/team.ts":             "export class Team {}\n",
				"src/fixtures.ts":                "import request from 'supertest'\nimport { MetricModel } from '@/utils/logParser'\nimport { Team } from '@/models/team'\n",
				"src/utils/logParser.ts":         "export class MetricModel {}\n",
				"src/controllers/__tests__/t.ts": "import { connectDB } from '@/fixtures'\n",
				"src/routes/team.int.test.ts":    "import { connectDB } from '../fixtures'\n",
				"src/controllers/team.ts":        "import { Team } from '../models/team'\n",
			},
			"src/fixtures.ts src/utils/logParser.ts", "",
		},
		{
			// Near miss: src/app.ts imports the helper too.
			"helper the app imports too",
			map[string]string{
				"src/index.ts":              "import app from './app'\n",
				"src/app.ts":                "import { seed } from './helpers'\nexport default seed\n",
				"src/helpers.ts":            "import request from 'supertest'\nexport const seed = 1\n",
				"src/__tests__/app.test.ts": "import { seed } from '../helpers'\n",
			},
			"", "",
		},
		{
			// Near miss: the app imports it through an alias the tail
			// matches.
			"helper the app imports through an alias",
			map[string]string{
				"src/index.ts":            "import { seed } from '~/lib/helpers'\n",
				"src/lib/helpers.ts":      "export const seed = 1\n",
				"src/lib/helpers.test.ts": "import { seed } from './helpers'\n",
			},
			"", "",
		},
		{
			// Near miss: an entry point tests import, that nothing else
			// imports.
			"entry point tests import",
			map[string]string{
				"src/server.ts":             "import express from 'express'\n",
				"test/server.test.ts":       "import '../src/server'\n",
				"src/jobs/cleanup.ts":       "export {}\n",
				"test/jobs/cleanup.test.ts": "import '../../src/jobs/cleanup'\n",
			},
			"src/jobs/cleanup.ts", "",
		},
		{
			// Near miss: a file nothing imports (loaded dynamically, or
			// an entry) stays the app's.
			"file nothing imports",
			map[string]string{
				"src/index.ts":      "export {}\n",
				"src/worker-job.ts": "import request from 'supertest'\n",
				"src/index.test.ts": "import './index'\n",
			},
			"", "",
		},
		{
			// Near miss: the app loads computed paths, which may be the
			// file only tests import.
			"computed loads",
			map[string]string{
				"src/index.ts":             "for (const f of files) require(path.join(__dirname, 'routes', f))\n",
				"src/routes/users.ts":      "export {}\n",
				"src/routes/users.test.ts": "import './users'\n",
			},
			"", "",
		},
		{
			// hyperdx packages/api: src/api-app.ts requires
			// ./utils/swagger only outside production; a docs script
			// (tooling) imports it too.
			"loaded only outside production",
			map[string]string{
				"src/index.ts":                 "import app from './api-app'\n",
				"src/api-app.ts":               "if (\n  process.env.NODE_ENV !== 'production' &&\n  process.env.ENABLE_SWAGGER === 'true'\n) {\n  const { setupSwagger } = require('./utils/swagger');\n}\n",
				"src/utils/swagger.ts":         "import swaggerJsdoc from 'swagger-jsdoc'\nimport { paths } from './openapi'\n",
				"src/utils/openapi.ts":         "export const paths = {}\n",
				"scripts/generate-api-docs.ts": "import { swaggerOptions } from '../src/utils/swagger'\n",
			},
			"", "src/utils/openapi.ts src/utils/swagger.ts",
		},
		{
			// Near miss: another file of the app loads it unguarded.
			"also loaded in production",
			map[string]string{
				"src/index.ts":         "import app from './api-app'\nimport './docs'\n",
				"src/api-app.ts":       "if (process.env.NODE_ENV !== 'production') { require('./utils/swagger') }\n",
				"src/docs.ts":          "import { setupSwagger } from './utils/swagger'\n",
				"src/utils/swagger.ts": "import swaggerJsdoc from 'swagger-jsdoc'\n",
			},
			"", "",
		},
		{
			// Near miss: the guard lets production through.
			"guard that may hold in production",
			map[string]string{
				"src/index.ts":         "if (process.env.NODE_ENV !== 'production' || process.env.ENABLE_SWAGGER) { require('./utils/swagger') }\n",
				"src/utils/swagger.ts": "import swaggerJsdoc from 'swagger-jsdoc'\n",
			},
			"", "",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			tt.files["package.json"] = manifest
			for name, text := range tt.files {
				p := filepath.Join(dir, name)
				if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			pkg, err := nodeproject.Load(dir)
			if err != nil || pkg == nil {
				t.Fatalf("Load: %v", err)
			}
			var got []string
			for r := range TestOnlyFiles(pkg) {
				got = append(got, r)
			}
			sort.Strings(got)
			if g := strings.Join(got, " "); g != tt.want {
				t.Errorf("TestOnlyFiles = %q, want %q", g, tt.want)
			}
			got = nil
			for r := range DevOnlyFiles(pkg) {
				got = append(got, r)
			}
			sort.Strings(got)
			if g := strings.Join(got, " "); g != tt.wantDev {
				t.Errorf("DevOnlyFiles = %q, want %q", g, tt.wantDev)
			}
		})
	}
}
