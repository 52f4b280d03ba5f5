package cli

import (
	"fmt"

	"github.com/chancery/chancery/internal/datadir"
	"github.com/spf13/cobra"
)

func newInit(g *globals) *cobra.Command {
	var base, origin string
	c := &cobra.Command{
		Use:   "init",
		Short: "Create a registry: data directory, database and log key",
		Long: `Init creates the data directory (--data, default ./chancery-data) with its SQLite
database and the transparency log's checkpoint signing key (log.key, mode 0600).

The log origin names the log in every checkpoint and cannot change later. It defaults to
the base URL's host and path followed by /log.`,
		Example: `  chancery init --data /var/lib/chancery --url https://letters.example.org`,
		Args:    cobra.NoArgs,
		RunE: func(c *cobra.Command, args []string) error {
			d, err := initDir(g.data, base, origin)
			if err != nil {
				return err
			}
			fmt.Fprintf(c.OutOrStdout(), "initialized %s\nlog origin: %s\nlog key:    %s\n", d.Path, d.Settings.Origin, d.VerifierKey())
			return nil
		},
	}
	c.Flags().StringVar(&base, "url", "http://127.0.0.1:8080", "public base URL of the registry")
	c.Flags().StringVar(&origin, "origin", "", "log origin (default: the URL's host and path + /log)")
	return c
}

func initDir(path, base, origin string) (*datadir.Dir, error) {
	if origin == "" {
		var err error
		origin, err = datadir.OriginFor(base)
		if err != nil {
			return nil, withHint(err, "pass --url https://your.registry.example")
		}
	}
	d, err := datadir.Init(path, datadir.Settings{Origin: origin, URL: base})
	if err != nil {
		return nil, fmt.Errorf("init: %w", err)
	}
	return d, nil
}
