package witness

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// Chancery's witness cosigns a Chancery log through Chancery's client, and refuses what the
// spec says it must refuse.
func TestChanceryWitness(t *testing.T) {
	ctx := context.Background()
	k := newLogKey(t)
	lg := newTestLog(t, k, "main")
	w := startChanceryWitness(t, "", "", k.vkey)
	c := newClient(t, "chancery", w.url, w.key.VerifierKey())

	lg.grow(3)
	size, cp := lg.Latest()
	before := time.Now().Add(-time.Second)
	cos, err := c.AddCheckpoint(ctx, 0, nil, cp)
	if err != nil {
		t.Fatal(err)
	}
	verifyCosignature(t, w.key.VerifierKey(), cp, cos.Line)
	if cos.Witness != "chancery" || cos.Time.Before(before.Truncate(time.Second)) || cos.Time.After(time.Now()) {
		t.Errorf("cosignature %+v: wrong witness name or time", cos)
	}

	// A stale old size: 409 with the witness's size.
	lg.grow(5)
	size2, cp2 := lg.Latest()
	_, err = c.AddCheckpoint(ctx, 0, nil, cp2)
	var conflict *ConflictError
	if !errors.As(err, &conflict) || conflict.Size != size {
		t.Fatalf("stale old size: got %v, want a conflict at %d", err, size)
	}
	// From the size it holds, with a proof: cosigned.
	cos2, err := c.AddCheckpoint(ctx, size, lg.proof(size, size2), cp2)
	if err != nil {
		t.Fatal(err)
	}
	verifyCosignature(t, w.key.VerifierKey(), cp2, cos2.Line)
	// The same checkpoint again: cosigned again, with no proof.
	if _, err := c.AddCheckpoint(ctx, size2, nil, cp2); err != nil {
		t.Fatalf("same checkpoint again: %v", err)
	}
	// An older checkpoint: the witness holds more.
	_, err = c.AddCheckpoint(ctx, size, nil, cp)
	if !errors.As(err, &conflict) || conflict.Size != size2 {
		t.Fatalf("rollback: got %v, want a conflict at %d", err, size2)
	}

	// A fork: the same key signs another history.
	fork := newTestLog(t, k, "fork")
	fork.grow(int(size2))
	_, fcp := fork.Latest()
	_, err = c.AddCheckpoint(ctx, size2, nil, fcp)
	if !errors.Is(err, ErrRejected) {
		t.Fatalf("fork at the same size: got %v, want ErrRejected", err)
	}
	fork.grow(2)
	fsize, fcp2 := fork.Latest()
	_, err = c.AddCheckpoint(ctx, size2, fork.proof(size2, fsize), fcp2)
	if !errors.Is(err, ErrRejected) {
		t.Fatalf("fork with a proof: got %v, want ErrRejected", err)
	}
	if n, err := w.st.Evidence(ctx, testOrigin); err != nil || n != 2 {
		t.Errorf("evidence kept: %d, %v; want the 2 forked checkpoints", n, err)
	}
	// The witness still follows the real log.
	lg.grow(1)
	size3, cp3 := lg.Latest()
	if _, err := c.AddCheckpoint(ctx, size2, lg.proof(size2, size3), cp3); err != nil {
		t.Fatalf("after the fork: %v", err)
	}

	// Another key under the log's origin: 403. Another log: 404.
	other := newLogKey(t)
	olog := newTestLog(t, other, "other")
	olog.grow(1)
	_, ocp := olog.Latest()
	if _, err := c.AddCheckpoint(ctx, size3, nil, ocp); !errors.Is(err, ErrForbidden) {
		t.Errorf("checkpoint signed by another key: got %v, want ErrForbidden", err)
	}
	unknown := bytes.Replace(cp3, []byte(testOrigin), []byte("unknown.example/log"), 1)
	if _, err := c.AddCheckpoint(ctx, 0, nil, unknown); !errors.Is(err, ErrUnknownLog) {
		t.Errorf("unknown origin: got %v, want ErrUnknownLog", err)
	}
	// A witness answering with another witness's key: the client refuses the cosignature.
	impostor := startChanceryWitness(t, "", "", k.vkey)
	ic := newClient(t, "impostor", impostor.url, w.key.VerifierKey())
	if _, err := ic.AddCheckpoint(ctx, 0, nil, cp3); !errors.Is(err, ErrBadCosignature) {
		t.Errorf("cosignature by another key: got %v, want ErrBadCosignature", err)
	}
}

