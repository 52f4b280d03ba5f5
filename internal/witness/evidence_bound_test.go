package witness

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"golang.org/x/mod/sumdb/note"
)

// TestEvidenceBoundedPerLog: every refused checkpoint a log signed is kept as evidence once
// (item 107), up to 16 KiB each, so a log whose key signs forks without end (a hostile log,
// or one whose key leaked) filled the witness's disk, which its other logs share. The first
// MaxEvidence a log signed are kept; they are proof enough.
func TestEvidenceBoundedPerLog(t *testing.T) {
	ctx := context.Background()
	k := newLogKey(t)
	dir := t.TempDir()
	key, err := LoadKey(dir, "witness.test.example/chancery")
	if err != nil {
		t.Fatal(err)
	}
	st, err := OpenStore(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := st.AddLog(ctx, testOrigin, k.vkey); err != nil {
		t.Fatal(err)
	}
	srv := NewServer(st, key, nil)
	// Unverified signature lines of other keys make each request the largest a witness reads.
	var pad []byte
	for i := range 90 {
		other, err := note.Sign(&note.Note{Text: "x\n"}, newLogKeyNamed(t, fmt.Sprintf("pad%02d.%s", i, bytes.Repeat([]byte("p"), 60))))
		if err != nil {
			t.Fatal(err)
		}
		_, line, _ := bytes.Cut(other, []byte("\n\n"))
		pad = append(pad, line...)
	}
	for i := range MaxEvidence + 20 {
		root := sha256.Sum256(fmt.Appendf(nil, "fork %d", i))
		text := fmt.Sprintf("%s\n0\n%s\n", testOrigin, base64.StdEncoding.EncodeToString(root[:]))
		signed, err := note.Sign(&note.Note{Text: text}, k.signer)
		if err != nil {
			t.Fatal(err)
		}
		w := httptest.NewRecorder()
		srv.ServeHTTP(w, httptest.NewRequest("POST", "/add-checkpoint", bytes.NewReader(formatRequest(0, nil, append(signed, pad...)))))
		if w.Code != http.StatusBadRequest {
			t.Fatalf("fork %d: %d %s, want 400", i, w.Code, w.Body)
		}
	}
	if n, err := st.Evidence(ctx, testOrigin); err != nil || n != MaxEvidence {
		t.Errorf("evidence kept: %d rows, %v; want %d", n, err, MaxEvidence)
	}
}
