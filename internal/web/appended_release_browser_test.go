package web_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/pdf/pdftest"
	"github.com/chancery/chancery/internal/registry"
	"github.com/chancery/chancery/internal/server"
	"github.com/chromedp/chromedp"
)

// markersInFontPDF is a one-page letter whose embedded font program, kept uncompressed as
// uploaded and as released, holds n end-of-file markers ("%%EOF" lines).
func markersInFontPDF(n int) []byte {
	content := "BT /F1 12 Tf 72 720 Td (Dear Minister, the brigade of the northern task force moves north on 3 March.) Tj ET\n"
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

// TestPageFindsUpdatedRelease: a released file keeps, byte for
// byte, streams of the upload it does not draw again (an embedded font program), and
// "%%EOF" lines in one of them came before the release's own end-of-file marker. With an
// update appended, the page's script sent the digests of the file up to its first 16 ends,
// all inside the font, and the page answered "unknown to this registry" and that a scan
// never has the file's bytes; the script also sends the ends just before the file's last,
// where an appended update leaves the release's own, and the page answers altered.
func TestPageFindsUpdatedRelease(t *testing.T) {
	ctx := browser(t)
	o := newOffice(t, server.Config{RateLimit: -1})
	ref, err := o.reg.CreateLetter(context.Background(), o.actors["dana"], registry.NewLetter{Subject: "Movements", Class: "foreign-government",
		Addressees: []string{"Ministry of Defence"}, File: registry.Upload{Name: "letter.pdf", MediaType: "application/pdf", Data: markersInFontPDF(20)}})
	if err != nil {
		t.Fatal(err)
	}
	file := o.release(ref)
	if n := bytes.Count(file, []byte("%%EOF")); n < 17 {
		t.Fatalf("the release holds %d end-of-file markers; the test needs more than 16", n)
	}
	changed := filepath.Join(t.TempDir(), "changed.pdf")
	if err := os.WriteFile(changed, append(file, "\n1 0 obj\n<<>>\nendobj\n%%EOF\n"...), 0o644); err != nil {
		t.Fatal(err)
	}
	b := &tab{t: t, ctx: ctx, o: o}
	b.acceptLanguage("en")
	b.open("/verify", "#verify-file")
	b.do(chromedp.SetUploadFiles(chromedp.CSS("#verify-file"), []string{changed}), chromedp.WaitVisible(chromedp.CSS("#verdict")))
	if got, says := b.text("#verdict"), b.text("main"); !strings.Contains(got, "Altered") || !strings.Contains(says, ref) {
		t.Errorf("the release with an update appended: %q; want altered, naming %s:\n%s", got, ref, says)
	}
}
