package cli

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"
)

// usagePrefixes start the errors cobra returns for a command line it cannot run: a missing
// required flag, flags that go together or exclude each other, the wrong number of arguments,
// an unknown command. Cobra returns them as plain errors, so they are known by their words.
var usagePrefixes = []string{
	"required flag(s) ",
	"if any flags in the group ",
	"at least one of the flags in the group ",
	"accepts ",
	"requires at least ",
	"unknown command ",
	"invalid argument ",
}

// usageHint returns the hint for a usage error of c (read its help), or "" for any other
// error.
func usageHint(c *cobra.Command, err error) string {
	if c == nil {
		return ""
	}
	msg := err.Error()
	for _, p := range usagePrefixes {
		if strings.HasPrefix(msg, p) {
			return fmt.Sprintf("see '%s --help'", c.CommandPath())
		}
	}
	return ""
}
