package nodeproject

import (
	"errors"
	"io"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"strings"
	"sync"

	"github.com/seaworthy-dev/seaworthy/source/regular"
)

// Source discovery limits.
const (
	// MaxSourceSize skips larger files (bundles, generated code).
	MaxSourceSize = 1 << 20
	// MaxSourceFiles stops discovery after this many files.
	MaxSourceFiles = 50000
)

// SourceFile is one JavaScript/TypeScript file of the package.
type SourceFile struct {
	// Path is the file's path (the package directory joined with Rel).
	Path string
	// Rel is the slash-separated path relative to the package directory.
	Rel string
	// Runtime is false for files in directories that hold tooling rather
	// than the application (scripts/, tools/, examples/, docs/,
	// benchmarks/, fixtures/, mocks/, …): they are scanned for routes but
	// not held to the rules about what the running app does.
	Runtime bool
}

// sourceExts are the extensions of the files scanned.
var sourceExts = map[string]bool{
	".js": true, ".mjs": true, ".cjs": true, ".jsx": true,
	".ts": true, ".mts": true, ".cts": true, ".tsx": true,
}

// skipSourceDirs are never descended into: dependencies, build output,
// tests.
var skipSourceDirs = map[string]bool{
	"node_modules": true, "bower_components": true, "jspm_packages": true,
	"dist": true, "build": true, "out": true, "coverage": true,
	"test": true, "tests": true, "__tests__": true, "e2e": true,
	"__mocks__": true, "__fixtures__": true,
}

// toolingDirs hold files that are not part of the running application.
var toolingDirs = map[string]bool{
	"scripts": true, "script": true, "tools": true, "tooling": true,
	"examples": true, "example": true, "docs": true, "doc": true,
	"benchmark": true, "benchmarks": true, "bench": true,
	"fixtures": true, "mocks": true, "stories": true, "storybook": true,
	"cypress": true, "playwright": true,
}

// devTools name development tools whose configuration files are skipped:
// `<tool>.config.*`, `<tool>rc.*`, `<tool>.setup.*`.
var devTools = []string{
	"eslint", "jest", "vitest", "vite", "webpack", "babel", "prettier", "rollup",
	"tsup", "postcss", "tailwind", "commitlint", "lint-staged", "karma",
	"playwright", "cypress", "stylelint", "esbuild", "rspack", "tsdown",
	"nodemon", "wallaby", "ava", "mocha", "nyc", "c8", "svgo", "typedoc",
	"release", "renovate", "storybook", "lerna", "nx", "turbo", "tsconfig",
	"lintstaged", "knip", "husky", "syncpack", "size-limit", "tsx", "swc", "unbuild", "rolldown", "parcel",
}

// devToolFiles are whole stems (or stem prefixes ending in '.') of tool
// files: `webpack.prod.js`, `gulpfile.js`.
var devToolFiles = []string{"webpack.", "rollup.", "gulpfile", "gruntfile", "setuptests", "vitest.workspace", "jest.preset"}

// IsSourceFile reports whether a file name is a JavaScript/TypeScript
// source seaworthy scans: not a declaration file, test, story, minified
// bundle or development tool configuration.
func IsSourceFile(name string) bool {
	lower := strings.ToLower(name)
	ext := path.Ext(lower)
	if !sourceExts[ext] {
		return false
	}
	stem := strings.TrimSuffix(lower, ext)
	if strings.HasSuffix(stem, ".d") || strings.HasSuffix(stem, ".min") {
		return false
	}
	for _, mark := range []string{".test", ".spec", ".stories", ".story", ".e2e", ".bench"} {
		if strings.HasSuffix(stem, mark) || strings.Contains(stem, mark+".") {
			return false
		}
	}
	// Dotfiles name tools too: `.eslintrc.cjs`, `.prettierrc.js`.
	stem = strings.TrimPrefix(stem, ".")
	for _, tool := range devTools {
		if strings.HasPrefix(stem, tool+".config") || stem == tool+"rc" || strings.HasPrefix(stem, tool+"rc.") || strings.HasPrefix(stem, tool+".setup") {
			return false
		}
		if variantConfig(stem, tool) {
			return false
		}
	}
	for _, f := range devToolFiles {
		if stem == strings.TrimSuffix(f, ".") || strings.HasPrefix(stem, f) {
			return false
		}
	}
	return true
}

