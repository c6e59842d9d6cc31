package scaffold

import (
	"fmt"
	"strings"

	"github.com/seaworthy-dev/seaworthy/knowledge"
)

// compose runs the app next to the datastores it talks to: each with
// its canonical healthcheck and a named volume on its data directory, the
// app waiting until they are healthy, configuration from .env, ports on
// 127.0.0.1 only.
func (g *gen) compose() string {
	var b strings.Builder
	s := g.s
	b.WriteString("# Written by `seaworthy init`. Secrets come from .env (never committed).\n")
	b.WriteString("services:\n  app:\n")
	switch {
	case s.Workspace != nil:
		b.WriteString(workspaceBuild(s.Workspace))
		if s.Npmrc != nil {
			b.WriteString("      secrets:\n        - npmrc\n")
		}
	case s.Npmrc != nil:
		b.WriteString("    build:\n      context: .\n      secrets:\n        - npmrc\n")
	default:
		b.WriteString("    build: .\n")
	}
	b.WriteString("    env_file:\n      - path: .env\n        required: false\n")
	var services []knowledge.DatastoreService
	for _, d := range s.Datastores {
		if svc, ok := knowledge.ServiceFor(d.Kind); ok {
			services = append(services, svc)
		}
	}
	if len(services) > 0 {
		b.WriteString("    environment:\n")
		for _, d := range s.Datastores {
			if svc, ok := knowledge.ServiceFor(d.Kind); ok {
				fmt.Fprintf(&b, "      %s: %s\n", d.URLVar, svc.URL)
			}
		}
	}
	fmt.Fprintf(&b, "    ports:\n      - \"127.0.0.1:%d:%d\"\n", s.Port.Value, s.Port.Value)
	if len(services) > 0 {
		b.WriteString("    depends_on:\n")
		for _, svc := range services {
			fmt.Fprintf(&b, "      %s:\n        condition: service_healthy\n", svc.Service)
		}
	}
	b.WriteString("    restart: unless-stopped\n")
	for _, svc := range services {
		fmt.Fprintf(&b, "  %s:\n    image: %s\n", svc.Service, svc.Image)
		if len(svc.Env) > 0 {
			b.WriteString("    environment:\n")
			for _, kv := range svc.Env {
				fmt.Fprintf(&b, "      %s: %s\n", kv[0], kv[1])
			}
		}
		fmt.Fprintf(&b, "    volumes:\n      - %s-data:%s\n", svc.Service, svc.DataPath)
		fmt.Fprintf(&b, "    healthcheck:\n      test: [\"CMD-SHELL\", %q]\n      interval: 5s\n      timeout: 5s\n      retries: 10\n      start_period: 20s\n", svc.Healthcheck)
		b.WriteString("    restart: unless-stopped\n")
	}
	if len(services) > 0 || s.Npmrc != nil {
		if len(services) > 0 {
			b.WriteString("volumes:\n")
			for _, svc := range services {
				fmt.Fprintf(&b, "  %s-data:\n", svc.Service)
			}
		}
		if s.Npmrc != nil {
			fmt.Fprintf(&b, "secrets:\n  npmrc:\n    file: %s\n", s.Npmrc.Value)
		}
	}
	return b.String()
}
