package web_test

import (
	"context"
	"html"
	"strings"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/ocr/ocrtest"
	"github.com/chancery/chancery/internal/registry"
	"github.com/chancery/chancery/internal/server"
)

// TestLetterPageReadsThePages: a drafter's PDF that draws "NOT" in "The Ministry will NOT
// pay" and then paints a white rectangle over it has the text layer "will NOT pay" while its
// pages say "will pay"; nothing in the layer's own graphics tells it (what is painted after
// the text is not followed). The letter page reads the pages by OCR in the background, says
// so meanwhile, then lists "not" as a word of the text that the pages do not show. A PDF
// whose pages show its text gets no warning once read.
func TestLetterPageReadsThePages(t *testing.T) {
	ocrtest.Reader(t)
	o := newOffice(t, server.Config{})
	ctx := context.Background()
	c := o.client()
	c.signIn("rita")
	const (
		before  = "BT /F1 14 Tf 72 700 Td (The Ministry will ) Tj ET\n"
		not     = "BT /F1 14 Tf 186 700 Td (NOT) Tj ET\n"
		covered = "q 1 1 1 rg 184 695 34 17 re f Q\n"
		after   = "BT /F1 14 Tf 221 700 Td (pay the sum of 1,000,000 euros to the Treasury.) Tj ET\n"
		reading = "The pages of this PDF are being read (OCR)"
		differ  = "Read by OCR, the pages of this PDF do not show the text below"
	)
	read := func(ref string) string {
		t.Helper()
		deadline := time.Now().Add(5 * time.Minute)
		for {
			_, page := c.get("/letters/" + ref)
			page = html.UnescapeString(page)
			if !strings.Contains(page, reading) {
				return page
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s: the pages were still being read after 5 minutes", ref)
			}
			time.Sleep(200 * time.Millisecond)
		}
	}
	for _, k := range []struct {
		name, content string
		hidden        bool
	}{
		{"the pages show the text", before + after, false},
		{"NOT painted over", before + not + covered + after, true},
	} {
		ref, err := o.reg.CreateLetter(ctx, o.actors["dana"], registry.NewLetter{Subject: "Payment", Class: "foreign-government",
			Addressees: []string{"Treasury"}, File: registry.Upload{Name: "decision.pdf", MediaType: "application/pdf", Data: pdfShowing(k.content, "")}})
		if err != nil {
			t.Fatal(err)
		}
		if _, page := c.get("/letters/" + ref); !strings.Contains(html.UnescapeString(page), reading) {
			t.Fatalf("%s: the letter page does not say that the pages are being read", k.name)
		}
		page := read(ref)
		if strings.Contains(page, "draws part of its text") {
			t.Errorf("%s: the text layer's own graphics said something: the case does not test the pages' reading", k.name)
		}
		if got := strings.Contains(page, differ); got != k.hidden {
			t.Errorf("%s: the page says the pages do not show the text: %v, want %v", k.name, got, k.hidden)
		}
		if k.hidden && !strings.Contains(strings.ToLower(page), `<td dir="auto">not</td><td dir="auto"></td>`) {
			t.Errorf("%s: the word the pages do not show is not listed:\n%s", k.name, page)
		}
	}
}
