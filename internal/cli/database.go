package cli

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"syscall"

	"github.com/chancery/chancery/internal/datadir"
	"github.com/chancery/chancery/internal/store"
	"github.com/chancery/chancery/internal/translog"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// addDatabaseFlag adds --database (env CHANCERY_DATABASE) to flags of a command that opens
// the office's store.
func addDatabaseFlag(flags *pflag.FlagSet) {
	flags.String("database", os.Getenv("CHANCERY_DATABASE"),
		"the office's PostgreSQL database, postgres://USER@HOST:PORT/DB, the password in PGPASSFILE or ~/.pgpass, not here, where every account sees it (env CHANCERY_DATABASE); default SQLite in the data directory")
	hideDefault(flags, "database")
}

// hideDefault keeps --help from showing the default of the flag name, read from the
// environment and possibly holding a password; the default stays in force.
func hideDefault(flags *pflag.FlagSet, name string) {
	flags.Lookup(name).DefValue = ""
}

// database returns the command's --database value, its own or inherited from its parent.
func database(c *cobra.Command) string {
	if f := c.Flag("database"); f != nil {
		return f.Value.String()
	}
	return ""
}

// openStore opens the store of the office in d that c's --database names.
func openStore(ctx context.Context, c *cobra.Command, d *datadir.Dir) (*store.DB, error) {
	db, err := store.Open(ctx, database(c), d.Path)
	// An opening that failed after the migration it committed (store.MigratedError) says so too.
	warnMigrated(c, store.MigratedBy(db, err))
	return db, storeHint(err, d.Path)
}

// warnMigrated says that c's opening of the store migrated it from an older build's schema
// v (store.DB.MigratedFrom; 0: nothing migrated): a command run before the new build's first
// start (a 'log verify' to check the office before upgrading, a 'member recover') otherwise
// closed the way back without a word, the older build's server and backup refusing the
// database from then on. A command that opens the office (office.Open) passes it as the
// opening's office.Options.Migrated, so that it warns even when the opening then fails.
func warnMigrated(c *cobra.Command, v int) {
	if v > 0 {
		fmt.Fprintf(warnings(c), "chancery: warning: this command migrated the office's database from schema version %d to this build's %d: builds before this one refuse it from now on (to go back, restore with the older build a backup taken before this command, by either build; docs/operations.md, \"Upgrading\")\n", v, store.SchemaVersion)
	}
}

// openStoreToRead opens the store of the office in d for a command that only reads it and
// does not hold the data directory's lock (log checkpoint, log verify). On SQLite, while a
// server holds the lock, the store is opened read-only and without migrating
// (store.OpenSQLiteSnapshot), and one of another schema version than this build's is refused:
// a newer build that migrated the database under a running server of an older build left that
// server reading and writing tables it does not know (its releases refused, its holders told
// that their letters are unknown). Without a server, the lock is held while the store opens
// (and migrates), so that no server starts meanwhile.
func openStoreToRead(ctx context.Context, c *cobra.Command, d *datadir.Dir) (*store.DB, error) {
	if _, err := os.Stat(filepath.Join(d.Path, store.SQLiteFile)); database(c) != "" || err != nil {
		return openStore(ctx, c, d) // PostgreSQL, or no SQLite database to migrate: its refusals
	}
	unlock, err := d.Lock()
	switch {
	case err == nil:
		defer unlock()
		return openStore(ctx, c, d)
	case !errors.Is(err, datadir.ErrLocked):
		return nil, unwritableHint(err, d.Path)
	}
	db, err := store.OpenSQLiteSnapshot(ctx, d.Path)
	if errors.Is(err, store.ErrSchemaVersion) {
		return nil, withHint(fmt.Errorf("a server is using %s: %w", d.Path, err),
			"the server is of another build than this command: run this command with the server's build, or stop the server, take a backup ('chancery backup --data %s --out FILE': builds before this one refuse the database once it is migrated), and start this build's 'chancery serve', which migrates the database (docs/operations.md, \"Upgrading\")", shellArg(d.Path))
	}
	return db, storeHint(err, d.Path)
}

