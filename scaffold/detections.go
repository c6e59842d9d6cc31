package scaffold

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Detection is one thing init detected, its value and why.
type Detection struct {
	What  string `json:"what"`
	Value string `json:"value"`
	Why   string `json:"why"`
}

// Detections lists what the files were written from, in a stable order.
func (r *Result) Detections() []Detection {
	s := r.Shape
	t := s.Toolchain
	var out []Detection
	pm := t.Manager
	if t.Version != "" {
		pm += "@" + t.Version
	}
	if t.Manager == "yarn" {
		pm += map[bool]string{true: " (berry)", false: " (classic)"}[t.Berry]
	}
	out = append(out, Detection{"package manager", pm, strings.Join(t.Why, "; ")})
	installWhy := "the lockfile-enforcing install of " + t.Manager
	if t.Lockfile == "" {
		installWhy = "no lockfile to enforce: the install resolves versions when the image is built"
	}
	out = append(out, Detection{"install", t.FrozenInstall(false), installWhy})
	why := s.Node.From + " is " + strconv.Quote(s.Node.Asked)
	if s.Node.From == "" {
		why = "nothing names a version"
	}
	if t.Manager == "bun" {
		// bun runs the app: the Node line does not apply.
		why = "packageManager pins bun@" + t.Version
		if t.Version == "" {
			why = "nothing pins a bun version: the newest bun 1 (pin it with packageManager: bun@<version>)"
		}
		out = append(out, Detection{"runtime", "bun (" + r.Image + ")", why + "; the image's user bun (uid 1000) runs it"})
	} else {
		out = append(out, Detection{"node", fmt.Sprintf("%d (%s)", s.Node.Major, r.Image), why})
	}
	if s.Build != nil {
		tool := s.Build.Tool
		if tool == "" {
			tool = "script"
		}
		out = append(out, Detection{"build", t.Run(s.Build.Script) + " (" + tool + ")", "package.json has scripts." + s.Build.Script})
		out = append(out, Detection{"build output", s.Build.OutDir.Value, s.Build.OutDir.From})
		for _, m := range s.Build.More {
			out = append(out, Detection{"build output", m.Value, m.From})
		}
	}
	if s.StaticSite != nil {
		out = append(out, Detection{"static site", s.StaticSite.Value + " (" + StaticServerImage + ")", s.StaticSite.From})
	} else {
		out = append(out, Detection{"start", strings.Join(s.Start.Value, " "), s.Start.From})
	}
	if len(s.Sources) > 0 && s.Build != nil {
		out = append(out, Detection{"runtime files", strings.Join(s.Sources, ", "), "the start file is outside the build output: the runtime copies its top-level entry and the asset directories the app has beside the build output"})
	}
	if s.Build == nil && len(s.Sources) > 0 {
		out = append(out, Detection{"runtime files", strings.Join(s.Sources, ", "), "the sources the app runs (tests and tool configs left out) and the asset directories it has (public, views, templates, …)"})
	}
	port := strconv.Itoa(s.Port.Value)
	if s.PortUnsure {
		port += " (unsure)"
	}
	out = append(out, Detection{"port", port, s.Port.From})
	health := s.Health.Value
	if health == "" {
		health = "none"
	}
	out = append(out, Detection{"health route", health, s.Health.From})
	for _, is := range s.InstallScripts {
		v := is.Command
		var why []string
		switch {
		case is.RunsBuild:
			why = append(why, "runs the build, which needs the sources: the install runs without scripts, the build step builds")
		case is.NeedsSources:
			why = append(why, "runs a package script that needs the sources: the install runs without scripts, it runs once the sources are in")
		case s.DeferInstallScripts():
			why = append(why, "runs once the sources are in, after an install without scripts")
		case len(is.Needs) > 0:
			why = append(why, "needs "+strings.Join(is.Needs, ", ")+" before the install")
		}
		if is.NeedsDev {
			why = append(why, "runs a devDependency: the build stage installs everything and prunes afterwards")
		}
		if len(why) == 0 {
			why = append(why, "runs on install")
		}
		out = append(out, Detection{"install script " + is.Name, v, strings.Join(why, "; ")})
	}
	if len(s.NativeAddons) > 0 {
		out = append(out, Detection{"native addons", strings.Join(s.NativeAddons, ", "), "they compile with node-gyp: python3, make and g++ in the install stage only"})
	}
	if s.Prisma != nil {
		out = append(out, Detection{"prisma", s.Prisma.Schema, "provider " + strconv.Quote(s.Prisma.Provider) + "; openssl in the runtime image"})
	}
	if s.NextStandalone {
		out = append(out, Detection{"next.js standalone", ".next/standalone", "next.config sets output: 'standalone': the runtime copies .next/standalone, .next/static and public"})
	}
	if f := s.Framework; f != nil {
		env := ": the image sets HOST=0.0.0.0 and PORT"
		if f.PortOnly {
			env = ": the image sets PORT"
		}
		out = append(out, Detection{"framework", f.Name + " (" + f.Output + ")", f.Why + env})
	}
	if s.ZeroDeps {
		out = append(out, Detection{"dependencies", "none", "package.json declares no dependency: there is no install and no node_modules to copy"})
	}
	if s.Npmrc != nil {
		out = append(out, Detection{"private registry", ".npmrc", s.Npmrc.From + ": the install gets it as the build secret npmrc, never in a layer"})
	}
	for _, d := range s.Datastores {
		out = append(out, Detection{"datastore", d.Kind + " (" + d.URLVar + ")", d.Why})
	}
	for _, d := range s.DatastoreCandidates {
		out = append(out, Detection{"datastore candidate", d.Kind, d.Why + ": not written, the dependencies point to several databases"})
	}
	out = append(out, r.rendered...)
	for _, n := range s.Notes {
		if t.Manager == "bun" && slices.Contains(s.Node.Notes, n) {
			continue
		}
		out = append(out, Detection{"note", "", n})
	}
	return out
}
