package store

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"sync"
)

// Kept answers held in memory (issue 19 item 1). A lookup of a known digest read its answer's
// row and its seal part's row from SQLite: two B-tree descents and their page reads, and a
// read transaction's start, most of a lookup's cost when lookups are spread over many letters
// (docs/benchmarks.md). A server on SQLite can hold the rows themselves in memory
// (DB.HoldAnswers), because under serve's lock its process is the store's only writer: every
// change to the answers table is made by this process's transactions, which keep the copy in
// step. On PostgreSQL other servers change the table, and nothing is held.
//
// What is held is what Answer reads, exactly: each row that is not pending (its digest, part
// and body), each seal part such a row names, and the number of revoked signer keys. A copy
// is never newer than the table, and never older than the last commit acknowledged:
//
//   - A transaction that writes a row (PutAnswer, DropAnswer, MarkAnswerPending) forgets the
//     held copy at once, before it commits, and records what it wrote; after its commit, and
//     before any later transaction runs and before its Update returns, what it wrote is held
//     (group.go, batchDone). A transaction that fails, or a commit that errs, leaves the
//     digests forgotten: their lookups read the table.
//   - A transaction that revokes a key makes the held count unusable before it commits; after
//     the batch, the count is read again from a snapshot that includes it.
//   - The copy is filled from the table in the background (HoldAnswers), in snapshots that may
//     be older than writes that happen meanwhile: a row a transaction wrote after the fill
//     began is not taken from a snapshot (touched), and a count read in a snapshot is not
//     taken if a revocation was recorded since the read began (keysEpoch).
//
// Memory: the records are kept in chunks of bytes with no pointers, mapped outside the Go
// heap where the system allows (answer_chunk_unix.go), found through maps of integers: about
// 1.3 KB per letter (its body, 1.2 KB on average in the 143,480-letter benchmark registry, its
// digest and part), and each seal part once (about 0.7 KB; one part per checkpoint's worth of
// letters), within the limit given to HoldAnswers. Rows past the limit are not held, and a
// forgotten record's bytes are not reused until the server restarts: letters withdrawn or
// erased, or re-kept, leave their old record behind, and once the limit is reached further
// letters are answered from the table.

const answerChunk = 4 << 20

type answerMirror struct {
	mu    sync.RWMutex
	limit int64            // bytes of records it may hold: 0 until HoldAnswers
	ids   map[int64]uint64 // answerID → location of the row's record (chunk<<32 | offset)
	parts map[int64]uint64 // seal_parts.id → location of the part's record
	// chunks hold records: a row's is digest (32 bytes) | uvarint part | uvarint len | body;
	// a part's uvarint len | checkpoint | uvarint len | signer proofs. Bytes once written are
	// never changed, so that a lookup's slices stay valid after it lets go of the lock.
	chunks [][]byte
	held   int64
	// revoked is the count of revoked signer keys, usable while revokedOK.
	revoked   int64
	revokedOK bool
	keysEpoch uint64
	// touched holds the rows written since the fill began, while it runs.
	touched map[int64]struct{}
}

// answerOp is a write to the answers table recorded by a transaction: a row kept (body set,
// with its part, and the part's columns if it was not held when the row was written), or
// forgotten (body nil).
type answerOp struct {
	id                 int64
	digest             []byte
	part               int64
	body               []byte
	checkpoint, proofs []byte
}

func newAnswerMirror() *answerMirror {
	return &answerMirror{ids: map[int64]uint64{}, parts: map[int64]uint64{}}
}

// holding reports whether rows are held (HoldAnswers was called).
func (m *answerMirror) holding() bool {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return m.limit > 0
}

func (m *answerMirror) hasPart(part int64) bool {
	m.mu.RLock()
	defer m.mu.RUnlock()
	_, ok := m.parts[part]
	return ok
}

// forgetLocked drops the row with id, and marks it touched while a fill runs.
func (m *answerMirror) forgetLocked(id int64) {
	delete(m.ids, id)
	if m.touched != nil {
		m.touched[id] = struct{}{}
	}
}

// alloc returns room for n bytes at the end of the chunks, and its location; false when
// that would pass the limit.
func (m *answerMirror) alloc(n int) ([]byte, uint64, bool) {
	if m.held+int64(n) > m.limit {
		return nil, 0, false
	}
	last := len(m.chunks) - 1
	if last < 0 || cap(m.chunks[last])-len(m.chunks[last]) < n {
		m.chunks = append(m.chunks, newAnswerChunk(max(answerChunk, n)))
		last++
	}
	c := m.chunks[last]
	off := len(c)
	m.chunks[last] = c[:off+n]
	m.held += int64(n)
	return m.chunks[last][off : off+n : off+n], uint64(last)<<32 | uint64(off), true
}

