package verify

import (
	"bufio"
	"encoding/hex"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// This file reads a container's processes from the engine host's /proc,
// which works when seaworthy runs on the engine's machine with access to
// its processes; otherwise verify asks the container itself through a shell.

// hostProc reads /proc/<pid> of the engine host if that pid is really the
// container's PID 1 (its command line matches), so a seaworthy running in
// another PID namespace never reads an unrelated process.
func hostProc(pid int, path string, args []string) (string, bool) {
	if pid <= 0 {
		return "", false
	}
	dir := filepath.Join("/proc", strconv.Itoa(pid))
	cmdline, err := os.ReadFile(filepath.Join(dir, "cmdline"))
	if err != nil {
		return "", false
	}
	argv := strings.Split(strings.TrimRight(string(cmdline), "\x00"), "\x00")
	if len(argv) == 0 || filepath.Base(argv[0]) != filepath.Base(path) || len(argv) != len(args)+1 {
		return "", false
	}
	return dir, true
}

// parseStatusUID returns the effective uid from /proc/<pid>/status text.
func parseStatusUID(status string) (int, bool) {
	for _, line := range strings.Split(status, "\n") {
		if rest, ok := strings.CutPrefix(line, "Uid:"); ok {
			f := strings.Fields(rest)
			if len(f) >= 2 {
				uid, err := strconv.Atoi(f[1])
				return uid, err == nil
			}
		}
	}
	return 0, false
}

// mapUID translates a uid seen from the host into the container's user
// namespace using /proc/<pid>/uid_map ("inside outside count" lines).
func mapUID(uidMap string, hostUID int) int {
	for _, line := range strings.Split(uidMap, "\n") {
		f := strings.Fields(line)
		if len(f) != 3 {
			continue
		}
		in, e1 := strconv.Atoi(f[0])
		out, e2 := strconv.Atoi(f[1])
		n, e3 := strconv.Atoi(f[2])
		if e1 == nil && e2 == nil && e3 == nil && hostUID >= out && hostUID < out+n {
			return in + hostUID - out
		}
	}
	return hostUID
}

// listening parses /proc/net/tcp and tcp6 text and returns the addresses
// in LISTEN state, e.g. "127.0.0.1:3000", "[::]:8080".
func listening(tables ...string) []string {
	seen := map[string]bool{}
	var out []string
	for _, t := range tables {
		sc := bufio.NewScanner(strings.NewReader(t))
		for sc.Scan() {
			f := strings.Fields(sc.Text())
			if len(f) < 4 || f[3] != "0A" {
				continue
			}
			addr, ok := decodeProcAddr(f[1])
			// 127.0.0.11 is the engine's embedded DNS server on
			// user-defined networks, not the app.
			if ok && !seen[addr] && !strings.HasPrefix(addr, "127.0.0.11:") {
				seen[addr] = true
				out = append(out, addr)
			}
		}
	}
	sort.Strings(out)
	return out
}

// decodeProcAddr decodes "0100007F:0BB8" (IPv4, little-endian words) or
// the 32-hex-digit IPv6 form.
func decodeProcAddr(s string) (string, bool) {
	ipHex, portHex, ok := strings.Cut(s, ":")
	if !ok {
		return "", false
	}
	port, err := strconv.ParseUint(portHex, 16, 16)
	if err != nil {
		return "", false
	}
	raw, err := hex.DecodeString(ipHex)
	if err != nil || (len(raw) != 4 && len(raw) != 16) {
		return "", false
	}
	ip := make(net.IP, len(raw))
	for w := 0; w < len(raw); w += 4 {
		ip[w], ip[w+1], ip[w+2], ip[w+3] = raw[w+3], raw[w+2], raw[w+1], raw[w]
	}
	if v4 := ip.To4(); v4 != nil && len(raw) == 16 && !ip.IsUnspecified() {
		ip = v4
	}
	return net.JoinHostPort(ip.String(), strconv.FormatUint(port, 10)), true
}

// procStatState returns the state letter from a /proc/<pid>/stat line.
func procStatState(line string) (string, error) {
	i := strings.LastIndexByte(line, ')')
	if i < 0 {
		return "", fmt.Errorf("unexpected /proc stat line %q", line)
	}
	f := strings.Fields(line[i+1:])
	if len(f) == 0 {
		return "", fmt.Errorf("unexpected /proc stat line %q", line)
	}
	return f[0], nil
}
