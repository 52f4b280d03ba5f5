package datadir

import (
	"bytes"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/chancery/chancery/internal/smallfile"
)

// ErasedLettersFile records, beside ErasedFile, the letters whose content the office erased,
// by what a database restored from any backup still says of them: the reference, the time the
// letter was created and the digest of its first version. ErasedFile names releases, and a
// backup taken while the letter was a draft, restored and accepted with log accept-restore,
// holds no release of it: the draft comes back with the content erased since, and could be
// released again. Its name starts with ErasedFile's, so that backups leave it out as they
// leave that one out. Each line is "REFERENCE CREATED sha256:HEX", CREATED in RFC 3339 (UTC).
const ErasedLettersFile = ErasedFile + ".letters"

// ErasedLetter is one line of ErasedLettersFile: a letter is the one erased when its
// reference, its creation time and its first version's digest are these three.
type ErasedLetter struct {
	Reference string
	Created   time.Time
	Digest    string // of the first version, "sha256:HEX"
}

// line is the record's line for e.
func (e ErasedLetter) line() string {
	return fmt.Sprintf("%s %s %s", e.Reference, e.Created.UTC().Format(time.RFC3339Nano), e.Digest)
}

// ErasedLetters returns the recorded erased letters; none when the file does not exist.
func (d *Dir) ErasedLetters() ([]ErasedLetter, error) {
	return ReadErasedLetters(filepath.Join(d.Path, ErasedLettersFile))
}

// ReadErasedLetters reads a record of erased letters from the file name (the data directory's,
// or one an operator brought from another); none when the file does not exist.
func ReadErasedLetters(name string) ([]ErasedLetter, error) {
	b, err := smallfile.Read(name, maxErasedFile)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read erased letters: %w", err)
	}
	var out []ErasedLetter
	if len(b) == 0 {
		return nil, nil
	}
	for n, line := range bytes.Split(bytes.TrimSuffix(b, []byte("\n")), []byte("\n")) {
		e, err := parseErasedLetter(string(line))
		if err != nil {
			return nil, fmt.Errorf("read erased letters: %s line %d: %w", name, n+1, err)
		}
		out = append(out, e)
	}
	return out, nil
}

// parseErasedLetter reads "REFERENCE CREATED sha256:HEX".
func parseErasedLetter(line string) (ErasedLetter, error) {
	bad := fmt.Errorf("malformed line %q: want a reference, its letter's creation time and its first version's digest", truncate([]byte(line)))
	f := strings.Split(line, " ")
	if len(f) != 3 || f[0] == "" || len(f[0]) > 200 || strings.ContainsFunc(f[0], func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) || r == unicode.ReplacementChar }) {
		return ErasedLetter{}, bad
	}
	created, err := time.Parse(time.RFC3339Nano, f[1])
	if err != nil || created.UTC().Format(time.RFC3339Nano) != f[1] {
		return ErasedLetter{}, bad
	}
	h, ok := strings.CutPrefix(f[2], "sha256:")
	if _, err := hex.DecodeString(h); !ok || err != nil || len(h) != 64 || strings.ToLower(h) != h {
		return ErasedLetter{}, bad
	}
	return ErasedLetter{Reference: f[0], Created: created.UTC(), Digest: f[2]}, nil
}

// AddErasedLetters records es beside the erased letters recorded already, as AddErased does,
// and reports whether the record changed. A letter is never taken out of the record: two
// letters with one reference (a reference given again after log accept-restore) are two lines.
func (d *Dir) AddErasedLetters(es []ErasedLetter) (bool, error) {
	old, err := d.ErasedLetters()
	if err != nil {
		return false, err
	}
	lines := make([]string, 0, len(old)+len(es))
	for _, e := range old {
		lines = append(lines, e.line())
	}
	was := slices.Compact(slices.Sorted(slices.Values(lines)))
	for _, e := range es {
		if _, err := parseErasedLetter(e.line()); err != nil {
			return false, fmt.Errorf("record erased letters: %w", err)
		}
		lines = append(lines, e.line())
	}
	slices.Sort(lines)
	lines = slices.Compact(lines)
	if slices.Equal(lines, was) {
		return false, nil
	}
	b := []byte(strings.Join(lines, "\n") + "\n")
	if len(b) > maxErasedFile {
		return false, fmt.Errorf("record erased letters: %d letters take %d bytes, more than the record's bound of %d", len(lines), len(b), maxErasedFile)
	}
	if err := d.writeRecord(ErasedLettersFile, b); err != nil {
		return false, fmt.Errorf("record erased letters: %w", err)
	}
	return true, nil
}
