package store

import (
	"context"
	"fmt"
)

// LastFingerprintID returns the highest fingerprint ID, 0 when there is none.
func (t *Tx) LastFingerprintID(ctx context.Context) (int64, error) {
	var id int64
	if err := t.queryRow(ctx, `SELECT COALESCE(MAX(id), 0) FROM fingerprints`).Scan(&id); err != nil {
		return 0, fmt.Errorf("last fingerprint: %w", err)
	}
	return id, nil
}

// FingerprintsAfter returns up to limit fingerprints with IDs above after, in ID order, those
// without text included. Fingerprint IDs grow in commit order, since writers take turns.
func (t *Tx) FingerprintsAfter(ctx context.Context, after int64, limit int) ([]Fingerprint, error) {
	fs, err := scanFingerprints(t.query(ctx, `SELECT `+fingerprintCols+` FROM fingerprints WHERE id > $1 ORDER BY id LIMIT $2`, after, limit))
	if err != nil {
		return nil, fmt.Errorf("fingerprints after %d: %w", after, err)
	}
	return fs, nil
}

// ReleasedFingerprintsAfter returns the IDs of up to limit fingerprints of releases (their
// version's released row, with or without text) with IDs above after, in ID order: one read
// of the primary key's range after after, which holds the rows stored since a server indexed
// after.
func (t *Tx) ReleasedFingerprintsAfter(ctx context.Context, after int64, limit int) ([]int64, error) {
	rows, err := t.query(ctx, `SELECT id FROM fingerprints WHERE id > $1 AND released = 1 ORDER BY id LIMIT $2`, after, limit)
	if err != nil {
		return nil, fmt.Errorf("released fingerprints after %d: %w", after, err)
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("released fingerprints after %d: %w", after, err)
		}
		out = append(out, id)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("released fingerprints after %d: %w", after, err)
	}
	return out, nil
}
