package cli

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"time"

	"github.com/chancery/chancery/internal/datadir"
	"github.com/chancery/chancery/internal/entry"
	"github.com/chancery/chancery/internal/store"
	"github.com/chancery/chancery/internal/translog"
	"github.com/spf13/cobra"
	"golang.org/x/mod/sumdb/note"
)

func newStoreCmd(g *globals) *cobra.Command {
	c := &cobra.Command{
		Use:   "store",
		Short: "Move the office's data between databases",
	}
	c.AddCommand(newStoreMigrate(g))
	return c
}

// storeMigrateResult is what store migrate --json prints.
type storeMigrateResult struct {
	To      string           `json:"to"` // without its password
	Size    int64            `json:"size"`
	Root    string           `json:"root"`
	Letters int              `json:"letters"`
	Tables  map[string]int64 `json:"tables"`
}

func newStoreMigrate(g *globals) *cobra.Command {
	var to string
	var asJSON bool
	c := &cobra.Command{
		Use:   "migrate --to URL",
		Short: "Copy a SQLite office to PostgreSQL and verify the copy",
		Long: `Migrate copies the office in the data directory's SQLite database to the PostgreSQL
database at --to: every table, the transparency log and the bytes of every version and
released file. The target must be empty (a new database; migrate creates the tables). The
copy reads one snapshot of the source and writes one transaction: it is all there or not at
all. Before it commits, every row the target holds is compared with the source's (files by
their content): a difference fails the copy. The source is opened read-only and left as it
was, but for one file: moved.json marks the directory, written before the copy is committed
and removed if the copy fails or does not check out, and commands that would serve, sequence
or back up its SQLite database refuse it from then on (the servers on PostgreSQL carry the
log on; appending to the SQLite copy would fork it). The mark is pending until the copy is
verified: a migrate killed midway leaves it so, and the refusal says the migrate did not
finish; if the target database is empty, or dropped, remove moved.json to serve the SQLite
office. A mark that is no longer pending records a verified move: never drop its target. A
commit that fails (its answer lost) leaves the mark pending unless the target is seen empty.

Before it reports success, migrate verifies the target: it recomputes the log's tree from
every stored entry and checks every stored tile, that the latest checkpoint is the source's
and consistent with the tree, that every letter's state, versions and release are the
source's, and that every table holds the source's number of rows.

Stop the server first (migrate refuses while one holds the data directory): what the SQLite
office takes after the snapshot would not be copied. Anything that still writes to the SQLite
database during the run (the sqlite3 shell, another program that takes no lock) makes it exit
with status 1. Then serve from a copy of the data
directory without chancery.db, with --database URL or CHANCERY_DATABASE (see
docs/operations.md, "Moving from SQLite"); keep the old directory until the new deployment
has run for a while.

Leave the password out of the URL: the command line is visible to every account on the
machine. Put it in ~/.pgpass (or the file PGPASSFILE names, mode 0600); errors and output
show the URL with any password masked.

Exit status: 0 copied and verified; 1 copied, but the copy does not check out (drop the
database); 2 nothing was copied.`,
		Example: `  chancery store migrate --data /var/lib/chancery --to 'postgres://chancery@db.internal/chancery?sslmode=verify-full'
  PGPASSFILE=/root/chancery.pgpass chancery store migrate --to 'postgres://chancery@db.internal/chancery' --json`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, args []string) error {
			d, err := openDir(g.data)
			if err != nil {
				return err
			}
			defer d.Close()
			if !store.IsPostgresURL(to) {
				return withHint(fmt.Errorf("--to %q is not a postgres:// URL", store.Redact(to)), "pass --to postgres://USER@HOST:PORT/DB, the password in PGPASSFILE")
			}
			// What a server releases after the snapshot would not be in the copy: none may run
			// on the source while it is read, nor start before the copy is verified.
			unlock, err := d.Lock()
			if err != nil {
				return lockHint(fmt.Errorf("store migrate: %w", err), d.Path, "stop the server on %s first: what it releases after the copy would be missing from the new database", d.Path)
			}
			defer unlock()
			ctx := context.WithoutCancel(c.Context())
			// Writers that take no lock (an older chancery, the sqlite3 shell, a server of a
			// copy of the directory sharing the file) could still change the source under the
			// copy: SQLite's data_version, on a connection held for the whole run, tells.
			watch, err := watchSQLite(ctx, d.Path)
			if err != nil && unwritableDir(d.Path) {
				return unwritableHint(err, d.Path)
			}
			if err != nil {
				return withHint(err, "migrate copies a SQLite office: is --data the directory 'chancery init' created?")
			}
			defer watch.close()
			src, err := store.OpenSQLiteSnapshot(ctx, d.Path)
			if errors.Is(err, store.ErrSchemaVersion) {
				return withHint(err, "take a backup first ('chancery backup --data %s --out FILE', of either build): builds before this one refuse the database once it is migrated. Then open the office once with this version of chancery (e.g. 'chancery log verify --data %s'), which upgrades its schema, and migrate (docs/operations.md, \"Upgrading\")", shellArg(d.Path), shellArg(d.Path))
			}
			if err != nil {
				return withHint(err, "migrate copies a SQLite office: is --data the directory 'chancery init' created?")
			}
			defer src.Close()
			// A log shorter than, or other than, what this directory's server published (a
			// database set back from an older backup) would be carried to PostgreSQL, whose
			// servers keep their own records: refuse it here, where the record is.
			if err := checkPublished(ctx, d, src); err != nil {
				return fmt.Errorf("store migrate: the source: %w", err)
			}
			dst, err := store.OpenPostgresTarget(ctx, to)
			if errors.Is(err, store.ErrTargetNotEmpty) {
				return withHint(err, "migrate copies into a new, empty database, and leaves one that holds anything as it is: is --to the right database? Create one (createdb) and pass its URL")
			}
			if err != nil {
				return err
			}
			defer dst.Close()
			var head store.LogHead
			if err := src.View(ctx, func(tx *store.Tx) (err error) { head, err = tx.LogHead(ctx); return err }); err != nil {
				return fmt.Errorf("store migrate: the source's log: %w", err)
			}
			// The directory is marked as moved before the copy is committed, so that a migrate
			// killed after the commit (kill -9, a crash, while it verifies) never leaves an
			// office on PostgreSQL while its SQLite database can still be served: both would
			// append to the log, at the same sizes, with other roots. A copy that fails, or does
			// not check out, takes the mark back.
			marked := false
			mark := func() error {
				if marked {
					return nil
				}
				if err := d.SetMoved(datadir.Moved{To: store.Redact(to), At: time.Now().UTC(), Size: head.Size, Pending: true}); err != nil {
					return withHint(fmt.Errorf("store migrate: %w", err), "nothing was committed: %s must be writable by this user", d.Path)
				}
				marked = true
				return nil
			}
			unmark := func() {
				if !marked {
					return
				}
				if err := d.RemoveMoved(); err != nil {
					fmt.Fprintf(warnings(c), "chancery: warning: this directory is still marked as moved (%v): remove %s before serving its SQLite database again\n", err, filepath.Join(d.Path, datadir.MovedFile))
				}
			}
			start := time.Now()
			// The copy takes minutes at 100,000 letters: its steps are said on stderr, but
			// with --json, where stderr is the error object alone (a script parses it).
			var progress func(string)
			if !asJSON {
				progress = func(s string) { fmt.Fprintln(c.ErrOrStderr(), s) }
			}
			counts, err := store.CopyToReporting(ctx, src, dst, mark, progress)
			if err != nil && marked {
				// The mark was written, and the commit failed: its answer may be what was lost
				// (the connection cut once PostgreSQL committed). The mark is taken back only
				// when the target is seen to hold nothing.
				if eerr := store.CheckTargetEmpty(ctx, dst); eerr != nil {
					return withHint(fmt.Errorf("store migrate: the copy's commit failed, and it may have reached %s: %w (the target: %v)", store.Redact(to), err, eerr),
						"%s stays, pending: see whether that database holds the office; if it is empty, or once it is dropped, remove the file and migrate again into a new database", filepath.Join(d.Path, datadir.MovedFile))
				}
			}
			if err != nil {
				unmark()
			}
			if errors.Is(err, store.ErrTargetNotEmpty) {
				return withHint(err, "migrate copies into a new, empty database: create one (createdb) and pass its URL")
			}
			if errors.Is(err, store.ErrCopyDiffers) {
				return withHint(err, "nothing was committed: the target does not keep the values it is given (a trigger, rule or extension of its own?); migrate into a new database created with createdb")
			}
			if err != nil {
				return err
			}
			if migrateCopied != nil {
				migrateCopied()
			}
			// With --json, stderr is the error object alone (a script parses it): no progress.
			if !asJSON {
				fmt.Fprintf(c.ErrOrStderr(), "copied %d tables in %v; verifying the copy\n", len(counts), time.Since(start).Round(time.Millisecond))
			}
			res, err := verifyCopy(ctx, c, d.Verifier(), src, dst, counts)
			if err != nil {
				unmark()
				return &failed{fmt.Errorf("store migrate: the copy in %s does not check out, do not use it (drop the database): %w", store.Redact(to), err)}
			}
			if err := watch.unchanged(ctx); err != nil {
				unmark()
				return &failed{withHint(fmt.Errorf("store migrate: the copy in %s may lack what was written since: %w", store.Redact(to), err),
					"drop that database, find what wrote to %s and stop it (no server, no other chancery, no sqlite3), then migrate again into a new database", filepath.Join(d.Path, store.SQLiteFile))}
			}
			res.To = store.Redact(to)
			// The mark loses its pending state: the refusal to serve the SQLite database no
			// longer tells of a migrate that did not finish, whose target may be dropped.
			if err := d.FinishMoved(datadir.Moved{To: res.To, At: time.Now().UTC(), Size: res.Size}); err != nil {
				fmt.Fprintf(warnings(c), "chancery: warning: the copy is verified, but %s still says this migrate did not finish (%v): do not drop %s, it holds the office\n", filepath.Join(d.Path, datadir.MovedFile), err, res.To)
			}
			if asJSON {
				return writeJSON(c.OutOrStdout(), res)
			}
			fmt.Fprintf(c.OutOrStdout(), "migrated %s to %s: log of %d entries verified (root %s), %d letters checked\n",
				d.Settings.Office, res.To, res.Size, res.Root, res.Letters)
			pasteable, hadPassword := withoutPasswords(to)
			fmt.Fprintf(c.OutOrStdout(), "next: stop serving %s, and serve a copy of it without %s with --database %s (or CHANCERY_DATABASE); %s marks it as moved, and its SQLite database is no longer served\n", d.Path, store.SQLiteFile, shellQuote(pasteable), datadir.MovedFile)
			if hadPassword {
				fmt.Fprintln(c.OutOrStdout(), "the password is left out of that URL: put it in ~/.pgpass, or the file PGPASSFILE names (mode 0600), where the server reads it")
			}
			return nil
		},
	}
	c.Flags().StringVar(&to, "to", "", "the new, empty PostgreSQL database to copy the office into, postgres://USER@HOST:PORT/DB (the password in PGPASSFILE)")
	c.MarkFlagRequired("to")
	addJSONFlag(c, &asJSON)
	return c
}

