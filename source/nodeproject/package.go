// Package nodeproject reads what a Node.js project declares about itself:
// package.json, its lockfiles and Node version files.
package nodeproject

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"

	"github.com/seaworthy-dev/seaworthy/internal/memo"
	"github.com/seaworthy-dev/seaworthy/source/regular"
)

// Lockfile names by package manager.
var Lockfiles = map[string]string{
	"package-lock.json":   "npm",
	"npm-shrinkwrap.json": "npm",
	"yarn.lock":           "yarn",
	"pnpm-lock.yaml":      "pnpm",
	"bun.lockb":           "bun",
	"bun.lock":            "bun",
}

// Manifest is the part of package.json seaworthy reads.
type Manifest struct {
	Name                 string            `json:"name"`
	Main                 string            `json:"main"`
	Type                 string            `json:"type"`
	Scripts              map[string]string `json:"scripts"`
	Dependencies         map[string]string `json:"dependencies"`
	DevDependencies      map[string]string `json:"devDependencies"`
	OptionalDependencies map[string]string `json:"optionalDependencies"`
	PeerDependencies     map[string]string `json:"peerDependencies"`
	Engines              map[string]string `json:"engines"`
	PackageManager       string            `json:"packageManager"`
	Workspaces           json.RawMessage   `json:"workspaces"`
}

// Package is a directory with a package.json.
type Package struct {
	Dir string
	// ManifestPath is the package.json path; Source its bytes (for lines).
	ManifestPath string
	Source       []byte
	Manifest     Manifest
	// Lockfiles present in Dir (file names), in a stable order.
	Lockfiles []string
	// NodeVersionFiles maps ".nvmrc"/".node-version" to their trimmed content.
	NodeVersionFiles map[string]string
	// Errors are the package's files that cannot be used though the
	// package can: a Node version file that cannot be read (it is not in
	// NodeVersionFiles), a package.json field of the wrong type (decoded
	// as absent).
	Errors []*FileError

	sourcesOnce sync.Once
	sources     []SourceFile
	devSources  []SourceFile
	skipped     []regular.Skipped
	sourcesErr  error

	derived memo.Table // see Memo
}

// FileError is a file of a package that cannot be used: package.json or a
// Node version file that cannot be read (Line 0), or package.json that is
// not valid (Line is where the JSON goes wrong, when known).
type FileError = regular.FileError

// maxFileSize bounds what is read as package.json or a version file.
const maxFileSize = 8 << 20

// readFile reads a file of the package: nil, nil when it does not exist,
// a *FileError when it cannot be read.
func readFile(path string) ([]byte, error) {
	return regular.ReadOptional(path, maxFileSize)
}

// Load reads dir/package.json and notes the lockfiles and Node version
// files beside it. A missing package.json returns (nil, nil); one that
// cannot be read or is not JSON a *FileError. A field of the wrong type
// (`"scripts": []`) is left out and noted in Package.Errors.
func Load(dir string) (*Package, error) {
	src, err := readFile(filepath.Join(dir, "package.json"))
	if err != nil || src == nil {
		return nil, err
	}
	return Parse(dir, src)
}

var errNullManifest = errors.New("the top level must be an object, not null")

// DecodeManifest decodes a package.json's text as Parse does: a field of
// the wrong type is decoded as absent (typeErr says which); err is set
// only when the text is no JSON object at all.
func DecodeManifest(src []byte) (m Manifest, typeErr, err error) {
	if bytes.Equal(bytes.TrimSpace(src), []byte("null")) {
		// Unmarshal leaves the manifest empty and says nothing.
		return m, nil, errNullManifest
	}
	if err := json.Unmarshal(src, &m); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			return m, err, nil
		}
		return m, nil, err
	}
	return m, nil, nil
}

