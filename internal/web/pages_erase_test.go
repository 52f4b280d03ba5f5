package web_test

import (
	"context"
	"log/slog"
	"testing"

	"github.com/chancery/chancery/internal/ocr"
	"github.com/chancery/chancery/internal/server"
	"github.com/chancery/chancery/internal/web"
)

// TestPagesReaderForgetsErasedContent: the letter page's reader of PDF pages keeps, by the
// file's digest, the words where a version's pages and its text differ, and holds the PDFs
// waiting for their turn. An erasure emptied the registry's caches of letters' content (and,
// on the other servers, their refresh: row 775) but not these, which kept an erased letter's
// words and files in the server's memory until it restarted. An erasure now empties them, and
// a reading under way as it commits keeps nothing.
func TestPagesReaderForgetsErasedContent(t *testing.T) {
	o := newOffice(t, server.Config{})
	ref := o.letter("Repositioning of forces", "# Repositioning\n\nThe Ministry will pay the contractor.\n")
	o.release(ref)

	started, finish := make(chan struct{}), make(chan struct{})
	reads := 0 // by the reader's one goroutine
	h := web.New(web.Config{Logger: slog.New(slog.DiscardHandler), Registry: o.reg, ReadPages: func(ctx context.Context, pdf []byte) (ocr.Reading, error) {
		if reads++; reads == 1 {
			close(started)
			<-finish
		}
		return ocr.Reading{Text: "The Ministry will NOT pay the contractor."}, nil
	}})
	// An outcome kept from before, and a reading under way with another PDF waiting.
	web.KeepPagesForTest(h, "kept", "not")
	web.ShowPagesForTest(h, "reading", []byte("%PDF-1.7 reading"), "The Ministry will pay the contractor.")
	web.ShowPagesForTest(h, "waiting", []byte("%PDF-1.7 waiting"), "The Ministry will pay the contractor.")
	<-started

	if err := o.reg.Erase(context.Background(), o.actors["root"], ref, "asked by the addressee"); err != nil {
		t.Fatal(err)
	}
	kept, waiting, bytes := web.PagesHeld(h)
	if kept != 0 || waiting != 0 || bytes != 0 {
		t.Errorf("after the erasure: %d outcomes kept, %d PDFs (%d bytes) waiting; want none", kept, waiting, bytes)
	}
	close(finish)
	web.WaitPagesForTest(h) // the reading under way has ended, and nothing waits
	defer h.Close()
	if kept, _, bytes := web.PagesHeld(h); kept != 0 || bytes != 0 {
		t.Errorf("the reading under way as the erasure committed kept %d outcomes (%d bytes waiting)", kept, bytes)
	}
}
