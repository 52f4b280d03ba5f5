package cli

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"time"

	"github.com/chancery/chancery/internal/checkpoint"
	"github.com/chancery/chancery/internal/datadir"
	"github.com/chancery/chancery/internal/entry"
	"github.com/chancery/chancery/internal/store"
	"github.com/chancery/chancery/internal/translog"
	"github.com/spf13/cobra"
	"golang.org/x/mod/sumdb/note"
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
			defer d.Close()
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
			defer d.Close()
			db, err := openStoreToRead(c.Context(), c, d)
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
	addDatabaseFlag(c.PersistentFlags())
	c.AddCommand(newLogVerify(g), newLogWitnessConfig(g))
	c.AddCommand(newLogAcceptRestore(g))
	return c
}

func newLogWitnessConfig(g *globals) *cobra.Command {
	var qpd int
	var contact string
	c := &cobra.Command{
		Use:   "witness-config [--qpd N] [--contact ADDR]",
		Short: "Print this log's stanza for witness operators (logs/v0: vkey, qpd, contact)",
		Long: `Witness-config prints what a witness operator needs to add this office's log: the log's
note verifier key (whose name is the log's origin), the queries per day the office expects to
send (at most one checkpoint per witness per second, and one per batch of releases), and whom to
contact. The stanza follows the logs/v0 list format that witness networks and litewitness use.

Hand it to the operator of each witness, then add the witness on this side with
'chancery witness add NAME --url URL --key VKEY'. For a Chancery witness the operator runs
'chancery witness add-log --origin ORIGIN --key VKEY'; for litewitness,
'witnessctl add-log -origin ORIGIN -key VKEY'. See docs/witnesses.md.`,
		Example: `  chancery log witness-config --contact registry@tfn.example --qpd 1440`,
		Args:    cobra.NoArgs,
		RunE: func(c *cobra.Command, args []string) error {
			d, err := openDir(g.data)
			if err != nil {
				return err
			}
			defer d.Close()
			if qpd < 1 {
				return withHint(fmt.Errorf("--qpd %d is not a positive number", qpd), "give the checkpoints per day the office expects to send, e.g. 1440 for one a minute")
			}
			if contact == "" {
				contact = d.Settings.URL
			}
			w := c.OutOrStdout()
			fmt.Fprintln(w, "logs/v0")
			fmt.Fprintf(w, "vkey %s\n", d.VerifierKey())
			fmt.Fprintf(w, "qpd %d\n", qpd)
			fmt.Fprintf(w, "contact %s\n", contact)
			return nil
		},
	}
	c.Flags().IntVar(&qpd, "qpd", 1440, "checkpoints per day the office expects to send to each witness")
	c.Flags().StringVar(&contact, "contact", "", "whom a witness operator contacts about this log (default: the registry's URL)")
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

// keptCheckpoint reads the file of --checkpoint. A file that is not a checkpoint signed by
// this log's key at all (another file, another log's checkpoint, a truncated copy) says
// nothing about the log, so it stops verification (exit status 2) rather than making the
// log "unsound" (1); a checkpoint of this log's key whose signature does not verify, as one
// edited after signing, is left to the check, which fails.
func keptCheckpoint(name string, v note.Verifier) ([]byte, error) {
	b, err := readLimited(name, checkpoint.MaxSize)
	if err != nil {
		return nil, withHint(fmt.Errorf("--checkpoint: %w", err), "pass a checkpoint kept from this log: a saved GET /log/checkpoint, or what 'chancery log checkpoint' printed")
	}
	var bad *note.InvalidSignatureError
	if _, _, err := checkpoint.Open(b, v); err != nil && !errors.As(err, &bad) {
		return nil, withHint(fmt.Errorf("--checkpoint %s is not a checkpoint signed by the key of log %s: %w", name, v.Name(), err),
			"pass a checkpoint kept from this log (a saved GET /log/checkpoint, or what 'chancery log checkpoint' printed), not another log's, and check --data")
	}
	return b, nil
}

// checkLettersInProgress fails (exit status 1) when the letters in progress of db
// (unreleased_letters) disagree with its letters and releases, with the one-line repair of
// docs/operations.md for its store in the hint. size is the log's, sound.
func checkLettersInProgress(ctx context.Context, c *cobra.Command, d *datadir.Dir, db *store.DB, size int64) error {
	missing, extra, err := db.LettersInProgressDisagreement(ctx)
	if err != nil {
		return fmt.Errorf("log verify: %w", err)
	}
	if missing == 0 && extra == 0 {
		return nil
	}
	// A relative data directory is ./DIR for sqlite3: one named like an option (--data=-office)
	// or like a URI (file:office) opened another file, or none.
	repair := "sqlite3 " + sqliteShellArg(filepath.Join(d.Path, store.SQLiteFile)) + " " + shellQuote(store.LettersInProgressRepair)
	url := "CHANCERY_DATABASE is the office's database URL"
	if database(c) != "" {
		repair = `psql "$CHANCERY_DATABASE" -c ` + shellQuote(store.LettersInProgressRepair)
		// A URL with parameters libpq refuses (search_path=…, pgx's own) would fail the
		// line: the hint names them, never the URL, which may hold a password.
		if h := psqlURLHint(database(c)); h != "" {
			url += "; " + h
		}
	}
	return &failed{withHint(fmt.Errorf("log verify: the log is sound (%d entries), but the letters in progress disagree with the letters and their releases (letters without a release not listed: %d; released letters listed: %d): the inbox hides those drafts, and shows those released letters as in progress", size, missing, extra),
		"the table was edited in the copy this store was put back from (pg_restore, a copied database); with every server stopped, make it again from the letters and their releases, then run 'chancery log verify' again (docs/operations.md, \"Letters in progress\"; %s): %s", url, repair)}
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

It also checks that the letters in progress, which the store keeps apart from the letters
for the inbox, are the letters without a release: a store put back by other means than
'chancery restore' (pg_restore, a copied chancery.db) may hold a table edited in its copy.
The hint then gives the one line of SQL that makes it again (docs/operations.md, "Letters in
progress").

Exit status: 0 the log is sound; 1 a check failed (a kept checkpoint of the log's key that
the log does not extend, or whose signature does not verify, or letters in progress that
disagree with the letters and releases); 2 verification could not run
(a --checkpoint FILE that is no checkpoint signed by the log's key, another log's, included).`,
		Example: `  curl -s http://127.0.0.1:8080/log/checkpoint > old.checkpoint
  chancery log verify --checkpoint old.checkpoint`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, args []string) error {
			d, err := openDir(g.data)
			if err != nil {
				return err
			}
			defer d.Close()
			var kept [][]byte
			for _, f := range older {
				b, err := keptCheckpoint(f, d.Verifier())
				if err != nil {
					return err
				}
				kept = append(kept, b)
			}
			db, err := openStoreToRead(c.Context(), c, d)
			if err != nil {
				return err
			}
			defer db.Close()
			last := time.Now()
			progress := func(done, total int64) {
				if time.Since(last) > time.Second && !asJSON {
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
			// The letters in progress are kept apart from the letters (migration 44), and a
			// store put back by other means than restore (pg_restore, a copied chancery.db,
			// a restore by a build before it reconciled) may hold a table edited in its copy:
			// a released letter among the inbox's letters in progress, a draft hidden.
			if err := checkLettersInProgress(c.Context(), c, d, db, rep.Size); err != nil {
				return err
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
