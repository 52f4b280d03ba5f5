package pdf_test

import (
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/pdf"
)

// TestChanceryTitleKeptInCopies: keepInfo keeps the title and author of a document Chancery
// laid out itself, which Chancery writes as hex strings (<FEFF…>); its first form deleted them
// as not strings, and a draft copy of a Markdown letter lost its title and author (found by
// the session's review).
func TestChanceryTitleKeptInCopies(t *testing.T) {
	src, err := pdf.Render("text/markdown", []byte("Dear Minister,\n\nWe propose the agreement below.\n"),
		pdf.Letterhead{Office: "Task Force North", Reference: "TFN-2026-0042", Subject: "Agreement on posture"})
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	cp, err := pdf.Watermark(src, pdf.DraftMark{Recipient: "Ministry of Finance", Reference: "TFN-2026-0042", Version: 1, Exported: at, Member: "dave"})
	if err != nil {
		t.Fatal(err)
	}
	orig, _ := exec.Command(requireTool(t, "pdfinfo"), writeTemp(t, "o.pdf", src)).CombinedOutput()
	out, _ := exec.Command(requireTool(t, "pdfinfo"), writeTemp(t, "c.pdf", cp)).CombinedOutput()
	if !strings.Contains(string(orig), "Agreement on posture") {
		t.Fatalf("the rendered letter has no title:\n%s", orig)
	}
	if !strings.Contains(string(out), "Agreement on posture") || !strings.Contains(string(out), "Task Force North") {
		t.Errorf("the draft copy of a letter Chancery laid out lost its title or author:\n%s", out)
	}
}
