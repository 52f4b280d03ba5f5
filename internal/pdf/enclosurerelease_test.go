package pdf_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/officeca/officecatest"
	"github.com/chancery/chancery/internal/pdf"
)

// TestRenderEnclosureRelease: the one-pass release of an enclosure is a valid PDF that
// passes Check, whose signature pdfsig finds valid over the whole document, from which
// pdfdetach saves the file byte for byte under its name, and whose cover letter and footer
// pdftotext reads; its text (ReleasedText) is Text's, and it is deterministic.
func TestRenderEnclosureRelease(t *testing.T) {
	s := officecatest.Signer(t, head.Office)
	e := enclosed()
	unsigned, err := pdf.RenderEnclosureRelease(e, head, footer, nil)
	if err != nil {
		t.Fatal(err)
	}
	again, _ := pdf.RenderEnclosureRelease(e, head, footer, nil)
	if !bytes.Equal(unsigned, again) {
		t.Fatal("RenderEnclosureRelease is not deterministic")
	}
	signed, err := pdf.RenderEnclosureRelease(e, head, footer, s)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(signed, unsigned) || len(signed) <= len(unsigned) {
		t.Fatal("the signed release is not the unsigned one with the signature appended")
	}
	requireValidSignature(t, signed)
	digest := sha256.Sum256(e.Data)
	for name, d := range map[string][]byte{"unsigned": unsigned, "signed": signed} {
		t.Run(name, func(t *testing.T) {
			if _, err := pdf.Check(d); err != nil {
				t.Fatalf("the release does not pass Check: %v", err)
			}
			want, err := pdf.Text(d)
			if err != nil {
				t.Fatal(err)
			}
			if got, err := pdf.ReleasedText(d); err != nil || got != want {
				t.Errorf("ReleasedText %q (%v), Text %q", got, err, want)
			}
			file := writeTemp(t, "enclosure.pdf", d)
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
				"attached to this PDF document", "Verify at " + footer.VerifyURL} {
				if !strings.Contains(text, want) {
					t.Errorf("the release lacks %q:\n%s", want, text)
				}
			}
		})
	}
	if _, err := pdf.RenderEnclosureRelease(e, head, pdf.Footer{Office: "O"}, nil); err == nil {
		t.Error("a release without a verify URL was rendered")
	}
}

// TestSignedEnclosureNames releases, signed, enclosures whose names in UTF-16 hold bytes a
// PDF literal string must escape ('(', ')', '\', CR): the signature's update writes the
// catalog anew, and the document must stay readable by poppler and by ReleasedText, with a
// valid signature and the file under its name.
func TestSignedEnclosureNames(t *testing.T) {
	s := officecatest.Signer(t, head.Office)
	for _, name := range []string{"report (draft.zip", "a) b\\c (d.zip", "\u0128 \u0129.zip", "\u0628\u0629 \u095c.bin"} {
		e := pdf.Enclosure{Name: name, MediaType: "application/zip", Data: []byte("PK\x03\x04 enclosed")}
		signed, err := pdf.RenderEnclosureRelease(e, head, footer, s)
		if err != nil {
			t.Fatalf("%q: %v", name, err)
		}
		requireValidSignature(t, signed)
		if _, err := pdf.ReleasedText(signed); err != nil {
			t.Errorf("%q: ReleasedText: %v", name, err)
		}
		file := writeTemp(t, "enclosure.pdf", signed)
		if list := run(t, "pdfdetach", "-list", file); !strings.Contains(list, "1: "+name) {
			t.Errorf("%q: pdfdetach -list:\n%s", name, list)
		}
		if text := pageText(t, file, 1); !strings.Contains(text, head.Reference) {
			t.Errorf("%q: pdftotext reads no letter:\n%s", name, text)
		}
	}
}
