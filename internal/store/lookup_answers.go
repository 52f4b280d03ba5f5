package store

import (
	"context"
	"database/sql"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"strings"
)

// Kept answers (issue 19 item 1). The public answer about a released letter that stands, with
// its kept seal, is kept in one row found by the released file's digest, so that a lookup of a
// known digest reads that row and its seal's shared part instead of the seven descents over
// six tables of LookupRelease. The store does not read the body
// (registry, answer.go, writes and serves it); Part names the kept seal's shared part
// (seal_parts), read with the row: in a registry that sealed few letters per checkpoint there
// are nearly as many parts as letters, too many to keep in memory.
//
// A row exists only while its letter stands: it is written in the transaction that keeps the
// release's seal (PutAnswer, or PutSealAnswer, which keeps the seal in the row instead of in
// seals; only if the release is neither withdrawn nor erased), and
// deleted in the transaction that withdraws (AddWithdrawal) or erases (EraseLetter) it. A
// signer key's revocation does not touch rows: Answer counts the revoked keys in the same
// statement, as LookupRelease does, and the registry gives the row only when none of the
// part's keys is among them. Migration 20 adds a row with Part 0 and no body for each letter
// that stood with a kept seal before it: such a row is pending (answers_pending indexes only
// those), answered as if absent, until the registry builds it (PendingAnswers).
//
// After the migrations, the table is written only by PutAnswer, PutSealAnswer, DropAnswer and
// MarkAnswerPending: a server holds copies of the rows in memory (answer_memory.go), which
// those methods keep in step. A new writer must go through them.

// The rows are found by an INTEGER PRIMARY KEY made of the digest's first 7 bytes, with the
// digest beside it: on SQLite, a row of a few KB stored in an index B-tree (a WITHOUT ROWID
// table keyed by the digest) keeps only about 1 KB of it in the leaf page, and the rest in
// overflow pages, each one more read (with 4 KiB pages, docs/benchmarks.md); in a table
// B-tree the row is in its leaf page, one descent from the root. Two digests with the same
// first 7 bytes (a chance of about 1 in 10^5 for a million letters) share the key: the first
// keeps the row, and the second is answered from its tables, as if none were kept.

// answerIDSQLite is the id of the digest written in column col ("sha256:" and hex), in SQLite,
// which has no function that reads hex as a number.
func answerIDSQLite(col string) string {
	var b strings.Builder
	for i := range 14 {
		if i > 0 {
			b.WriteString(" + ")
		}
		fmt.Fprintf(&b, "(instr('0123456789abcdef', lower(substr(%s, %d, 1))) - 1) * %d", col, 8+i, int64(1)<<(4*(13-i)))
	}
	return b.String()
}

var answersSQLite = `
CREATE TABLE answers (
	id     INTEGER PRIMARY KEY,          -- the digest's first 7 bytes (answerID)
	digest BLOB    NOT NULL,             -- the released file's SHA-256
	part   INTEGER NOT NULL,             -- seal_parts.id; 0 while pending
	body   BLOB    NOT NULL              -- registry, answer.go
);
CREATE INDEX answers_pending ON answers (id) WHERE part = 0;
INSERT INTO answers (id, digest, part, body)
SELECT ` + answerIDSQLite("r.file_digest") + `, unhex(substr(r.file_digest, 8)), 0, x''
FROM releases r JOIN seals s ON s.log_index = r.log_index
WHERE r.erased_at IS NULL AND NOT EXISTS (SELECT 1 FROM withdrawals w WHERE w.letter_id = r.letter_id)
	AND length(r.file_digest) = 71 AND unhex(substr(r.file_digest, 8)) IS NOT NULL
ON CONFLICT (id) DO NOTHING;
`

