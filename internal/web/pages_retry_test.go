package web

import (
	"context"
	"errors"
	"log/slog"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/ocr"
)

// TestPagesReaderReadsAgainPagesNotRead: pages that could not be read were said unread for as
// long as the server ran, whatever stopped the reading: the OCR time budget on a loaded
// machine (an ordinary letter of eight pages), or OCR busy with scans sent to identify. They
// are read again at a request once pagesRetry has passed.
func TestPagesReaderReadsAgainPagesNotRead(t *testing.T) {
	calls := 0
	p := newPagesReader(func(ctx context.Context, pdf []byte) (ocr.Reading, error) {
		calls++
		if calls == 1 {
			return ocr.Reading{}, errors.New("ocr: waiting for a free reader: time budget exceeded")
		}
		return ocr.Reading{Text: "The Ministry will pay."}, nil
	}, slog.New(slog.DiscardHandler))
	defer p.close()
	await := func(what string, want func(*pagesShown) bool) *pagesShown {
		t.Helper()
		deadline := time.Now().Add(10 * time.Second)
		for {
			if s := p.shown(0, "a", []byte("%PDF-1.7"), "The Ministry will NOT pay."); s != nil && want(s) {
				return s
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s: not within 10 seconds", what)
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
	await("the first reading failed", func(s *pagesShown) bool { return s.Unread })
	if s := p.shown(0, "a", []byte("%PDF-1.7"), "The Ministry will NOT pay."); !s.Unread {
		t.Fatalf("read again before pagesRetry: %+v", s)
	}
	p.mu.Lock()
	p.done["a"].at = time.Now().Add(-pagesRetry)
	p.mu.Unlock()
	s := await("read again after pagesRetry", func(s *pagesShown) bool { return !s.Reading && !s.Unread })
	if len(s.Runs) != 1 || s.Runs[0].Text != "not" {
		t.Errorf("read again: %+v; want not listed", s)
	}
}
