package imagefs

import (
	"encoding/json"
	"path"
	"regexp"
	"strings"

	"github.com/seaworthy-dev/seaworthy/source/nodeproject"
)

// Env returns the value of a config environment variable.
func (img *Image) Env(key string) (string, bool) {
	if img.Config == nil {
		return "", false
	}
	for _, e := range img.Config.Config.Env {
		if k, v, ok := strings.Cut(e, "="); ok && k == key {
			return v, true
		}
	}
	return "", false
}

// Command is what the container runs: Entrypoint followed by Cmd.
func (img *Image) Command() []string {
	if img.Config == nil {
		return nil
	}
	return append(append([]string(nil), img.Config.Config.Entrypoint...), img.Config.Config.Cmd...)
}

// nodeBinaries are where Node images put node.
var nodeBinaries = []string{"usr/local/bin/node", "usr/bin/node", "usr/bin/nodejs", "nodejs/bin/node"}

// IsNode reports a Node image: NODE_VERSION in its env or a node binary.
func (img *Image) IsNode() bool {
	if _, ok := img.Env("NODE_VERSION"); ok {
		return true
	}
	for _, p := range nodeBinaries {
		if _, ok := img.Lookup(p); ok {
			return true
		}
	}
	return false
}

var nodeVersionDefine = regexp.MustCompile(`#define NODE_(MAJOR|MINOR|PATCH)_VERSION (\d+)`)

// NodeVersion is the image's Node version and where it was read: the
// NODE_VERSION variable of the official images, else the version header
// Node's installers put beside the binary (include/node/node_version.h).
func (img *Image) NodeVersion() (version, from string) {
	if v, ok := img.Env("NODE_VERSION"); ok && v != "" {
		return strings.TrimPrefix(v, "v"), "NODE_VERSION"
	}
	for _, p := range []string{"usr/local/include/node/node_version.h", "usr/include/node/node_version.h"} {
		f, ok := img.Lookup(p)
		if !ok || f.Content == nil {
			continue
		}
		parts := map[string]string{}
		for _, m := range nodeVersionDefine.FindAllSubmatch(f.Content, -1) {
			parts[string(m[1])] = string(m[2])
		}
		if parts["MAJOR"] != "" {
			return parts["MAJOR"] + "." + parts["MINOR"] + "." + parts["PATCH"], "/" + p
		}
	}
	return "", ""
}

// App is the app's package.json as the audit found it.
type App struct {
	Manifest nodeproject.Manifest
	// Dir is the app's directory in the image ("app"), where its
	// node_modules is looked for.
	Dir string
	// From says where the package.json was read: the --project path or
	// its path in the image.
	From string
}

// App finds the app's package.json: the one given with --project, else
// the image's in WORKDIR, else in the directory of the script the command
// runs (`node /srv/api/server.js`). Its node_modules is the WORKDIR's (or
// the script directory's).
func (img *Image) App() (*App, bool) {
	dirs := img.appDirs()
	if img.Project != nil {
		for _, d := range dirs {
			if _, ok := img.Lookup(path.Join(d, "node_modules")); ok {
				return &App{Manifest: img.Project.Manifest, Dir: d, From: img.Project.ManifestPath}, true
			}
		}
		if len(dirs) > 0 {
			return &App{Manifest: img.Project.Manifest, Dir: dirs[0], From: img.Project.ManifestPath}, true
		}
		return nil, false
	}
	for _, d := range dirs {
		f, ok := img.Lookup(path.Join(d, "package.json"))
		if !ok || f.Content == nil {
			continue
		}
		var m nodeproject.Manifest
		if json.Unmarshal(f.Content, &m) != nil {
			continue
		}
		return &App{Manifest: m, Dir: d, From: "/" + f.Path}, true
	}
	return nil, false
}

// appDirs are the directories the app may be in: WORKDIR, then the
// directory of each script argument of the command.
func (img *Image) appDirs() []string {
	var out []string
	add := func(d string) {
		d = strings.TrimPrefix(path.Clean("/"+d), "/")
		for _, o := range out {
			if o == d {
				return
			}
		}
		out = append(out, d)
	}
	wd := ""
	if img.Config != nil {
		wd = img.Config.Config.WorkingDir
	}
	if wd != "" {
		add(wd)
	}
	for _, a := range img.Command() {
		ext := path.Ext(a)
		if ext != ".js" && ext != ".mjs" && ext != ".cjs" {
			continue
		}
		if !path.IsAbs(a) {
			a = path.Join("/"+wd, a)
		}
		for d := path.Dir(a); d != "/" && d != "."; d = path.Dir(d) {
			if _, ok := img.Lookup(path.Join(d, "package.json")); ok {
				add(d)
				break
			}
		}
		add(path.Dir(a))
	}
	return out
}
