package ap

import (
	"fmt"
	"strings"

	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/facts/nodeapp"
	"github.com/seaworthy-dev/seaworthy/facts/purpose"
	"github.com/seaworthy-dev/seaworthy/source/jsscan"
	"github.com/seaworthy-dev/seaworthy/source/project"
)

// LogsToFile reports logging set up to write files inside the container.
var LogsToFile = register(&analysis.Rule{
	ID:       "AP005",
	Name:     "logs-to-file",
	Title:    "the app writes its logs to a file",
	Severity: analysis.Warning,
	Purposes: analysis.Deployed,
	Doc: analysis.Doc{
		Why: "A container's logs are what it writes to stdout and stderr: `docker logs`, Kubernetes and " +
			"every log collector read those streams. Log files written inside the container are " +
			"invisible to them, fill the container's writable layer until the disk or the layer quota " +
			"runs out, and are lost when the container is replaced. They also break read-only root " +
			"file systems.\n\n" +
			"The rule recognises winston's File and DailyRotateFile transports, `pino.destination(path)`, " +
			"pino's `pino/file` target with a destination path and `pino-roll`, log4js `file`, " +
			"`fileSync`, `dateFile` and `multiFile` appenders, bunyan file streams, and " +
			"`fs.createWriteStream` of a `.log` file (morgan access logs).",
		ExampleFile: "logger.js",
		Bad:         "const winston = require('winston')\nmodule.exports = winston.createLogger({\n  transports: [new winston.transports.File({ filename: 'app.log' })],\n})\n",
		Good:        "const winston = require('winston')\nmodule.exports = winston.createLogger({\n  transports: [new winston.transports.Console()],\n})\n",
		Fix: "Log to stdout/stderr (winston's Console transport, pino's default destination, log4js " +
			"`stdout` appender) and let the platform collect and rotate logs. If a file is required " +
			"by something else, write it to a mounted volume and say so in the Dockerfile.",
		AppliesTo: "Log files matter where logs are collected from the container's output; a developer can read the " +
			"file.",
	},
	Check: analysis.Check(func(pass *analysis.Pass, b *project.Build) {
		pkg := b.Package
		if pkg == nil || len(purpose.Deployed(b.Dockerfile)) == 0 {
			return
		}
		for _, f := range nodeapp.SourcesOf(pkg).RuntimeFiles() {
			seen := map[int]bool{}
			report := func(line int, what, how string) {
				if seen[line] {
					return
				}
				seen[line] = true
				pass.Report(analysis.Finding{
					File:    f.Path,
					Range:   lineRange(line),
					Message: fmt.Sprintf("%s %s inside the container, where `docker logs` and log collectors do not see it and it fills the writable layer", quote(what), how),
					Help:    "log to stdout/stderr and let the platform collect the logs",
				})
			}
			for _, c := range f.Calls {
				switch c.Name() {
				case "File", "DailyRotateFile":
					if contains(c.Callee, "transports") || c.Name() == "DailyRotateFile" && c.New && f.Loads("winston-daily-rotate-file") {
						report(c.Line, callArgsText(c), "writes logs to a file")
					}
				case "destination":
					if len(c.Callee) == 2 && f.Loads("pino") {
						if p, ok := destinationPath(c); ok {
							report(c.Line, callArgsText(c), fmt.Sprintf("writes logs to %q", p))
						}
					}
				case "createWriteStream":
					for _, a := range c.Args[:min(1, len(c.Args))] {
						if s, ok := logFileName(a); ok {
							report(c.Line, callArgsText(c), fmt.Sprintf("writes logs to %q", s))
						}
					}
				case "RotatingFileStream":
					if f.Loads("bunyan") {
						report(c.Line, callArgsText(c), "writes logs to rotating files")
					}
				}
			}
			log4js := f.Loads("log4js")
			bunyan := f.Loads("bunyan")
			pinoTargets := func(a jsscan.Arg) {
				for _, t := range pinoFileTargets(a) {
					report(t.line, t.what, t.how)
				}
			}
			for _, c := range f.Calls {
				if c.Name() == "transport" && len(c.Args) > 0 && f.Loads("pino") {
					pinoTargets(c.Args[0])
				}
			}
			for _, p := range f.Props {
				v := p.Value
				switch p.Key {
				case "type":
					if v.Kind != jsscan.ArgString {
						continue
					}
					switch {
					case log4js && (v.Value == "file" || v.Value == "fileSync" || v.Value == "dateFile" || v.Value == "multiFile"):
						report(p.Line, "type: '"+v.Value+"'", "configures a log4js appender that writes logs to files")
					case bunyan && (v.Value == "file" || v.Value == "rotating-file"):
						report(p.Line, "type: '"+v.Value+"'", "configures a bunyan stream that writes logs to files")
					}
				case "transport", "targets":
					if f.Loads("pino") {
						pinoTargets(v)
					}
				case "path":
					if bunyan && v.Kind == jsscan.ArgString && strings.HasSuffix(v.Value, ".log") {
						report(p.Line, "path: '"+v.Value+"'", "makes a bunyan stream write logs to a file")
					}
				}
			}
		}
	}),
})

