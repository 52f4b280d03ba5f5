package cli

import (
	"context"
	"errors"
	"fmt"

	"github.com/chancery/chancery/internal/datadir"
	"github.com/chancery/chancery/internal/policy"
	"github.com/chancery/chancery/internal/registry"
	"github.com/chancery/chancery/internal/store"
	"github.com/chancery/chancery/internal/translog"
	"github.com/spf13/cobra"
)

func newInit(g *globals) *cobra.Command {
	var s datadir.Settings
	var admin string
	c := &cobra.Command{
		Use:   "init --office NAME --prefix PREFIX [--url BASE]",
		Short: "Create a registry: data directory, database, keys and the first admin",
		Long: `Init creates the data directory (--data, default ./chancery-data) with its SQLite
database, the transparency log's checkpoint key (log.key) and the office's release key
(office.key), both mode 0600, and the first admin member. It prints the admin's token on the
last line: it is shown once, and the registry keeps only its hash.

The log origin names the log in every checkpoint and cannot change later. It defaults to
the base URL's host and path followed by /log.`,
		Example: `  chancery init --data /var/lib/chancery --office "Task Force North" --prefix TFN \
    --url https://letters.example.org`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, args []string) error {
			d, tok, err := initRegistry(c.Context(), g.data, s, admin)
			if err != nil {
				return err
			}
			fmt.Fprintf(c.ErrOrStderr(), "initialized %s\noffice:     %s (references %s-YYYY-NNNNNN)\nlog origin: %s\nlog key:    %s\nadmin %q token, shown once:\n",
				d.Path, d.Settings.Office, d.Settings.Prefix, d.Settings.Origin, d.VerifierKey(), admin)
			fmt.Fprintln(c.OutOrStdout(), tok)
			return nil
		},
	}
	c.Flags().StringVar(&s.Office, "office", "", "the office's name, as letters and statements spell it")
	c.Flags().StringVar(&s.Prefix, "prefix", "", "reference prefix, capital letters or digits (e.g. TFN)")
	c.Flags().StringVar(&s.URL, "url", "http://127.0.0.1:8080", "public base URL of the registry")
	c.Flags().StringVar(&s.Origin, "origin", "", "log origin (default: the URL's host and path + /log)")
	c.Flags().StringVar(&admin, "admin", "admin", "name of the first admin member")
	c.MarkFlagRequired("office")
	c.MarkFlagRequired("prefix")
	return c
}

// initRegistry creates the data directory, the empty log and the first admin.
func initRegistry(ctx context.Context, path string, s datadir.Settings, admin string) (*datadir.Dir, string, error) {
	if s.Origin == "" {
		var err error
		s.Origin, err = datadir.OriginFor(s.URL)
		if err != nil {
			return nil, "", withHint(err, "pass --url https://your.registry.example")
		}
	}
	d, err := datadir.Init(path, s)
	if err != nil {
		return nil, "", fmt.Errorf("init: %w", err)
	}
	st, err := openStack(ctx, d)
	if err != nil {
		return nil, "", err
	}
	defer st.Close()
	tok, err := st.reg.Bootstrap(ctx, admin)
	if err != nil {
		return nil, "", fmt.Errorf("init: %w", err)
	}
	return d, tok, nil
}

// stack is an open registry: store, log and lifecycle.
type stack struct {
	db  *store.DB
	log *translog.Log
	reg *registry.Registry
}

func openStack(ctx context.Context, d *datadir.Dir) (*stack, error) {
	db, err := store.OpenSQLite(ctx, d.Path)
	if err != nil {
		return nil, err
	}
	lg, err := translog.Open(ctx, db, translog.Config{Origin: d.Settings.Origin, Signer: d.Signer()})
	if err != nil {
		db.Close()
		return nil, err
	}
	reg := registry.New(registry.Config{DB: db, Log: lg,
		Office:    registry.Office{Name: d.Settings.Office, Prefix: d.Settings.Prefix, URL: d.Settings.URL},
		OfficeKey: d.OfficeKey(), LogKey: d.VerifierKey(), LogOrigin: d.Settings.Origin})
	if err := reg.LoadPolicy(ctx, policy.Parse); err != nil {
		lg.Close()
		db.Close()
		return nil, err
	}
	return &stack{db: db, log: lg, reg: reg}, nil
}

func (s *stack) Close() error {
	return errors.Join(s.log.Close(), s.db.Close())
}
