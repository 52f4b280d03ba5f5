package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"syscall"
	"testing"

	"github.com/chancery/chancery/internal/store"
)

// codedError is an error of the SQLite driver, with its extended result code.
type codedError int

func (e codedError) Error() string { return fmt.Sprintf("sqlite error %d", int(e)) }
func (e codedError) Code() int     { return int(e) }

// hintOf returns the hint that got carries, failing the test if it carries none; err is the
// error the hint was asked for.
func hintOf(t *testing.T, got, err error) *hinted {
	t.Helper()
	var h *hinted
	if !errors.As(got, &h) {
		t.Fatalf("no hint for %v", err)
	}
	return h
}

// A full disk that refused the opening of a store of this build's schema (live: an office
// already upgraded, served from a full tmpfs, "store: begin: disk I/O error (4874)") migrated
// nothing: its hint says what to do without speaking of a migration not committed, which
// only a store an older build left (store.MigrationError) had under way.
func TestDiskFullHintNamesAMigrationOnlyUnderWay(t *testing.T) {
	const dir = "/srv/office"
	cases := []struct {
		name      string
		err       error
		migration bool
	}{
		{"this build's schema", fmt.Errorf("store: %s/chancery.db: store: begin: %w: %w", dir, codedError(4874), store.ErrDiskFull), false},
		{"an older build's", fmt.Errorf("store: %s/chancery.db: %w", dir, &store.MigrationError{From: 30, To: store.SchemaVersion,
			Err: fmt.Errorf("store: commit: %w: %w", codedError(13), store.ErrDiskFull)}), true},
	}
	for _, c := range cases {
		var h *hinted
		if !errors.As(storeHint(c.err, dir), &h) {
			t.Errorf("%s: no hint for %v", c.name, c.err)
			continue
		}
		if !strings.Contains(h.hint, "nothing was written") || !strings.Contains(h.hint, "Free space on the disk holding "+dir) {
			t.Errorf("%s: hint %q, want it to say nothing was written and to free space", c.name, h.hint)
		}
		if got := strings.Contains(h.hint, "migration"); got != c.migration {
			t.Errorf("%s: hint %q speaks of a migration: %v, want %v", c.name, h.hint, got, c.migration)
		}
	}
}

// A migration whose commit SQLite wrote to its write-ahead log, and whose index in the shared
// memory the full disk then refused (SQLITE_IOERR_SHMSIZE at the commit, the commit's outcome
// unknown until the database is next opened: store.ErrCommitUnknown), may be committed: its
// hint does not say that nothing was written.
func TestDiskFullHintOfACommitUnknown(t *testing.T) {
	const dir = "/srv/office"
	err := fmt.Errorf("store: %s/chancery.db: %w", dir, &store.MigrationError{From: 30, To: store.SchemaVersion,
		Err: fmt.Errorf("store: commit: %w; %w until the database is next opened: %w", codedError(4874), store.ErrCommitUnknown, store.ErrDiskFull)})
	h := hintOf(t, storeHint(err, dir), err)
	if strings.Contains(h.hint, "nothing was written") || strings.Contains(h.hint, "as it was") || !strings.Contains(h.hint, "may have been committed") ||
		!strings.Contains(h.hint, "Free space on the disk holding "+dir) {
		t.Errorf("hint %q, want it to say that the migration may have been committed, and to free space", h.hint)
	}
}

// A migration that the full disk of the PostgreSQL server refused (live: "migrate to version
// 44: ERROR: could not extend file \"base/5/1249\": No space left on device (SQLSTATE
// 53100)", and no hint) is hinted as SQLite's is, the disk to free being the server's, not
// the data directory's.
func TestDiskFullHintOfPostgres(t *testing.T) {
	const dir = "/srv/office"
	err := fmt.Errorf("store: postgres://chancery@db.example/office: %w", &store.MigrationError{From: 43, To: store.SchemaVersion,
		Err: fmt.Errorf("migrate to version 44: could not extend file: %w", store.ErrServerDiskFull)})
	h := hintOf(t, storeHint(err, dir), err)
	if !strings.Contains(h.hint, "a migration to this build's schema not committed") || !strings.Contains(h.hint, "Free space on the disk of the PostgreSQL server's data directory") ||
		strings.Contains(h.hint, dir) {
		t.Errorf("hint %q, want the migration not committed and the PostgreSQL server's disk to free", h.hint)
	}
}

