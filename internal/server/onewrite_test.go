package server

import (
	"bufio"
	"bytes"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/chancery/chancery/internal/seal"
)

// countingListener counts the writes to its connections.
type countingListener struct {
	net.Listener
	writes *atomic.Int64
}

func (l countingListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return countingConn{c, l.writes}, nil
}

type countingConn struct {
	net.Conn
	writes *atomic.Int64
}

func (c countingConn) Write(p []byte) (int, error) {
	c.writes.Add(1)
	return c.Conn.Write(p)
}

// serveCounting serves h on loopback, through Listener when gather is set, as serve does; it
// returns the address and the count of writes to the connections.
func serveCounting(t *testing.T, h http.Handler, gather bool) (string, *atomic.Int64) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	writes := new(atomic.Int64)
	var l net.Listener = countingListener{ln, writes}
	srv := &http.Server{Handler: h}
	if gather {
		l, srv.ConnContext = Listener(l), ConnContext
	}
	go srv.Serve(l)
	t.Cleanup(func() { srv.Close() })
	return ln.Addr().String(), writes
}

// roundTrip sends the raw request on a new connection and returns the raw response, read to
// the end of its body, and the writes the server made for it.
func roundTrip(t *testing.T, addr string, writes *atomic.Int64, req string) ([]byte, int64) {
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	before := writes.Load()
	if _, err := io.WriteString(c, req); err != nil {
		t.Fatal(err)
	}
	var raw bytes.Buffer
	resp, err := http.ReadResponse(bufio.NewReader(io.TeeReader(c, &raw)), nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(io.Discard, resp.Body); err != nil {
		t.Fatal(err)
	}
	return raw.Bytes(), writes.Load() - before
}

// withoutVarying drops the headers that differ from response to response.
func withoutVarying(raw []byte) string {
	var keep []string
	for _, line := range strings.Split(string(raw), "\r\n") {
		if !strings.HasPrefix(line, "Date: ") && !strings.HasPrefix(line, "X-Request-Id: ") {
			keep = append(keep, line)
		}
	}
	return strings.Join(keep, "\r\n")
}

// An answer larger than net/http's 4 KiB buffer leaves in one write through Listener, with
// the bytes it had without it.
func TestAnswerInOneWrite(t *testing.T) {
	body := bytes.Repeat([]byte(`{"x":"0123456789"}`), 500) // 9,000 bytes
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { writeAnswer(w, r, body) })
	req := "GET / HTTP/1.1\r\nHost: x\r\n\r\n"
	plainAddr, plainWrites := serveCounting(t, h, false)
	gatherAddr, gatherWrites := serveCounting(t, h, true)
	plain, n := roundTrip(t, plainAddr, plainWrites, req)
	if n < 2 {
		t.Fatalf("without Listener the answer took %d writes: the test needs more than one", n)
	}
	gathered, n := roundTrip(t, gatherAddr, gatherWrites, req)
	if n != 1 {
		t.Errorf("through Listener the answer took %d writes, want 1", n)
	}
	if withoutVarying(gathered) != withoutVarying(plain) {
		t.Errorf("through Listener:\n%.300s\nwithout:\n%.300s", gathered, plain)
	}
	// The connection serves further requests.
	if again, n := roundTrip(t, gatherAddr, gatherWrites, req); n != 1 || withoutVarying(again) != withoutVarying(plain) {
		t.Errorf("second answer: %d writes, same bytes %v", n, withoutVarying(again) == withoutVarying(plain))
	}
}

// The public verify API's answer is the same through Listener, headers included, and the
// common body form and any other form of the same request get the same answer.
func TestVerifyAnswerThroughListener(t *testing.T) {
	s, body := verifyBench(t)
	post := func(b string) string {
		return "POST /api/v1/verify HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: " +
			strconv.Itoa(len(b)) + "\r\n\r\n" + b
	}
	plainAddr, plainWrites := serveCounting(t, s, false)
	gatherAddr, gatherWrites := serveCounting(t, s, true)
	plain, _ := roundTrip(t, plainAddr, plainWrites, post(body))
	if !bytes.Contains(plain, []byte(`"outcome":"valid"`)) {
		t.Fatalf("answer: %.300s", plain)
	}
	for _, b := range []string{body, strings.Replace(body, ":", ": ", 1), " " + body + "\n"} {
		got, n := roundTrip(t, gatherAddr, gatherWrites, post(b))
		if n != 1 {
			t.Errorf("%s: %d writes, want 1", b, n)
		}
		if withoutVarying(got) != withoutVarying(plain) {
			t.Errorf("%s through Listener:\n%s\nwithout:\n%s", b, got, plain)
		}
	}
	for _, h := range []string{"X-Content-Type-Options: nosniff", "Content-Security-Policy: " + csp, "X-Frame-Options: DENY",
		"Referrer-Policy: same-origin", "Cross-Origin-Opener-Policy: same-origin", "Cross-Origin-Resource-Policy: same-origin", "Content-Type: application/json",
		"Cache-Control: no-store", "Permissions-Policy: camera=(), microphone=(), geolocation=()", "X-Request-Id: "} {
		if !bytes.Contains(plain, []byte("\r\n"+h)) {
			t.Errorf("no %q in the answer's headers:\n%s", h, plain)
		}
	}
}

// plainDigestBody takes the one form it knows, and leaves every other body as it was.
func TestPlainDigestBody(t *testing.T) {
	d := "sha256:" + strings.Repeat("0a", 32)
	for _, c := range []struct {
		body, ct string
		want     seal.Digest
	}{
		{`{"digest":"` + d + `"}`, "application/json", seal.Digest(d)},
		{`{"digest":"` + d + `"}`, "", seal.Digest(d)},
		{`{"digest":"` + d + `"}`, "text/plain", ""},
		{`{"digest":"` + d + `"} `, "application/json", ""},
		{`{"digest":"` + strings.ToUpper(d) + `"}`, "application/json", ""},
		{`{"digest":"` + d[:70] + `g"}`, "application/json", ""},
		{`{"digest":"` + d + `","latest":true}`, "application/json", ""},
		{`{"digest": "` + d + `"}`, "application/json", ""},
		{`{"digest":"` + d + `"}`[1:], "application/json", ""},
		{"", "application/json", ""},
		{strings.Repeat("x", 5000), "application/json", ""},
	} {
		r := httptest.NewRequest("POST", "/api/v1/verify", strings.NewReader(c.body))
		if got := plainDigestBody(r, c.ct); got != c.want {
			t.Errorf("%.100q: %q, want %q", c.body, got, c.want)
		}
		if c.want != "" {
			continue
		}
		if rest, err := io.ReadAll(r.Body); err != nil || string(rest) != c.body {
			t.Errorf("%.100q: the body left is %.100q, %v", c.body, rest, err)
		}
	}
}
