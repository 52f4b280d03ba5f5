package store

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
)

// BackupSQLite writes a consistent copy of the SQLite store in the directory dir to the file
// to, which must not exist, while other processes (a running server) keep reading and writing
// the store. The copy is SQLite's VACUUM INTO: one read transaction, so the copy is the
// database as of one commit, compacted, and the writer is never blocked. The file is created
// with mode 0600 and synced.
func BackupSQLite(ctx context.Context, dir, to string) error {
	src := filepath.Join(dir, SQLiteFile)
	if _, err := os.Stat(src); err != nil {
		return fmt.Errorf("store: backup: %w", err)
	}
	// VACUUM INTO creates its file with the process's umask (0644 by default); it accepts an
	// empty file, so create it first, private to its owner.
	f, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("store: backup: %w", err)
	}
	f.Close()
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(10000)")
	// VACUUM INTO writes the copy with the connection's page size: a backup of an office made
	// with larger pages has today's (pageSize), and restoring it is how such an office gets them.
	q.Add("_pragma", fmt.Sprintf("page_size(%d)", pageSize))
	db, err := sql.Open("sqlite", "file:"+src+"?"+q.Encode())
	if err != nil {
		os.Remove(to)
		return fmt.Errorf("store: backup: open %s: %w", src, err)
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, "VACUUM INTO ?", to); err != nil {
		os.Remove(to)
		return fmt.Errorf("store: backup %s: %w", src, err)
	}
	if err := syncFile(to); err != nil {
		os.Remove(to)
		return fmt.Errorf("store: backup: %w", err)
	}
	return nil
}

func syncFile(name string) error {
	f, err := os.OpenFile(name, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	err = f.Sync()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}
