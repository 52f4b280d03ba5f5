package web_test

import (
	"context"
	"log/slog"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/chancery/chancery/internal/ocr"
	"github.com/chancery/chancery/internal/registry"
	"github.com/chancery/chancery/internal/server"
	"github.com/chancery/chancery/internal/web"
)

// TestLetterPageReadBeforeAnErasureKeepsNothing: the letter page reads the letter's files,
// then the text of each version, then hands the latest PDF to the reader of its pages. An
// erasure that committed in between emptied the reader (row 810), and the page then gave it
// the erased letter's PDF: it waited in memory, was read, and the words where its pages and
// text differ were kept until the next erasure. A page whose files were read before an
// erasure now leaves nothing with the reader.
func TestLetterPageReadBeforeAnErasureKeepsNothing(t *testing.T) {
	o := newOffice(t, server.Config{})
	ctx := context.Background()
	ref, err := o.reg.CreateLetter(ctx, o.actors["dana"], registry.NewLetter{Subject: "Repositioning of forces", Class: "foreign-government",
		Addressees: []string{"Treasury"}, File: registry.Upload{Name: "decision.pdf", MediaType: "application/pdf",
			Data: pdfShowing("BT /F1 14 Tf 72 700 Td (The Ministry will pay the contractor.) Tj ET\n", "")}})
	if err != nil {
		t.Fatal(err)
	}
	o.release(ref)

	var reads atomic.Int32
	h := web.New(web.Config{Logger: slog.New(slog.DiscardHandler), Registry: o.reg, ReadPages: func(ctx context.Context, pdf []byte) (ocr.Reading, error) {
		reads.Add(1)
		return ocr.Reading{Text: "The Ministry will NOT pay the contractor."}, nil
	}})
	defer h.Close()
	mux := http.NewServeMux()
	h.Register(mux)
	o.handler = mux
	c := o.client()
	c.signIn("otto")

	var once sync.Once
	defer web.SetLetterFilesRead(func() {
		once.Do(func() {
			if err := o.reg.Erase(ctx, o.actors["root"], ref, "asked by the addressee"); err != nil {
				t.Error(err)
			}
		})
	})()
	if resp, _ := c.get("/letters/" + ref); resp.StatusCode != http.StatusOK {
		t.Fatalf("letter page: %s", resp.Status)
	}
	web.WaitPagesForTest(h)
	if kept, waiting, bytes := web.PagesHeld(h); kept != 0 || waiting != 0 || bytes != 0 || reads.Load() != 0 {
		t.Errorf("a page whose files were read before the erasure: %d PDFs read, %d outcomes kept, %d PDFs (%d bytes) waiting; want none",
			reads.Load(), kept, waiting, bytes)
	}
}
