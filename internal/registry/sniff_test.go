package registry

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/pdf"
	"github.com/chancery/chancery/internal/seal"
	"github.com/chancery/chancery/internal/textract"
)

// pdftotext returns the text of a PDF as poppler's pdftotext reads it (watermarks included),
// skipping the test when the tool is missing unless CHANCERY_REQUIRE_TOOLS=1.
func pdftotext(t *testing.T, data []byte) string {
	t.Helper()
	tool, err := exec.LookPath("pdftotext")
	if err != nil {
		if os.Getenv("CHANCERY_REQUIRE_TOOLS") == "1" {
			t.Fatalf("pdftotext is required (CHANCERY_REQUIRE_TOOLS=1): %v", err)
		}
		t.Skipf("pdftotext not installed")
	}
	p := filepath.Join(t.TempDir(), "copy.pdf")
	if err := os.WriteFile(p, data, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(tool, "-q", p, "-").CombinedOutput()
	if err != nil {
		t.Fatalf("pdftotext: %v\n%s", err, out)
	}
	return string(out)
}

// picture returns a small image in format "png" (with transparency) or "jpeg".
func picture(t *testing.T, format string) []byte {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, 60, 40))
	for x := range 60 {
		for y := range 40 {
			img.Set(x, y, color.NRGBA{R: uint8(4 * x), G: uint8(6 * y), B: 90, A: uint8(128 + 3*y)})
		}
	}
	var b bytes.Buffer
	var err error
	if format == "png" {
		err = png.Encode(&b, img)
	} else {
		err = jpeg.Encode(&b, img, nil)
	}
	if err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestSniff(t *testing.T) {
	doc, err := pdf.Render("text/plain", []byte("Dear Minister,"), pdf.Letterhead{Office: "O", Reference: "R"})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		data []byte
		want string
	}{
		{"pdf", doc, "application/pdf"},
		{"pdf after a preamble", append([]byte("junk\n"), doc...), "application/pdf"},
		{"docx", wordDoc(t, "Dear Minister,"), textract.DOCXType},
		{"png", picture(t, "png"), "image/png"},
		{"jpeg", picture(t, "jpeg"), "image/jpeg"},
		{"text", []byte("Dear Minister,"), ""},
		{"zip", zipWith(t, "xl/workbook.xml"), ""},
		{"binary", []byte{0, 1, 2, 3, 0xff}, ""},
	} {
		if got := sniff(c.data); got != c.want {
			t.Errorf("%s: sniff = %q, want %q", c.name, got, c.want)
		}
	}
}

func TestUploadClassifiedByContent(t *testing.T) {
	doc, err := pdf.Render("text/plain", []byte("Dear Minister,"), pdf.Letterhead{Office: "O", Reference: "R"})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name, declared string
		data           []byte
		want           string // "": refused
	}{
		{"x.pdf", "", doc, "application/pdf"},
		{"x.png", "", doc, "application/pdf"},
		{"x.bin", "application/octet-stream", doc, "application/pdf"},
		{"x.pdf", "application/x-pdf", doc, "application/pdf"},
		{"x.png", "image/png", doc, ""},
		{"x.txt", "text/plain", doc, ""},
		{"x.docx", textract.DOCXType, doc, ""},
		{"x.docx", "application/zip", wordDoc(t, "Dear Minister,"), textract.DOCXType},
		{"x.docx", "text/plain", wordDoc(t, "Dear Minister,"), ""},
		{"x.jpg", "image/jpg", picture(t, "jpeg"), "image/jpeg"},
		{"x.png", "image/jpeg", picture(t, "png"), ""},
		{"x.png", "image/png", []byte("Dear Minister,"), ""},
		{"x.pdf", "not a type", doc, ""},
		{"x.txt", "", []byte("Dear Minister,"), "text/plain; charset=utf-8"},
		{"x.bin", "application/octet-stream", []byte{0, 1, 2}, "application/octet-stream"},
		{"x.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", zipWith(t, "xl/workbook.xml"),
			"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
	} {
		u := Upload{Name: c.name, MediaType: c.declared, Data: c.data}
		err := u.check()
		switch {
		case c.want == "" && !errors.Is(err, ErrInvalid):
			t.Errorf("%s as %q: %v, want ErrInvalid", c.name, c.declared, err)
		case c.want != "" && (err != nil || u.MediaType != c.want):
			t.Errorf("%s as %q: %q, %v; want %q", c.name, c.declared, u.MediaType, err, c.want)
		}
	}
	u := Upload{Name: "x.png", MediaType: "image/png", Data: doc}
	if err := u.check(); err == nil || !strings.Contains(err.Error(), "image/png") || !strings.Contains(err.Error(), "application/pdf") {
		t.Errorf("the refusal names neither type: %v", err)
	}
}

