package witness

import (
	"bufio"
	"context"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
)

// hostileWitness answers every request with head, as written, then an empty body, and
// counts the bytes it wrote before the client went away.
func hostileWitness(t *testing.T, head func(w *bufio.Writer) error) (string, *atomic.Int64) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	var sent atomic.Int64
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				r := bufio.NewReader(c)
				req, err := http.ReadRequest(r)
				if err != nil {
					return
				}
				req.Body.Close()
				w := bufio.NewWriter(counter{c, &sent})
				if head(w) == nil {
					w.WriteString("Content-Length: 0\r\n\r\n")
					w.Flush()
				}
			}()
		}
	}()
	return "http://" + ln.Addr().String(), &sent
}

type counter struct {
	net.Conn
	n *atomic.Int64
}

func (c counter) Write(p []byte) (int, error) {
	n, err := c.Conn.Write(p)
	c.n.Add(int64(n))
	return n, err
}

// TestClientBoundsAWitnesssAnswerHeader: the body of a witness's answer was read up to 64
// KiB, but its header up to net/http's default of 10 MB, and its status line went whole
// into the error, which the pool logs at every failure and keeps as the witness's
// last error. A witness answer's header is read up to 64 KiB too, and its status line is not
// repeated.
func TestClientBoundsAWitnesssAnswerHeader(t *testing.T) {
	_, cp := newTestLog(t, newLogKey(t), "main").Latest()
	vkey := startChanceryWitness(t, "", "").key.VerifierKey()
	long := strings.Repeat("x", 60<<10) // a header within the bound
	u, _ := hostileWitness(t, func(w *bufio.Writer) error {
		_, err := w.WriteString("HTTP/1.1 500 " + long + "\r\n")
		return err
	})
	_, err := newClient(t, "w1", u, vkey).AddCheckpoint(context.Background(), 0, nil, cp)
	if err == nil || len(err.Error()) > 1024 || !strings.Contains(err.Error(), "500 Internal Server Error") {
		t.Errorf("a status line of 60 KiB: error of %d bytes (%.200q), want the status code in under 1 KiB", len(err.Error()), err)
	}
	u, sent := hostileWitness(t, func(w *bufio.Writer) error {
		w.WriteString("HTTP/1.1 200 OK\r\n")
		for range 1024 {
			if _, err := w.WriteString("X-Pad: " + long[:8<<10] + "\r\n"); err != nil { // 8 MiB
				return err
			}
		}
		return nil
	})
	if _, err := newClient(t, "w2", u, vkey).AddCheckpoint(context.Background(), 0, nil, cp); err == nil {
		t.Error("an answer with a header of 8 MiB accepted")
	}
	if n := sent.Load(); n > 4<<20 {
		t.Errorf("the witness sent %d bytes of header before the answer was refused, want at most 4 MiB", n)
	}
}