func (m *answerMirror) record(loc uint64) []byte {
	return m.chunks[loc>>32][loc&(1<<32-1):]
}

// putPartLocked holds a seal part, if it is not held.
func (m *answerMirror) putPartLocked(part int64, checkpoint, proofs []byte) bool {
	if _, ok := m.parts[part]; ok {
		return true
	}
	n := uvarintLen(len(checkpoint)) + len(checkpoint) + uvarintLen(len(proofs)) + len(proofs)
	b, loc, ok := m.alloc(n)
	if !ok {
		return false
	}
	w := binary.AppendUvarint(b[:0], uint64(len(checkpoint)))
	w = append(w, checkpoint...)
	w = binary.AppendUvarint(w, uint64(len(proofs)))
	copy(b[len(w):], proofs)
	m.parts[part] = loc
	return true
}

// putLocked holds a row, its part being held.
func (m *answerMirror) putLocked(id int64, digest []byte, part int64, body []byte) {
	if _, ok := m.parts[part]; !ok || len(digest) != 32 {
		return
	}
	n := 32 + uvarintLen(int(part)) + uvarintLen(len(body)) + len(body)
	b, loc, ok := m.alloc(n)
	if !ok {
		return
	}
	w := append(b[:0], digest...)
	w = binary.AppendUvarint(w, uint64(part))
	w = binary.AppendUvarint(w, uint64(len(body)))
	copy(b[len(w):], body)
	m.ids[id] = loc
}

func uvarintLen(n int) int {
	var b [binary.MaxVarintLen64]byte
	return len(binary.AppendUvarint(b[:0], uint64(n)))
}

// answer returns the held answer for digest d (32 bytes), as Answer reads it; false when it is
// not held. Its slices are shared: the caller must not change them.
func (m *answerMirror) answer(d []byte) (Answer, bool) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	if !m.revokedOK {
		return Answer{}, false
	}
	loc, ok := m.ids[answerID(d)]
	if !ok {
		return Answer{}, false
	}
	rec := m.record(loc)
	if !bytes.Equal(rec[:32], d) {
		return Answer{}, false // another digest with the same first 7 bytes holds the row
	}
	rec = rec[32:]
	part, n := binary.Uvarint(rec)
	rec = rec[n:]
	size, n := binary.Uvarint(rec)
	body := rec[n : n+int(size) : n+int(size)]
	ploc, ok := m.parts[int64(part)]
	if !ok {
		return Answer{}, false
	}
	p := m.record(ploc)
	size, n = binary.Uvarint(p)
	checkpoint := p[n : n+int(size) : n+int(size)]
	p = p[n+int(size):]
	size, n = binary.Uvarint(p)
	proofs := p[n : n+int(size) : n+int(size)]
	return Answer{Part: int64(part), Body: body, Checkpoint: checkpoint, KeyProofs: proofs, RevokedKeys: m.revoked}, true
}

// changed records, in t, a write to the row of digest d: the row is forgotten now, and op (a
// row kept) is held after the commit.
func (t *Tx) answerChanged(ctx context.Context, d []byte, op answerOp) error {
	m := t.answers
	if m == nil {
		return nil
	}
	m.mu.Lock()
	m.forgetLocked(op.id)
	m.mu.Unlock()
	if op.body != nil && m.holding() && !m.hasPart(op.part) {
		err := t.queryRow(ctx, `SELECT checkpoint, signer_proofs FROM seal_parts WHERE id = $1`, op.part).Scan(&op.checkpoint, &op.proofs)
		if err != nil {
			return fmt.Errorf("seal part %d: %w", op.part, err)
		}
	}
	op.digest = d
	t.answerOps = append(t.answerOps, op)
	return nil
}

// keysChanged records, in t, a revoked signer key: the held count is not used from now until
// it is read again after the batch.
func (t *Tx) keysChanged() {
	m := t.answers
	if m == nil {
		return
	}
	m.mu.Lock()
	m.keysEpoch++
	m.revokedOK = false
	m.mu.Unlock()
	t.revokedKey = true
}

// batchDone keeps the held rows in step with the transaction t after it ended, committed or
// not, before any other transaction begins and before its callers' Update calls return.
func (db *DB) batchDone(t *Tx, committed bool) {
	m := db.answers
	if m == nil {
		return
	}
	if len(t.answerOps) > 0 {
		m.mu.Lock()
		for _, op := range t.answerOps {
			m.forgetLocked(op.id)
			if committed && op.body != nil && m.limit > 0 {
				if op.checkpoint != nil {
					m.putPartLocked(op.part, op.checkpoint, op.proofs)
				}
				m.putLocked(op.id, op.digest, op.part, op.body)
			}
		}
		m.mu.Unlock()
	}
	if t.revokedKey && m.holding() {
		db.readRevokedCount(context.Background())
	}
}

