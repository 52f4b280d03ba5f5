package accesslog

import (
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
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