// storeHint adds what to do to the refusals of store.Open and translog.Open.
func storeHint(err error, dir string) error {
	switch {
	case errors.Is(err, store.ErrDiskFull):
		return diskFullHint(err, dir)
	case errors.Is(err, store.ErrNoSQLite):
		return withHint(err, "pass --database (or set CHANCERY_DATABASE) with the office's postgres:// URL, or --data with the directory 'chancery init' created; if that init did not finish, run it again")
	case errors.Is(err, store.ErrNoLog):
		return withHint(err, "pass the office's database (--database or CHANCERY_DATABASE); for a new office, run 'chancery init --database URL'; to move a SQLite office to it, 'chancery store migrate --to URL'")
	case errors.Is(err, translog.ErrNoLog):
		return withHint(err, "is this the office's database? A data directory whose 'chancery init' did not finish holds no log: run the same 'chancery init' again, which finishes it")
	case errors.Is(err, translog.ErrOtherKey):
		return withHint(err, "is this the office's database, and %s a copy of the data directory of the server that made it? Every server of an office needs its log key", dir)
	case errors.Is(err, translog.ErrLogCreated):
		return withHint(err, "another 'chancery init' made an office on this database at the same time: remove %s and use that office's data directory", dir)
	case errors.Is(err, datadir.ErrUntrustedModule):
		return withHint(err, "the office's key history (in its database) names a key in a token whose module %s's settings do not load; if the office chose that module, name it in %s (paths separated by colons), or give this directory the office's current key URI", dir, datadir.HSMModulesEnv)
	case errors.Is(err, store.ErrHasSQLite):
		return withHint(err, "drop --database to use the SQLite office in %s; to move it to PostgreSQL, run 'chancery store migrate --to URL' and serve from a copy of the data directory without %s", dir, store.SQLiteFile)
	}
	// A key file of another user's that others can read (the PDF signing key, which the
	// store's opening reads), which this one cannot make private.
	if h := otherUsersSecretFile(err); h != nil {
		return h
	}
	// The database left there by another user (root, running a migration by hand).
	if h := otherUsersFile(err, dir); h != nil {
		return h
	}
	// Or SQLite's write-ahead log and shared memory beside it, which a command run as root
	// and stopped short leaves: the opening fails "unable to open database file", no path;
	// or its rollback journal, which the opening makes private (store's makePrivate), and
	// whose chmod another user's file refuses (EPERM).
	if h := otherUsersSQLiteFiles(err, dir, store.SQLiteFile); h != nil {
		return h
	}
	// SQLite opens its journal beside the database: a directory this user cannot write
	// fails it with "unable to open database file".
	if _, serr := os.Stat(filepath.Join(dir, store.SQLiteFile)); err != nil && serr == nil && unwritableDir(dir) {
		return unwritableHint(err, dir)
	}
	return err
}

// diskFullHint is the hint of err, a store's opening refused by a full disk (store.ErrDiskFull):
// of the data directory dir, or of the PostgreSQL server.
func diskFullHint(err error, dir string) error {
	where := "the disk holding " + dir
	if errors.Is(err, store.ErrServerDiskFull) {
		where = "the disk of the PostgreSQL server's data directory"
	}
	migration := errors.As(err, new(*store.MigrationError))
	switch {
	case errors.As(err, new(*store.MigratedError)):
		// The migration committed to the write-ahead log, and the full disk refused its
		// copy into the database, which grows by the tables it rewrote.
		return withHint(err, "the migration to this build's schema was committed (builds before this one refuse the database from now on), and the full disk then refused SQLite the room to copy it from its write-ahead log into the database. Free space on %s (about the size of the tables the migration rewrote) and start again: the store then opens at this build's schema", where)
	case migration && errors.Is(err, store.ErrCommitUnknown):
		// SQLite wrote the transaction, its commit frame included, to the write-ahead log, and
		// the full disk refused the shared memory that indexes it: the next opening's recovery
		// may find it committed.
		return withHint(err, "the migration may have been committed: the full disk failed its commit after the commit was written, which the database's next opening finds out. Free space on %s and start again: the store then opens at this build's schema, or migrates again", where)
	case migration:
		return withHint(err, "nothing was written: the database is as it was, a migration to this build's schema not committed. Free space on %s (a migration that rewrites tables needs about twice their size, docs/operations.md, \"Upgrading\") and start again", where)
	case errors.Is(err, store.ErrServerDiskFull):
		return withHint(err, "nothing was written: the database is as it was. Free space on %s and start again", where)
	}
	// No migration was under way: the store was of this build's schema, or the full disk
	// refused the transaction's beginning, before its version was read.
	return withHint(err, "nothing was written: the database is as it was. Free space on %s (SQLite needs room beside the database for its write-ahead log and shared memory) and start again", where)
}

// otherUsersSQLiteFiles is the hint of ownedFileHint for err, a failed opening of the SQLite
// database file of dir (the office's chancery.db, a witness's witness.db), when its -wal,
// -shm or -journal file is another user's and this one cannot write it, in a directory it
// can write. Nil otherwise.
func otherUsersSQLiteFiles(err error, dir, file string) error {
	db := filepath.Join(dir, file)
	if _, serr := os.Stat(db); err == nil || serr != nil || unwritableDir(dir) {
		return nil
	}
	files := []string{db + "-wal", db + "-shm", db + "-journal"}
	// The file the error names, if it is one of them, first (a journal whose chmod was
	// refused, beside a shared memory file of root's that the opening did not reach).
	var pe *fs.PathError
	if errors.As(err, &pe) {
		if i := slices.Index(files, pe.Path); i > 0 {
			files[0], files[i] = files[i], files[0]
		}
	}
	for _, p := range files {
		fi, serr := os.Lstat(p)
		if serr != nil {
			continue
		}
		refused := &fs.PathError{Op: "open", Path: p, Err: syscall.EACCES}
		var h *hinted
		if errors.As(ownedFileHint(refused, p, fi, syscall.Access(p, 0x2) == nil, os.Geteuid(), currentUser()), &h) {
			return withHint(err, "%s", h.hint)
		}
	}
	return nil
}