// On PostgreSQL the row is kept within its page (toast_tuple_target): a body of a few KB
// would otherwise be compressed or moved to the TOAST table, a decompression or a second
// index descent at every lookup.
const answersPostgres = `
CREATE TABLE answers (
	id     BIGINT PRIMARY KEY,
	digest BYTEA  NOT NULL,
	part   BIGINT NOT NULL,
	body   BYTEA  NOT NULL
) WITH (toast_tuple_target = 8160);
ALTER TABLE answers ALTER COLUMN body SET STORAGE EXTERNAL;
CREATE INDEX answers_pending ON answers (id) WHERE part = 0;
INSERT INTO answers (id, digest, part, body)
SELECT ('x' || substr(r.file_digest, 8, 14))::bit(56)::bigint, decode(substr(r.file_digest, 8), 'hex'), 0, ''::bytea
FROM releases r JOIN seals s ON s.log_index = r.log_index
WHERE r.erased_at IS NULL AND NOT EXISTS (SELECT 1 FROM withdrawals w WHERE w.letter_id = r.letter_id)
	AND r.file_digest ~ '^sha256:[0-9a-fA-F]{64}$'
ON CONFLICT (id) DO NOTHING;
`

// Migration 21 makes every kept answer pending again, for the registry to build it again in
// its packed form (issue 19 item 5; registry, answer_pack.go), about a third of the former
// row's bytes. A pending row is answered from the letter's tables until then. On SQLite the
// table is made again: rows made smaller in place would keep a page each (a row of about 3 KB
// filled a 4 KiB page), and the former table's pages are free pages, which the rebuilt rows
// and the next writes reuse (or which a backup and restore drop). On PostgreSQL the table is
// emptied and filled again, which gives its former pages back at once.
const (
	repackAnswersSQLite = `
CREATE TABLE answers_packed (
	id     INTEGER PRIMARY KEY,
	digest BLOB    NOT NULL,
	part   INTEGER NOT NULL,
	body   BLOB    NOT NULL
);
INSERT INTO answers_packed (id, digest, part, body) SELECT id, digest, 0, x'' FROM answers;
DROP TABLE answers;
ALTER TABLE answers_packed RENAME TO answers;
CREATE INDEX answers_pending ON answers (id) WHERE part = 0;
`
	repackAnswersPostgres = `
CREATE TEMPORARY TABLE answers_packed ON COMMIT DROP AS SELECT id, digest FROM answers;
TRUNCATE answers;
INSERT INTO answers (id, digest, part, body) SELECT id, digest, 0, ''::bytea FROM answers_packed;
`
)

// answerID is the key of the row for a digest: its first 7 bytes, a non-negative integer.
func answerID(d []byte) int64 { return int64(binary.BigEndian.Uint64(d[:8]) >> 8) }

// Answer is a kept answer's row, its seal's shared part, and the number of revoked signer keys
// in the same snapshot. Its slices may be shared with later lookups (held in memory,
// answer_memory.go): they are read-only.
type Answer struct {
	Part        int64
	Body        []byte
	Checkpoint  []byte // the part's (KeptSeal)
	KeyProofs   []byte // the part's SignerProofs (KeptSeal)
	RevokedKeys int64
}

const answerSelect = `SELECT a.part, a.body, p.checkpoint, p.signer_proofs,
	(SELECT COUNT(*) FROM signer_keys WHERE revoked_index IS NOT NULL)
FROM answers a LEFT JOIN seal_parts p ON p.id = a.part WHERE a.id = $1 AND a.digest = $2`

// Answer reads the kept answer for the released file with this digest ("sha256:" and 64 hex
// digits), from memory where it is held (HoldAnswers), else in one statement outside any
// transaction; ErrNotFound if none is kept.
func (db *DB) Answer(ctx context.Context, digest string) (Answer, error) {
	var a Answer
	d, err := digestBytes(digest)
	if err != nil {
		return a, err
	}
	if a, ok := db.answerFromMemory(d); ok {
		return a, nil
	}
	err = db.readOne(ctx, func(row *sql.Row) error {
		return row.Scan(&a.Part, &a.Body, &a.Checkpoint, &a.KeyProofs, &a.RevokedKeys)
	}, answerSelect, answerID(d), d)
	if err != nil {
		return Answer{}, notFound(err, "answer "+digest)
	}
	return a, nil
}

