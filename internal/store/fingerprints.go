package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// Fingerprint is the text fingerprint of a version, for identification.
type Fingerprint struct {
	ID       int64 // the identification index's document ID
	LetterID int64
	VersionN int
	// Released marks the fingerprint of the file a release published (letterhead, footer,
	// signers added to the version's text) rather than of the version itself.
	Released bool
	Data     []byte // nil: the version (or released file) has no extractable text of its own
}

// AddFingerprint records the fingerprint of a version (or of its released file) and sets
// f.ID. A version has one fingerprint of each kind: a second one is ErrConflict.
func (t *Tx) AddFingerprint(ctx context.Context, f *Fingerprint) error {
	err := t.queryRow(ctx, `INSERT INTO fingerprints (letter_id, version_n, released, data) VALUES ($1, $2, $3, $4) RETURNING id`,
		f.LetterID, f.VersionN, flag(f.Released), f.Data).Scan(&f.ID)
	return conflict(err, fmt.Sprintf("add fingerprint of letter %d version %d", f.LetterID, f.VersionN))
}

// EachFingerprint calls fn for every fingerprint with text, in ID order, stopping at fn's
// first error. The Fingerprint passed to fn is reused between calls.
func (t *Tx) EachFingerprint(ctx context.Context, fn func(*Fingerprint) error) error {
	rows, err := t.query(ctx, `SELECT id, letter_id, version_n, released, data FROM fingerprints WHERE data IS NOT NULL ORDER BY id`)
	if err != nil {
		return fmt.Errorf("fingerprints: %w", err)
	}
	defer rows.Close()
	var f Fingerprint
	for rows.Next() {
		if err := rows.Scan(&f.ID, &f.LetterID, &f.VersionN, &f.Released, &f.Data); err != nil {
			return fmt.Errorf("fingerprints: %w", err)
		}
		if err := fn(&f); err != nil {
			return err
		}
	}
	return rows.Err()
}

// FingerprintsOf returns the fingerprints of a letter's versions and released file, by ID.
func (t *Tx) FingerprintsOf(ctx context.Context, letterID int64) ([]Fingerprint, error) {
	fs, err := scanFingerprints(t.query(ctx, `SELECT `+fingerprintCols+` FROM fingerprints WHERE letter_id = $1 ORDER BY id`, letterID))
	if err != nil {
		return nil, fmt.Errorf("fingerprints of letter %d: %w", letterID, err)
	}
	return fs, nil
}

const fingerprintCols = `id, letter_id, version_n, released, data`

// scanFingerprints reads the rows of a query of fingerprintCols.
func scanFingerprints(rows *sql.Rows, err error) ([]Fingerprint, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Fingerprint
	for rows.Next() {
		var f Fingerprint
		if err := rows.Scan(&f.ID, &f.LetterID, &f.VersionN, &f.Released, &f.Data); err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

// FingerprintsByID returns the fingerprints with these IDs; IDs not found are left out.
func (t *Tx) FingerprintsByID(ctx context.Context, ids []int64) ([]Fingerprint, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	ph := make([]string, len(ids))
	args := make([]any, len(ids))
	for i, id := range ids {
		ph[i], args[i] = fmt.Sprintf("$%d", i+1), id
	}
	// Not through the statement cache: the query's text depends on the number of IDs.
	fs, err := scanFingerprints(t.tx.QueryContext(t.statementCtx(ctx), `SELECT `+fingerprintCols+` FROM fingerprints WHERE id IN (`+strings.Join(ph, ",")+`) ORDER BY id`, args...))
	if err != nil {
		return nil, fmt.Errorf("fingerprints by id: %w", err)
	}
	return fs, nil
}

// VersionsWithoutFingerprint returns up to limit versions after (letterID, n), in order, that
// have no fingerprint row yet. A caller walks all of them by passing the last one returned.
func (t *Tx) VersionsWithoutFingerprint(ctx context.Context, letterID int64, n, limit int) ([]Version, error) {
	rows, err := t.query(ctx, `SELECT v.letter_id, v.n, v.digest, v.media_type, v.file_name, v.size, v.created_by, v.created_at FROM versions v
		LEFT JOIN fingerprints f ON f.letter_id = v.letter_id AND f.version_n = v.n AND f.released = 0
		WHERE (v.letter_id, v.n) > ($1, $2) AND f.id IS NULL ORDER BY v.letter_id, v.n LIMIT $3`, letterID, n, limit)
	if err != nil {
		return nil, fmt.Errorf("versions without fingerprint: %w", err)
	}
	defer rows.Close()
	var out []Version
	for rows.Next() {
		v, err := scanVersion(rows)
		if err != nil {
			return nil, fmt.Errorf("versions without fingerprint: %w", err)
		}
		out = append(out, *v)
	}
	return out, rows.Err()
}

// FingerprintIDs returns the IDs of the fingerprints of a letter's versions and released file.
func (t *Tx) FingerprintIDs(ctx context.Context, letterID int64) ([]int64, error) {
	rows, err := t.query(ctx, `SELECT id FROM fingerprints WHERE letter_id = $1 ORDER BY id`, letterID)
	if err != nil {
		return nil, fmt.Errorf("fingerprint ids: %w", err)
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("fingerprint ids: %w", err)
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// ReleasedFingerprintIDs returns the IDs of the fingerprints with text that are public: the
// released version's and the released file's of every released letter.
func (t *Tx) ReleasedFingerprintIDs(ctx context.Context) ([]int64, error) {
	rows, err := t.query(ctx, `SELECT f.id FROM fingerprints f JOIN releases r ON r.letter_id = f.letter_id AND r.version_n = f.version_n
		WHERE f.data IS NOT NULL ORDER BY f.id`)
	if err != nil {
		return nil, fmt.Errorf("released fingerprint ids: %w", err)
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("released fingerprint ids: %w", err)
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// ReleasesWithoutFingerprint returns up to limit releases, not erased, whose released file
// has no fingerprint row yet, in letter order after letterID.
func (t *Tx) ReleasesWithoutFingerprint(ctx context.Context, letterID int64, limit int) ([]Release, error) {
	rows, err := t.query(ctx, `SELECT `+prefixed("r.", releaseCols)+` FROM releases r
		LEFT JOIN fingerprints f ON f.letter_id = r.letter_id AND f.version_n = r.version_n AND f.released = 1
		WHERE r.letter_id > $1 AND f.id IS NULL AND r.erased_at IS NULL ORDER BY r.letter_id LIMIT $2`, letterID, limit)
	if err != nil {
		return nil, fmt.Errorf("releases without fingerprint: %w", err)
	}
	defer rows.Close()
	var out []Release
	for rows.Next() {
		r, err := scanRelease(rows)
		if err != nil {
			return nil, fmt.Errorf("releases without fingerprint: %w", err)
		}
		out = append(out, *r)
	}
	return out, rows.Err()
}

// flag is the 0 or 1 that an INTEGER flag column holds for b, in both backends.
func flag(b bool) int {
	if b {
		return 1
	}
	return 0
}

// prefixed qualifies each of a comma-separated list of columns with prefix.
func prefixed(prefix, cols string) string {
	fs := strings.Split(cols, ", ")
	for i := range fs {
		fs[i] = prefix + fs[i]
	}
	return strings.Join(fs, ", ")
}
