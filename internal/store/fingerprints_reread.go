package store

import (
	"context"
	"database/sql"
	"fmt"
)

// StoredFingerprint is a fingerprint row with text and the file it was computed from: the
// version's, or for a released row the released file. ReleaseType and ReleaseDigest are ""
// for a version's row.
type StoredFingerprint struct {
	Fingerprint
	VersionType   string
	VersionDigest string
	ReleaseType   string
	ReleaseDigest string
}

// FingerprintsOfLetters returns the fingerprint rows with text of the letters after after
// and through through, by letter and ID, with the files they were computed from. The
// released row of an erased release is left out (erasure deletes it in any case).
func (t *Tx) FingerprintsOfLetters(ctx context.Context, after, through int64) ([]StoredFingerprint, error) {
	rows, err := t.query(ctx, `SELECT f.id, f.letter_id, f.version_n, f.released, f.data, v.media_type, v.digest, r.media_type, r.file_digest
		FROM fingerprints f JOIN versions v ON v.letter_id = f.letter_id AND v.n = f.version_n
		LEFT JOIN releases r ON f.released = 1 AND r.letter_id = f.letter_id AND r.version_n = f.version_n
		WHERE f.letter_id > $1 AND f.letter_id <= $2 AND f.data IS NOT NULL AND (f.released = 0 OR r.erased_at IS NULL)
		ORDER BY f.letter_id, f.id`, after, through)
	if err != nil {
		return nil, fmt.Errorf("fingerprints of letters %d to %d: %w", after+1, through, err)
	}
	defer rows.Close()
	var out []StoredFingerprint
	for rows.Next() {
		var f StoredFingerprint
		var releaseType sql.NullString
		if err := rows.Scan(&f.ID, &f.LetterID, &f.VersionN, &f.Released, &f.Data, &f.VersionType, fileDigestText{&f.VersionDigest},
			&releaseType, fileDigestText{&f.ReleaseDigest}); err != nil {
			return nil, fmt.Errorf("fingerprints of letters %d to %d: %w", after+1, through, err)
		}
		f.ReleaseType = releaseType.String
		if f.Released && f.ReleaseDigest == "" {
			continue // a released row without its release: none is made so
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

// LastFingerprintLetter returns the highest letter ID that has a fingerprint row, 0 when there
// is none.
func (t *Tx) LastFingerprintLetter(ctx context.Context) (int64, error) {
	var id int64
	if err := t.queryRow(ctx, `SELECT COALESCE(MAX(letter_id), 0) FROM fingerprints`).Scan(&id); err != nil {
		return 0, fmt.Errorf("last fingerprinted letter: %w", err)
	}
	return id, nil
}

// ReplaceFingerprint sets the data of fingerprint id to data (nil: the row has no text of its
// own), if it still holds old; it reports whether it did (old and data may be equal). A row
// deleted since (an erasure), or changed by another writer, is left as it is.
func (t *Tx) ReplaceFingerprint(ctx context.Context, id int64, old, data []byte) (bool, error) {
	res, err := t.exec(ctx, `UPDATE fingerprints SET data = $2 WHERE id = $1 AND data = $3`, id, data, old)
	if err != nil {
		return false, fmt.Errorf("replace fingerprint %d: %w", id, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("replace fingerprint %d: %w", id, err)
	}
	return n == 1, nil
}
