package pdf_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/chancery/chancery/internal/pdf"
	"github.com/chancery/chancery/internal/pdf/pdftest"
)

// layered is a one-page PDF whose content is content, with the font F1 and the optional
// content group oc1, which the document's default configuration switches off for viewing
// and on for printing.
func layered(content string) []byte {
	return pdftest.Build("<< /Type /Catalog /Pages 2 0 R /OCProperties << /OCGs [6 0 R] /D << /OFF [6 0 R] "+
		"/AS [<< /Event /Print /OCGs [6 0 R] /Category [/Print] >>] >> >> >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> /Properties << /oc1 6 0 R >> >> /Contents 5 0 R >>",
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
		pdftest.Stream(fmt.Sprintf("<< /Length %d >>", len(content)), []byte(content)),
		"<< /Type /OCG /Name (Print) /Usage << /Print << /PrintState /ON >> /View << /ViewState /OFF >> >> >>")
}

// TestTextInOptionalContentIsNotShown: text drawn in optional content (/OC … BDC … EMC) is
// in the text layer, but a viewer shows it or not as the document's layers say, and a printer
// as their print settings say: "The Ministry will NOT pay" whose "NOT" is in a layer switched
// off for viewing reads, in the preview and the released letter, "The Ministry will pay". So
// it counts as text the pages may not show, which the letter page warns of; marked content
// of other kinds does not.
func TestTextInOptionalContentIsNotShown(t *testing.T) {
	const (
		before = "BT /F1 14 Tf 72 720 Td (The Ministry will) Tj ET\n"
		after  = "BT /F1 14 Tf 240 720 Td (pay the sum.) Tj ET\n"
	)
	for _, c := range []struct {
		name          string
		content       string
		shown, hidden int
	}{
		{"in a layer", before + "/OC /oc1 BDC BT /F1 14 Tf 200 720 Td (NOT) Tj ET EMC\n" + after, 2, 1},
		{"nested in a layer", before + "/OC /oc1 BDC /Span << /ActualText (x) >> BDC BT (NOT) Tj ET EMC EMC\n" + after, 2, 1},
		{"after a layer", before + "/OC /oc1 BDC EMC BT (NOT) Tj ET\n" + after, 3, 0},
		{"other marked content", before + "/Span << /Lang (en) >> BDC BT (NOT) Tj ET EMC /P BMC BT (x) Tj ET EMC\n" + after, 4, 0},
	} {
		l, err := pdf.ReadTextLayer(context.Background(), layered(c.content))
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if _, err := l.Text(); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		shown, hidden, err := l.Shows()
		if err != nil || shown != c.shown || hidden != c.hidden {
			t.Errorf("%s: shown %d, hidden %d, %v; want %d, %d", c.name, shown, hidden, err, c.shown, c.hidden)
		}
		// Read apart from the text, as before it.
		l, err = pdf.ReadTextLayer(context.Background(), layered(c.content))
		if err != nil {
			t.Fatal(err)
		}
		if shown, hidden, err := l.Shows(); err != nil || shown != c.shown || hidden != c.hidden {
			t.Errorf("%s, counted alone: shown %d, hidden %d, %v; want %d, %d", c.name, shown, hidden, err, c.shown, c.hidden)
		}
	}
}
