package cli

import (
	"log/slog"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/syncbuf"
)

// TestOpsServerLogsThroughItsLogger: what net/http logs itself for an operator's listener
// (here a handler's panic) goes through serve's logger, a JSON object with --log-format json,
// where it went to the standard logger as a plain line. The public listener's server has the
// same ErrorLog (errorLog).
func TestOpsServerLogsThroughItsLogger(t *testing.T) {
	var out syncbuf.Buffer
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