type logTarget struct {
	line      int
	what, how string
}

// pinoFileTargets finds pino transport targets that write files in a
// transport option ({ target, options } or { targets: [...] }): pino/file
// with a destination path, pino-roll.
func pinoFileTargets(a jsscan.Arg) []logTarget {
	var out []logTarget
	switch a.Kind {
	case jsscan.ArgArray:
		for _, e := range a.Elems {
			out = append(out, pinoFileTargets(e)...)
		}
	case jsscan.ArgObject:
		if ts, ok := a.Prop("targets"); ok {
			out = append(out, pinoFileTargets(ts.Value)...)
		}
		t, ok := a.Prop("target")
		if !ok || t.Value.Kind != jsscan.ArgString {
			return out
		}
		switch t.Value.Value {
		case "pino-roll":
			out = append(out, logTarget{t.Line, "target: 'pino-roll'", "writes logs to rolling files"})
		case "pino/file":
			opts, ok := a.Prop("options")
			if !ok {
				return out
			}
			d, ok := opts.Value.Prop("destination")
			if ok && d.Value.Kind == jsscan.ArgString && isFilePath(d.Value.Value) {
				out = append(out, logTarget{d.Line, "destination: '" + d.Value.Value + "'", "makes pino/file write logs to a file"})
			}
		}
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// callArgsText renders `name(args)` for messages.
func callArgsText(c jsscan.Call) string {
	var args []string
	for _, a := range c.Args {
		args = append(args, a.Text)
	}
	s := strings.ReplaceAll(strings.Join(c.Callee, "."), "()", "(…)")
	if c.New {
		s = "new " + s
	}
	return s + "(" + strings.Join(args, ", ") + ")"
}

// destinationPath returns the file of pino.destination(path) or
// pino.destination({ dest: path }); stdout/stderr (1, 2,
// process.stdout.fd, /dev/stdout) and variables are not files (or not
// known).
func destinationPath(c jsscan.Call) (string, bool) {
	if len(c.Args) == 0 {
		return "", false
	}
	a := c.Args[0]
	if a.Kind == jsscan.ArgObject {
		p, ok := a.Prop("dest")
		if !ok {
			return "", false
		}
		a = p.Value
	}
	if a.Kind == jsscan.ArgString && isFilePath(a.Value) {
		return a.Value, true
	}
	return "", false
}

func isFilePath(s string) bool {
	switch s {
	case "", "1", "2", "/dev/stdout", "/dev/stderr", "/dev/fd/1", "/dev/fd/2", "/proc/self/fd/1", "/proc/self/fd/2":
		return false
	}
	return true
}

// logFileName returns a `.log` file name among the string literals of an
// expression (`'access.log'`, `path.join(dir, 'app.log')`, template text).
func logFileName(a jsscan.Arg) (string, bool) {
	for _, s := range a.Strings {
		if strings.HasSuffix(strings.ToLower(s), ".log") {
			return s, true
		}
	}
	return "", false
}
