package witness

import (
	"bytes"
	"testing"
)

// TestParseRequestAllocatesLittle: a request of MaxRequestSize bytes may hold 8000 short
// lines before its empty line. Splitting it whole before counting the proof lines
// allocated a slice header per line, 196 KB for a 16 KiB request that anyone may send; the
// parser reads no more lines than a request may have.
func TestParseRequestAllocatesLittle(t *testing.T) {
	body := append([]byte("old 1\n"), bytes.Repeat([]byte("a\n"), (MaxRequestSize-200)/2)...)
	body = append(body, "\nx\n"...)
	if _, err := parseRequest(body); err == nil {
		t.Fatal("a request of 8000 proof lines parsed")
	}
	r := testing.Benchmark(func(b *testing.B) {
		b.ReportAllocs()
		for range b.N {
			parseRequest(body)
		}
	})
	if n := r.AllocedBytesPerOp(); n > 8<<10 {
		t.Errorf("parsing a request of %d bytes allocated %d bytes, want at most 8 KiB", len(body), n)
	}
}