// PutAnswer keeps the answer for the released file with this digest, whose release entry is
// at index, under its kept seal's part, if its release stands (neither withdrawn nor erased)
// with a kept seal, replacing a pending or earlier row; otherwise it forgets any row kept
// for it.
func (t *Tx) PutAnswer(ctx context.Context, digest string, index int64, body []byte) error {
	d, err := digestBytes(digest)
	if err != nil {
		return err
	}
	// The part written is returned for the answers held in memory (answer_memory.go).
	var part sql.NullInt64
	err = t.queryRow(ctx, `INSERT INTO answers (id, digest, part, body)
SELECT $1, $2, s.part, $3 FROM releases r JOIN seals s ON s.log_index = r.log_index
WHERE r.log_index = $4 AND r.file_digest = $5 AND r.erased_at IS NULL
	AND NOT EXISTS (SELECT 1 FROM withdrawals w WHERE w.letter_id = r.letter_id)
ON CONFLICT (id) DO UPDATE SET part = excluded.part, body = excluded.body WHERE answers.digest = excluded.digest
RETURNING part`,
		answerID(d), d, body, index, fileDigestKey(digest)).Scan(&part)
	if err == sql.ErrNoRows {
		// The release does not stand (a pending row must not stay pending), or another
		// digest holds the key.
		return t.DropAnswer(ctx, digest)
	}
	if err != nil {
		return fmt.Errorf("put answer %s: %w", digest, err)
	}
	op := answerOp{id: answerID(d)}
	if part.Valid && part.Int64 != 0 {
		op.part, op.body = part.Int64, body
	}
	return t.answerChanged(ctx, d, op)
}

// MarkAnswerPending makes the kept answer for this digest pending, as migration 20 leaves the
// answers of the letters released before it (for tests of BuildAnswers). A seal kept in the
// row (PutSealAnswer) goes with its body: those migrations only left pending the answers of
// letters whose seals were in seals.
func (t *Tx) MarkAnswerPending(ctx context.Context, digest string) error {
	d, err := digestBytes(digest)
	if err != nil {
		return err
	}
	if _, err := t.exec(ctx, `UPDATE answers SET part = 0, body = $3 WHERE id = $1 AND digest = $2`, answerID(d), d, []byte{}); err != nil {
		return fmt.Errorf("mark answer %s pending: %w", digest, err)
	}
	return t.answerChanged(ctx, d, answerOp{id: answerID(d)})
}

// DropAnswer forgets the kept answer for the file with this digest, if any.
func (t *Tx) DropAnswer(ctx context.Context, digest string) error {
	d, err := digestBytes(digest)
	if err != nil {
		return nil // no row is kept under a digest of another form
	}
	if _, err := t.exec(ctx, `DELETE FROM answers WHERE id = $1 AND digest = $2`, answerID(d), d); err != nil {
		return fmt.Errorf("drop answer %s: %w", digest, err)
	}
	return t.answerChanged(ctx, d, answerOp{id: answerID(d)})
}

// dropAnswerOf forgets the kept answer of the released letter letterID, if any: its answer
// is changing (withdrawal, erasure) in this transaction.
func (t *Tx) dropAnswerOf(ctx context.Context, letterID int64) error {
	var digest string
	err := t.queryRow(ctx, `SELECT file_digest FROM releases WHERE letter_id = $1`, letterID).Scan(fileDigestText{&digest})
	if err == sql.ErrNoRows {
		return nil
	}
	if err != nil {
		return fmt.Errorf("drop answer of letter %d: %w", letterID, err)
	}
	return t.DropAnswer(ctx, digest)
}

// PendingAnswers returns the digests of up to n pending answers (migration 20), to be built.
func (t *Tx) PendingAnswers(ctx context.Context, n int) ([]string, error) {
	rows, err := t.query(ctx, `SELECT digest FROM answers WHERE part = 0 LIMIT $1`, n)
	if err != nil {
		return nil, fmt.Errorf("pending answers: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var d []byte
		if err := rows.Scan(&d); err != nil {
			return nil, fmt.Errorf("pending answers: %w", err)
		}
		out = append(out, "sha256:"+hex.EncodeToString(d))
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("pending answers: %w", err)
	}
	return out, nil
}

// digestBytes returns the 32 bytes of a file digest written "sha256:" and 64 hex digits.
func digestBytes(digest string) ([]byte, error) {
	h, ok := strings.CutPrefix(digest, "sha256:")
	if !ok || len(h) != 64 {
		return nil, fmt.Errorf("file digest %q: not sha256: and 64 hex digits", digest)
	}
	d, err := hex.DecodeString(h)
	if err != nil {
		return nil, fmt.Errorf("file digest %q: %w", digest, err)
	}
	return d, nil
}
