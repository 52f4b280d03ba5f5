package pdf_test

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/pdf"
	"github.com/chancery/chancery/internal/pdf/pdftest"
	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
)

// storedReaders are what reads a stored PDF: Check at upload, the copies and the release
// after it, on files earlier versions stored without today's checks.
var storedReaders = map[string]func([]byte) error{
	"Check":     func(b []byte) error { _, err := pdf.Check(b); return err },
	"Watermark": func(b []byte) error { _, err := pdf.Watermark(b, mark); return err },
	"Stamp":     func(b []byte) error { _, err := pdf.Stamp(b, footer); return err },
}

// refusedWithin checks that every stored reader refuses src with ErrTooLarge, allocating at
// most limit bytes.
func refusedWithin(t *testing.T, what string, src []byte, limit uint64) {
	t.Helper()
	for name, read := range storedReaders {
		read(pdftest.Build("<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
			"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>")) // the fonts and the QR code are made once
		var err error
		grew := allocated(func() { err = read(src) })
		if !errors.Is(err, pdf.ErrTooLarge) {
			t.Errorf("%s: %s = %.200v, want ErrTooLarge", what, name, err)
		}
		if grew > limit {
			t.Errorf("%s: %s allocated %d MiB", what, name, grew>>20)
		}
	}
}

// namedContent is a page whose /Contents names one stream of size bytes n times.
func namedContent(n, size int) []byte {
	content := "BT /F1 24 Tf 100 700 Td (Hello) Tj ET" + strings.Repeat(" ", size)
	return pdftest.Build("<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 4 0 R >> >> /Contents ["+strings.Repeat("5 0 R ", n)+"] >>",
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
		pdftest.Stream(fmt.Sprintf("<< /Length %d >>", len(content)), []byte(content)))
}

// TestStoredContentStreamsNamedBounded: Text refused pages naming more than 65,536 content
// streams, but Check stored them, and the copies and the release read them: 200,000
// references of one 150-byte stream (a 1.2 MB file, 30 MB of content as named, within the
// content budget) cost Check 87 MB of allocations, Watermark and Stamp 216 MB. They are now
// refused at upload, and by the copies and the release, before pdfcpu validates the file
// (37 MB, the parsing).
func TestStoredContentStreamsNamedBounded(t *testing.T) {
	refusedWithin(t, "200,000 streams named", namedContent(200_000, 110), 128<<20)
	if _, err := pdf.Check(namedContent(60_000, 0)); err != nil {
		t.Errorf("60,000 streams named: %v", err)
	}
}

// TestStoredContentDecodedAsNamedBounded: Check measured a page's content streams once each,
// however often the page named them, and the copies and the release write a page's content
// as one stream: a 2.5 KB file naming 200 times a stream inflating to 1 MiB passed Check,
// and cost Watermark and Stamp 2 GB of allocations each (1,000 times, 10 GB and 5 to 12 s).
// The contents as named decode to at most 32 MiB, as Text already required.
func TestStoredContentDecodedAsNamedBounded(t *testing.T) {
	refusedWithin(t, "200 MiB as named", contentArrayBomb(1<<20, 200), 64<<20)
	if _, err := pdf.Check(contentArrayBomb(1<<20, 30)); err != nil {
		t.Errorf("30 MiB as named: %v", err)
	}
}

// annotatedTimes is a page whose /Annots names one annotation, with an appearance, n times.
func annotatedTimes(n int) []byte {
	content := "BT /F1 24 Tf 100 700 Td (Hello) Tj ET"
	ap := "0 0 1 rg 0 0 10 10 re f"
	return pdftest.Build("<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R /Annots ["+strings.Repeat("6 0 R ", n)+"] >>",
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
		pdftest.Stream(fmt.Sprintf("<< /Length %d >>", len(content)), []byte(content)),
		"<< /Type /Annot /Subtype /Square /Rect [10 10 20 20] /AP << /N 7 0 R >> >>",
		pdftest.Stream(fmt.Sprintf("<< /Type /XObject /Subtype /Form /BBox [0 0 10 10] /Length %d >>", len(ap)), []byte(ap)))
}

// TestStoredAnnotationsNamedBounded: pdfcpu's validation costs some 3 KB of allocations an
// annotation named, so a 1.2 MB page naming one annotation 200,000 times cost Check 4.2 s
// and 620 MB (a 32 MiB upload, 17 GB), and the copies and the release as much again. More
// than 65,536 annotations named are refused before validation (37 to 41 MB, the parsing),
// also when the page is in an object stream.
func TestStoredAnnotationsNamedBounded(t *testing.T) {
	src := annotatedTimes(200_000)
	refusedWithin(t, "200,000 annotations named", src, 160<<20)
	conf := model.NewDefaultConfiguration()
	conf.WriteObjectStream, conf.WriteXRefStream = true, true
	var packed bytes.Buffer
	if err := api.Optimize(bytes.NewReader(annotatedTimes(70_000)), &packed, conf); err != nil {
		t.Fatal(err)
	}
	if _, err := pdf.Check(packed.Bytes()); !errors.Is(err, pdf.ErrTooLarge) {
		t.Errorf("70,000 annotations named from an object stream: %v, want ErrTooLarge", err)
	}
	if _, err := pdf.Check(annotatedTimes(2_000)); err != nil {
		t.Errorf("2,000 annotations named: %v", err)
	}
}