// The answers' status codes and content types, for requests the client would not send.
func TestChanceryWitnessHTTP(t *testing.T) {
	k := newLogKey(t)
	lg := newTestLog(t, k, "main")
	lg.grow(2)
	_, cp := lg.Latest()
	w := startChanceryWitness(t, "", "", k.vkey)
	post := func(body string) (int, string, string) {
		t.Helper()
		resp, err := http.Post(w.url+"/add-checkpoint", "", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, resp.Header.Get("Content-Type"), string(b)
	}
	h := tlog.Hash{1}
	for _, tc := range []struct {
		name, body string
		status     int
	}{
		{"no empty line", "old 0\n" + string(cp), 400},
		{"leading zero", "old 01\n\n" + string(cp), 400},
		{"negative", "old -1\n\n" + string(cp), 400},
		{"proof from 0", "old 0\n" + h.String() + "\n\n" + string(cp), 400},
		{"bad hash", "old 1\nAAAA\n\n" + string(cp), 400},
		{"old larger than size", "old 3\n\n" + string(cp), 400},
		{"no signature", "old 0\n\n" + strings.SplitAfter(string(cp), "\n\n")[0], 400},
		{"too large", "old 0\n\n" + strings.Repeat("x", MaxRequestSize), 413},
	} {
		if st, _, body := post(tc.body); st != tc.status {
			t.Errorf("%s: status %d (%q), want %d", tc.name, st, body, tc.status)
		}
	}
	if st, ct, _ := post("old 0\n\n" + string(cp)); st != 200 || ct != "text/plain; charset=utf-8" {
		t.Fatalf("first checkpoint: %d %q", st, ct)
	}
	if st, ct, body := post("old 1\n\n" + string(cp)); st != 409 || ct != "text/x.tlog.size" || body != "2\n" {
		t.Errorf("stale old size: %d %q %q, want 409 text/x.tlog.size \"2\\n\"", st, ct, body)
	}
	resp, err := http.Get(w.url + "/add-checkpoint")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("GET: %d, want 405", resp.StatusCode)
	}
}

// The witness's state survives a restart: it goes on from the size it cosigned.
func TestChanceryWitnessRestart(t *testing.T) {
	ctx := context.Background()
	k := newLogKey(t)
	lg := newTestLog(t, k, "main")
	w := startChanceryWitness(t, "", "", k.vkey)
	vkey := w.key.VerifierKey()
	lg.grow(4)
	size, cp := lg.Latest()
	if _, err := newClient(t, "w", w.url, vkey).AddCheckpoint(ctx, 0, nil, cp); err != nil {
		t.Fatal(err)
	}
	w.stop()
	w2 := startChanceryWitness(t, w.dir, "")
	if w2.key.VerifierKey() != vkey {
		t.Fatalf("key changed across a restart: %s, was %s", w2.key.VerifierKey(), vkey)
	}
	c := newClient(t, "w", w2.url, vkey)
	lg.grow(1)
	size2, cp2 := lg.Latest()
	var conflict *ConflictError
	if _, err := c.AddCheckpoint(ctx, 0, nil, cp2); !errors.As(err, &conflict) || conflict.Size != size {
		t.Fatalf("after a restart: %v, want a conflict at %d", err, size)
	}
	if _, err := c.AddCheckpoint(ctx, size, lg.proof(size, size2), cp2); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadKey(w.dir, "another.name"); err == nil {
		t.Error("the key was loaded under another name")
	}
}