// Parse is Load with the package.json's text given (an editor's unsaved
// text): the lockfiles and Node version files are still read from dir.
func Parse(dir string, src []byte) (*Package, error) {
	p := &Package{Dir: dir, ManifestPath: filepath.Join(dir, "package.json"), NodeVersionFiles: map[string]string{}}
	p.Source = src
	m, typeErr, err := DecodeManifest(src)
	p.Manifest = m
	switch {
	case errors.Is(err, errNullManifest):
		p.Errors = append(p.Errors, &FileError{Path: p.ManifestPath, Line: 1, Msg: "invalid package.json: " + err.Error()})
	case err != nil:
		return nil, manifestError(p.ManifestPath, src, err)
	case typeErr != nil:
		// Unmarshal decodes the rest as well as it can.
		p.Errors = append(p.Errors, manifestError(p.ManifestPath, src, typeErr))
	}
	for _, name := range []string{"package-lock.json", "npm-shrinkwrap.json", "yarn.lock", "pnpm-lock.yaml", "bun.lockb", "bun.lock"} {
		if st, err := os.Stat(filepath.Join(dir, name)); err == nil && !st.IsDir() {
			p.Lockfiles = append(p.Lockfiles, name)
		}
	}
	for _, name := range []string{".nvmrc", ".node-version"} {
		b, err := readFile(filepath.Join(dir, name))
		var fe *FileError
		switch {
		case errors.As(err, &fe):
			p.Errors = append(p.Errors, fe)
		case b != nil:
			p.NodeVersionFiles[name] = strings.TrimSpace(string(b))
		}
	}
	return p, nil
}

// manifestError describes a package.json that does not decode, with the
// line where the JSON goes wrong.
func manifestError(path string, src []byte, err error) *FileError {
	offset := int64(-1)
	msg := err.Error()
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		offset = se.Offset
	case errors.As(err, &te):
		offset = te.Offset
		want, got := jsonType(te.Type.Kind().String()), jsonType(te.Value)
		switch {
		case te.Field == "":
			msg = fmt.Sprintf("the top level must be %s, not %s", want, got)
		case te.Type.Kind() != reflect.Map && manifestFieldKind(te.Field) == reflect.Map:
			// A value inside an object of strings: the error names
			// the object only.
			msg = fmt.Sprintf("every value in %q must be %s, not %s", te.Field, want, got)
		default:
			msg = fmt.Sprintf("%q must be %s, not %s", te.Field, want, got)
		}
	}
	fe := &FileError{Path: path, Msg: "invalid package.json: " + msg}
	if offset >= 0 {
		fe.Line = 1 + strings.Count(string(src[:min(int(offset), len(src))]), "\n")
	}
	return fe
}

// manifestFieldKind is the kind of the Manifest field whose JSON name is
// name (reflect.Invalid for none).
func manifestFieldKind(name string) reflect.Kind {
	t := reflect.TypeFor[Manifest]()
	for i := range t.NumField() {
		if tag, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ","); tag == name {
			return t.Field(i).Type.Kind()
		}
	}
	return reflect.Invalid
}

// jsonType names a Go kind or a JSON value type as a JSON type, with its
// article.
func jsonType(kind string) string {
	switch kind {
	case "map", "struct", "object":
		return "an object"
	case "slice", "array":
		return "an array"
	case "bool":
		return "a boolean"
	case "string":
		return "a string"
	}
	if strings.HasPrefix(kind, "int") || strings.HasPrefix(kind, "uint") || strings.HasPrefix(kind, "float") || kind == "number" {
		return "a number"
	}
	return kind
}

// ReadOptional reads a file that may be missing: nil, nil when it does
// not exist, a *FileError naming it when it cannot be read.
func ReadOptional(path string) ([]byte, error) { return readFile(path) }

// ReadFile reads a file of the package by its slash-separated path
// relative to the package directory (tsconfig.json, .yarnrc.yml,
// prisma/schema.prisma): nil, nil when it does not exist, a *FileError
// naming it when it cannot be read.
func (p *Package) ReadFile(rel string) ([]byte, error) {
	return readFile(filepath.Join(p.Dir, filepath.FromSlash(rel)))
}

// Exists reports whether the package directory holds the file or
// directory (slash-separated path relative to it).
func (p *Package) Exists(rel string) bool {
	_, err := os.Stat(filepath.Join(p.Dir, filepath.FromSlash(rel)))
	return err == nil
}
