package web

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/ocr"
)

// TestPagesReaderStopsWithTheServer: the pages of PDFs are read in the background of the
// letter page, by OCR children working on a copy of the PDF in the temporary directory. A
// server stopped meanwhile left them running, and the copy behind (the reading's goroutine
// outlived the server). Handler.Close stops the reading under way and returns once it has
// ended; the PDFs waiting are dropped, and no page is read afterwards.
func TestPagesReaderStopsWithTheServer(t *testing.T) {
	started, ended := make(chan struct{}), make(chan error, 1)
	h := New(Config{Logger: slog.New(slog.DiscardHandler), ReadPages: func(ctx context.Context, pdf []byte) (ocr.Reading, error) {
		close(started)
		select {
		case <-ctx.Done():
			ended <- ctx.Err()
			return ocr.Reading{}, ctx.Err()
		case <-time.After(time.Minute):
			ended <- nil
			return ocr.Reading{}, nil
		}
	}})
	h.shown.shown(0, "a", []byte("%PDF-1.7 a"), "a")
	h.shown.shown(0, "b", []byte("%PDF-1.7 b"), "b")
	<-started
	closed := make(chan struct{})
	go func() {
		h.Close()
		close(closed)
	}()
	select {
	case <-closed:
	case <-time.After(10 * time.Second):
		t.Fatal("Close did not return within 10 seconds")
	}
	select {
	case err := <-ended:
		if err == nil {
			t.Error("the reading under way was not stopped")
		}
	default:
		t.Error("Close returned before the reading under way ended")
	}
	h.shown.mu.Lock()
	running, waiting := h.shown.running, len(h.shown.waiting)
	h.shown.mu.Unlock()
	if running || waiting != 0 {
		t.Errorf("after Close: running %v, %d PDFs waiting", running, waiting)
	}
	if s := h.shown.shown(0, "c", []byte("%PDF-1.7 c"), "c"); s != nil {
		t.Errorf("a PDF's pages after Close: %+v; want none read", s)
	}
}
