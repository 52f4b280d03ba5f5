package syncbuf_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/chancery/chancery/internal/syncbuf"
)

// TestConcurrentWrites: lines written from several goroutines while another reads are all
// kept, each whole (run with the race detector, which fails the test on a race).
func TestConcurrentWrites(t *testing.T) {
	var b syncbuf.Buffer
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			for j := range 100 {
				fmt.Fprintf(&b, "writer %d line %d\n", i, j)
				_ = b.String()
			}
		})
	}
	wg.Wait()
	lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	if len(lines) != 800 {
		t.Fatalf("%d lines, want 800", len(lines))
	}
	for _, l := range lines {
		var i, j int
		if n, err := fmt.Sscanf(l, "writer %d line %d", &i, &j); n != 2 || err != nil {
			t.Fatalf("a line torn: %q", l)
		}
	}
}
