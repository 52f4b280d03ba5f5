package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/chancery/chancery/internal/entry"
	"github.com/chancery/chancery/internal/store"
	"github.com/chancery/chancery/internal/translog"
	"github.com/spf13/cobra"
)

func newLog(g *globals) *cobra.Command {
	c := &cobra.Command{
		Use:   "log",
		Short: "Inspect and audit the transparency log in the data directory",
	}
	c.AddCommand(&cobra.Command{
		Use:   "key",
		Short: "Print the log's note verifier key, for verifiers to pin",
		Args:  cobra.NoArgs,
		RunE: func(c *cobra.Command, args []string) error {
			d, err := openDir(g.data)
			if err != nil {
				return err
			}
			fmt.Fprintln(c.OutOrStdout(), d.VerifierKey())
			return nil
		},
	})
	c.AddCommand(&cobra.Command{
		Use:   "checkpoint",
		Short: "Print the latest signed checkpoint",
		Args:  cobra.NoArgs,
		RunE: func(c *cobra.Command, args []string) error {
			d, err := openDir(g.data)
			if err != nil {
				return err
			}
			db, err := store.OpenSQLite(c.Context(), d.Path)
			if err != nil {
				return err
			}
			defer db.Close()
			return db.View(c.Context(), func(tx *store.Tx) error {
				h, err := tx.LogHead(c.Context())
				if err != nil {
					return withHint(err, "the log is created by 'chancery init'; is --data the right directory?")
				}
				c.OutOrStdout().Write(h.Checkpoint)
				return nil
			})
		},
	})
	c.AddCommand(newLogVerify(g))
	return c
}

// logVerifyResult is what 'chancery log verify --json' prints for a sound log.
type logVerifyResult struct {
	Origin string `json:"origin"`
	Size   int64  `json:"size"`
	Root   string `json:"root"` // base64, as in checkpoints
	// Consistent lists the sizes of the kept checkpoints proved to be prefixes of the log.
	Consistent []int64 `json:"consistent"`
}

func newLogVerify(g *globals) *cobra.Command {
	var older []string
	var asJSON bool
	c := &cobra.Command{
		Use:   "verify",
		Short: "Recompute the whole log and check it, and its consistency with kept checkpoints",
		Long: `Verify is the log's fsck. It recomputes the Merkle tree from every stored entry, checks
each stored hash tile and the latest checkpoint against it (signature included), and checks
that every entry is a well-formed Chancery entry.

With --checkpoint FILE (repeatable), it also checks that each checkpoint you kept earlier,
for example one fetched from /log/checkpoint last month, is a prefix of today's log: that
nothing was removed or rewritten since.

--json prints {"origin", "size", "root", "consistent"} for a sound log; a failure is
{"error": ...} on stderr, with the same exit status.

Exit status: 0 the log is sound; 1 a check failed; 2 verification could not run.`,
		Example: `  curl -s http://127.0.0.1:8080/log/checkpoint > old.checkpoint
  chancery log verify --checkpoint old.checkpoint`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, args []string) error {
			d, err := openDir(g.data)
			if err != nil {
				return err
			}
			var kept [][]byte
			for _, f := range older {
				b, err := os.ReadFile(f)
				if err != nil {
					return err
				}
				kept = append(kept, b)
			}
			db, err := store.OpenSQLite(c.Context(), d.Path)
			if err != nil {
				return err
			}
			defer db.Close()
			last := time.Now()
			progress := func(done, total int64) {
				if time.Since(last) > time.Second {
					last = time.Now()
					fmt.Fprintf(c.ErrOrStderr(), "verified %d of %d entries\n", done, total)
				}
			}
			check := func(_ int64, e []byte) error {
				_, err := entry.Decode(e)
				return err
			}
			rep, err := translog.Verify(context.WithoutCancel(c.Context()), db, d.Verifier(), kept, check, progress)
			if errors.Is(err, translog.ErrUnsound) {
				return &failed{fmt.Errorf("log verify: %w", err)}
			}
			if err != nil {
				return fmt.Errorf("log verify: could not check the log: %w", err)
			}
			w := c.OutOrStdout()
			if asJSON {
				return writeJSON(w, logVerifyResult{Origin: d.Settings.Origin, Size: rep.Size, Root: rep.Root.String(), Consistent: nonNil(rep.Consistent)})
			}
			fmt.Fprintf(w, "log %s is sound: %d entries, root %s\n", d.Settings.Origin, rep.Size, rep.Root)
			for _, s := range rep.Consistent {
				fmt.Fprintf(w, "consistent with the kept checkpoint of size %d\n", s)
			}
			return nil
		},
	}
	c.Flags().StringArrayVar(&older, "checkpoint", nil, "an earlier signed checkpoint to check consistency with (repeatable)")
	addJSONFlag(c, &asJSON)
	return c
}