// Requests racing from the same old size: exactly one is cosigned, and the witness holds its
// size, never a smaller one committed after it (the rollback C2SP tlog-witness warns about).
func TestConcurrentRequestsNeverRollBack(t *testing.T) {
	ctx := context.Background()
	lg, w, c, base := cosignedAt(t, "w", 2)
	type req struct {
		size  int64
		proof []tlog.Hash
		cp    []byte
	}
	var reqs []req
	for range 12 {
		lg.grow(1)
		size, cp := lg.Latest()
		reqs = append(reqs, req{size, lg.proof(base, size), cp})
	}
	errs := make([]error, len(reqs))
	var wg sync.WaitGroup
	for i, r := range reqs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = c.AddCheckpoint(ctx, base, r.proof, r.cp)
		}()
	}
	wg.Wait()
	won := int64(-1)
	for i, err := range errs {
		var conflict *ConflictError
		switch {
		case err == nil && won >= 0:
			t.Fatalf("sizes %d and %d were both cosigned from size %d", won, reqs[i].size, base)
		case err == nil:
			won = reqs[i].size
		case !errors.As(err, &conflict):
			t.Fatalf("size %d: %v", reqs[i].size, err)
		}
	}
	logs, err := w.st.Logs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if won < 0 || len(logs) != 1 || logs[0].Size != won {
		t.Fatalf("cosigned size %d, the witness holds %+v", won, logs)
	}
}

// TestSizeZeroRoots guards the witness against cosigning two trees of size 0 (audit,
// twenty-second session): the old size 0 of a log's first checkpoint used to be accepted
// before the same-size root comparison, so two size-0 checkpoints with different roots were
// both cosigned. A size-0 checkpoint must carry the RFC 6962 empty tree hash (400 otherwise,
// as for other invalid checkpoints), and a checkpoint of the size held with another root is a
// 409 (C2SP tlog-witness), kept as evidence. The same rule at a size above 0 is pinned by
// TestChanceryWitness and TestWitnessesAnswerAlike ("fork at the same size").
func TestSizeZeroRoots(t *testing.T) {
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
	send := func(size int64, root [32]byte) int {
		t.Helper()
		text := fmt.Sprintf("%s\n%d\n%s\n", testOrigin, size, base64.StdEncoding.EncodeToString(root[:]))
		signed, err := note.Sign(&note.Note{Text: text}, k.signer)
		if err != nil {
			t.Fatal(err)
		}
		w := httptest.NewRecorder()
		srv.ServeHTTP(w, httptest.NewRequest("POST", "/add-checkpoint", bytes.NewReader(formatRequest(0, nil, signed))))
		return w.Code
	}
	a := sha256.Sum256([]byte("tree A"))
	b := sha256.Sum256([]byte("tree B"))
	if code := send(0, a); code != http.StatusBadRequest {
		t.Errorf("size-0 checkpoint whose root is not the empty tree's: %d, want 400", code)
	}
	if code := send(0, b); code != http.StatusBadRequest {
		t.Errorf("second size-0 checkpoint with another root: %d, want 400", code)
	}
	if code := send(0, sha256.Sum256(nil)); code != http.StatusOK {
		t.Errorf("size-0 checkpoint of the empty tree: %d, want 200", code)
	}
	if code := send(0, sha256.Sum256(nil)); code != http.StatusOK {
		t.Errorf("the same size-0 checkpoint again: %d, want 200", code)
	}
	if n, err := st.Evidence(ctx, testOrigin); err != nil || n != 2 {
		t.Errorf("evidence kept: %d, %v; want the 2 size-0 checkpoints with other roots", n, err)
	}
	// The log's first real checkpoint, from the empty tree: trusted on first use.
	if code := send(3, a); code != http.StatusOK {
		t.Errorf("first checkpoint of size 3 from size 0: %d, want 200", code)
	}
}

