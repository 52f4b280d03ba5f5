package accesslog

import (
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// BenchmarkLogToFile logs access lines to a file from parallel goroutines, as a busy server
// does: "buffered" as NewLogger's loggers write them, "write per line" with one write system
// call per line, as they did before (issue 19 item 1).
func BenchmarkLogToFile(b *testing.B) {
	for _, c := range []struct {
		name    string
		perLine bool
	}{{"buffered", false}, {"write per line", true}} {
		b.Run(c.name, func(b *testing.B) {
			f, err := os.Create(filepath.Join(b.TempDir(), "access.log"))
			if err != nil {
				b.Fatal(err)
			}
			defer f.Close()
			l, err := NewLogger(f, "json")
			if err != nil {
				b.Fatal(err)
			}
			h := l.Handler().(*idHandler)
			r := httptest.NewRequest("POST", "/api/v1/verify", nil)
			r = r.WithContext(WithID(r.Context(), NewID()))
			w := &Recorder{Status: 200, Bytes: 5300}
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if c.perLine {
						bp := lineBuffers.Get().(*[]byte)
						line := h.lines.append((*bp)[:0], &accessLine{at: time.Now(), method: r.Method, route: "POST /api/v1/verify",
							path: RedactPath(r.URL.Path), status: w.Code(), bytes: w.Bytes, durationMS: 1.234, requestID: ID(r.Context())})
						h.lines.w.Write(line)
						*bp = line
						lineBuffers.Put(bp)
						continue
					}
					Log(r.Context(), l, r, "POST /api/v1/verify", w, 1234*time.Microsecond)
				}
			})
			Flush(l)
		})
	}
}
