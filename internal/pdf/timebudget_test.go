package pdf_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/budget"
	"github.com/chancery/chancery/internal/pdf"
	"github.com/chancery/chancery/internal/pdf/pdftest"
	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
)

// spent is a request context whose time budget has run out.
func spent(t *testing.T) context.Context {
	ctx, cancel := context.WithDeadline(context.Background(), time.Unix(1, 0))
	t.Cleanup(cancel)
	return ctx
}

// manyPagesPacked is a document of n pages in object streams, each page its own small content.
func manyPagesPacked(t *testing.T, n int) []byte {
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
	return packed.Bytes()
}

// TestTextTimeBudget (issue 12, item 2): with its time budget spent, the text extractor stops
// inside its loops on every bomb (the streams it decodes, the pages it walks) with
// budget.ErrExceeded, before any byte budget is reached; a small letter, whose work never
// reaches a check, is read.
func TestTextTimeBudget(t *testing.T) {
	for name, data := range map[string][]byte{
		"contents array": contentArrayBomb(30<<20, 8),
		"ToUnicode":      toUnicodeBomb(64 << 20),
		"nested filters": nestedFlateBomb(),
		"many pages":     manyPagesPacked(t, 500),
	} {
		var err error
		grew := allocated(func() { _, err = pdf.TextContext(spent(t), data) })
		if !errors.Is(err, budget.ErrExceeded) || !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("%s: %v, want the time budget's error", name, err)
		}
		if grew > 64<<20 {
			t.Errorf("%s: allocated %d MiB", name, grew>>20)
		}
		// With time, the same file is read or refused on its byte budget.
		if _, err := pdf.TextContext(context.Background(), data); errors.Is(err, budget.ErrExceeded) {
			t.Errorf("%s without a deadline: %v", name, err)
		}
	}
	letter := pdftest.Build("<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
		"<< /Length 44 >>\nstream\nBT /F1 12 Tf 72 720 Td (Dear Minister) Tj ET\nendstream")
	if s, err := pdf.TextContext(spent(t), letter); err != nil || !strings.Contains(s, "Dear Minister") {
		t.Errorf("a one-page letter: %q, %v", s, err)
	}
}
