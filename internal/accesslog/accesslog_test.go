package accesslog

import (
	"fmt"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestRedactPath(t *testing.T) {
	for in, want := range map[string]string{
		"/v/TFN-2026-000001":                       "/v/TFN-2026-000001",
		"/v/TFN-2026-000001/":                      "/v/TFN-2026-000001/",
		"/v/TFN-2026-000001/3esdyoyl7yclec56":      "/v/TFN-2026-000001/REDACTED",
		"/v/TFN-2026-000001/3esdyoyl7yclec56/file": "/v/TFN-2026-000001/REDACTED/file",
		"/v/TFN-2026-000001/3esdyoyl7yclec56/seal": "/v/TFN-2026-000001/REDACTED/seal",
		"/v/TFN-2026-000001/file":                  "/v/TFN-2026-000001/REDACTED",
		"/v/TFN-2026-000001/abc/def/ghi":           "/v/TFN-2026-000001/REDACTED/REDACTED/REDACTED",
		"/letters/TFN-2026-000001":                 "/letters/TFN-2026-000001",
		"/log/checkpoint":                          "/log/checkpoint",
	} {
		if got := RedactPath(in); got != want {
			t.Errorf("RedactPath(%q) = %q, want %q", in, got, want)
		}
	}
	if got := RedactPath("/" + strings.Repeat("a", 1000)); len(got) > 260 {
		t.Errorf("a long path is logged with %d bytes", len(got))
	}
}

var idPattern = regexp.MustCompile(`^[A-Za-z0-9._:-]{1,64}$`)

func TestRequestID(t *testing.T) {
	for in, keep := range map[string]bool{
		"abc":                       true,
		"lb-7f3a:42.x_y":            true,
		strings.Repeat("a", 64):     true,
		strings.Repeat("a", 65):     false,
		"":                          false,
		"a b":                       false,
		"<script>":                  false,
		"id\u00e9":                  false,
		"/v/TFN-2026-000001/secret": false,
	} {
		r := httptest.NewRequest("GET", "/", nil)
		r.Header.Set(Header, in)
		got := RequestID(r)
		if (got == in) != keep || !idPattern.MatchString(got) {
			t.Errorf("RequestID with %q = %q", in, got)
		}
	}
}

// FuzzRedactPath: whatever the path, a /v/ path's second segment (the check code) never
// survives, and the result stays short.
func FuzzRedactPath(f *testing.F) {
	for _, s := range []string{"/v/A/B", "/v/A/B/file", "/v//x", "/v/", "/x/y", "/v/A/file/seal"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, p string) {
		got := RedactPath(p)
		if len(got) > 256+len("…") {
			t.Fatalf("RedactPath(%q) has %d bytes", p, len(got))
		}
		rest, ok := strings.CutPrefix(p, "/v/")
		if !ok {
			return
		}
		segs := strings.Split(rest, "/")
		if len(segs) < 2 || segs[1] == "" || len(p) > 256 {
			return
		}
		if outSegs := strings.Split(strings.TrimPrefix(got, "/v/"), "/"); outSegs[1] != Redacted {
			t.Fatalf("RedactPath(%q) = %q keeps the code", p, got)
		}
	})
}

// FuzzRequestID: an incoming header never yields an ID outside the sane set.
func FuzzRequestID(f *testing.F) {
	for _, s := range []string{"abc", "", "a b", strings.Repeat("z", 70), "x\x00y"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		r := httptest.NewRequest("GET", "/", nil)
		r.Header["X-Request-Id"] = []string{in}
		if got := RequestID(r); !idPattern.MatchString(got) {
			t.Fatalf("RequestID(%q) = %q", in, got)
		}
	})
}

// Access lines wait in memory until Flush, the timer or another record, and keep their order
// with the records around them.
func TestAccessLinesBuffered(t *testing.T) {
	var out lockedBuffer
	l, err := NewLogger(&out, "text")
	if err != nil {
		t.Fatal(err)
	}
	logRequest := func(path string) {
		r := httptest.NewRequest("GET", path, nil)
		Log(r.Context(), l, r, "GET /", &Recorder{Status: 200}, time.Millisecond)
	}
	logRequest("/one")
	logRequest("/two")
	l.Info("between")
	logRequest("/three")
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	if len(lines) != 3 || !strings.Contains(lines[0], "path=/one") || !strings.Contains(lines[1], "path=/two") || !strings.Contains(lines[2], "msg=between") {
		t.Fatalf("before Flush, the log holds:\n%s", out.String())
	}
	Flush(l)
	if lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n"); len(lines) != 4 || !strings.Contains(lines[3], "path=/three") {
		t.Fatalf("after Flush, the log holds:\n%s", out.String())
	}
	// Without Flush, the timer writes the line.
	logRequest("/four")
	for !strings.Contains(out.String(), "path=/four") {
		time.Sleep(time.Millisecond)
	}
	// A burst larger than the buffer is written as it comes, every line once, in order.
	for i := range 2000 {
		logRequest(fmt.Sprintf("/burst/%d", i))
	}
	Flush(l)
	got := out.String()
	last := -1
	for i := range 2000 {
		at := strings.Index(got, fmt.Sprintf("path=/burst/%d ", i))
		if at <= last || strings.Count(got, fmt.Sprintf("path=/burst/%d ", i)) != 1 {
			t.Fatalf("burst line %d at %d, the one before at %d", i, at, last)
		}
		last = at
	}
}

type lockedBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}
