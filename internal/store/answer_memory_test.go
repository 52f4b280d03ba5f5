package store

import (
	"bytes"
	"testing"
)

// TestAnswerMirrorFill checks the rules of held answers that a fill from an older snapshot
// relies on (answer_memory.go): a row written after the fill began is not taken from the
// snapshot, a digest that shares a row's key is not answered from it, nothing is answered
// while the count of revoked keys is unknown, and nothing is held past the limit.
func TestAnswerMirrorFill(t *testing.T) {
	m := newAnswerMirror()
	m.limit = 1 << 20
	m.touched = map[int64]struct{}{}
	digest := func(b byte) []byte { d := bytes.Repeat([]byte{b}, 32); return d }
	row := func(b byte, body string) heldRow {
		return heldRow{id: answerID(digest(b)), part: 7, digest: digest(b), body: []byte(body), checkpoint: []byte("checkpoint"), proofs: []byte{1, 2, 3}}
	}
	// Letter 1 is withdrawn (its row forgotten) after the fill began, and read as it stood
	// from a snapshot taken before.
	m.mu.Lock()
	m.forgetLocked(answerID(digest(1)))
	m.mu.Unlock()
	if n, full := m.fill([]heldRow{row(1, "stale"), row(2, "two")}); n != 1 || full {
		t.Fatalf("fill: %d held, full %v; want 1, false", n, full)
	}
	if _, ok := m.answer(digest(2)); ok {
		t.Fatal("answered before the count of revoked keys is known")
	}
	m.revoked, m.revokedOK = 3, true
	if a, ok := m.answer(digest(1)); ok {
		t.Fatalf("a row forgotten after the fill began was held from the older snapshot: %q", a.Body)
	}
	a, ok := m.answer(digest(2))
	if !ok || string(a.Body) != "two" || string(a.Checkpoint) != "checkpoint" || !bytes.Equal(a.KeyProofs, []byte{1, 2, 3}) || a.Part != 7 || a.RevokedKeys != 3 {
		t.Fatalf("held answer %+v, %v", a, ok)
	}
	// Another digest with the same first 7 bytes: its key holds letter 2's row.
	other := digest(2)
	other[31] = 9
	if _, ok := m.answer(other); ok {
		t.Fatal("a digest answered from another digest's row")
	}
	// Past the limit, rows are not held (and are answered from the table).
	m.limit = m.held + 40
	if n, full := m.fill([]heldRow{row(3, "three"), row(4, string(make([]byte, 100)))}); n != 1 || !full {
		t.Fatalf("fill at the limit: %d held, full %v; want 1, true", n, full)
	}
	if _, ok := m.answer(digest(4)); ok {
		t.Fatal("a row past the limit is held")
	}
	if m.held > m.limit {
		t.Fatalf("%d bytes held, limit %d", m.held, m.limit)
	}
}
