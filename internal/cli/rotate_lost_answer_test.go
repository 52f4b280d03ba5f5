package cli_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/chancery/chancery/internal/registry"
	"github.com/chancery/chancery/internal/store"
	"github.com/chancery/chancery/internal/store/storetest"
)

// commitCutter is a TCP proxy to PostgreSQL that, once a connection has sent armedBy, passes
// that connection's next COMMIT on and loses its answer, then lets nothing through any more,
// on any connection: the transaction commits, and the client cannot learn it, as when the
// network to the database fails at that moment and stays down. The cut is one moment for
// every connection: a question the client asks after it, on a connection opened before, is
// lost too (it was answered once, when the connections were closed one after the other and
// the client asked on one not yet closed).
type commitCutter struct {
	ln      net.Listener
	target  string
	armedBy []byte
	mu      sync.Mutex
	cut     bool
	conns   []net.Conn
}

// commitQuery is the simple-protocol query pgx sends to commit a transaction.
var commitQuery = []byte("Q\x00\x00\x00\x0bcommit\x00")

func newCommitCutter(t *testing.T, target string, armedBy string) *commitCutter {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &commitCutter{ln: ln, target: target, armedBy: []byte(armedBy)}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go p.serve(c)
		}
	}()
	return p
}

func (p *commitCutter) serve(client net.Conn) {
	defer client.Close()
	server, err := net.Dial("tcp", p.target)
	if err != nil {
		return
	}
	defer server.Close()
	p.mu.Lock()
	if p.cut {
		p.mu.Unlock()
		return
	}
	p.conns = append(p.conns, client)
	p.mu.Unlock()
	go func() {
		// Answers go back to the client until the cut: the cut COMMIT's answer, and any
		// other read after it, is dropped.
		buf := make([]byte, 64<<10)
		for {
			n, err := server.Read(buf)
			if p.didCut() {
				// The network is down: every connection breaks, no new one is made.
				p.mu.Lock()
				for _, c := range p.conns {
					c.Close()
				}
				p.mu.Unlock()
				p.ln.Close()
				return
			}
			if n > 0 {
				client.Write(buf[:n])
			}
			if err != nil {
				client.Close()
				return
			}
		}
	}()
	// The client's bytes are read as the protocol's messages, whatever the reads cut them
	// into, so that the arming text and the COMMIT are found whole.
	armed, started := false, false
	var pending []byte
	buf := make([]byte, 64<<10)
	for {
		n, err := client.Read(buf)
		pending = append(pending, buf[:n]...)
		for {
			m := messageLen(pending, started)
			if m == 0 {
				break
			}
			msg := pending[:m]
			started = true
			armed = armed || bytes.Contains(msg, p.armedBy)
			p.mu.Lock()
			down := p.cut
			p.cut = p.cut || armed && bytes.Equal(msg, commitQuery)
			p.mu.Unlock()
			if down {
				// Sent after the cut, on this connection or another: lost.
				return
			}
			server.Write(msg)
			pending = pending[m:]
		}
		if err != nil {
			return
		}
	}
}

// messageLen returns the length of the whole frontend message at the start of b, or 0 if b
// does not hold one whole yet: the startup message has no type byte, every later one has.
func messageLen(b []byte, started bool) int {
	head := 1
	if !started {
		head = 0
	}
	if len(b) < head+4 {
		return 0
	}
	n := head + int(binary.BigEndian.Uint32(b[head:head+4]))
	if n < head+4 || len(b) < n {
		return 0
	}
	return n
}

func (p *commitCutter) didCut() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.cut
}

// TestRotateOfficeKeyKeepsAKeyTheStoreMayName: 'key rotate office' to a new key file removed
// that file whenever the rotation failed. On PostgreSQL a rotation whose COMMIT reached the
// database but whose answer was lost (a connection broken at that moment) fails though it is
// committed: the store's key history then names, as the office's current key, a file that
// was removed, and no one can sign for the office again (a rotation is signed by the current
// key too).
func TestRotateOfficeKeyKeepsAKeyTheStoreMayName(t *testing.T) {
	db := storetest.PostgresURL(t)
	dir := filepath.Join(t.TempDir(), "data")
	if code, out, errs := run("init", "--data", dir, "--database", db, "--office", "Task Force North", "--prefix", "TFN",
		"--url", "https://letters.example.org", "--no-pdf-ca"); code != 0 {
		t.Fatalf("init: status %d\n%s%s", code, out, errs)
	}
	u, err := url.Parse(db)
	if err != nil {
		t.Fatal(err)
	}
	cutter := newCommitCutter(t, u.Host, "office-key.rotate")
	u.Host = cutter.ln.Addr().String()
	code, out, errs := run("key", "rotate", "office", "--data", dir, "--database", u.String(), "--reason", "scheduled")
	if !cutter.didCut() {
		t.Fatalf("the rotation's commit was not cut (status %d):\n%s%s", code, out, errs)
	}
	if code == 0 {
		t.Fatalf("the rotation whose answer was lost reported success:\n%s", out)
	}
	sdb, err := store.OpenPostgres(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer sdb.Close()
	h, err := registry.OfficeKeyHistory(context.Background(), sdb)
	if err != nil {
		t.Fatal(err)
	}
	if len(h) < 2 {
		t.Fatalf("the cut commit did not commit (history %+v): the test proves nothing", h)
	}
	cur := h[len(h)-1].Ref
	if !strings.HasPrefix(cur, "office-") {
		t.Fatalf("the store's current key is %q, not a key file of the rotation", cur)
	}
	if _, err := os.Stat(filepath.Join(dir, cur)); errors.Is(err, os.ErrNotExist) {
		t.Errorf("the store names %s as the office's current key, and the failed rotation removed it:\n%s", cur, errs)
	} else if err != nil {
		t.Error(err)
	}
	// The database back, the office opens with the key its store names.
	if code, out, errs := run("log", "verify", "--data", dir, "--database", db); code != 0 {
		t.Errorf("log verify after the rotation: status %d\n%s%s", code, out, errs)
	}
}
