package cli

import (
	"strings"
	"testing"

	"github.com/spf13/cobra"
)

// Every command that asks the registry says in its help where the member's token comes from:
// the token is never a flag, so a reader of the flags alone could not learn it.
func TestEveryRegistryCommandNamesTheToken(t *testing.T) {
	n := 0
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		for _, sub := range c.Commands() {
			walk(sub)
		}
		if !c.Runnable() {
			return
		}
		asks := false
		for _, name := range []string{"url", "registry"} {
			if f := c.Flag(name); f != nil && strings.Contains(f.Usage, "CHANCERY_URL") {
				asks = true
			}
		}
		if !asks {
			return
		}
		n++
		if help := c.UsageString() + c.Long; !strings.Contains(help, "CHANCERY_TOKEN") {
			t.Errorf("%s asks the registry, but its help does not name CHANCERY_TOKEN", c.CommandPath())
		}
	}
	walk(newRoot())
	if n < 50 {
		t.Errorf("checked %d commands; want every command that asks the registry", n)
	}
}
