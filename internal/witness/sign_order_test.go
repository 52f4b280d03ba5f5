package witness

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"testing"

	"golang.org/x/mod/sumdb/note"
)

// hookSigner runs hook before its first signature.
type hookSigner struct {
	note.Signer
	once sync.Once
	hook func()
}

func (s *hookSigner) Sign(msg []byte) ([]byte, error) {
	s.once.Do(s.hook)
	return s.Signer.Sign(msg)
}

// TestCosignedBeforeALargerTreeIsRecorded: a cosignature/v1 says that at its time the tree
// is the largest the witness has seen of the log (C2SP tlog-cosignature). The witness signed
// after it released the write lock, so a request that recorded a larger tree meanwhile left
// the first request's cosignature, of the smaller tree, timed after the larger was recorded:
// a stale checkpoint dated as fresh. It now signs under the lock: the larger tree's request
// waits for the signature.
func TestCosignedBeforeALargerTreeIsRecorded(t *testing.T) {
	ctx := context.Background()
	lg, w, _, size := cosignedAt(t, "chancery", 3)
	_, cp := lg.Latest()
	lg.grow(2)
	size2, cp2 := lg.Latest()
	larger := formatRequest(size, lg.proof(size, size2), cp2)

	plain := NewServer(w.st, w.key, nil)
	largerDone := make(chan int, 1)
	largerFirst := false
	hooked := &hookSigner{Signer: w.key.signer, hook: func() {
		// The smaller tree is about to be signed: send the larger one, and see whether it is
		// recorded before the signature is made, or waits for the witness's database.
		go func() {
			rec := httptest.NewRecorder()
			plain.ServeHTTP(rec, httptest.NewRequest("POST", "/add-checkpoint", bytes.NewReader(larger)))
			largerDone <- rec.Code
		}()
		for {
			select {
			case code := <-largerDone:
				largerDone <- code
				largerFirst = true
				return
			default:
			}
			if waitingForDatabase() {
				return
			}
			runtime.Gosched()
		}
	}}
	srv := NewServer(w.st, &Key{signer: hooked, vkey: w.key.vkey}, nil)
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, httptest.NewRequest("POST", "/add-checkpoint", bytes.NewReader(formatRequest(size, nil, cp))))
	if rec.Code != http.StatusOK {
		t.Fatalf("the held checkpoint again: %d %s", rec.Code, rec.Body)
	}
	if code := <-largerDone; code != http.StatusOK {
		t.Fatalf("the larger checkpoint: %d", code)
	}
	if largerFirst {
		t.Errorf("the cosignature of size %d was signed after size %d was recorded", size, size2)
	}
	if logs, err := w.st.Logs(ctx); err != nil || logs[0].Size != size2 {
		t.Fatalf("held %+v, %v; want size %d", logs, err, size2)
	}
}

// waitingForDatabase reports whether a goroutine of the witness waits for the store's one
// connection.
func waitingForDatabase() bool {
	buf := make([]byte, 1<<20)
	n := runtime.Stack(buf, true)
	for _, g := range strings.Split(string(buf[:n]), "\n\n") {
		if strings.Contains(g, "[select") && strings.Contains(g, "database/sql.(*DB).conn") && strings.Contains(g, "witness.(*Store)") {
			return true
		}
	}
	return false
}
