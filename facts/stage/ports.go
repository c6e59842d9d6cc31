package stage

import (
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"

	"github.com/seaworthy-dev/seaworthy/source/dockerfile"
)

// This file reads the ports of a stage: the one its HEALTHCHECK probes,
// the ones it EXPOSEs.

var probeURL = regexp.MustCompile(`https?://[^\s'"\x60()<>|;&,\\]+`)

// HealthcheckPort returns the port on the container itself that an HTTP
// HEALTHCHECK requests (`curl -f http://localhost:3000/health`, node's
// `fetch('http://127.0.0.1:8080/')`; 80 or 443 when the URL names none)
// and the URL. ok is false for NONE, checks without such a URL, and a
// port written as a variable.
func HealthcheckPort(in *dockerfile.Instruction) (port int, rawURL string, ok bool) {
	test := HealthcheckTest(in)
	if len(test) < 2 {
		return 0, "", false
	}
	raw := probeURL.FindString(strings.Join(test[1:], " "))
	if raw == "" || strings.Contains(raw, "$") {
		return 0, "", false
	}
	u, err := url.Parse(raw)
	if err != nil {
		return 0, "", false
	}
	switch u.Hostname() {
	case "localhost", "127.0.0.1", "0.0.0.0", "::1":
	default:
		return 0, "", false // another container or host
	}
	if p := u.Port(); p != "" {
		n, err := strconv.Atoi(p)
		return n, raw, err == nil
	}
	if u.Scheme == "https" {
		return 443, raw, true
	}
	return 80, raw, true
}

// ExposedPorts returns the literal ports the stage chain EXPOSEs (`3000`,
// `8080/tcp`), with the instruction of each; variables are skipped.
func ExposedPorts(st *dockerfile.Stage) map[int]*dockerfile.Instruction {
	out := map[int]*dockerfile.Instruction{}
	for _, in := range st.ChainInstructions() {
		c, ok := in.Command.(*instructions.ExposeCommand)
		if !ok {
			continue
		}
		for _, p := range c.Ports {
			p, _, _ = strings.Cut(p, "/")
			if n, err := strconv.Atoi(p); err == nil {
				out[n] = in
			}
		}
	}
	return out
}
