package cli

import (
	"bytes"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncWriter is a bytes.Buffer written by a server's goroutines and read by the test.
type syncWriter struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (w *syncWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.Write(p)
}

func (w *syncWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.String()
}

// TestOpsServerLogsThroughItsLogger: what net/http logs itself for an operator's listener
// (here a handler's panic) goes through serve's logger, a JSON object with --log-format json,
// where it went to the standard logger as a plain line. The public listener's server has the
// same ErrorLog (errorLog).
func TestOpsServerLogsThroughItsLogger(t *testing.T) {
	var out syncWriter
	logger := slog.New(slog.NewJSONHandler(&out, nil))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := opsServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic("boom") }), time.Minute, logger)
	go srv.Serve(ln)
	defer srv.Close()
	if resp, err := http.Get("http://" + ln.Addr().String() + "/"); err == nil {
		resp.Body.Close()
	}
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(out.String(), "panic serving") {
		if time.Now().After(deadline) {
			t.Fatalf("the handler's panic was not logged through the logger; it wrote %q", out.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	if line := strings.TrimSpace(out.String()); !strings.HasPrefix(line, `{"time":`) || !strings.Contains(line, `"level":"WARN"`) {
		t.Errorf("logged %q, want a JSON warning", line)
	}
}