// Anyone can send the log's public checkpoints with a wrong proof: the witness keeps one
// checkpoint as evidence once, however often it is sent and whatever unverified signature
// lines come with it, so that its database cannot be filled from outside.
func TestEvidenceKeptOncePerCheckpoint(t *testing.T) {
	ctx := context.Background()
	lg, w, _, size := cosignedAt(t, "chancery", 3)
	lg.grow(2)
	_, cp2 := lg.Latest()
	for i := range 20 {
		// Other unverified signature lines make each request's bytes differ.
		other, err := note.Sign(&note.Note{Text: "x\n"}, newLogKeyNamed(t, fmt.Sprintf("other%d.example", i)))
		if err != nil {
			t.Fatal(err)
		}
		_, line, _ := bytes.Cut(other, []byte("\n\n"))
		req := formatRequest(size, []tlog.Hash{{byte(i)}}, append(bytes.Clone(cp2), line...))
		resp, err := http.Post(w.url+"/add-checkpoint", "text/plain", bytes.NewReader(req))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("request %d with a wrong proof: %s, want 422", i, resp.Status)
		}
	}
	if n, err := w.st.Evidence(ctx, testOrigin); err != nil || n != 1 {
		t.Errorf("evidence kept: %d rows, %v; want the checkpoint once", n, err)
	}
	logs := w.logs.String()
	if n := strings.Count(logs, "level=WARN msg=\"witness: refused an inconsistent checkpoint, kept as evidence\""); n != 1 {
		t.Errorf("%d warnings that the checkpoint was kept as evidence, want 1:\n%s", n, logs)
	}
	if n := strings.Count(logs, "already kept as evidence"); n != 19 {
		t.Errorf("%d debug lines for the repeats, want 19", n)
	}
}

// newLogKeyNamed returns a signer of another name than the test log's.
func newLogKeyNamed(t testing.TB, name string) note.Signer {
	t.Helper()
	skey, _, err := note.GenerateKey(nil, name)
	if err != nil {
		t.Fatal(err)
	}
	s, err := note.NewSigner(skey)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// A witness whose cosignature carries a time well ahead of the office's clock is refused: a
// seal under it would meet any --max-age for as long, and the store keeps the newest time of a
// witness's cosignatures of one checkpoint, so that no later, true one would replace it.
func TestClientRefusesCosignatureFromTheFuture(t *testing.T) {
	ctx := context.Background()
	k := newLogKey(t)
	lg := newTestLog(t, k, "main")
	lg.grow(2)
	_, cp := lg.Latest()
	pub, priv, err := ed25519.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	const name = "witness.test.example/skewed"
	vkey := verifierKey(name, pub)
	// wrap adds 2^63 to the time: C2SP tlog-cosignature says a timestamp MUST NOT exceed
	// 2^63 − 1, and read as a signed Unix time such a one is a date before 1970, which no
	// clock-skew check would catch and which the seal verifiers refuse.
	for _, tc := range []struct {
		ahead time.Duration
		wrap  bool
		ok    bool
	}{{0, false, true}, {time.Minute, false, true}, {time.Hour, false, false}, {365 * 24 * time.Hour, false, false}, {0, true, false}} {
		at := uint64(time.Now().Add(tc.ahead).Unix())
		if tc.wrap {
			at += 1 << 63
		}
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			body, _ := io.ReadAll(r.Body)
			_, signed, _ := bytes.Cut(body, []byte("\n\n"))
			text, _, _ := bytes.Cut(signed, []byte("\n\n"))
			msg := fmt.Appendf(nil, "cosignature/v1\ntime %d\n%s\n", at, text)
			sig := binary.BigEndian.AppendUint32(nil, keyHash(name, append([]byte{algCosignatureV1}, pub...)))
			sig = binary.BigEndian.AppendUint64(sig, at)
			sig = append(sig, ed25519.Sign(priv, msg)...)
			fmt.Fprintf(w, "— %s %s\n", name, base64.StdEncoding.EncodeToString(sig))
		}))
		c := newClient(t, "skewed", srv.URL, vkey)
		cos, err := c.AddCheckpoint(ctx, 0, nil, cp)
		srv.Close()
		switch {
		case tc.ok && err != nil:
			t.Errorf("cosignature %s ahead (wrapped %v): %v", tc.ahead, tc.wrap, err)
		case tc.ok:
			verifyCosignature(t, vkey, cp, cos.Line)
		case !errors.Is(err, ErrBadCosignature):
			t.Errorf("cosignature %s ahead (wrapped %v): got %v, want ErrBadCosignature", tc.ahead, tc.wrap, err)
		}
	}
}