// variantConfig reports whether a file stem is a variant of a tool's
// configuration: `jest.int.config`, `vitest.e2e.config`,
// `playwright-ct.config`, `jest.unit.setup` — the tool's name, one
// variant word, then `.config` or `.setup`.
func variantConfig(stem, tool string) bool {
	rest, ok := strings.CutPrefix(stem, tool)
	if !ok || rest == "" || rest[0] != '.' && rest[0] != '-' {
		return false
	}
	variant, kind, ok := strings.Cut(rest[1:], ".")
	if !ok || variant == "" {
		return false
	}
	kind, _, _ = strings.Cut(kind, ".")
	return kind == "config" || kind == "setup"
}

// Sources returns the package's source files, discovered once: every
// .js .mjs .cjs .jsx .ts .mts .cts .tsx file below the package directory,
// skipping dependencies (node_modules), build output (dist, build, out,
// coverage, .next and every hidden directory), tests (test, tests,
// __tests__, e2e, *.test.*, *.spec.*), declaration files, minified files,
// development tool configurations, nested packages (directories with
// their own package.json) and symbolic links. Discovery stops at
// MaxSourceFiles; files over MaxSourceSize are left out when read.
//
// Files under source names that are not regular files (named pipes,
// sockets, devices) are left out: see SkippedSources.
func (p *Package) Sources() ([]SourceFile, error) {
	p.discoverSources()
	return p.sources, p.sourcesErr
}

// SkippedSources returns the files discovery met under source names that
// are not regular files, in the order met.
func (p *Package) SkippedSources() []regular.Skipped {
	p.discoverSources()
	return p.skipped
}

// DevSources returns the package's test and tool files, discovered with
// Sources: files in test directories (test, tests, __tests__, e2e,
// __mocks__, __fixtures__), tests (*.test.*, *.spec.*), stories and
// development tool configurations — the JavaScript/TypeScript files
// Sources leaves out for what they are, not for where they are
// (dependencies, build output, declaration and minified files stay out).
// Their Runtime is false.
func (p *Package) DevSources() []SourceFile {
	p.discoverSources()
	return p.devSources
}

func (p *Package) discoverSources() {
	p.sourcesOnce.Do(func() {
		p.sources, p.devSources, p.skipped, p.sourcesErr = discoverSources(p.Dir)
	})
}

// testDirs are the skipped directories that hold tests.
var testDirs = map[string]bool{"test": true, "tests": true, "__tests__": true, "e2e": true, "__mocks__": true, "__fixtures__": true}

// devSourceFile reports whether a file that is not a source is a test or
// tool file of the package: a JavaScript/TypeScript file that is not a
// declaration or minified file.
func devSourceFile(name string) bool {
	lower := strings.ToLower(name)
	ext := path.Ext(lower)
	stem := strings.TrimSuffix(lower, ext)
	return sourceExts[ext] && !strings.HasSuffix(stem, ".d") && !strings.HasSuffix(stem, ".min")
}

var errTooMany = errors.New("too many source files")

