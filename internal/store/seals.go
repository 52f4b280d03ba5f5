package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/binary"
	"fmt"
)

// KeptSeal is a kept seal in the parts the store keeps (issue 19 item 5): Proof, the release
// entry's inclusion proof, is the seal's own; Checkpoint and SignerProofs (the signer keys'
// inclusion proofs in it) are the same for every release sealed against the same checkpoint
// by the same keys, and are kept once for all of them. The store does not read the parts
// (registry, keptseals.go, encodes them). Since migration 26 a seal whose answer is kept is
// kept in that answer (PutSealAnswer), and seals holds only the others.
type KeptSeal struct {
	Checkpoint   []byte
	SignerProofs []byte
	Proof        []byte
}

// partHash identifies a shared part: the length prefix keeps a checkpoint from running into
// the proofs that follow it.
func partHash(s KeptSeal) []byte {
	h := sha256.New()
	h.Write(binary.AppendUvarint(nil, uint64(len(s.Checkpoint))))
	h.Write(s.Checkpoint)
	h.Write(s.SignerProofs)
	return h.Sum(nil)
}

// PutSeal keeps the seal of the release entry at index, if that release exists and its
// content was not erased (a seal is only given with the release's opening); a seal already
// kept stays (the first one proves what any later one would).
func (t *Tx) PutSeal(ctx context.Context, index int64, s KeptSeal) error {
	hash := partHash(s)
	const kept = `EXISTS (SELECT 1 FROM releases WHERE log_index = $1 AND erased_at IS NULL)
		AND NOT EXISTS (SELECT 1 FROM seals WHERE log_index = $1)`
	_, err := t.exec(ctx, `INSERT INTO seal_parts (hash, checkpoint, signer_proofs)
SELECT $2, $3, $4 WHERE `+kept+`
ON CONFLICT (hash) DO NOTHING`, index, hash, s.Checkpoint, s.SignerProofs)
	if err != nil {
		return fmt.Errorf("put seal of %d: %w", index, err)
	}
	_, err = t.exec(ctx, `INSERT INTO seals (log_index, part, proof)
SELECT $1, p.id, $3 FROM seal_parts p WHERE p.hash = $2 AND `+kept+`
ON CONFLICT (log_index) DO NOTHING`, index, hash, s.Proof)
	if err != nil {
		return fmt.Errorf("put seal of %d: %w", index, err)
	}
	return nil
}

// Seal returns the kept seal of the release entry at index, in one read; ErrNotFound if none
// is kept.
func (t *Tx) Seal(ctx context.Context, index int64) (KeptSeal, error) {
	var s KeptSeal
	err := t.queryRow(ctx, `SELECT p.checkpoint, p.signer_proofs, s.proof FROM seals s
JOIN seal_parts p ON p.id = s.part WHERE s.log_index = $1`, index).Scan(&s.Checkpoint, &s.SignerProofs, &s.Proof)
	if err != nil {
		return KeptSeal{}, notFound(err, fmt.Sprintf("seal of %d", index))
	}
	return s, nil
}

// DeleteSeal forgets the kept seal of the release entry at index, if any (erasure). Its
// shared part stays: it holds nothing of the letter (a checkpoint and the signer keys' public
// entries' proofs), and other seals may use it.
func (t *Tx) DeleteSeal(ctx context.Context, index int64) error {
	if _, err := t.exec(ctx, `DELETE FROM seals WHERE log_index = $1`, index); err != nil {
		return fmt.Errorf("delete seal of %d: %w", index, err)
	}
	return nil
}

// PutSealAnswer keeps the seal s of the release entry at index, whose released file has this
// digest, inside the kept answer body (registry, answer.go), which holds the seal's own
// proof: the answer row names the seal's shared part, and no seals row is written (issue 19
// item 5, ninth pass). It does so only if the release stands (neither withdrawn nor erased),
// no seal is kept for it in seals, and no answer other than a pending one is kept for it (the
// first seal kept stays). When another digest holds the answer's key, the seal is kept in
// seals instead, as PutSeal keeps it. It reports whether the answer row was written.
func (t *Tx) PutSealAnswer(ctx context.Context, digest string, index int64, s KeptSeal, body []byte) (bool, error) {
	d, err := digestBytes(digest)
	if err != nil {
		return false, err
	}
	hash := partHash(s)
	const stands = `r.log_index = $4 AND r.file_digest = $5 AND r.erased_at IS NULL
	AND NOT EXISTS (SELECT 1 FROM withdrawals w WHERE w.letter_id = r.letter_id)
	AND NOT EXISTS (SELECT 1 FROM seals WHERE log_index = $4)`
	_, err = t.exec(ctx, `INSERT INTO seal_parts (hash, checkpoint, signer_proofs)
SELECT $1, $2, $3 WHERE EXISTS (SELECT 1 FROM releases r WHERE `+stands+`)
ON CONFLICT (hash) DO NOTHING`, hash, s.Checkpoint, s.SignerProofs, index, fileDigestKey(digest))
	if err != nil {
		return false, fmt.Errorf("put seal of %d: %w", index, err)
	}
	var part int64
	err = t.queryRow(ctx, `INSERT INTO answers (id, digest, part, body)
SELECT $1, $2, p.id, $3 FROM releases r JOIN seal_parts p ON p.hash = $6 WHERE `+stands+`
ON CONFLICT (id) DO UPDATE SET part = excluded.part, body = excluded.body
	WHERE answers.digest = excluded.digest AND answers.part = 0
RETURNING part`, answerID(d), d, body, index, fileDigestKey(digest), hash).Scan(&part)
	if err == nil {
		return true, t.answerChanged(ctx, d, answerOp{id: answerID(d), part: part, body: body})
	}
	if err != sql.ErrNoRows {
		return false, fmt.Errorf("put seal of %d: %w", index, err)
	}
	// Not written: the release does not stand, a seal is kept already (in seals or in this
	// digest's answer), or another digest holds the key. Only in the last case is the seal
	// kept in seals.
	_, err = t.exec(ctx, `INSERT INTO seals (log_index, part, proof)
SELECT $4, p.id, $3 FROM releases r JOIN seal_parts p ON p.hash = $6 WHERE `+stands+`
	AND NOT EXISTS (SELECT 1 FROM answers a WHERE a.id = $1 AND a.digest = $2)
ON CONFLICT (log_index) DO NOTHING`, answerID(d), d, s.Proof, index, fileDigestKey(digest), hash)
	if err != nil {
		return false, fmt.Errorf("put seal of %d: %w", index, err)
	}
	return false, nil
}