// TestBinaryThatBeginsAsAPicture: a binary file whose first bytes happen to be a picture's
// signature ("BM", one random file in 65,536) is classified as that picture and refused, as
// the picture path requires; the refusal says why and what to do, and the way it names, the
// file inside a ZIP archive, is accepted as an enclosure.
func TestBinaryThatBeginsAsAPicture(t *testing.T) {
	data := append([]byte("BM"), bytes.Repeat([]byte{0x17, 0xe3, 0x8a}, 400)...)
	u := Upload{Name: "report.bin", MediaType: "application/octet-stream", Data: data}
	err := u.check()
	if !errors.Is(err, ErrInvalid) {
		t.Fatalf("a binary file beginning \"BM\": %v, want ErrInvalid", err)
	}
	for _, want := range []string{"report.bin", "image/bmp", "ZIP"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("the refusal does not say %q: %v", want, err)
		}
	}
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	w, err := zw.Create("report.bin")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	z := Upload{Name: "report.zip", MediaType: "application/zip", Data: b.Bytes()}
	if err := z.check(); err != nil {
		t.Fatalf("the same file in a ZIP archive: %v", err)
	}
	if !isEnclosure(z.MediaType) {
		t.Errorf("the ZIP archive is %q, not enclosed", z.MediaType)
	}
}

// TestPDFDeclaredAsOtherType: a PDF uploaded as application/octet-stream is a PDF: its draft
// copy is watermarked and its release stamped; uploaded as an image it is refused.
func TestPDFDeclaredAsOtherType(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	version, err := pdf.Render("text/markdown", []byte("Dear Minister,\n\nThe convoy leaves at dawn."),
		pdf.Letterhead{Office: "Task Force North", Reference: "draft", Subject: "Convoy"})
	if err != nil {
		t.Fatal(err)
	}
	nl := NewLetter{Subject: "Convoy", Class: "routine", Addressees: []string{"A"},
		File: Upload{Name: "convoy.png", MediaType: "image/png", Data: version}}
	if _, err := o.r.CreateLetter(ctx, o.drafter, nl); !errors.Is(err, ErrInvalid) {
		t.Fatalf("a PDF declared as image/png: %v, want ErrInvalid", err)
	}
	nl.File = Upload{Name: "convoy.bin", MediaType: "application/octet-stream", Data: version}
	ref, err := o.r.CreateLetter(ctx, o.drafter, nl)
	if err != nil {
		t.Fatal(err)
	}
	c, err := o.r.ExportDraft(ctx, o.drafter, ref, "Liaison cell")
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(c.Data, version) || c.MediaType != "application/pdf" {
		t.Fatalf("the draft copy of a PDF declared as octet-stream is unmarked (%s)", c.MediaType)
	}
	o.approve(t, ref)
	if err := o.sign(t, ref); err != nil {
		t.Fatal(err)
	}
	rel, err := o.r.Release(ctx, o.officer, ref)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(rel.File, version) || !bytes.HasPrefix(rel.File, []byte("%PDF-")) {
		t.Fatal("the released file is the version unstamped")
	}
	if text := pdftotext(t, c.Data); !strings.Contains(text, "DRAFT") || !strings.Contains(text, "Liaison cell") {
		t.Fatalf("draft copy text %q", text)
	}
	if text := pdftotext(t, rel.File); !strings.Contains(text, "/v/"+ref+"/"+rel.CheckCode) {
		t.Fatalf("released text without the footer: %q", text)
	}
}

