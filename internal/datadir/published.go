package datadir

import (
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/chancery/chancery/internal/exclfile"
)

// PublishedFile records, outside the database, the latest checkpoint that the server of this
// data directory handed out (in a seal, at /log/checkpoint). The database can be replaced by
// an older backup; this file is the server's memory of how long a log it has already shown the
// world, so that it refuses to serve a shorter one (see translog.CheckPublished).
const PublishedFile = "published.checkpoint"

// Published returns the recorded published checkpoint. When there is none yet, the error
// wraps fs.ErrNotExist.
func (d *Dir) Published() ([]byte, error) {
	b, err := readSmall(filepath.Join(d.Path, PublishedFile))
	if err != nil {
		return nil, fmt.Errorf("read published checkpoint: %w", err)
	}
	return b, nil
}

// SetPublished records cp as the published checkpoint: written to a temporary file, synced,
// renamed over the old record and the directory synced, so that a crash leaves the old record
// or the new one, never a torn file. Written by root (log accept-restore, restore) in a data
// directory of a service's user, the record is that user's: one of root's, mode 0600, would
// keep the service from starting.
func (d *Dir) SetPublished(cp []byte) error {
	name := filepath.Join(d.Path, PublishedFile)
	tmp := fmt.Sprintf("%s.%d.tmp", name, time.Now().UnixNano())
	if err := exclfile.CreateForDirOwner(tmp, cp, 0o600); err != nil {
		return fmt.Errorf("record published checkpoint: %w", err)
	}
	if err := os.Rename(tmp, name); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("record published checkpoint: %w", err)
	}
	// A crash between the write and the rename left its temporary file. One a minute old is
	// no other writer's (servers on PostgreSQL may share a directory without its lock).
	stale, _ := filepath.Glob(filepath.Join(d.Path, PublishedFile+".*.tmp"))
	for _, f := range stale {
		if fi, err := os.Lstat(f); err == nil && fi.Mode().IsRegular() && time.Since(fi.ModTime()) > time.Minute {
			os.Remove(f)
		}
	}
	if err := exclfile.SyncDir(d.Path); err != nil {
		return fmt.Errorf("record published checkpoint: %w", err)
	}
	return nil
}

// SupersedePublished moves the recorded published checkpoint aside, to
// published.checkpoint.superseded-TIME, where it stays as evidence of what was once
// published, and returns the new file's name. An operator does this when accepting a log that
// is shorter than, or inconsistent with, the record (`chancery log accept-restore`).
func (d *Dir) SupersedePublished(now time.Time) (string, error) {
	name := filepath.Join(d.Path, PublishedFile)
	aside := name + ".superseded-" + now.UTC().Format("20060102T150405Z")
	if _, err := os.Stat(aside); err == nil {
		return "", fmt.Errorf("supersede published checkpoint: %s exists", aside)
	}
	if err := os.Rename(name, aside); err != nil {
		return "", fmt.Errorf("supersede published checkpoint: %w", err)
	}
	if err := exclfile.SyncDir(d.Path); err != nil {
		return "", fmt.Errorf("supersede published checkpoint: %w", err)
	}
	return aside, nil
}
