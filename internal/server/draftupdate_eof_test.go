package server_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/pdf/pdftest"
	"github.com/chancery/chancery/internal/registry"
)

// eofFontPDF is a one-page letter whose embedded font program, kept uncompressed as uploaded,
// holds n end-of-file markers ("%%EOF" lines), as any stream of an uploaded PDF may.
func eofFontPDF(n int) []byte {
	content := "BT /F1 12 Tf 72 720 Td (Dear Minister, the brigade of the northern task force moves north on 3 March.) Tj ET\n" +
		"BT /F1 12 Tf 72 700 Td (We will share the schedule with your liaison officers one week before each movement.) Tj ET\n" +
		"BT /F1 12 Tf 72 680 Td (These movements are routine and do not change the mission or the size of the force.) Tj ET\n"
	font := strings.Repeat("%%EOF\n", n)
	return pdftest.Build(
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
		pdftest.Stream(fmt.Sprintf("<< /Length %d >>", len(content)), []byte(content)),
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /FirstChar 32 /LastChar 32 /Widths [250] /FontDescriptor 6 0 R >>",
		"<< /Type /FontDescriptor /FontName /Helvetica /Flags 32 /FontBBox [0 0 1000 1000] /ItalicAngle 0 /Ascent 800 /Descent -200 /CapHeight 700 /StemV 80 /FontFile3 7 0 R >>",
		pdftest.Stream(fmt.Sprintf("<< /Subtype /Type1C /Length %d >>", len(font)), []byte(font)),
	)
}

// TestDraftCopyWithEndMarkersInsideIsADraftOnceUpdated: a draft copy keeps an uploaded
// PDF's streams that are not drawn again (an embedded font program) byte for byte, and
// "%%EOF" in one of them came before the copy's own end-of-file marker: pdf.RevisionEnds
// found those first, so that with enough of them (eight for the API's 16 ends, two for
// chancery verify's 4) the copy's own end was never asked about, and a copy whose marks an
// appended update made invisible was answered as no draft. Such a version is given out as
// no copy and no preview.
func TestDraftCopyWithEndMarkersInsideIsADraftOnceUpdated(t *testing.T) {
	o := cfNewOffice(t)
	l := o.create(t, "kilo", ".pdf", "application/pdf", string(eofFontPDF(20)))
	ctx := context.Background()
	c, err := o.reg.ExportDraft(ctx, o.actors[cfDrafter], l.ref, cfRecipient)
	if err == nil {
		o.release(t, l)
		askDraft(t, o, l, "the stripped copy of a PDF whose font holds end-of-file markers", stripMarks(t, c.Data))
		return
	}
	if !errors.Is(err, registry.ErrInvalid) {
		t.Fatalf("the copy: %v", err)
	}
	if _, err := o.reg.Preview(ctx, o.actors[cfReviewer], l.ref); !errors.Is(err, registry.ErrInvalid) {
		t.Errorf("the preview: %v; want it refused as the copy is", err)
	}
}
