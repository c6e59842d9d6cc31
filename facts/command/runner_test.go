package command

import (
	"strings"
	"testing"
)

func TestRunners(t *testing.T) {
	for cmd, want := range map[string][3]string{ // dev, test, idle
		"npx nodemon server.js":           {"nodemon (a file watcher that restarts the app)", "", ""},
		"cross-env NODE_ENV=dev next dev": {"`next dev` (the Next.js development server)", "", ""},
		"vite":                            {"the vite development server", "", ""},
		"vite build":                      {"", "", ""},
		"npm test":                        {"", "`npm test`", ""},
		"npm run test:e2e":                {"", `the "test:e2e" script`, ""},
		"yarn e2e":                        {"", `the "e2e" script`, ""},
		"pnpm run testing":                {"", "", ""},
		"npx jest --ci":                   {"", "jest", ""},
		"vitest run":                      {"", "vitest", ""},
		"npx playwright test":             {"", "`playwright test`", ""},
		"npx playwright install":          {"", "", ""},
		"cypress run --browser chrome":    {"", "`cypress run`", ""},
		"node --test":                     {"", "`node --test`", ""},
		"tail -f /dev/null":               {"", "", "`tail -f /dev/null`"},
		"tail -F /dev/null":               {"", "", "`tail -F /dev/null`"[:0] + "`tail -f /dev/null`"},
		"tail -f /var/log/app.log":        {"", "", ""},
		"sleep infinity":                  {"", "", "`sleep infinity`"},
		"sleep 365d":                      {"", "", "`sleep 365d`"},
		"sleep 86400":                     {"", "", "`sleep 86400`"},
		"sleep 30":                        {"", "", ""},
		"node server.js":                  {"", "", ""},
	} {
		argv := strings.Fields(cmd)
		if got := DevRunner(argv); got != want[0] {
			t.Errorf("DevRunner(%q) = %q, want %q", cmd, got, want[0])
		}
		if got := TestRunner(argv); got != want[1] {
			t.Errorf("TestRunner(%q) = %q, want %q", cmd, got, want[1])
		}
		if got := Idle(argv); got != want[2] {
			t.Errorf("Idle(%q) = %q, want %q", cmd, got, want[2])
		}
	}
}

func TestGeneratesProject(t *testing.T) {
	for line, want := range map[string]bool{
		"yarn create nocobase-app my-app":         true,
		"npx -y create-nocobase-app@1.4.0 my-app": true,
		"npm create vite@latest web":              true,
		"npm init vite web":                       true,
		"npx @acme/create-app x":                  true,
		"npm init -y":                             false,
		"npm install":                             false,
		"npx prisma generate":                     false,
		"yarn install --production":               false,
	} {
		if got := GeneratesProject(strings.Fields(line)); got != want {
			t.Errorf("GeneratesProject(%q) = %v, want %v", line, got, want)
		}
	}
}