// migrateCopied, set only by tests, is called once store migrate has committed its copy,
// before it verifies it.
var migrateCopied func()

// sqliteWatch holds a read-only connection to a SQLite database, whose data_version tells
// whether another connection committed a change since the watch began.
type sqliteWatch struct {
	db      *sql.DB
	conn    *sql.Conn
	path    string
	version int64
}

// watchSQLite starts watching the SQLite database of the data directory dir for commits.
func watchSQLite(ctx context.Context, dir string) (*sqliteWatch, error) {
	path := filepath.Join(dir, store.SQLiteFile)
	if _, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("store migrate: %w", err)
	}
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(10000)")
	q.Set("mode", "ro")
	db, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("store migrate: open %s: %w", path, err)
	}
	w := &sqliteWatch{db: db, path: path}
	if w.conn, err = db.Conn(ctx); err == nil {
		w.version, err = w.dataVersion(ctx)
	}
	if err != nil {
		w.close()
		return nil, fmt.Errorf("store migrate: %s: %w", path, err)
	}
	return w, nil
}

func (w *sqliteWatch) dataVersion(ctx context.Context) (v int64, err error) {
	err = w.conn.QueryRowContext(ctx, "PRAGMA data_version").Scan(&v)
	return v, err
}

// unchanged returns an error if a change was committed to the database since the watch
// began, or if that cannot be told.
func (w *sqliteWatch) unchanged(ctx context.Context) error {
	v, err := w.dataVersion(ctx)
	if err != nil {
		return fmt.Errorf("%s: %w", w.path, err)
	}
	if v != w.version {
		return fmt.Errorf("%s was written to while it was copied", w.path)
	}
	return nil
}

