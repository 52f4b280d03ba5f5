package witness

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
	_ "modernc.org/sqlite"
)

// signedForks returns n checkpoints of size 0 with other roots than the empty tree's, signed
// with k: each is refused (400) and kept as evidence.
func signedForks(t testing.TB, k logKey, n int) [][]byte {
	t.Helper()
	var out [][]byte
	for i := range n {
		root := sha256.Sum256(fmt.Appendf(nil, "fork %d", i))
		text := fmt.Sprintf("%s\n0\n%s\n", testOrigin, base64.StdEncoding.EncodeToString(root[:]))
		signed, err := note.Sign(&note.Note{Text: text}, k.signer)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, signed)
	}
	return out
}

// newEvidenceWitness returns a witness in dir (with its store) that knows the test log of k.
func newEvidenceWitness(t testing.TB, dir string, k logKey) (*Server, *Store) {
	t.Helper()
	ctx := context.Background()
	key, err := LoadKey(dir, "witness.test.example/chancery")
	if err != nil {
		t.Fatal(err)
	}
	st, err := OpenStore(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if _, err := st.AddLog(ctx, testOrigin, k.vkey); err != nil {
		t.Fatal(err)
	}
	return NewServer(st, key, nil), st
}

func sendFork(t testing.TB, srv http.Handler, fork []byte) {
	t.Helper()
	w := httptest.NewRecorder()
	srv.ServeHTTP(w, httptest.NewRequest("POST", "/add-checkpoint", bytes.NewReader(formatRequest(0, nil, fork))))
	if w.Code != http.StatusBadRequest {
		t.Fatalf("fork: %d %s, want 400", w.Code, w.Body)
	}
}

// TestEvidenceDedupReadsNoKeptRequest: a refused checkpoint is kept once (item 107), and
// whether it already was was decided by searching every request kept for the log for its text
// (instr), up to MaxEvidence requests of up to 16 KiB, under the write lock: about 0.56 ms for
// each replay of a kept fork, which anyone may send. It is now decided by the SHA-256 of the
// text, indexed, reading none of the kept requests: blanked here, they change nothing.
func TestEvidenceDedupReadsNoKeptRequest(t *testing.T) {
	ctx := context.Background()
	k := newLogKey(t)
	srv, st := newEvidenceWitness(t, t.TempDir(), k)
	forks := signedForks(t, k, 8)
	for _, f := range forks {
		sendFork(t, srv, f)
	}
	if _, err := st.db.ExecContext(ctx, `UPDATE evidence SET request = x''`); err != nil {
		t.Fatal(err)
	}
	for _, f := range forks {
		sendFork(t, srv, f)
	}
	if n, err := st.Evidence(ctx, testOrigin); err != nil || n != len(forks) {
		t.Errorf("evidence after replaying %d kept forks: %d rows, %v; want %d (the kept requests were read)", len(forks), n, err, len(forks))
	}
}

// TestEvidenceOfEarlierVersionGainsHashes: a witness database made before checkpoint_hash and
// proven existed gains them on open, filled from the kept requests, so that a fork kept then
// is still kept once, and counted with the proven ones.
func TestEvidenceOfEarlierVersionGainsHashes(t *testing.T) {
	ctx := context.Background()
	k := newLogKey(t)
	dir := t.TempDir()
	forks := signedForks(t, k, 2)
	old, err := sql.Open("sqlite", "file:"+filepath.Join(dir, DBFile))
	if err != nil {
		t.Fatal(err)
	}
	_, err = old.ExecContext(ctx, `
CREATE TABLE logs (origin TEXT PRIMARY KEY, size INTEGER NOT NULL, root BLOB NOT NULL, updated INTEGER NOT NULL);
CREATE TABLE log_keys (origin TEXT NOT NULL REFERENCES logs(origin), vkey TEXT NOT NULL, PRIMARY KEY (origin, vkey));
CREATE TABLE evidence (id INTEGER PRIMARY KEY, origin TEXT NOT NULL, received INTEGER NOT NULL,
	held_size INTEGER NOT NULL, held_root BLOB NOT NULL, request BLOB NOT NULL);
CREATE INDEX evidence_origin ON evidence(origin);`)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := old.ExecContext(ctx, `INSERT INTO evidence (origin, received, held_size, held_root, request) VALUES ($1, 1, 0, $2, $3)`,
		testOrigin, emptyRoot[:], formatRequest(0, nil, forks[0])); err != nil {
		t.Fatal(err)
	}
	// A larger checkpoint whose proof did not verify: not proof of a fork.
	root := sha256.Sum256([]byte("larger"))
	larger, err := note.Sign(&note.Note{Text: fmt.Sprintf("%s\n7\n%s\n", testOrigin, base64.StdEncoding.EncodeToString(root[:]))}, k.signer)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := old.ExecContext(ctx, `INSERT INTO evidence (origin, received, held_size, held_root, request) VALUES ($1, 1, 5, $2, $3)`,
		testOrigin, root[:], formatRequest(5, []tlog.Hash{{1}}, larger)); err != nil {
		t.Fatal(err)
	}
	if err := old.Close(); err != nil {
		t.Fatal(err)
	}
	srv, st := newEvidenceWitness(t, dir, k)
	text, _, err := splitNote(forks[0])
	if err != nil {
		t.Fatal(err)
	}
	want := sha256.Sum256(text)
	var got []byte
	var proven bool
	if err := st.db.QueryRowContext(ctx, `SELECT checkpoint_hash, proven FROM evidence ORDER BY id LIMIT 1`).Scan(&got, &proven); err != nil || !bytes.Equal(got, want[:]) || !proven {
		t.Fatalf("the earlier fork: checkpoint_hash %x, proven %v, %v; want %x, proven (size 0, another root)", got, proven, err, want)
	}
	if err := st.db.QueryRowContext(ctx, `SELECT proven FROM evidence ORDER BY id DESC LIMIT 1`).Scan(&proven); err != nil || proven {
		t.Fatalf("the earlier larger checkpoint: proven %v, %v; want unproven", proven, err)
	}
	sendFork(t, srv, forks[0])
	sendFork(t, srv, forks[1])
	sendFork(t, srv, forks[1])
	if n, err := st.Evidence(ctx, testOrigin); err != nil || n != 3 {
		t.Errorf("evidence: %d rows, %v; want the 2 forks once each and the larger checkpoint", n, err)
	}
	// A second open finds the column and keeps the rows as they are.
	if st2, err := OpenStore(ctx, dir); err != nil {
		t.Fatal(err)
	} else {
		st2.Close()
	}
}

// BenchmarkReplayKeptFork: a kept fork sent again, with MaxEvidence requests of about 16 KiB
// kept for its log.
func BenchmarkReplayKeptFork(b *testing.B) {
	k := newLogKey(b)
	srv, _ := newEvidenceWitness(b, b.TempDir(), k)
	var pad []byte
	for i := range 90 {
		other, err := note.Sign(&note.Note{Text: "x\n"}, newLogKeyNamed(b, fmt.Sprintf("pad%02d.%s", i, bytes.Repeat([]byte("p"), 60))))
		if err != nil {
			b.Fatal(err)
		}
		_, line, _ := bytes.Cut(other, []byte("\n\n"))
		pad = append(pad, line...)
	}
	forks := signedForks(b, k, MaxEvidence)
	for _, f := range forks {
		sendFork(b, srv, append(bytes.Clone(f), pad...))
	}
	last := append(bytes.Clone(forks[len(forks)-1]), pad...)
	b.ResetTimer()
	for b.Loop() {
		sendFork(b, srv, last)
	}
}

// TestUnprovenRefusalsLeaveRoomForAFork: a request whose consistency proof does not verify
// (422) proves nothing: anyone may send the log's public checkpoints with a wrong proof. Kept
// in the same MaxEvidence as the forks that prove themselves (another root at the size held),
// MaxEvidence such requests, which need no key, left no room for the evidence of a real fork.
// (The larger checkpoints are signed here with the log's key; the log's own public
// checkpoints would do the same.)
func TestUnprovenRefusalsLeaveRoomForAFork(t *testing.T) {
	ctx := context.Background()
	k := newLogKey(t)
	srv, st := newEvidenceWitness(t, t.TempDir(), k)
	post := func(body []byte, want int) {
		t.Helper()
		w := httptest.NewRecorder()
		srv.ServeHTTP(w, httptest.NewRequest("POST", "/add-checkpoint", bytes.NewReader(body)))
		if w.Code != want {
			t.Fatalf("%d %s, want %d", w.Code, w.Body, want)
		}
	}
	sign := func(size int, tag string) ([]byte, string) {
		t.Helper()
		root := sha256.Sum256([]byte(tag))
		text := fmt.Sprintf("%s\n%d\n%s\n", testOrigin, size, base64.StdEncoding.EncodeToString(root[:]))
		signed, err := note.Sign(&note.Note{Text: text}, k.signer)
		if err != nil {
			t.Fatal(err)
		}
		return signed, text
	}
	held, _ := sign(10, "held")
	post(formatRequest(0, nil, held), http.StatusOK)
	for i := range MaxEvidence {
		cp, _ := sign(11+i, fmt.Sprint("public ", i))
		post(formatRequest(10, []tlog.Hash{{1}}, cp), http.StatusUnprocessableEntity)
	}
	fork, text := sign(10, "fork")
	post(formatRequest(10, nil, fork), http.StatusConflict)
	var n int
	if err := st.db.QueryRowContext(ctx, `SELECT count(*) FROM evidence WHERE instr(request, $1) > 0`, []byte(text)).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 1 {
		t.Errorf("the fork at the size held is kept %d times, want once: %d requests with a wrong proof crowded it out", n, MaxEvidence)
	}
}

// TestForkAtHeldSizeWithProofKept: a checkpoint of the size the witness holds with another
// root proves by itself that the log forked. Sent with a consistency proof (empty between
// equal sizes), it was answered 422 and not kept: the proof's length was checked before the
// root. It is still answered 422 (the proof does not verify, C2SP tlog-witness), and kept
// with the proven evidence.
func TestForkAtHeldSizeWithProofKept(t *testing.T) {
	ctx := context.Background()
	k := newLogKey(t)
	srv, st := newEvidenceWitness(t, t.TempDir(), k)
	sign := func(tag string) []byte {
		t.Helper()
		root := sha256.Sum256([]byte(tag))
		signed, err := note.Sign(&note.Note{Text: fmt.Sprintf("%s\n10\n%s\n", testOrigin, base64.StdEncoding.EncodeToString(root[:]))}, k.signer)
		if err != nil {
			t.Fatal(err)
		}
		return signed
	}
	post := func(body []byte, want int) {
		t.Helper()
		w := httptest.NewRecorder()
		srv.ServeHTTP(w, httptest.NewRequest("POST", "/add-checkpoint", bytes.NewReader(body)))
		if w.Code != want {
			t.Fatalf("%d %s, want %d", w.Code, w.Body, want)
		}
	}
	held := sign("held")
	post(formatRequest(0, nil, held), http.StatusOK)
	// The checkpoint held with a proof: refused, and no evidence.
	post(formatRequest(10, []tlog.Hash{{1}}, held), http.StatusUnprocessableEntity)
	post(formatRequest(10, []tlog.Hash{{1}}, sign("fork")), http.StatusUnprocessableEntity)
	var n, proven int
	if err := st.db.QueryRowContext(ctx, `SELECT count(*), coalesce(sum(proven), 0) FROM evidence WHERE origin = $1`, testOrigin).Scan(&n, &proven); err != nil {
		t.Fatal(err)
	}
	if n != 1 || proven != 1 {
		t.Errorf("evidence: %d rows, %d proven; want the fork sent with a proof, proven", n, proven)
	}
}

// TestEvidenceOfDowngradeFilledAtOpen: an earlier version run on a database that already has
// checkpoint_hash and proven (a downgrade, then an upgrade) keeps requests with neither: the
// migration filled only when it added the columns, so such a fork stayed unhashed (kept again
// when sent again) and counted with the unproven. Every open now fills the rows without a hash.
func TestEvidenceOfDowngradeFilledAtOpen(t *testing.T) {
	ctx := context.Background()
	k := newLogKey(t)
	dir := t.TempDir()
	_, st := newEvidenceWitness(t, dir, k)
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	forks := signedForks(t, k, 1)
	old, err := sql.Open("sqlite", "file:"+filepath.Join(dir, DBFile))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := old.ExecContext(ctx, `INSERT INTO evidence (origin, received, held_size, held_root, request) VALUES ($1, 1, 0, $2, $3)`,
		testOrigin, emptyRoot[:], formatRequest(0, nil, forks[0])); err != nil {
		t.Fatal(err)
	}
	if _, err := old.ExecContext(ctx, `INSERT INTO evidence (origin, received, held_size, held_root, request) VALUES ($1, 1, 0, $2, x'00')`,
		testOrigin, emptyRoot[:]); err != nil {
		t.Fatal(err)
	}
	if err := old.Close(); err != nil {
		t.Fatal(err)
	}
	srv, st := newEvidenceWitness(t, dir, k)
	text, _, err := splitNote(forks[0])
	if err != nil {
		t.Fatal(err)
	}
	want := sha256.Sum256(text)
	var got []byte
	var proven bool
	if err := st.db.QueryRowContext(ctx, `SELECT checkpoint_hash, proven FROM evidence ORDER BY id LIMIT 1`).Scan(&got, &proven); err != nil || !bytes.Equal(got, want[:]) || !proven {
		t.Fatalf("the fork kept by the earlier version: checkpoint_hash %x, proven %v, %v; want %x, proven", got, proven, err, want)
	}
	var unhashed int
	if err := st.db.QueryRowContext(ctx, `SELECT count(*) FROM evidence WHERE checkpoint_hash IS NULL`).Scan(&unhashed); err != nil || unhashed != 0 {
		t.Fatalf("%d rows without a hash, %v; want none (a request that does not parse gets the hash of the request)", unhashed, err)
	}
	sendFork(t, srv, forks[0])
	if n, err := st.Evidence(ctx, testOrigin); err != nil || n != 2 {
		t.Errorf("evidence: %d rows, %v; want the fork once and the request that does not parse", n, err)
	}
}
