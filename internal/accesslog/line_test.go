package accesslog

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"math"
	"net/http/httptest"
	"regexp"
	"testing"
	"time"
)

// slogLine is the line slog's handler (text or JSON, with Handler's request ID) writes for a.
func slogLine(t testing.TB, json bool, a *accessLine) []byte {
	var buf bytes.Buffer
	var h slog.Handler = slog.NewTextHandler(&buf, nil)
	if json {
		h = slog.NewJSONHandler(&buf, nil)
	}
	rec := slog.NewRecord(a.at, slog.LevelInfo, "request", 0)
	rec.AddAttrs(
		slog.String("method", a.method),
		slog.String("route", a.route),
		slog.String("path", a.path),
		slog.Int("status", a.status),
		slog.Int64("bytes", a.bytes),
		slog.Float64("duration_ms", a.durationMS),
	)
	if err := Handler(h).Handle(WithID(context.Background(), a.requestID), rec); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// FuzzLine checks that the access log line is, byte for byte, what slog writes for the same
// record, in both formats, whatever the strings (quotes, escapes, invalid UTF-8, spaces, '='),
// numbers and time.
func FuzzLine(f *testing.F) {
	f.Add(int64(1764518400123456789), 0, "POST", "POST /api/v1/verify", "/api/v1/verify", 200, int64(5312), int64(123), "k3zq5vbd2xq7mfa4")
	f.Add(int64(-62135596800000000), 3600, "GET", "", "/v/REF/REDACTED/file", 404, int64(0), int64(0), "")
	f.Add(int64(253402300799999999), -19800, "GET", "GET /{x}", "/a b=c\"d\\e\x00\x7f\u2028\u00a0\xff\ufffd", 500, int64(-1), int64(1234567890123), "lb-1:x.y_z")
	f.Add(int64(0), 0, "PUT", "=", "é", 0, int64(math.MaxInt64), int64(1), "a")
	f.Fuzz(func(t *testing.T, nanos int64, offset int, method, route, path string, status int, n, micros int64, id string) {
		at := time.Unix(0, nanos).In(time.FixedZone("", offset%86400))
		if y := at.Year(); y < 0 || y >= 10000 {
			return // slog's JSON handler writes an error for such a time; a server's clock has none
		}
		a := &accessLine{at: at, method: method, route: route, path: path, status: status, bytes: n,
			durationMS: float64(micros) / 1000, requestID: id}
		for _, json := range []bool{false, true} {
			got := (&lines{json: json}).append(nil, a)
			if want := slogLine(t, json, a); !bytes.Equal(got, want) {
				t.Fatalf("json %v:\n got %q\nwant %q", json, got, want)
			}
		}
	})
}

var timeField = regexp.MustCompile(`^time=[^ ]+ |^\{"time":"[^"]+",`)

// TestLogWritesSlogLines checks Log end to end: through NewLogger's logger (lines) and through
// a logger NewLogger did not make (slog itself) a request is logged with the same fields, the
// time aside; a logger with attributes added keeps them.
func TestLogWritesSlogLines(t *testing.T) {
	r := httptest.NewRequest("POST", "/v/TFN-2026-000001/3esdyoyl7yclec56/seal?code=x", nil)
	ctx := WithID(context.Background(), "req-1")
	rec := &Recorder{ResponseWriter: httptest.NewRecorder(), Status: 201, Bytes: 42}
	for _, format := range []string{"text", "json"} {
		var fast, slow bytes.Buffer
		l, err := NewLogger(&fast, format)
		if err != nil {
			t.Fatal(err)
		}
		var h slog.Handler = slog.NewTextHandler(&slow, nil)
		if format == "json" {
			h = slog.NewJSONHandler(&slow, nil)
		}
		Log(ctx, l, r, "GET /v/{ref}/{code}/seal", rec, 1500*time.Microsecond)
		Flush(l)
		Log(ctx, slog.New(Handler(h)), r, "GET /v/{ref}/{code}/seal", rec, 1500*time.Microsecond)
		got, want := timeField.ReplaceAll(fast.Bytes(), nil), timeField.ReplaceAll(slow.Bytes(), nil)
		if !bytes.Equal(got, want) || bytes.Contains(got, []byte("3esdyoyl7yclec56")) || len(got) == 0 {
			t.Errorf("%s: NewLogger's line\n%s\nslog's\n%s", format, fast.Bytes(), slow.Bytes())
		}
		fast.Reset()
		Log(ctx, l.With("server", "a"), r, "GET /v/{ref}/{code}/seal", rec, time.Millisecond)
		if !bytes.Contains(fast.Bytes(), []byte("server")) {
			t.Errorf("%s: a logger's added attribute is lost: %s", format, fast.Bytes())
		}
	}
}

// BenchmarkLog measures an access log line, through slog and as Log writes it for NewLogger's
// loggers, to io.Discard (the cost of the line, not of the disk).
//
//	go test ./internal/accesslog -run '^$' -bench Log -benchmem
func BenchmarkLog(b *testing.B) {
	r := httptest.NewRequest("POST", "/api/v1/verify", nil)
	ctx := WithID(context.Background(), NewID())
	rec := &Recorder{ResponseWriter: httptest.NewRecorder(), Status: 200, Bytes: 5312}
	for _, format := range []string{"text", "json"} {
		l, err := NewLogger(io.Discard, format)
		if err != nil {
			b.Fatal(err)
		}
		var h slog.Handler = slog.NewTextHandler(io.Discard, nil)
		if format == "json" {
			h = slog.NewJSONHandler(io.Discard, nil)
		}
		for name, l := range map[string]*slog.Logger{"slog": slog.New(Handler(h)), "lines": l} {
			b.Run(format+"/"+name, func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					Log(ctx, l, r, "POST /api/v1/verify", rec, 123*time.Microsecond)
				}
			})
		}
	}
}
