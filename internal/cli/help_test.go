package cli

import (
	"testing"

	"github.com/spf13/cobra"
)

// Every command that runs has examples in its help.
func TestEveryCommandHasExamples(t *testing.T) {
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		for _, sub := range c.Commands() {
			walk(sub)
		}
		if c.Runnable() && c.Example == "" && c.Name() != "help" && c.Name() != "chancery" {
			t.Errorf("%q has no Example", c.CommandPath())
		}
	}
	walk(newRoot())
}
