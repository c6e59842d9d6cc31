package rt

import (
	"fmt"
	"net"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/seaworthy-dev/seaworthy/source/observation"
)

// seconds formats a duration for messages: "850 ms", "2.4 s", "12 s".
func seconds(d time.Duration) string {
	switch {
	case d < time.Second:
		return fmt.Sprintf("%d ms", d.Milliseconds())
	case d < 10*time.Second:
		return fmt.Sprintf("%.1f s", d.Seconds())
	}
	return fmt.Sprintf("%.0f s", d.Seconds())
}

// lastLog picks the most telling line of a log tail for a message: the
// last line that names an error, else the last line that is not part of a
// stack trace or Node's version banner.
func lastLog(logs string) string {
	lines := strings.Split(strings.TrimSpace(logs), "\n")
	pick := ""
	for i := len(lines) - 1; i >= 0; i-- {
		l := strings.TrimSpace(lines[i])
		if l == "" || strings.HasPrefix(l, "at ") || strings.HasPrefix(l, "^") || strings.HasPrefix(l, "Node.js v") ||
			strings.HasPrefix(l, "throw ") || strings.HasPrefix(l, "}") || strings.HasPrefix(l, "code: ") {
			continue
		}
		if strings.Contains(l, "Error") || strings.Contains(l, "error") || strings.Contains(l, "ERR") {
			pick = l
			break
		}
		if pick == "" {
			pick = l
		}
	}
	if len(pick) > 160 {
		pick = pick[:157] + "..."
	}
	return pick
}

// pid1 classifies PID 1's command line.
type pid1 struct {
	argv []string
}

func parsePID1(cmd string) pid1 { return pid1{argv: strings.Fields(cmd)} }

func (p pid1) base() string {
	if len(p.argv) == 0 {
		return ""
	}
	return path.Base(p.argv[0])
}

// shell reports a shell-form command: /bin/sh -c "...".
func (p pid1) shell() bool {
	b := p.base()
	return (b == "sh" || b == "bash" || b == "dash" || b == "ash") && len(p.argv) > 1 && p.argv[1] == "-c"
}

// node reports node itself as PID 1.
func (p pid1) node() bool {
	b := p.base()
	return b == "node" || b == "nodejs"
}

// exitCode explains an exit code.
func exitCode(code int) string {
	switch code {
	case 0:
		return "0"
	case 137:
		return "137 (SIGKILL)"
	case 143:
		return "143 (killed by SIGTERM: nothing handled the signal)"
	case 130:
		return "130 (killed by SIGINT)"
	}
	return fmt.Sprint(code)
}

// ready reports the first run became ready (the later checks ran).
func ready(r *observation.Result) bool { return r != nil && r.Start.Ready }

// listensOn reports whether any address in addrs ("127.0.0.1:3000",
// "[::]:3000") accepts connections from outside the container on port, and
// whether the port is bound to loopback only.
func listensOn(addrs []string, port int) (outside, loopbackOnly bool) {
	loop := false
	for _, a := range addrs {
		host, p, err := net.SplitHostPort(a)
		if err != nil || p != strconv.Itoa(port) {
			continue
		}
		if host == "127.0.0.11" {
			continue // Docker's embedded DNS server
		}
		if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
			loop = true
			continue
		}
		outside = true
	}
	return outside, loop && !outside
}

// onPort keeps the addresses on port.
func onPort(addrs []string, port int) []string {
	var out []string
	for _, a := range addrs {
		if _, p, err := net.SplitHostPort(a); err == nil && p == strconv.Itoa(port) {
			out = append(out, a)
		}
	}
	return out
}