// TestImageDraftCopy: the draft copy of a scan is a new PDF, the image placed on a page under
// the DRAFT watermark; it verifies as a draft, never valid, also once the scan is released as
// a stamped PDF.
func TestImageDraftCopy(t *testing.T) {
	ctx := context.Background()
	for _, format := range []string{"png", "jpeg"} {
		t.Run(format, func(t *testing.T) {
			o := newOffice(t)
			pic := picture(t, format)
			ref, err := o.r.CreateLetter(ctx, o.drafter, NewLetter{Subject: "Scanned note", Class: "routine", Addressees: []string{"A"},
				File: Upload{Name: "scan." + format, Data: pic}})
			if err != nil {
				t.Fatal(err)
			}
			c, err := o.r.ExportDraft(ctx, o.drafter, ref, "Liaison cell")
			if err != nil {
				t.Fatal(err)
			}
			if c.MediaType != "application/pdf" || c.FileName != "scan-DRAFT-v1.pdf" || !bytes.HasPrefix(c.Data, []byte("%PDF-")) ||
				seal.Digest(c.Digest) == seal.DigestOf(pic) {
				t.Fatalf("draft copy of a scan: %s %s %s", c.MediaType, c.FileName, c.Digest)
			}
			if _, err := pdf.Check(c.Data); err != nil {
				t.Fatalf("the draft copy is not a sound PDF: %v", err)
			}
			if text := pdftotext(t, c.Data); !strings.Contains(text, "DRAFT") || !strings.Contains(text, "Liaison cell") ||
				!strings.Contains(text, ref) {
				t.Fatalf("draft copy text %q", text)
			}
			o.approve(t, ref)
			if err := o.sign(t, ref); err != nil {
				t.Fatal(err)
			}
			rel, err := o.r.Release(ctx, o.officer, ref)
			if err != nil {
				t.Fatal(err)
			}
			if rel.MediaType != "application/pdf" || rel.FileName != "scan.pdf" || !bytes.HasPrefix(rel.File, []byte("%PDF-")) {
				t.Fatalf("a released scan is %s %s, not the stamped PDF", rel.FileName, rel.MediaType)
			}
			if st, err := o.r.VerifyDigest(ctx, Actor{}, seal.Digest(c.Digest)); err != nil || st.Outcome != Draft {
				t.Fatalf("the draft copy after release: %+v, %v; want draft", st, err)
			}
			if st, err := o.r.VerifyDigest(ctx, Actor{}, seal.DigestOf(rel.File)); err != nil || st.Outcome != Valid {
				t.Fatalf("the released scan: %+v, %v; want valid", st, err)
			}
			if st, err := o.r.VerifyDigest(ctx, Actor{}, seal.DigestOf(pic)); err != nil || st.Outcome != Draft {
				t.Fatalf("the scan as uploaded, after release: %+v, %v; want draft", st, err)
			}
		})
	}
}

// TestEnclosureDraftCopy: a file that can be neither read nor placed on a page has a draft
// copy all the same, the release's cover letter under the DRAFT watermark, which describes the
// file without carrying its bytes, and verifies as a draft.
func TestEnclosureDraftCopy(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	data := []byte{0, 1, 2, 3, 0xfe, 0xff}
	ref, err := o.r.CreateLetter(ctx, o.drafter, NewLetter{Subject: "Blob", Class: "routine", Addressees: []string{"A"},
		File: Upload{Name: "blob.bin", MediaType: "application/octet-stream", Data: data}})
	if err != nil {
		t.Fatal(err)
	}
	c, err := o.r.ExportDraft(ctx, o.drafter, ref, "Liaison cell")
	if err != nil {
		t.Fatalf("draft copy of a file to enclose: %v", err)
	}
	if c.MediaType != "application/pdf" || c.FileName != "blob-DRAFT-v1.pdf" || bytes.Contains(c.Data, data) {
		t.Fatalf("draft copy of a blob: %s %s", c.MediaType, c.FileName)
	}
	if text := strings.Join(strings.Fields(pdftotext(t, c.Data)), " "); !strings.Contains(text, "DRAFT") || !strings.Contains(text, "Liaison cell") ||
		!strings.Contains(text, "blob.bin") || !strings.Contains(text, "attached to the released letter only") {
		t.Fatalf("draft copy text %q", text)
	}
	if st, err := o.r.VerifyDigest(ctx, Actor{}, seal.Digest(c.Digest)); err != nil || st.Outcome != Draft {
		t.Fatalf("the draft copy: %+v, %v; want draft", st, err)
	}
}

// zipWith returns a zip archive with empty files of the given names.
func zipWith(t *testing.T, names ...string) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for _, n := range names {
		if _, err := zw.Create(n); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// wordDoc returns a Word document with one paragraph of text.
func wordDoc(t *testing.T, text string) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	w, err := zw.Create("word/document.xml")
	if err != nil {
		t.Fatal(err)
	}
	w.Write([]byte(`<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>` +
		text + `</w:t></w:r></w:p></w:body></w:document>`))
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// FuzzUploadClassify: whatever the bytes and the declared type, an accepted upload has the
// type its content shows when the content shows one.
func FuzzUploadClassify(f *testing.F) {
	doc, err := pdf.Render("text/plain", []byte("Dear Minister,"), pdf.Letterhead{Office: "O", Reference: "R"})
	if err != nil {
		f.Fatal(err)
	}
	f.Add([]byte("%PDF-1.7\n"), "image/png")
	f.Add(doc, "application/octet-stream")
	f.Add([]byte("\x89PNG\r\n\x1a\n"), "")
	f.Add([]byte("PK\x03\x04"), "application/zip")
	f.Add([]byte("Dear Minister,"), "text/plain")
	f.Fuzz(func(t *testing.T, data []byte, declared string) {
		u := Upload{Name: "f", MediaType: declared, Data: data}
		if u.check() != nil {
			return
		}
		if want := sniff(data); want != "" && !strings.HasPrefix(u.MediaType, want) {
			t.Fatalf("accepted %q as %q, content %q", declared, u.MediaType, want)
		}
	})
}
