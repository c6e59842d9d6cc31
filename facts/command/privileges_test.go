package command

import "testing"

func TestScriptDropsPrivileges(t *testing.T) {
	for name, c := range map[string]struct {
		script string
		want   bool
	}{
		"last line":         {"#!/bin/sh\nset -e\nchown -R node /data\nexec gosu node \"$@\"\n", true},
		"app command only":  {"#!/bin/sh\nif [ \"$1\" = 'node' ]; then\n  exec su-exec node \"$@\"\nfi\nexec \"$@\"\n", true},
		"when root":         {"#!/bin/sh\nif [ \"$(id -u)\" = '0' ]; then\n  exec setpriv --reuid=1000 --regid=1000 --init-groups \"$@\"\nfi\nexec \"$@\"\n", true},
		"when root and app": {"#!/bin/sh\nif [ \"$1\" = node ] && [ \"$(id -u)\" = 0 ]; then exec gosu node \"$@\"; fi\nexec \"$@\"\n", true},
		// homarr: PUID defaults to 0, so by default nothing switches.
		"configured user":    {"#!/bin/sh\nexport PUID=${PUID:-0}\nif [ \"${PUID}\" != \"0\" ]; then\n    exec su-exec $PUID:$PGID \"$@\"\nelse\n    exec \"$@\"\nfi\n", false},
		"configured in else": {"#!/bin/sh\nif [ -z \"$RUN_AS\" ]; then exec \"$@\"; else exec gosu \"$RUN_AS\" \"$@\"; fi\n", false},
		"no switch":          {"#!/bin/sh\nnode migrate.js\nexec \"$@\"\n", false},
	} {
		if got := ScriptDropsPrivileges(c.script); got != c.want {
			t.Errorf("%s: ScriptDropsPrivileges = %v, want %v", name, got, c.want)
		}
	}
}
