package pdf_test

import (
	"bytes"
	"compress/zlib"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/pdf"
	"github.com/chancery/chancery/internal/pdf/pdftest"
	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
)

// deflated returns n spaces, zlib-compressed: some kilobytes per 10 MiB.
func deflated(n int) []byte {
	var z bytes.Buffer
	w, _ := zlib.NewWriterLevel(&z, zlib.BestCompression)
	chunk := bytes.Repeat([]byte(" "), 1<<20)
	for ; n > 0; n -= len(chunk) {
		w.Write(chunk[:min(n, len(chunk))])
	}
	w.Close()
	return z.Bytes()
}

func streamObj(data []byte, extra string) string {
	return fmt.Sprintf("<< /Length %d /Filter /FlateDecode %s>>\nstream\n%s\nendstream", len(data), extra, data)
}

// contentArrayBomb is issue 12 item 2's page whose /Contents names one stream that inflates
// to size bytes, times times over (pdfcpu concatenated them before any size check).
func contentArrayBomb(size, times int) []byte {
	refs := strings.TrimSpace(strings.Repeat("4 0 R ", times))
	return pdftest.Build("<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents ["+refs+"] >>",
		streamObj(deflated(size), ""))
}

// toUnicodeBomb is a one-page PDF with real text whose font's /ToUnicode CMap inflates to size
// bytes (the extractor interpreted all of it: 4-5 s of CPU).
func toUnicodeBomb(size int) []byte { return toUnicodePDF(deflated(size)) }

// toUnicodePDF is a one-page PDF whose font has the (compressed) /ToUnicode CMap cmap.
func toUnicodePDF(cmap []byte) []byte {
	content := []byte("BT /F1 12 Tf 72 720 Td (Dear Minister) Tj ET")
	return pdftest.Build("<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(content), content),
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /ToUnicode 6 0 R >>",
		streamObj(cmap, ""))
}

// allocated returns the bytes allocated while f runs.
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

func TestTextDecodeBombs(t *testing.T) {
	for name, data := range map[string][]byte{
		"contents array":   contentArrayBomb(30<<20, 8),
		"ToUnicode":        toUnicodeBomb(64 << 20),
		"nested filters":   nestedFlateBomb(),
		"single ToUnicode": toUnicodeBomb(3 << 20),
	} {
		var err error
		grew := allocated(func() { _, err = pdf.Text(data) })
		if !errors.Is(err, pdf.ErrTooLarge) {
			t.Errorf("%s (%d bytes): Text = %v, want ErrTooLarge", name, len(data), err)
		}
		if grew > 64<<20 {
			t.Errorf("%s: Text allocated %d MiB", name, grew>>20)
		}
	}
}

// nestedFlateBomb is a content stream compressed twice: the inner stream, itself small,
// inflates to 64 MiB.
func nestedFlateBomb() []byte {
	z := pdftest.Deflate(deflated(64 << 20))
	return pdftest.Build("<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
		fmt.Sprintf("<< /Length %d /Filter [/FlateDecode /FlateDecode] >>\nstream\n%s\nendstream", len(z), z))
}

// TestTextWithinBudgets: a page that names its content stream a few times, and a font with a
// small CMap, are read.
func TestTextWithinBudgets(t *testing.T) {
	if _, err := pdf.Text(contentArrayBomb(1<<20, 4)); err != nil {
		t.Errorf("4 MiB of content: %v", err)
	}
	z := pdftest.Deflate([]byte("/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /T def " +
		"1 begincodespacerange <00> <FF> endcodespacerange 1 beginbfrange <20> <7E> <0020> endbfrange " +
		"endcmap CMapName currentdict /CMap defineresource pop end end"))
	s, err := pdf.Text(toUnicodePDF(z))
	if err != nil || !strings.Contains(s, "Dear Minister") {
		t.Errorf("a font with a small CMap: %q, %v", s, err)
	}
}

// TestTextManyPagesInObjectStreams: the extractor parses an object again at each reference
// (decoding again the whole object stream that holds it) and found page i by walking the page
// tree from the root, so a 50 KB file of 500 pages in object streams cost 24 s of CPU and
// gigabytes of allocation. Text now reads a plain rewrite and walks the tree once.
func TestTextManyPagesInObjectStreams(t *testing.T) {
	const n = 500
	kids := make([]string, n)
	objs := []string{"<< /Type /Catalog /Pages 2 0 R >>", "", "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"}
	for i := range kids {
		kids[i] = fmt.Sprintf("%d 0 R", 4+2*i)
		c := fmt.Sprintf("BT /F1 12 Tf 72 720 Td (page %d) Tj ET", i+1)
		objs = append(objs, fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>", 5+2*i),
			fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(c), c))
	}
	objs[1] = fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d >>", strings.Join(kids, " "), n)
	conf := model.NewDefaultConfiguration()
	conf.WriteObjectStream, conf.WriteXRefStream = true, true
	var packed bytes.Buffer
	if err := api.Optimize(bytes.NewReader(pdftest.Build(objs...)), &packed, conf); err != nil {
		t.Fatal(err)
	}
	var s string
	var err error
	grew := allocated(func() { s, err = pdf.Text(packed.Bytes()) })
	if err != nil {
		t.Fatal(err)
	}
	if pages := strings.Split(s, "\f"); len(pages) != n || pages[0] != "page 1" || pages[n-1] != fmt.Sprintf("page %d", n) {
		t.Errorf("text of %d pages: %.40q … %.40q", len(pages), s, s[max(0, len(s)-40):])
	}
	if grew > 64<<20 {
		t.Errorf("Text of a %d KB file allocated %d MiB", packed.Len()>>10, grew>>20)
	}
}

// TestTextContentStreamsNamedBounded: the extractor reads each content stream a page names
// anew, so a 4.6 MB file whose page named one small stream 800,000 times (its decoded
// content within maxContent) cost 4.9 s and 4.5 GB of allocations to read. Pages naming
// more than 65,536 streams in all are refused; 60,000 are read.
func TestTextContentStreamsNamedBounded(t *testing.T) {
	content := "BT /F1 24 Tf 100 700 Td (Hello) Tj ET"
	named := func(n int) []byte {
		return pdftest.Build("<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
			"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 4 0 R >> >> /Contents ["+strings.Repeat("5 0 R ", n)+"] >>",
			"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
			pdftest.Stream(fmt.Sprintf("<< /Length %d >>", len(content)), []byte(content)))
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err := pdf.Text(named(800_000))
	runtime.ReadMemStats(&after)
	if !errors.Is(err, pdf.ErrTooLarge) {
		t.Errorf("800,000 streams named: %v, want ErrTooLarge", err)
	}
	if mb := (after.TotalAlloc - before.TotalAlloc) >> 20; mb > 1500 {
		t.Errorf("refusing 800,000 streams named allocated %d MB", mb)
	}
	if s, err := pdf.Text(named(60_000)); err != nil || !strings.Contains(s, "Hello") {
		t.Errorf("60,000 streams named: %.40q, %v", s, err)
	}
}
