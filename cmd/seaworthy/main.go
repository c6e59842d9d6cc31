// Command seaworthy checks that a Node.js service is ready to run in a
// container: its Dockerfile, build context, compose files and image.
package main

import (
	"os"

	"github.com/seaworthy-dev/seaworthy/internal/cli"
)

func main() {
	os.Exit(cli.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
