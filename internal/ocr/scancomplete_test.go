package ocr_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/ocr"
	"github.com/chancery/chancery/internal/ocr/ocrtest"
	"github.com/chancery/chancery/internal/pdf"
)

// TestScannedLetterSearchedToTheEnd: a released letter's page scanned at 150, 200 and 300
// dpi (ocrtest.Scan: turned 0.5°, with a scanner's noise, seed 7) has its footer's code read and is
// searched for codes to the end (complete). Scanned at 300 dpi such a page shows the
// detector some 80 candidate patterns once its code is painted out: the fallback search of
// the forty-fifth session, bounded at first to pages of 64, reported every such scan as read
// unfinished.
func TestScannedLetterSearchedToTheEnd(t *testing.T) {
	const url = "https://tfn.example/v/TFN-2026-000042/a5asuk52nm7heyooavjpd6nzgi"
	body := "Dear Minister,\n\n" + strings.Repeat("I should be grateful if you would confirm the convention of 277,200 francs for the 14th Battalion, and the dates of its movements. ", 12) + "\n"
	doc, err := pdf.Render("text/plain", []byte(body), pdf.Letterhead{Office: "Task Force North", Reference: "TFN-2026-000042"})
	if err != nil {
		t.Fatal(err)
	}
	doc, err = pdf.Stamp(doc, pdf.Footer{Office: "Task Force North", Reference: "TFN-2026-000042", VerifyURL: url})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, dpi := range []int{150, 200, 300} {
		scan := filepath.Join(dir, fmt.Sprintf("scan-%d.jpg", dpi))
		if err := os.WriteFile(scan, ocrtest.Scan(t, ocrtest.Pages(t, doc, dpi)[0], 0.5, 7), 0o600); err != nil {
			t.Fatal(err)
		}
		_, codes, complete, err := ocr.CleanPage(context.Background(), dir, scan)
		if err != nil || len(codes) != 1 || codes[0] != url || !complete {
			t.Errorf("%d dpi: codes %q (complete %v), %v; want the footer's, the page searched to the end", dpi, codes, complete, err)
		}
	}
}
