// Command chancery is the registry for official letters: server and command line.
// See 'chancery --help'; the work is done in internal/cli.
package main

import (
	"os"

	"github.com/chancery/chancery/internal/cli"
)

func main() {
	os.Exit(cli.Main(os.Args[1:], os.Stdout, os.Stderr))
}
