package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/pflag"
)

// PluginName is the file name that makes the binary a Docker CLI plugin:
// installed as ~/.docker/cli-plugins/docker-seaworthy it runs as
// `docker seaworthy …`.
const PluginName = "docker-seaworthy"

// IsDockerPlugin reports whether the program was started under the plugin
// name (argv[0]).
func IsDockerPlugin(argv0 string) bool {
	return strings.TrimSuffix(filepath.Base(argv0), ".exe") == PluginName
}

// pluginMetadata is the answer to `docker-cli-plugin-metadata`, which the
// docker CLI asks every plugin for before listing or running it.
type pluginMetadata struct {
	SchemaVersion    string
	Vendor           string
	Version          string
	ShortDescription string
	URL              string
}

// PluginMain runs seaworthy as a Docker CLI plugin. The CLI runs the
// plugin with its own arguments: its global flags, the plugin's name, then
// the plugin's arguments (`docker --context prod seaworthy verify app`
// gives `--context prod seaworthy verify app`). The global flags that
// choose an engine are honoured as the CLI honours them: --host (-H) as
// DOCKER_HOST, --context (-c) over DOCKER_HOST, --config as DOCKER_CONFIG;
// the engine of the current context is then found as `seaworthy verify`
// finds it.
func PluginMain(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) > 0 && args[0] == "docker-cli-plugin-metadata" {
		v, _ := versionString()
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		enc.Encode(pluginMetadata{
			SchemaVersion:    "0.1.0",
			Vendor:           "seaworthy-dev",
			Version:          v,
			ShortDescription: "Check that a Node.js service is ready for production containers",
			URL:              "https://github.com/seaworthy-dev/seaworthy",
		})
		return ExitOK
	}
	rest, err := applyDockerGlobalFlags(args)
	if err != nil {
		fmt.Fprintf(stderr, "seaworthy: %v\n", err)
		return ExitError
	}
	return Main(rest, stdin, stdout, stderr)
}

// applyDockerGlobalFlags reads the docker CLI's global flags in front of
// the plugin's name, sets the environment they stand for, and returns the
// arguments after the name.
func applyDockerGlobalFlags(args []string) ([]string, error) {
	fl := pflag.NewFlagSet("docker", pflag.ContinueOnError)
	fl.SetInterspersed(false)
	fl.SetOutput(io.Discard)
	config := fl.String("config", "", "")
	contextName := fl.StringP("context", "c", "", "")
	hosts := fl.StringArrayP("host", "H", nil, "")
	fl.BoolP("debug", "D", false, "")
	fl.StringP("log-level", "l", "", "")
	if err := fl.Parse(args); err != nil {
		return nil, fmt.Errorf("docker seaworthy: %v (of docker's global flags, the plugin honours --host, --context, --config, --debug and --log-level)", err)
	}
	rest := fl.Args()
	if len(rest) == 0 || rest[0] != "seaworthy" {
		return nil, fmt.Errorf("run as a Docker CLI plugin (%s) but not by the docker CLI: want `docker seaworthy …`, got arguments %q", PluginName, args)
	}
	switch {
	case *contextName != "" && len(*hosts) > 0:
		return nil, fmt.Errorf("conflicting options: either specify --host or --context, not both")
	case len(*hosts) > 1:
		return nil, fmt.Errorf("docker seaworthy talks to one engine: got %d --host flags", len(*hosts))
	}
	if *config != "" {
		os.Setenv("DOCKER_CONFIG", *config)
	}
	if len(*hosts) == 1 {
		os.Setenv("DOCKER_HOST", (*hosts)[0])
	}
	if *contextName != "" {
		// As for the CLI, a context named on the command line wins over
		// DOCKER_HOST from the environment.
		os.Unsetenv("DOCKER_HOST")
		os.Setenv("DOCKER_CONTEXT", *contextName)
	}
	return rest[1:], nil
}
