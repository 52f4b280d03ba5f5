package witness

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/store"
	"github.com/chancery/chancery/internal/syncbuf"
	"github.com/chancery/chancery/internal/translog"
	wnote "github.com/transparency-dev/formats/note"
	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

const testOrigin = "letters.test.example/log"

// logKey is a log's signing key, shared by a log and its fork.
type logKey struct {
	signer note.Signer
	vkey   string
}

func newLogKey(t testing.TB) logKey {
	t.Helper()
	skey, vkey, err := note.GenerateKey(nil, testOrigin)
	if err != nil {
		t.Fatal(err)
	}
	s, err := note.NewSigner(skey)
	if err != nil {
		t.Fatal(err)
	}
	return logKey{s, vkey}
}

// testLog is a real Chancery log (internal/translog on a SQLite store) that implements Log.
type testLog struct {
	t   testing.TB
	l   *translog.Log
	tag string // makes the entries of a fork differ from the log's
}

func newTestLog(t testing.TB, k logKey, tag string) *testLog {
	t.Helper()
	ctx := context.Background()
	db, err := store.OpenSQLite(ctx, filepath.Join(t.TempDir(), "log"))
	if err != nil {
		t.Fatal(err)
	}
	l, err := translog.Open(ctx, db, translog.Config{Origin: testOrigin, Signer: k.signer, Create: true})
	if err != nil {
		db.Close()
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close(); db.Close() })
	return &testLog{t: t, l: l, tag: tag}
}

// grow appends n entries.
func (l *testLog) grow(n int) {
	l.t.Helper()
	for range n {
		size := l.l.Head().Size
		if _, err := l.l.Append(context.Background(), fmt.Appendf(nil, "%s entry %d", l.tag, size)); err != nil {
			l.t.Fatal(err)
		}
	}
}

func (l *testLog) Latest() (int64, []byte) {
	h := l.l.Head()
	return h.Size, h.Checkpoint
}

func (l *testLog) ConsistencyProof(ctx context.Context, old, new int64) ([]tlog.Hash, error) {
	return l.l.ConsistencyProof(ctx, old, new)
}

// proof is ConsistencyProof for the test's own requests: none from size 0.
func (l *testLog) proof(old, new int64) []tlog.Hash {
	l.t.Helper()
	if old == 0 || old == new {
		return nil
	}
	p, err := l.l.ConsistencyProof(context.Background(), old, new)
	if err != nil {
		l.t.Fatal(err)
	}
	return p
}

// chanceryWitness is Chancery's witness served over loopback TCP.
type chanceryWitness struct {
	dir  string
	st   *Store
	key  *Key
	url  string
	addr string
	srv  *http.Server
	logs *syncbuf.Buffer // what the server logs, at every level
}

// startChanceryWitness starts a witness in dir (a new one if dir is empty) knowing the logs
// whose verifier keys are given, listening on addr (any free port if empty).
func startChanceryWitness(t testing.TB, dir, addr string, logKeys ...string) *chanceryWitness {
	t.Helper()
	return startChanceryWitnessWrapped(t, dir, addr, nil, logKeys...)
}

// startChanceryWitnessWrapped is startChanceryWitness with the handler wrapped by wrap.
func startChanceryWitnessWrapped(t testing.TB, dir, addr string, wrap func(http.Handler) http.Handler, logKeys ...string) *chanceryWitness {
	t.Helper()
	if dir == "" {
		dir = t.TempDir()
	}
	ctx := context.Background()
	key, err := LoadKey(dir, "witness.test.example/chancery")
	if err != nil {
		t.Fatal(err)
	}
	st, err := OpenStore(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range logKeys {
		if _, err := st.AddLog(ctx, testOrigin, k); err != nil {
			t.Fatal(err)
		}
	}
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	ln, err := listenRetry(addr)
	if err != nil {
		t.Fatal(err)
	}
	w := &chanceryWitness{dir: dir, st: st, key: key, url: "http://" + ln.Addr().String(), addr: ln.Addr().String(), logs: &syncbuf.Buffer{}}
	var h http.Handler = NewServer(st, key, slog.New(slog.NewTextHandler(w.logs, &slog.HandlerOptions{Level: slog.LevelDebug})))
	if wrap != nil {
		h = wrap(h)
	}
	w.srv = &http.Server{Handler: h}
	go w.srv.Serve(ln)
	t.Cleanup(w.stop)
	return w
}

// stop stops serving and closes the store, as a witness that goes down.
func (w *chanceryWitness) stop() {
	w.srv.Close()
	w.st.Close()
}

// cosignedAt starts a Chancery witness for a new test log of n entries and has the client
// named name add the log's checkpoint of that size to it; it returns the log, the witness,
// the client and the checkpoint's size.
func cosignedAt(t testing.TB, name string, n int) (*testLog, *chanceryWitness, *Client, int64) {
	t.Helper()
	k := newLogKey(t)
	lg := newTestLog(t, k, "main")
	w := startChanceryWitness(t, "", "", k.vkey)
	c := newClient(t, name, w.url, w.key.VerifierKey())
	lg.grow(n)
	size, cp := lg.Latest()
	if _, err := c.AddCheckpoint(context.Background(), 0, nil, cp); err != nil {
		t.Fatal(err)
	}
	return lg, w, c, size
}

// listenRetry listens on addr, retrying while a just-closed listener still holds the port.
func listenRetry(addr string) (net.Listener, error) {
	var err error
	for range 50 {
		var ln net.Listener
		if ln, err = net.Listen("tcp", addr); err == nil {
			return ln, nil
		}
		time.Sleep(100 * time.Millisecond)
	}
	return nil, err
}

func newClient(t testing.TB, name, url, vkey string) *Client {
	t.Helper()
	c, err := NewClient(name, url, vkey, nil)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// verifyCosignature checks a cosignature line independently of Client: with the
// transparency-dev cosignature/v1 verifier, over the checkpoint's body.
func verifyCosignature(t testing.TB, vkey string, checkpoint, line []byte) {
	t.Helper()
	if err := checkCosignature(vkey, checkpoint, line); err != nil {
		t.Fatal(err)
	}
}

func checkCosignature(vkey string, checkpoint, line []byte) error {
	v, err := wnote.NewVerifierForCosignatureV1(vkey)
	if err != nil {
		return err
	}
	text, _, err := splitNote(checkpoint)
	if err != nil {
		return err
	}
	msg := append(append(append([]byte{}, text...), '\n'), line...)
	n, err := note.Open(msg, note.VerifierList(v))
	if err != nil {
		return fmt.Errorf("cosignature %q does not verify with %s: %v", line, vkey, err)
	}
	if len(n.Sigs) != 1 {
		return fmt.Errorf("cosignature %q: %d signatures verified", line, len(n.Sigs))
	}
	return nil
}