func discoverSources(root string) ([]SourceFile, []SourceFile, []regular.Skipped, error) {
	var out, dev []SourceFile
	var skipped []regular.Skipped
	// inTests is set below a test directory: every file there is a dev
	// source.
	var walk func(dir, rel string, runtime, inTests bool) error
	walk = func(dir, rel string, runtime, inTests bool) error {
		entries, err := os.ReadDir(dir)
		if err != nil {
			if rel == "" {
				return err
			}
			return nil // unreadable subtree: skip it
		}
		if rel != "" {
			for _, e := range entries {
				if e.Name() == "package.json" && !e.IsDir() {
					return nil // a nested package
				}
			}
		}
		for _, e := range entries {
			name := e.Name()
			typ := e.Type()
			switch {
			case typ&os.ModeSymlink != 0:
				continue
			case e.IsDir():
				tests := inTests || testDirs[name]
				if strings.HasPrefix(name, ".") || skipSourceDirs[name] && !tests {
					continue
				}
				sub := name
				if rel != "" {
					sub = rel + "/" + name
				}
				if err := walk(filepath.Join(dir, name), sub, runtime && !toolingDirs[strings.ToLower(name)], tests); err != nil {
					return err
				}
			case typ.IsRegular():
				source := !inTests && IsSourceFile(name)
				if !source && !devSourceFile(name) {
					continue
				}
				r := name
				if rel != "" {
					r = rel + "/" + name
				}
				if !source {
					if len(dev) < MaxSourceFiles {
						dev = append(dev, SourceFile{Path: filepath.Join(dir, name), Rel: r})
					}
					continue
				}
				if len(out) >= MaxSourceFiles {
					return errTooMany
				}
				out = append(out, SourceFile{Path: filepath.Join(dir, name), Rel: r, Runtime: runtime})
			case regular.Special(typ):
				if !inTests && IsSourceFile(name) {
					skipped = append(skipped, regular.Skipped{Path: filepath.Join(dir, name), Mode: typ})
				}
			}
		}
		return nil
	}
	err := walk(root, "", true, false)
	if errors.Is(err, errTooMany) {
		err = nil
	}
	return out, dev, skipped, err
}

// ReadSources reads every source file once and calls fn with its index in
// Sources() and its content, from several goroutines at a time: fn must
// be safe for concurrent use (writing to its own slot of a slice is).
// A file that cannot be read, or is larger than MaxSourceSize
// (ErrTooLarge), is passed with nil content and the error; src is only
// valid during the call.
func (p *Package) ReadSources(fn func(i int, f SourceFile, src []byte, err error)) error {
	files, err := p.Sources()
	if err != nil {
		return err
	}
	readFiles(files, fn)
	return nil
}

// ReadDevSources reads every file of DevSources() as ReadSources reads
// the sources.
func (p *Package) ReadDevSources(fn func(i int, f SourceFile, src []byte, err error)) {
	readFiles(p.DevSources(), fn)
}

func readFiles(files []SourceFile, fn func(i int, f SourceFile, src []byte, err error)) {
	// Reading is dominated by system calls, which overlap well beyond
	// GOMAXPROCS; scanning uses the CPUs.
	workers := min(2*runtime.GOMAXPROCS(0)+2, 16, max(1, len(files)/16))
	next := make(chan int, len(files))
	for i := range files {
		next <- i
	}
	close(next)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			bp := readBuffers.Get().(*[]byte)
			buf := *bp
			defer func() {
				if cap(buf) <= 4*MaxSourceSize {
					*bp = buf[:0]
				}
				readBuffers.Put(bp)
			}()
			for i := range next {
				src, err := readSource(files[i].Path, buf[:0])
				if err != nil {
					fn(i, files[i], nil, err)
					continue
				}
				fn(i, files[i], src, nil)
				if cap(src) <= 4*MaxSourceSize {
					buf = src[:0]
				}
			}
		}()
	}
	wg.Wait()
}

// readFallback reads a file into buf with the os package.
func readFallback(name string, buf []byte) ([]byte, error) {
	fh, err := regular.Open(name)
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := fh.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if len(buf) > MaxSourceSize {
			return nil, ErrTooLarge
		}
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return nil, err
		}
	}
}

// ErrTooLarge is the error of a source file over MaxSourceSize, which is
// left out on purpose.
var ErrTooLarge = errors.New("file too large")

// readBuffers are reused between ReadSources calls.
var readBuffers = sync.Pool{New: func() any { b := make([]byte, 0, 32<<10); return &b }}
