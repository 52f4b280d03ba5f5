package web

import (
	"context"
	"fmt"
	"log/slog"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/ocr"
)

// TestPagesReaderWithoutOCR: on a server without OCR, the first reading fails with
// ocr.ErrNoOCR and pages are read no more; the PDFs that were waiting for their turn then are
// dropped, not read with no reader (which panicked and stopped the server), and the letter
// page says nothing of pages from then on.
func TestPagesReaderWithoutOCR(t *testing.T) {
	started, fail := make(chan struct{}), make(chan struct{})
	calls := 0
	p := newPagesReader(func(ctx context.Context, pdf []byte) (ocr.Reading, error) {
		calls++
		if calls == 1 {
			close(started)
			<-fail
		}
		return ocr.Reading{}, fmt.Errorf("ocr: %w", ocr.ErrNoOCR)
	}, slog.New(slog.DiscardHandler))
	if s := p.shown(0, "a", []byte("%PDF-1.7 a"), "a"); s == nil || !s.Reading {
		t.Fatalf("first PDF: %+v; want it being read", s)
	}
	<-started
	for _, d := range []string{"b", "c"} {
		if s := p.shown(0, d, []byte("%PDF-1.7 "+d), d); s == nil || !s.Reading {
			t.Fatalf("PDF %s: %+v; want it waiting", d, s)
		}
	}
	close(fail)
	deadline := time.Now().Add(10 * time.Second)
	for {
		p.mu.Lock()
		running, waiting, bytes := p.running, len(p.waiting), p.bytes
		p.mu.Unlock()
		if !running {
			if waiting != 0 || bytes != 0 {
				t.Errorf("%d PDFs (%d bytes) still wait with no reader", waiting, bytes)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the reader still runs after 10 seconds")
		}
		time.Sleep(10 * time.Millisecond)
	}
	if s := p.shown(0, "d", []byte("%PDF-1.7 d"), "d"); s != nil {
		t.Errorf("after the reading failed for want of OCR: %+v; want nothing said", s)
	}
	if calls != 1 {
		t.Errorf("read %d times; want once", calls)
	}
}
