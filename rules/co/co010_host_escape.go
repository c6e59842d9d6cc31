package co

import (
	"fmt"
	"path"
	"strings"

	"go.yaml.in/yaml/v4"

	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/source/compose"
)

// HostEscape reports settings that hand a container control of the host.
var HostEscape = register(&analysis.Rule{
	ID:       "CO010",
	Name:     "host-escape",
	Title:    "service can take over the host",
	Severity: analysis.Error,
	Doc: analysis.Doc{
		Why: "Some settings remove the isolation between a container and the host, so that a compromised " +
			"dependency or a bug in the app becomes root on the machine:\n\n" +
			"- `privileged: true` gives every capability and every device; mounting the host's disks is one " +
			"command away.\n" +
			"- The Docker socket (`/var/run/docker.sock`) mounted into the container, even read-only, or " +
			"`use_api_socket: true`, lets it start a privileged container with `/` mounted: root on the host.\n" +
			"- `pid: host` shows the host's processes and lets the container signal or trace them.\n" +
			"- `cap_add: [ALL]` is `privileged` under another name.",
		Bad:  "services:\n  worker:\n    build: .\n    privileged: true\n    volumes:\n      - /var/run/docker.sock:/var/run/docker.sock\n",
		Good: "services:\n  worker:\n    build: .\n    cap_add:\n      - NET_BIND_SERVICE\n",
		Fix: "Remove the setting and grant only what the service needs: a single capability with `cap_add`, " +
			"a device with `devices:`. A service that must drive Docker (a CI runner, Traefik, a log shipper) " +
			"should talk to a socket proxy that allows only the API calls it needs (e.g. " +
			"tecnativa/docker-socket-proxy), and be ignored here with a comment saying why.",
		ExampleFile: "compose.yaml",
		AppliesTo: "A container that can take over the host is as dangerous on a developer's machine or a CI " +
			"runner, which hold credentials, as on a server.",
	},
	Check: analysis.Check(func(pass *analysis.Pass, p *compose.Project) {
		for _, s := range p.Services {
			c := s.Config
			if c.Privileged {
				report(pass, p, p.Pos("services", s.Name, "privileged"),
					fmt.Sprintf("service %q runs privileged: it has every capability and device of the host", s.Name),
					"remove `privileged: true`; add only the capabilities or devices it needs")
			}
			if c.Pid == "host" {
				report(pass, p, p.Pos("services", s.Name, "pid"),
					fmt.Sprintf("service %q shares the host's process namespace (`pid: host`)", s.Name),
					"remove `pid: host`")
			}
			for _, capability := range c.CapAdd {
				if up := strings.ToUpper(capability); up == "ALL" || up == "CAP_ALL" {
					report(pass, p, listItemPos(p, []string{"services", s.Name, "cap_add"}, capability),
						fmt.Sprintf("service %q adds every capability (`cap_add: [%s]`), which is as good as privileged", s.Name, capability),
						"list only the capabilities the service needs")
				}
			}
			if c.UseAPISocket {
				report(pass, p, p.Pos("services", s.Name, "use_api_socket"),
					fmt.Sprintf("service %q gets the Docker API socket (`use_api_socket: true`): it can start privileged containers", s.Name),
					"remove `use_api_socket`, or go through a socket proxy that allows only the calls needed")
			}
			for _, m := range socketMounts(p, s.Name) {
				report(pass, p, m.pos,
					fmt.Sprintf("service %q mounts the Docker socket (%s): it can start privileged containers, which is root on the host", s.Name, m.text),
					"remove the mount, or go through a socket proxy that allows only the calls needed")
			}
		}
	}),
})

type mount struct {
	pos  compose.Position
	text string
}

// socketMounts finds volume entries (in any file, as written) whose source
// is a Docker socket.
func socketMounts(p *compose.Project, name string) []mount {
	var out []mount
	seen := map[string]bool{}
	for _, f := range p.Files {
		for _, it := range f.Items("services", name, "volumes") {
			src, _, ok := volumeSpec(p, it)
			if !ok || !isDockerSocket(src) {
				continue
			}
			pos := nodePos(f, it)
			key := fmt.Sprintf("%s:%d", pos.File, pos.Line)
			if seen[key] {
				continue
			}
			seen[key] = true
			text := fmt.Sprintf("%q", it.Value)
			if it.Kind == yaml.MappingNode {
				text = fmt.Sprintf("source: %s", src)
			}
			out = append(out, mount{pos, text})
		}
	}
	return out
}

func isDockerSocket(src string) bool {
	src = strings.TrimPrefix(strings.ReplaceAll(src, `\`, "/"), "/")                  // //var/run/docker.sock on Windows
	return path.Base(src) == "docker.sock" || strings.HasSuffix(src, "docker_engine") // npipe:////./pipe/docker_engine
}

// listItemPos finds the sequence item equal to value (case-insensitive) at
// path in the last file that has it (see compose.Project.Items).
func listItemPos(p *compose.Project, path []string, value string) compose.Position {
	for _, it := range p.Items(path...) {
		if it.Node.Kind == yaml.ScalarNode && strings.EqualFold(it.Node.Value, value) {
			return nodePos(it.File, it.Node)
		}
	}
	return p.Pos(path...)
}
