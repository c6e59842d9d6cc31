package project

import (
	"fmt"
	"strings"
	"testing"
)

// runString shows a found docker command compactly.
func runString(r dockerRun) string {
	wd := r.wd.dir
	switch {
	case r.wd.lost:
		wd = "?"
	case !r.wd.known:
		wd = "~/" + wd
	}
	if r.compose {
		return fmt.Sprintf("%d %s compose %s", r.line, wd, strings.Join(r.files, ","))
	}
	return fmt.Sprintf("%d %s build -f %q %s", r.line, wd, r.file, r.context)
}

func TestReadShell(t *testing.T) {
	for _, tc := range []struct {
		text string
		want []string
	}{
		{"docker build -t app .", []string{`1 /w build -f "" .`}},
		{"docker build -f docker/Dockerfile .", []string{`1 /w build -f "docker/Dockerfile" .`}},
		{"docker build --file=api.Dockerfile --build-arg A=1 --no-cache -t x:1 ./api", []string{`1 /w build -f "api.Dockerfile" ./api`}},
		{"docker build -fweb.Dockerfile --pull -q web", []string{`1 /w build -f "web.Dockerfile" web`}},
		{"docker buildx build --platform linux/amd64,linux/arm64 -f d/Dockerfile --push --target prod .", []string{`1 /w build -f "d/Dockerfile" .`}},
		{"docker buildx b -f x .", []string{`1 /w build -f "x" .`}},
		{"docker image build -f x ctx", []string{`1 /w build -f "x" ctx`}},
		{"docker --context remote -H tcp://h build -f x ctx", []string{`1 /w build -f "x" ctx`}},
		{"sudo -E docker build ctx", nil}, // sudo's flags are not followed
		{"sudo docker build ctx", []string{`1 /w build -f "" ctx`}},
		{"podman build -f Containerfile .", []string{`1 /w build -f "Containerfile" .`}},
		{"docker build -f - .", []string{`1 /w build -f "-" .`}},
		{"docker build -f $FILE .", nil},
		{"FILE=deploy/Dockerfile\ndocker build -f \"$FILE\" .", []string{`2 /w build -f "deploy/Dockerfile" .`}},
		{"export CTX=srv; docker build \"${CTX}\"", []string{`1 /w build -f "" srv`}},
		{"docker build -f ${DF:-docker/Dockerfile} .", []string{`1 /w build -f "docker/Dockerfile" .`}},
		{"cd app && docker build .", []string{`1 /w/app build -f "" .`}},
		{"(cd app && docker build .)\ndocker build .", []string{`1 /w/app build -f "" .`, `2 /w build -f "" .`}},
		{"cd $X\ndocker build .", []string{`2 ? build -f "" .`}},
		{"for s in api web; do\n  docker build -f $s/Dockerfile .\ndone", []string{`2 /w build -f "api/Dockerfile" .`, `2 /w build -f "web/Dockerfile" .`}},
		{"docker build -t $(git rev-parse HEAD) .", []string{`1 /w build -f "" .`}},
		{"docker build .  $(echo ctx)", nil},
		{"docker compose -f docker-compose.yml -f docker-compose.prod.yml up -d", []string{`1 /w compose docker-compose.yml,docker-compose.prod.yml`}},
		{"docker-compose --file a.yml -p x --file=b.yml build", []string{`1 /w compose a.yml,b.yml`}},
		{"docker compose up", nil},
		{"docker run --rm -v .:/x node", nil},
		{"echo docker build .", nil},
		{"if [ -n \"$CI\" ]; then docker build -f ci/Dockerfile .; fi", []string{`1 /w build -f "ci/Dockerfile" .`}},
		{"build() { docker build -f f/Dockerfile f; }\nbuild", []string{`1 /w build -f "f/Dockerfile" f`}},
		{"docker build -f 'bad", nil}, // does not parse
	} {
		var got []string
		for _, r := range readShell(tc.text, "", "/w", workdir{dir: "/w", known: true}, nil, nil) {
			got = append(got, runString(r))
		}
		if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
			t.Errorf("%q:\n got %q\nwant %q", tc.text, got, tc.want)
		}
	}
}

func TestReadShellPush(t *testing.T) {
	for text, want := range map[string]bool{
		"docker buildx build --push -t x .":                                     true,
		"docker buildx build --output type=registry,name=ghcr.io/a/b:1 .":       true,
		"docker buildx build --output=type=image,name=x,push=true .":            true,
		"docker buildx build -o type=registry -f Dockerfile.dev .":              true,
		"docker buildx build --output type=docker,dest=out.tar -f Dockerfile .": false,
		"docker buildx build --load -t x .":                                     false,
		"docker build -o out .":                                                 false,
	} {
		runs := readShell(text, "", "/w", workdir{dir: "/w", known: true}, nil, nil)
		if len(runs) != 1 || runs[0].push != want {
			t.Errorf("%q: runs %+v, want push=%v", text, runs, want)
		}
	}
}

// A script's working directory is unknown until it cds relative to
// itself.
func TestReadShellScript(t *testing.T) {
	for _, tc := range []struct {
		text string
		want string
	}{
		{"docker build -f docker/Dockerfile .", `1 ~/. build -f "docker/Dockerfile" .`},
		{"cd ..\ndocker build .", `2 ~/.. build -f "" .`},
		{`cd "$(dirname "$0")/.."` + "\ndocker build .", `2 /r build -f "" .`},
		{`ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"` + "\ndocker build -f \"$ROOT/docker/Dockerfile\" \"$ROOT\"", `2 ~/. build -f "/r/docker/Dockerfile" /r`},
		{"cd /app\ndocker build .", `2 ? build -f "" .`},
	} {
		var got []string
		for _, r := range readShell(tc.text, "/r/scripts/build.sh", "/r", workdir{dir: "."}, nil, nil) {
			got = append(got, runString(r))
		}
		if strings.Join(got, "\n") != tc.want {
			t.Errorf("%q:\n got %q\nwant %q", tc.text, got, tc.want)
		}
	}
}
