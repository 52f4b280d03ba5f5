package pdf_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/officeca/officecatest"
	"github.com/chancery/chancery/internal/pdf"
)

// enclosed is a ZIP-like file of 100 KB that does not compress away, with a name the ASCII
// file specification cannot hold.
func enclosed() pdf.Enclosure {
	data := []byte("PK\x03\x04")
	for i := 0; len(data) < 100<<10; i++ {
		data = append(data, byte(i*131+i>>8))
	}
	return pdf.Enclosure{Name: "données (v2).zip", MediaType: "application/zip", Data: data}
}

// TestRenderEnclosure: the cover letter states the file, and the file itself comes out of the
// PDF byte for byte with poppler's pdfdetach. Stamped and signed, the PDF has a valid signature
// and the cover letter, but not the file: Stamp removes embedded files (a release attaches an
// enclosure as it stamps it, RenderEnclosureRelease).
func TestRenderEnclosure(t *testing.T) {
	e := enclosed()
	doc, err := pdf.RenderEnclosure(e, head)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := pdf.Check(doc); err != nil {
		t.Fatalf("the enclosure PDF does not pass Check: %v", err)
	}
	stamped := mustStamp(t, doc, footer)
	requireTool(t, "pdfsig")
	requireTool(t, "certutil")
	s := officecatest.Signer(t, head.Office)
	signed, err := pdf.Sign(stamped, s, released, head.Office)
	if err != nil {
		t.Fatal(err)
	}
	nss := t.TempDir()
	run(t, "certutil", "-N", "--empty-password", "-d", "sql:"+nss)
	if out, _ := exec.Command("pdfsig", "-nssdir", "sql:"+nss, writeTemp(t, "signed.pdf", signed)).CombinedOutput(); !strings.Contains(string(out), "Signature is Valid.") ||
		!strings.Contains(string(out), "Total document signed") {
		t.Fatalf("pdfsig does not find a valid signature over the whole enclosure:\n%s", out)
	}
	digest := sha256.Sum256(e.Data)
	for name, d := range map[string][]byte{"rendered": doc, "stamped and signed": signed} {
		t.Run(name, func(t *testing.T) {
			file := writeTemp(t, "enclosure.pdf", d)
			if name != "rendered" {
				if list := run(t, "pdfdetach", "-list", file); !strings.Contains(list, "0 embedded files") || bytes.Contains(d, e.Data[:64]) {
					t.Fatalf("the stamped PDF still carries the file; pdfdetach -list:\n%s", list)
				}
				if text := pageText(t, file, 1); !strings.Contains(text, "File name: "+e.Name) {
					t.Errorf("the stamped cover lacks the file's name:\n%s", text)
				}
				return
			}
			if list := run(t, "pdfdetach", "-list", file); !strings.Contains(list, "1 embedded files") || !strings.Contains(list, "1: "+e.Name) {
				t.Fatalf("pdfdetach -list:\n%s", list)
			}
			saved := filepath.Join(t.TempDir(), "saved")
			run(t, "pdfdetach", "-save", "1", "-o", saved, file)
			got, err := os.ReadFile(saved)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, e.Data) {
				t.Fatalf("pdfdetach saved %d bytes, not the enclosed %d", len(got), len(e.Data))
			}
			text := pageText(t, file, 1)
			for _, want := range []string{head.Office, head.Reference, head.Subject, "Ministry of Defence", "Sam Signer, Commander",
				"File name: " + e.Name, "Media type: application/zip", "Size: 102,400 bytes (100.0 KB)", hex.EncodeToString(digest[:]),
				"attached to this PDF document"} {
				if !strings.Contains(text, want) {
					t.Errorf("the cover lacks %q:\n%s", want, text)
				}
			}
		})
	}
	if !strings.Contains(pageText(t, writeTemp(t, "s.pdf", signed), 1), "Verify at "+footer.VerifyURL) {
		t.Error("the stamped enclosure lacks the footer")
	}
}

// TestRenderEnclosureDeterministic: equal input gives equal bytes, so that a release can be
// stamped again to the same file; another file gives other bytes.
func TestRenderEnclosureDeterministic(t *testing.T) {
	e := enclosed()
	a, err := pdf.RenderEnclosure(e, head)
	if err != nil {
		t.Fatal(err)
	}
	b, err := pdf.RenderEnclosure(enclosed(), head)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a, b) {
		t.Fatal("two renderings of the same enclosure differ")
	}
	if !bytes.Equal(mustStamp(t, a, footer), mustStamp(t, b, footer)) {
		t.Fatal("two stampings of the same enclosure differ")
	}
	e.Data = append(bytes.Clone(e.Data), 0)
	c, err := pdf.RenderEnclosure(e, head)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(a, c) {
		t.Fatal("different files gave equal bytes")
	}
}

// TestRenderEnclosureCover: the cover alone (a draft copy's page) states the file and says it
// is attached to the released letter only, and carries no attachment.
func TestRenderEnclosureCover(t *testing.T) {
	e := enclosed()
	doc, err := pdf.RenderEnclosureCover(e, head)
	if err != nil {
		t.Fatal(err)
	}
	file := writeTemp(t, "cover.pdf", doc)
	if list := run(t, "pdfdetach", "-list", file); !strings.Contains(list, "0 embedded files") {
		t.Fatalf("the cover alone has attachments:\n%s", list)
	}
	if bytes.Contains(doc, e.Data[:64]) {
		t.Fatal("the cover alone holds the file's bytes")
	}
	digest := sha256.Sum256(e.Data)
	text := pageText(t, file, 1)
	for _, want := range []string{"File name: " + e.Name, hex.EncodeToString(digest[:]), "attached to the released letter only"} {
		if !strings.Contains(text, want) {
			t.Errorf("the cover lacks %q:\n%s", want, text)
		}
	}
}

// TestCheckEnclosure: a file too large to enclose, or whose name cannot be drawn, is refused.
func TestCheckEnclosure(t *testing.T) {
	if err := pdf.CheckEnclosure("data.zip", pdf.MaxEnclosure); err != nil {
		t.Fatalf("a file of MaxEnclosure bytes: %v", err)
	}
	if err := pdf.CheckEnclosure("data.zip", pdf.MaxEnclosure+1); !errors.Is(err, pdf.ErrTooLarge) {
		t.Fatalf("a file over MaxEnclosure: %v, want ErrTooLarge", err)
	}
	if err := pdf.CheckEnclosure("data\U00012000.zip", 10); !errors.Is(err, pdf.ErrUnsupportedChar) {
		t.Fatalf("a name the fonts cannot draw: %v, want ErrUnsupportedChar", err)
	}
	e := enclosed()
	e.Data = make([]byte, pdf.MaxEnclosure+1)
	if _, err := pdf.RenderEnclosure(e, head); !errors.Is(err, pdf.ErrTooLarge) {
		t.Fatalf("RenderEnclosure of a file over MaxEnclosure: %v, want ErrTooLarge", err)
	}
}

// TestRenderEnclosureLongName: a file name of 200 characters without a space is laid out
// whole, broken across lines where it must.
func TestRenderEnclosureLongName(t *testing.T) {
	e := enclosed()
	e.Name = strings.Repeat("abcdefghij", 20) + ".csv"
	doc, err := pdf.RenderEnclosure(e, head)
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join(strings.Fields(run(t, "pdftotext", writeTemp(t, "long.pdf", doc), "-")), "")
	if !strings.Contains(text, e.Name) {
		t.Fatalf("the cover lacks the long name:\n%s", text)
	}
}
