package datadir

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/chancery/chancery/internal/exclfile"
)

// MovedFile marks a data directory whose SQLite office `chancery store migrate` copied to
// PostgreSQL. The servers on PostgreSQL carry the log on, from copies of the directory with
// records of their own; the SQLite database here stays as it was copied, and a server started
// on it again would append entries at sizes those servers have already published, with other
// roots: a fork. Commands that sequence or back up the SQLite database refuse a directory with
// this file (the servers on PostgreSQL, whose directories are copies of it, ignore it).
const MovedFile = "moved.json"

// Moved is what MovedFile records.
type Moved struct {
	To   string    `json:"to"`       // the PostgreSQL database, without its password
	At   time.Time `json:"moved_at"` // when the copy was made
	Size int64     `json:"log_size"` // the log's size when it was copied
	// Pending is set while store migrate has not verified its copy: it writes the mark before
	// it commits, and a migrate killed since leaves it so (the copy committed or not).
	Pending bool `json:"pending,omitempty"`
}

// Moved returns what MovedFile records, nil when the directory has none.
func (d *Dir) Moved() (*Moved, error) {
	b, err := readSmall(filepath.Join(d.Path, MovedFile))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", MovedFile, err)
	}
	var m Moved
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&m); err != nil {
		// Damaged, it still says the office moved: what it says is only detail.
		return &Moved{To: "(unreadable: " + err.Error() + ")"}, nil
	}
	return &m, nil
}

// SetMoved writes MovedFile, durably; it fails if the directory has one.
func (d *Dir) SetMoved(m Moved) error {
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	if err := exclfile.CreateForDirOwner(filepath.Join(d.Path, MovedFile), append(b, '\n'), 0o600); err != nil {
		return fmt.Errorf("record the move: %w", err)
	}
	return nil
}

// FinishMoved writes MovedFile again, durably, in place of the one SetMoved wrote, once the
// move it records is done (m.Pending false).
func (d *Dir) FinishMoved(m Moved) error {
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	if err := exclfile.ReplaceKeepingOwner(filepath.Join(d.Path, MovedFile), append(b, '\n'), 0o600); err != nil {
		return fmt.Errorf("record the move: %w", err)
	}
	return nil
}

// RemoveMoved removes MovedFile, durably, for a move that did not happen (store migrate
// writes it before it commits its copy, and takes it back when the copy fails).
func (d *Dir) RemoveMoved() error {
	if err := os.Remove(filepath.Join(d.Path, MovedFile)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("remove %s: %w", MovedFile, err)
	}
	if err := exclfile.SyncDir(d.Path); err != nil {
		return fmt.Errorf("remove %s: %w", MovedFile, err)
	}
	return nil
}
