package witness

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/keys"
)

// TestAheadWaitsForTheLogToGrow: a witness ahead of a log restored from an older backup
// (ErrAhead) was asked again and again at the backoff's pace, up to a minute apart, and once
// the log had grown past the witness's size on the same history the next request waited out
// the backoff, and the next seal with it (found by audit, forty-eighth session). The pool asks
// nothing more until the log has grown past the witness, and then at once.
func TestAheadWaitsForTheLogToGrow(t *testing.T) {
	ctx := context.Background()
	k := newLogKey(t)
	lg := newTestLog(t, k, "main")
	w := startChanceryWitness(t, "", "", k.vkey)
	c := newClient(t, "w", w.url, w.key.VerifierKey())
	lg.grow(5)
	_, cp := lg.Latest()
	if _, err := c.AddCheckpoint(ctx, 0, nil, cp); err != nil {
		t.Fatal(err)
	}
	restored := newTestLog(t, k, "main")
	restored.grow(3)
	rec := newRecorder(t, c)
	opt := rec.options()
	p := NewPool(restored, []*Client{c}, opt)
	runPool(t, p)
	waitFor(t, "an ErrAhead failure", func() bool { return status(p, "w").Failures >= 1 })
	// Before, the backoff's 0.5 s and 1 s had sent two more requests by now.
	time.Sleep(2 * time.Second)
	if n := status(p, "w").Failures; n != 1 {
		t.Errorf("%d requests refused while the log was behind the witness, want 1", n)
	}
	restored.grow(3) // past the witness's 5, on the same history
	p.Notify()
	size, _ := restored.Latest()
	waitCosigned(t, p, "w", size)
}

// TestSmallOrderLogKeyRefused: under a log key of small order one signature verifies for every
// checkpoint, so anyone could lead the witness along a tree of their own for that origin, and
// the log's own checkpoints would then be refused as a fork (found by audit, forty-eighth
// session; item 59 refused such keys elsewhere). AddLog refuses it.
func TestSmallOrderLogKeyRefused(t *testing.T) {
	ctx := context.Background()
	const origin = "weak.example/log"
	typed := append([]byte{1, 1}, make([]byte, 31)...) // an Ed25519 key: the identity point, of order 1
	h := sha256.Sum256(append([]byte(origin+"\n"), typed...))
	vkey := fmt.Sprintf("%s+%08x+%s", origin, binary.BigEndian.Uint32(h[:4]), base64.StdEncoding.EncodeToString(typed))
	st, err := OpenStore(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := st.AddLog(ctx, origin, vkey); !errors.Is(err, keys.ErrWeakKey) {
		t.Fatalf("add-log with a key of small order: %v, want it refused as weak", err)
	}
}

// TestRedirectNotFollowed: the witness client followed redirects, 307 and 308 posting the
// checkpoint again, so a witness's address could send the office's server to any address of
// its own network (suspected by audit, forty-eighth session). The answer is an error naming
// where the witness points; nothing is sent there.
func TestRedirectNotFollowed(t *testing.T) {
	ctx := context.Background()
	k := newLogKey(t)
	lg := newTestLog(t, k, "main")
	lg.grow(2)
	var reached atomic.Int32
	inside := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { reached.Add(1) }))
	defer inside.Close()
	w := startChanceryWitness(t, "", "", k.vkey)
	redirector := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		http.Redirect(rw, r, inside.URL+"/add-checkpoint", http.StatusTemporaryRedirect)
	}))
	defer redirector.Close()
	c := newClient(t, "w", redirector.URL, w.key.VerifierKey())
	_, cp := lg.Latest()
	_, err := c.AddCheckpoint(ctx, 0, nil, cp)
	if err == nil || !strings.Contains(err.Error(), "redirects to") {
		t.Errorf("a witness that redirects: %v, want an error naming where it points", err)
	}
	if n := reached.Load(); n != 0 {
		t.Errorf("the redirect was followed: %d requests reached its target", n)
	}
}
