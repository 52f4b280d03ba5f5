package pdf_test

import (
	"bytes"
	"fmt"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/officeca/officecatest"
	"github.com/chancery/chancery/internal/pdf"
	"github.com/chancery/chancery/internal/pdf/pdftest"
)

// pdfWithInfo is a one-page PDF whose document information dictionary holds what word
// processors write there (the author's name, an internal title, keywords, a custom
// property) and a custom entry naming a stream of its own, as an uploaded PDF or a
// LibreOffice conversion may.
func pdfWithInfo() []byte {
	content := "BT /F1 14 Tf 72 720 Td (Dear Minister, we propose the agreement below.) Tj ET"
	notes := "UNMARKED-ORIGINAL: fallback position is 15 percent; do not disclose"
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(content), content),
		"<< /Title (INTERNAL - negotiation fallback, not for the ministry) /Author (Jane Smith, legal adviser) " +
			"/Subject (Fallback: accept 15 percent) /Keywords (fallback; 15 percent) /Company (Task Force North legal cell) /Notes 7 0 R >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(notes), notes),
	}
	return bytes.Replace(pdftest.Build(objs...), []byte("/Root 1 0 R >>"), []byte("/Root 1 0 R /Info 6 0 R >>"), 1)
}

// namedCopy is a copy of an upload that leaves the registry, named for messages.
type namedCopy struct {
	name string
	doc  []byte
}

// copiesOf returns what the registry makes of the upload src that others receive: a draft
// copy, a preview and a signed release.
func copiesOf(t *testing.T, src []byte) []namedCopy {
	t.Helper()
	if _, err := pdf.Check(src); err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	cp, err := pdf.Watermark(src, pdf.DraftMark{Recipient: "Ministry of Finance", Reference: "TFN-2026-0042", Version: 1, Exported: at, Member: "dave"})
	if err != nil {
		t.Fatal(err)
	}
	pv, err := pdf.Preview(src, pdf.PreviewMark{Reference: "TFN-2026-0042", Version: 1, Member: "dave", At: at})
	if err != nil {
		t.Fatal(err)
	}
	rel, err := pdf.Sign(mustStamp(t, src, footer), officecatest.Signer(t, "Task Force North"), released, "Task Force North")
	if err != nil {
		t.Fatal(err)
	}
	return []namedCopy{{"draft copy", cp}, {"preview", pv}, {"release", rel}}
}

// TestCopiesCarryNoDocumentInformation: a draft copy, a preview and a release of an
// uploaded PDF kept its document information dictionary as uploaded (only ModDate was
// changed), with the author's name, an internal title, subject, keywords and custom
// properties, and every object it names, byte for byte the same in every copy. Item 512
// removed the XMP metadata, which holds the same properties (dc:creator, dc:title,
// dc:description); the /Info dictionary was left (found by audit, forty-ninth session). Only
// the producer, the creator and the dates are kept now.
func TestCopiesCarryNoDocumentInformation(t *testing.T) {
	for _, c := range copiesOf(t, pdfWithInfo()) {
		out, _ := exec.Command(requireTool(t, "pdfinfo"), writeTemp(t, "c.pdf", c.doc)).CombinedOutput()
		for _, leak := range []string{"Jane Smith", "INTERNAL - negotiation fallback", "Fallback: accept 15 percent"} {
			if strings.Contains(string(out), leak) {
				t.Errorf("%s: pdfinfo shows %q from the upload's document information", c.name, leak)
			}
		}
		for _, leak := range []string{"Task Force North legal cell", "UNMARKED-ORIGINAL"} {
			if bytes.Contains(c.doc, []byte(leak)) {
				t.Errorf("%s: carries %q (a custom /Info entry, or an object it names)", c.name, leak)
			}
		}
	}
}