// A backup of an older build's office whose check of its copy (migrated to this build's schema
// beside --out) a full disk refused said "the copy of the log does not verify", a damaged
// log's words, without a hint (live: a backup to a nearly full tmpfs). It says that the copy
// could not be checked, and to free space where the backup is written.
func TestBackupDiskFullHint(t *testing.T) {
	const out = "/srv/backups/chancery.tar"
	err := fmt.Errorf("store: /srv/backups/.chancery-backup-1/migrated/chancery.db: %w", &store.MigrationError{From: 43, To: store.SchemaVersion,
		Err: fmt.Errorf("store: commit: %w: %w", codedError(13), store.ErrDiskFull)})
	h := hintOf(t, backupDiskFull(err, out), err)
	if strings.Contains(h.Error(), "does not verify") || !strings.Contains(h.Error(), "could not be checked") ||
		!strings.Contains(h.hint, "nothing was written to "+out) || !strings.Contains(h.hint, "free space on the disk holding /srv/backups") {
		t.Errorf("backup on a full disk: %v\nhint: %s\nwant the copy not checked, nothing written, and space to free where the backup is written", h, h.hint)
	}
	if backupDiskFull(errors.New("tile 0/000: hash mismatch"), out) != nil {
		t.Error("an unsound copy is taken as a full disk")
	}
}

// A migration committed to the write-ahead log whose truncation at the opening (the copy of
// the migrated tables into the database) the full disk then refused (live: an office of
// schema 43 on a nearly full tmpfs, "truncate the WAL: database or disk is full (13)", no
// warning and no hint, the database at this build's schema) is hinted as committed, not as
// nothing written.
func TestDiskFullHintOfAMigrationCommitted(t *testing.T) {
	const dir = "/srv/office"
	err := fmt.Errorf("store: %s/chancery.db: %w", dir, &store.MigratedError{From: 43, To: store.SchemaVersion,
		Err: fmt.Errorf("truncate the WAL: %w: %w", codedError(13), store.ErrDiskFull)})
	h := hintOf(t, storeHint(err, dir), err)
	if strings.Contains(h.hint, "nothing was written") || strings.Contains(h.hint, "not committed") || !strings.Contains(h.hint, "was committed") ||
		!strings.Contains(h.hint, "Free space on the disk holding "+dir) {
		t.Errorf("hint %q, want it to say that the migration was committed, and to free space", h.hint)
	}
}

// A backup whose copy of the database the full disk of --out's directory refused (live, to a
// nearly full tmpfs: "store: backup DIR/chancery.db: database or disk is full (13)", hinted
// "is DIR a data directory with a SQLite store? For PostgreSQL use pg_dump", and the second
// copy, which the check migrates, with no hint) says that the copy could not be written, and
// to free space where the backup is written: the office's disk is not the one.
func TestBackupCopyDiskFullHint(t *testing.T) {
	const out = "/srv/backups/chancery.tar"
	err := fmt.Errorf("store: backup /srv/office/chancery.db: %w: %w", codedError(13), store.ErrCopyDiskFull)
	h := hintOf(t, backupCopyFull(err, out), err)
	if !strings.Contains(h.Error(), "could not be written") || strings.Contains(h.hint, "data directory") ||
		!strings.Contains(h.hint, "nothing was written to "+out) || !strings.Contains(h.hint, "Free space on the disk holding /srv/backups") {
		t.Errorf("backup's copy on a full disk: %v\nhint: %s\nwant the copy not written, and space to free where the backup is written", h, h.hint)
	}
	if backupCopyFull(errors.New("store: backup: open /srv/office/chancery.db: no such file"), out) != nil {
		t.Error("another failure of the copy is taken as a full disk")
	}
}

// A backup whose archive the full disk of --out's directory refused (live, to a tmpfs with
// 1.5 MB free: "backup: demo/FILE: write …/backup.tar: no space left on device", no hint) is
// hinted to free space where the backup is written; a failure a step hinted keeps its hint.
func TestBackupArchiveNoSpaceHint(t *testing.T) {
	const out = "/srv/backups/chancery.tar"
	err := fmt.Errorf("backup: demo/letter.pdf: %w", &fs.PathError{Op: "write", Path: "/srv/backups/.chancery-backup-1/backup.tar", Err: syscall.ENOSPC})
	h := hintOf(t, backupNoSpace(err, out), err)
	if !strings.Contains(h.hint, "nothing was written to "+out) || !strings.Contains(h.hint, "Free space on the disk holding /srv/backups") {
		t.Errorf("hint %q, want nothing written and space to free where the backup is written", h.hint)
	}
	other := withHint(errors.New("backup: /srv/backups/chancery.tar exists"), "pass a new --out file")
	if got := backupNoSpace(other, out); got != other {
		t.Errorf("a hinted failure got another hint: %v", got)
	}
	if backupNoSpace(errors.New("backup: tile 0/000: hash mismatch"), out).Error() == "" || errors.As(backupNoSpace(errors.New("x"), out), &h) {
		t.Error("a failure without a full disk got a hint")
	}
}