// readRevokedCount reads the count of revoked signer keys and holds it, unless a revocation
// was recorded since the read began.
func (db *DB) readRevokedCount(ctx context.Context) {
	m := db.answers
	m.mu.RLock()
	epoch := m.keysEpoch
	m.mu.RUnlock()
	var n int64
	if err := db.r.QueryRowContext(ctx, `SELECT COUNT(*) FROM signer_keys WHERE revoked_index IS NOT NULL`).Scan(&n); err != nil {
		return // the count stays unusable: lookups read the table
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.keysEpoch == epoch {
		m.revoked, m.revokedOK = n, true
	}
}

// HoldAnswers holds the kept answers in memory, up to limit bytes of records, so that Answer
// reads none of them from the table (see the top of this file). Only a process that is the
// store's only writer may call it (serve, under the data directory's lock); it does nothing on
// PostgreSQL. The rows are read in the background: until one is held, its lookups read the
// table. Once they are read, it calls done (unless stopped before). It returns a function that
// stops the reading and waits for it; what is held stays held and in step.
func (db *DB) HoldAnswers(limit int64, done func(rows int, bytes int64, err error)) (stop func()) {
	m := db.answers
	if m == nil || limit <= 0 {
		return func() {}
	}
	m.mu.Lock()
	m.limit = limit
	m.touched = map[int64]struct{}{}
	m.mu.Unlock()
	ctx, cancel := context.WithCancel(context.Background())
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		rows, err := db.fillAnswers(ctx)
		m.mu.Lock()
		m.touched = nil
		held := m.held
		m.mu.Unlock()
		if done != nil && ctx.Err() == nil {
			done(rows, held, err)
		}
	}()
	return func() {
		cancel()
		<-finished
	}
}

// fillAnswers reads the answers table into m, a few hundred rows per snapshot, until the
// limit; it returns how many rows it holds.
func (db *DB) fillAnswers(ctx context.Context) (int, error) {
	m := db.answers
	db.readRevokedCount(ctx)
	held, after := 0, int64(-1)
	for {
		var batch []heldRow
		err := db.View(ctx, func(tx *Tx) error {
			rows, err := tx.query(ctx, `SELECT a.id, a.digest, a.part, a.body, p.checkpoint, p.signer_proofs
FROM answers a JOIN seal_parts p ON p.id = a.part WHERE a.id > $1 AND a.part <> 0 ORDER BY a.id LIMIT 500`, after)
			if err != nil {
				return err
			}
			defer rows.Close()
			for rows.Next() {
				var r heldRow
				if err := rows.Scan(&r.id, &r.digest, &r.part, &r.body, &r.checkpoint, &r.proofs); err != nil {
					return err
				}
				batch = append(batch, r)
			}
			return rows.Err()
		})
		if err != nil {
			return held, fmt.Errorf("hold kept answers: %w", err)
		}
		if len(batch) == 0 {
			return held, nil
		}
		after = batch[len(batch)-1].id
		n, full := m.fill(batch)
		held += n
		if full {
			return held, nil
		}
	}
}

// heldRow is a row of the answers table with its seal part, as a fill reads it.
type heldRow struct {
	id, part                         int64
	digest, body, checkpoint, proofs []byte
}

// fill holds rows read from a snapshot taken after the fill began, except those written
// since then, whose held state is newer than the snapshot's; it returns how many it holds,
// and whether the limit was reached.
func (m *answerMirror) fill(rows []heldRow) (held int, full bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, r := range rows {
		if _, ok := m.touched[r.id]; ok {
			continue
		}
		if _, ok := m.ids[r.id]; ok {
			continue
		}
		if !m.putPartLocked(r.part, r.checkpoint, r.proofs) {
			return held, true
		}
		before := len(m.ids)
		m.putLocked(r.id, r.digest, r.part, r.body)
		if len(m.ids) == before {
			return held, true
		}
		held++
	}
	return held, false
}

// answerFromMemory is Answer's read of a held row.
func (db *DB) answerFromMemory(d []byte) (Answer, bool) {
	if db.answers == nil {
		return Answer{}, false
	}
	return db.answers.answer(d)
}

// HeldAnswers returns how many kept answers are held in memory, and the bytes their records
// and seal parts take (with those of forgotten records, which are not reused).
func (db *DB) HeldAnswers() (letters int, bytes int64) {
	m := db.answers
	if m == nil {
		return 0, 0
	}
	m.mu.RLock()
	defer m.mu.RUnlock()
	return len(m.ids), m.held
}
