package verify

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
)

// settings resolves the readiness endpoint from the flags and the image.
func (r *runner) settings() error {
	s := &r.res.Settings
	s.Grace, s.StartTimeout, s.SlowStart = r.opts.Grace, r.opts.StartTimeout, r.opts.SlowStart
	hcPort, hcPath := healthcheckURL(r.img.Healthcheck)
	s.Port = r.opts.Port
	if s.Port == 0 {
		s.Port = hcPort
	}
	if s.Port == 0 {
		s.Port = lowestTCPPort(r.img.ExposedPorts)
	}
	s.HealthPath = r.opts.HealthPath
	if s.HealthPath == "" && hcPath != "" && (hcPort == 0 || hcPort == s.Port) {
		s.HealthPath = hcPath
	}
	if s.HealthPath == "" {
		s.HealthPath = DefaultHealthPath
	}
	s.SlowPath = r.opts.SlowPath
	switch {
	case s.Port > 0:
		s.Readiness = "http"
	case hasHealthcheck(r.img.Healthcheck):
		s.Readiness = "healthcheck"
		s.HealthcheckCmd = r.img.Healthcheck
		s.HealthPath = ""
	default:
		return &Error{Msg: fmt.Sprintf("cannot tell when %q is ready: it EXPOSEs no port and has no HEALTHCHECK; give --port (and --health-path, default %s)", r.opts.Image, DefaultHealthPath)}
	}
	return nil
}

func hasHealthcheck(test []string) bool {
	return len(test) > 1 && (test[0] == "CMD" || test[0] == "CMD-SHELL")
}

// healthcheckURL finds the first http(s) URL in a HEALTHCHECK command and
// returns its port and path.
func healthcheckURL(test []string) (int, string) {
	if !hasHealthcheck(test) {
		return 0, ""
	}
	text := strings.Join(test[1:], " ")
	i := strings.Index(text, "http://")
	if j := strings.Index(text, "https://"); j >= 0 && (i < 0 || j < i) {
		i = j
	}
	if i < 0 {
		return 0, ""
	}
	end := strings.IndexAny(text[i:], " \t'\"`)|;&,")
	raw := text[i:]
	if end >= 0 {
		raw = text[i : i+end]
	}
	u, err := url.Parse(raw)
	if err != nil {
		return 0, ""
	}
	port, _ := strconv.Atoi(u.Port())
	if port == 0 {
		port = map[string]int{"http": 80, "https": 443}[u.Scheme]
	}
	if strings.Contains(u.Host, "$") {
		return 0, ""
	}
	path := u.EscapedPath()
	if path == "" {
		path = "/"
	}
	if u.RawQuery != "" {
		path += "?" + u.RawQuery
	}
	return port, path
}

func lowestTCPPort(ports []string) int {
	best := 0
	for _, p := range ports {
		num, proto, _ := strings.Cut(p, "/")
		if proto != "" && proto != "tcp" {
			continue
		}
		n, err := strconv.Atoi(num)
		if err == nil && n > 0 && (best == 0 || n < best) {
			best = n
		}
	}
	return best
}
