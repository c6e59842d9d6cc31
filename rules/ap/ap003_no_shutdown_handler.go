package ap

import (
	"fmt"

	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/facts/nodeapp"
	"github.com/seaworthy-dev/seaworthy/facts/purpose"
	"github.com/seaworthy-dev/seaworthy/facts/stage"
	"github.com/seaworthy-dev/seaworthy/source/project"
)

// NoShutdownHandler reports a server app with no handler for the stop
// signal.
var NoShutdownHandler = register(&analysis.Rule{
	ID:       "AP003",
	Name:     "no-shutdown-handler",
	Title:    "the app starts a server but does not handle SIGTERM",
	Severity: analysis.Warning,
	Purposes: analysis.Deployed,
	Doc: analysis.Doc{
		Why: "`docker stop`, a rolling deploy or a scale-down sends SIGTERM (or the image's STOPSIGNAL) and " +
			"waits, 10 seconds by default, before SIGKILL. A Node process without a handler for it " +
			"either dies at once (when it is not PID 1), cutting off requests in flight and leaving " +
			"database transactions half done, or ignores it (as PID 1) and is killed after the grace " +
			"period, which slows every deploy. The app should stop accepting connections, finish what " +
			"is in flight, close its pools and exit.\n\n" +
			"The rule looks for a server start in the sources (`.listen(`, `http.createServer(`, " +
			"`Hapi.server(`, `NestFactory.create(`, `serve(` of @hono/node-server) and for any handling: " +
			"`process.on`/`once`/`addListener('SIGTERM', …)`, the string `'SIGTERM'` anywhere (signal " +
			"lists), `enableShutdownHooks` (NestJS) or a shutdown library in package.json " +
			"(@godaddy/terminus, http-terminator, close-with-grace, lightship, stoppable, …).",
		ExampleFile: "server.js",
		Bad:         "const express = require('express')\nconst app = express()\napp.get('/health', (req, res) => res.send('ok'))\napp.listen(3000)\n",
		Good: "const express = require('express')\nconst app = express()\napp.get('/health', (req, res) => res.send('ok'))\nconst server = app.listen(3000)\n" +
			"process.on('SIGTERM', () => {\n  server.close(() => process.exit(0))\n})\n",
		Fix: "Handle the stop signal: `process.on('SIGTERM', () => server.close(() => process.exit(0)))`, " +
			"closing database pools too; or use a library such as `@godaddy/terminus`, `http-terminator` " +
			"or `close-with-grace`; in NestJS call `app.enableShutdownHooks()`. In source files, ignore the " +
			"finding in `.seaworthy.yaml` (by path) or with `--ignore`.",
		AppliesTo: "Graceful shutdown matters where deploys stop the app under load; development and test " +
			"containers are stopped by hand or thrown away.",
	},
	Check: analysis.Check(func(pass *analysis.Pass, b *project.Build) {
		pkg := b.Package
		if pkg == nil {
			return
		}
		stages := purpose.Deployed(b.Dockerfile)
		if len(stages) == 0 {
			return
		}
		signal := stage.StopSignal(stages[0])
		src := nodeapp.SourcesOf(pkg)
		starts := nodeapp.ServerStarts(pkg, src)
		if len(starts) == 0 || nodeapp.HandlesSignal(pkg, src, signal) {
			return
		}
		s := nodeapp.FirstListen(starts)
		msg := fmt.Sprintf("the app starts a server here (%s) but nothing in its sources handles %s: `docker stop` and deploys cut off requests in flight",
			quote(s.What), signal)
		if signal != "SIGINT" && nodeapp.HandlesSignal(pkg, src, "SIGINT") {
			msg = fmt.Sprintf("the app starts a server here (%s) and handles SIGINT, but not %s, which `docker stop` sends: requests in flight are cut off",
				quote(s.What), signal)
		}
		pass.Report(analysis.Finding{
			File:    s.File.Path,
			Range:   lineRange(s.Line),
			Message: msg,
			Help:    fmt.Sprintf("add `process.on('%s', () => server.close(() => process.exit(0)))`, or use a library such as @godaddy/terminus or http-terminator", signal),
		})
	}),
})
