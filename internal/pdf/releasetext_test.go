package pdf_test

import (
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/officeca/officecatest"
	"github.com/chancery/chancery/internal/pdf"
)

// TestReleasedTextIsText checks that ReleasedText, which reads a laid-out release as it
// stands, returns exactly what Text returns after pdfcpu's read and rewrite: a release's
// fingerprint is computed from it. Letters of one and of many pages, plain and Markdown, in
// every script the renderer lays out, unsigned and signed.
func TestReleasedTextIsText(t *testing.T) {
	s := officecatest.Signer(t, "Task Force North")
	type letter struct {
		name, mediaType string
		body            []byte
		head            pdf.Letterhead
	}
	letters := []letter{
		{"plain-300", "text/plain", []byte(strings.Repeat("The arrangements of the meeting are confirmed.\n", 6)), head},
		{"markdown-9", "text/markdown", body(9), head},
		{"markdown-40", "text/markdown", body(40), head},
	}
	for _, sl := range scriptLetters {
		h := head
		h.Subject = sl.subject
		letters = append(letters, letter{"script-" + sl.name, "text/markdown", []byte(strings.Join(sl.paragraphs, "\n\n")), h})
	}
	for _, l := range letters {
		for _, signer := range []*pdf.Signer{nil, s} {
			doc, err := pdf.RenderRelease(l.mediaType, l.body, l.head, footer, signer)
			if err != nil {
				t.Fatalf("%s: %v", l.name, err)
			}
			want, err := pdf.Text(doc)
			if err != nil {
				t.Fatalf("%s: %v", l.name, err)
			}
			got, err := pdf.ReleasedText(doc)
			if err != nil {
				t.Fatalf("%s (signed %v): %v", l.name, signer != nil, err)
			}
			if got != want {
				t.Errorf("%s (signed %v): ReleasedText\n%q\nText\n%q", l.name, signer != nil, got, want)
			}
			if !strings.Contains(want, head.Reference) {
				t.Errorf("%s: the text has no letterhead: %q", l.name, want)
			}
		}
	}
	// A document this package did not lay out is refused, for the caller to use Text.
	if _, err := pdf.ReleasedText([]byte("%PDF-1.4\n1 0 obj\n<<>>\nendobj\n")); err == nil {
		t.Error("ReleasedText read a document it did not lay out")
	}
}
