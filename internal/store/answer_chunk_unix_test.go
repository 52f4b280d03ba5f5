//go:build unix

package store

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"runtime"
	"testing"
)

// TestHeldAnswersOutsideHeap checks that held answers do not count in the Go heap, whose
// collector would otherwise set its goal at twice them (answer_chunk_unix.go), and that
// they read back intact across chunks.
func TestHeldAnswersOutsideHeap(t *testing.T) {
	m := newAnswerMirror()
	m.limit = 64 << 20
	m.revokedOK = true
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	body := bytes.Repeat([]byte("held answer "), 100)
	const n = 20000 // about 24 MB of records: several chunks
	m.mu.Lock()
	m.putPartLocked(1, []byte("checkpoint"), []byte("proofs"))
	for i := range n {
		d := heldDigest(i)
		m.putLocked(answerID(d), d, 1, append(body, byte(i)))
	}
	m.mu.Unlock()
	runtime.GC()
	runtime.ReadMemStats(&after)
	if len(m.chunks) < 2 {
		t.Fatalf("%d chunks; want several", len(m.chunks))
	}
	// The maps of locations and the chunks' slice headers stay on the heap: well under the
	// records' bytes.
	if grew := int64(after.HeapInuse) - int64(before.HeapInuse); grew > m.held/4 {
		t.Fatalf("the heap grew by %d bytes holding %d bytes of records", grew, m.held)
	}
	for _, i := range []int{0, 1, n / 2, n - 1} {
		d := heldDigest(i)
		a, ok := m.answer(d)
		if !ok || !bytes.Equal(a.Body, append(body, byte(i))) || string(a.Checkpoint) != "checkpoint" || string(a.KeyProofs) != "proofs" {
			t.Fatalf("record %d read back as %q, %v", i, a.Body, ok)
		}
	}
}

// heldDigest is a distinct digest for each i.
func heldDigest(i int) []byte {
	d := sha256.Sum256(fmt.Append(nil, i))
	return d[:]
}
