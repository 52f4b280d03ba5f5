package store

import (
	"context"
	"fmt"
)

// PutSeal keeps the seal of the release entry at index, if that release exists and its
// content was not erased (the seal holds its opening); a seal already kept stays (the first
// one proves what any later one would).
func (t *Tx) PutSeal(ctx context.Context, index int64, seal []byte) error {
	_, err := t.exec(ctx, `INSERT INTO seals (log_index, seal)
SELECT $1, $2 WHERE EXISTS (SELECT 1 FROM releases WHERE log_index = $1 AND erased_at IS NULL)
ON CONFLICT (log_index) DO NOTHING`, index, seal)
	if err != nil {
		return fmt.Errorf("put seal of %d: %w", index, err)
	}
	return nil
}

// Seal returns the kept seal of the release entry at index; ErrNotFound if none is kept.
func (t *Tx) Seal(ctx context.Context, index int64) ([]byte, error) {
	var b []byte
	if err := t.queryRow(ctx, `SELECT seal FROM seals WHERE log_index = $1`, index).Scan(&b); err != nil {
		return nil, notFound(err, fmt.Sprintf("seal of %d", index))
	}
	return b, nil
}

// DeleteSeal forgets the kept seal of the release entry at index, if any (erasure).
func (t *Tx) DeleteSeal(ctx context.Context, index int64) error {
	if _, err := t.exec(ctx, `DELETE FROM seals WHERE log_index = $1`, index); err != nil {
		return fmt.Errorf("delete seal of %d: %w", index, err)
	}
	return nil
}
