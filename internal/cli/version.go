package cli

import (
	"fmt"
	"runtime"
	"runtime/debug"

	"github.com/spf13/cobra"
)

// version describes this binary: the module version and the VCS commit it was built from, as
// the Go toolchain stamped them. A binary built outside a module or a checkout shows "(devel)"
// and no commit.
func version() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "(devel) " + runtime.Version()
	}
	return versionOf(bi)
}

// versionOf formats what ReadBuildInfo reports: "VERSION [COMMIT[+modified]] GOVERSION".
func versionOf(bi *debug.BuildInfo) string {
	v := bi.Main.Version
	if v == "" {
		v = "(devel)"
	}
	var rev string
	var modified bool
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			modified = s.Value == "true"
		}
	}
	if rev != "" {
		if len(rev) > 12 {
			rev = rev[:12]
		}
		if modified {
			rev += "+modified"
		}
		v += " " + rev
	}
	return v + " " + bi.GoVersion
}

func newVersion() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version and the commit chancery was built from",
		Long: `Version prints the module version, the VCS commit the binary was built from (with
"+modified" when the checkout had uncommitted changes) and the Go version. A binary that
was not stamped (go run, tests) shows "(devel)". 'chancery --version' prints the same.`,
		Example: `  chancery version
  chancery --version`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, args []string) error {
			fmt.Fprintf(c.OutOrStdout(), "chancery %s\n", version())
			return nil
		},
	}
}
