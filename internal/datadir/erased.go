package datadir

import (
	"bytes"
	"cmp"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"time"

	"github.com/chancery/chancery/internal/exclfile"
	"github.com/chancery/chancery/internal/smallfile"
)

// ErasedFile records, outside the database, the releases whose content the office erased, as
// PublishedFile records the log: a database replaced by a backup taken before an erasure holds
// the erased letter again, and the server erases it again at its next start. Each line is a
// release entry's log index and the hex of its leaf hash (RFC 6962), which tells it from
// another entry at the same index in a log an operator accepted in place of the published one.
const ErasedFile = "erased.releases"

// maxErasedFile bounds the record: about 190,000 erasures.
const maxErasedFile = 16 << 20

// Erasure is one line of ErasedFile.
type Erasure struct {
	Index int64
	Leaf  [32]byte
}

// Erased returns the recorded erasures, by index; none when the file does not exist.
func (d *Dir) Erased() ([]Erasure, error) {
	return ReadErased(filepath.Join(d.Path, ErasedFile))
}

// ReadErased reads a record of erased releases from the file name (the data directory's, or
// one an operator brought from another); none when the file does not exist.
func ReadErased(name string) ([]Erasure, error) {
	b, err := smallfile.Read(name, maxErasedFile)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read erased releases: %w", err)
	}
	var out []Erasure
	for n, line := range bytes.Split(bytes.TrimSuffix(b, []byte("\n")), []byte("\n")) {
		if len(line) == 0 && len(b) == 0 {
			break
		}
		e, err := parseErasure(line)
		if err != nil {
			return nil, fmt.Errorf("read erased releases: %s line %d: %w", name, n+1, err)
		}
		if len(out) > 0 && e.Index <= out[len(out)-1].Index {
			return nil, fmt.Errorf("read erased releases: %s line %d: index %d not above the line before's", name, n+1, e.Index)
		}
		out = append(out, e)
	}
	return out, nil
}

// parseErasure reads "INDEX LEAFHEX".
func parseErasure(line []byte) (Erasure, error) {
	idx, leaf, ok := bytes.Cut(line, []byte(" "))
	i, err := strconv.ParseInt(string(idx), 10, 64)
	if !ok || err != nil || i < 0 || strconv.FormatInt(i, 10) != string(idx) || len(leaf) != 64 {
		return Erasure{}, fmt.Errorf("malformed line %q: want a log index and a 64-digit hex leaf hash", truncate(line))
	}
	var e Erasure
	e.Index = i
	if _, err := hex.Decode(e.Leaf[:], leaf); err != nil || hex.EncodeToString(e.Leaf[:]) != string(leaf) {
		return Erasure{}, fmt.Errorf("malformed line %q: the leaf hash is not lowercase hex", truncate(line))
	}
	return e, nil
}

// truncate cuts a malformed line for an error message.
func truncate(b []byte) string {
	if len(b) > 80 {
		return string(b[:80]) + "…"
	}
	return string(b)
}

// AddErased records es beside the erasures recorded already (written to a temporary file,
// synced, renamed over the record and the directory synced, as SetPublished does) and reports
// whether the record changed; a record past maxErasedFile, which Erased would refuse, is not
// written. An erasure of es at an index the record holds with another leaf
// hash takes its place: the log was replaced since (log accept-restore), and the record names
// the entries of the log served.
func (d *Dir) AddErased(es []Erasure) (bool, error) {
	old, err := d.Erased()
	if err != nil {
		return false, err
	}
	byIndex := make(map[int64][32]byte, len(old)+len(es))
	for _, e := range old {
		byIndex[e.Index] = e.Leaf
	}
	for _, e := range es {
		byIndex[e.Index] = e.Leaf
	}
	all := make([]Erasure, 0, len(byIndex))
	for i, leaf := range byIndex {
		all = append(all, Erasure{Index: i, Leaf: leaf})
	}
	slices.SortFunc(all, func(a, b Erasure) int { return cmp.Compare(a.Index, b.Index) })
	if slices.Equal(all, old) {
		return false, nil
	}
	var b bytes.Buffer
	for _, e := range all {
		fmt.Fprintf(&b, "%d %x\n", e.Index, e.Leaf)
	}
	// Erased reads the record within maxErasedFile, and serve refuses a record it cannot
	// read: one past the bound is not written, and the one in place stays readable.
	if b.Len() > maxErasedFile {
		return false, fmt.Errorf("record erased releases: %d erasures take %d bytes, more than the record's bound of %d", len(all), b.Len(), maxErasedFile)
	}
	if err := d.writeRecord(ErasedFile, b.Bytes()); err != nil {
		return false, fmt.Errorf("record erased releases: %w", err)
	}
	return true, nil
}

// writeRecord replaces the data directory's file name with b: written to a temporary file,
// synced, renamed over the file and the directory synced, as SetPublished does.
func (d *Dir) writeRecord(name string, b []byte) error {
	name = filepath.Join(d.Path, name)
	tmp := fmt.Sprintf("%s.%d.tmp", name, time.Now().UnixNano())
	if err := exclfile.CreateForDirOwner(tmp, b, 0o600); err != nil {
		return err
	}
	if err := os.Rename(tmp, name); err != nil {
		os.Remove(tmp)
		return err
	}
	// A crash between the write and the rename left its temporary file (see SetPublished).
	stale, _ := filepath.Glob(name + ".*.tmp")
	for _, f := range stale {
		if fi, err := os.Lstat(f); err == nil && fi.Mode().IsRegular() && time.Since(fi.ModTime()) > time.Minute {
			os.Remove(f)
		}
	}
	return exclfile.SyncDir(d.Path)
}
