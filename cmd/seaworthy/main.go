// Command seaworthy checks that a Node.js service is ready to run in a
// container: its Dockerfile, build context, compose files and image.
// Installed as ~/.docker/cli-plugins/docker-seaworthy, the same binary is
// a Docker CLI plugin: `docker seaworthy check`.
package main

import (
	"os"

	"github.com/seaworthy-dev/seaworthy/internal/cli"
)

func main() {
	if cli.IsDockerPlugin(os.Args[0]) {
		os.Exit(cli.PluginMain(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
	}
	os.Exit(cli.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