func (w *sqliteWatch) close() {
	if w.conn != nil {
		w.conn.Close()
	}
	w.db.Close()
}

// withoutPasswords returns the database URL without the passwords Redact masks (its user
// information's and those of its query), and whether it had any: a URL that works as it is
// shown, given its password in ~/.pgpass or PGPASSFILE (store.WithoutPasswords, which reads
// the URL as libpq and pgx do).
func withoutPasswords(database string) (string, bool) {
	return store.WithoutPasswords(database)
}

// shellQuote quotes s for a POSIX shell: a URL's & and ? are not the shell's.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// verifyCopy checks the copy in dst against the source src.
func verifyCopy(ctx context.Context, c *cobra.Command, v note.Verifier, src, dst *store.DB, counts []store.TableCount) (*storeMigrateResult, error) {
	head := func(db *store.DB) (h store.LogHead, err error) {
		err = db.View(ctx, func(tx *store.Tx) error { h, err = tx.LogHead(ctx); return err })
		return h, err
	}
	sh, err := head(src)
	if err != nil {
		return nil, fmt.Errorf("source log head: %w", err)
	}
	dh, err := head(dst)
	if err != nil {
		return nil, fmt.Errorf("target log head: %w", err)
	}
	if !bytes.Equal(sh.Checkpoint, dh.Checkpoint) {
		return nil, fmt.Errorf("the target's latest checkpoint is not the source's")
	}
	last := time.Now()
	progress := func(done, total int64) {
		if time.Since(last) > time.Second && !wantsJSON(c) {
			last = time.Now()
			fmt.Fprintf(c.ErrOrStderr(), "verified %d of %d entries\n", done, total)
		}
	}
	decode := func(_ int64, e []byte) error {
		_, err := entry.Decode(e)
		return err
	}
	rep, err := translog.Verify(ctx, dst, v, [][]byte{sh.Checkpoint}, decode, progress)
	if err != nil {
		return nil, fmt.Errorf("log: %w", err)
	}
	if rep.Size != sh.Size {
		return nil, fmt.Errorf("the target's log has %d entries, the source's %d", rep.Size, sh.Size)
	}
	sl, err := allLetters(ctx, src)
	if err != nil {
		return nil, fmt.Errorf("source letters: %w", err)
	}
	dl, err := allLetters(ctx, dst)
	if err != nil {
		return nil, fmt.Errorf("target letters: %w", err)
	}
	if len(sl) != len(dl) {
		return nil, fmt.Errorf("the target has %d letters, the source %d", len(dl), len(sl))
	}
	for i := range sl {
		if !reflect.DeepEqual(sl[i], dl[i]) {
			return nil, fmt.Errorf("letter %s differs: the target has it %s, the source %s", sl[i].Reference, dl[i].State, sl[i].State)
		}
	}
	tables := make([]string, len(counts))
	for i, tc := range counts {
		tables[i] = tc.Table
	}
	var got []store.TableCount
	if err := dst.View(ctx, func(tx *store.Tx) (err error) { got, err = tx.Counts(ctx, tables); return err }); err != nil {
		return nil, err
	}
	res := &storeMigrateResult{Size: rep.Size, Root: rep.Root.String(), Letters: len(sl), Tables: map[string]int64{}}
	for i, tc := range counts {
		if got[i].Rows != tc.Rows {
			return nil, fmt.Errorf("table %s has %d rows in the target, %d were copied", tc.Table, got[i].Rows, tc.Rows)
		}
		res.Tables[tc.Table] = tc.Rows
	}
	return res, nil
}

// allLetters lists every letter of db with its state, newest first.
func allLetters(ctx context.Context, db *store.DB) ([]store.ListedLetter, error) {
	var out []store.ListedLetter
	err := db.View(ctx, func(tx *store.Tx) error {
		var f store.LetterFilter
		for {
			page, err := tx.ListLetters(ctx, f, 500)
			if err != nil {
				return err
			}
			out = append(out, page...)
			if len(page) < 500 {
				return nil
			}
			f.Before = page[len(page)-1].ID
		}
	})
	return out, err
}
