package registry

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"image"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/convert"
	"github.com/chancery/chancery/internal/officeca/officecatest"
	"github.com/chancery/chancery/internal/pdf"
	"github.com/chancery/chancery/internal/seal"
	"github.com/chancery/chancery/internal/textract"
	"golang.org/x/image/tiff"
)

// tool returns the path of an external program, skipping the test when it is missing unless
// CHANCERY_REQUIRE_TOOLS=1 makes that a failure.
func tool(t *testing.T, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("CHANCERY_REQUIRE_TOOLS") == "1" {
			t.Fatalf("%s is required (CHANCERY_REQUIRE_TOOLS=1): %v", name, err)
		}
		t.Skipf("%s not installed", name)
	}
	return p
}

// output runs a program and returns its standard output.
func output(t *testing.T, name string, args ...string) string {
	t.Helper()
	out, err := exec.Command(tool(t, name), args...).Output()
	if err != nil {
		t.Fatalf("%s %s: %v", name, strings.Join(args, " "), err)
	}
	return string(out)
}

// twoPageTIFF is a scan of two A4 pages at 25 dpi as one TIFF (uncompressed 8-bit gray, as
// scanners write them): a light page and a darker one.
func twoPageTIFF() []byte {
	const w, h = 210, 297
	le := binary.LittleEndian
	b := []byte("II*\x00")
	b = le.AppendUint32(b, 8)
	for i, level := range []byte{230, 120} {
		const entries = 8
		pixels := len(b) + 2 + entries*12 + 4
		next := 0
		if i == 0 {
			next = pixels + w*h
		}
		b = le.AppendUint16(b, entries)
		for _, e := range [][3]uint32{ // tag, type (3 short, 4 long), value
			{256, 4, w}, {257, 4, h}, {258, 3, 8}, {259, 3, 1}, {262, 3, 1},
			{273, 4, uint32(pixels)}, {278, 4, h}, {279, 4, w * h},
		} {
			b = le.AppendUint16(b, uint16(e[0]))
			b = le.AppendUint16(b, uint16(e[1]))
			b = le.AppendUint32(b, 1)
			b = le.AppendUint32(b, e[2]) // a short sits in the first two bytes, little-endian
		}
		b = le.AppendUint32(b, uint32(next))
		b = append(b, bytes.Repeat([]byte{level}, w*h)...)
	}
	return b
}

// releaseCase is one kind of upload that must leave as a stamped, signed PDF.
type releaseCase struct {
	name, file, mediaType string
	data                  []byte
	pages                 int
	// converted: the letter goes through LibreOffice; want is text its PDF must show.
	converted bool
	want      []string
	// declared is the media type the upload claims (empty: application/octet-stream).
	declared string
	// enclosed: the file is attached to a cover letter rather than laid out.
	enclosed bool
}

func releaseCases(t *testing.T) []releaseCase {
	read := func(name string) []byte {
		data, err := os.ReadFile(filepath.Join("testdata", "documents", name))
		if err != nil {
			t.Fatal(err)
		}
		return data
	}
	// The Word and OpenDocument letters were made from testdata/documents/letter.fodt (a
	// header with an image, a table, a page break, a signature block) by
	// soffice --headless --convert-to odt:writer8 (and 'docx:MS Word 2007 XML').
	letterText := []string{"Repositioning of forces", "Unit", "Sector", "Alpha Company", "North-4", "Bravo Company", "East-2",
		"Yours faithfully,", "Sam Signer", "Commander, Task Force North", "TASK FORCE NORTH · Headquarters"}
	return []releaseCase{
		{name: "png", file: "scan.png", mediaType: "image/png", data: picture(t, "png"), pages: 1},
		{name: "jpeg", file: "scan.jpeg", mediaType: "image/jpeg", data: picture(t, "jpeg"), pages: 1},
		{name: "tiff", file: "scan.tiff", mediaType: "image/tiff", data: twoPageTIFF(), pages: 2},
		{name: "docx", file: "letter.docx", mediaType: textract.DOCXType, data: read("letter.docx"), pages: 2, converted: true, want: letterText},
		{name: "odt", file: "letter.odt", mediaType: textract.ODTType, data: read("letter.odt"), pages: 2, converted: true, want: letterText},
		{name: "zip", file: "annex.zip", mediaType: "application/zip", declared: "application/zip", data: zipWith(t, "annex/table.csv", "annex/map.geojson"),
			pages: 1, enclosed: true, want: []string{"File name: annex.zip", "Media type: application/zip", "Repositioning of forces", "Ministry of Defence"}},
		{name: "octet-stream", file: "orders.bin", mediaType: "application/octet-stream", data: blob(100 << 10),
			pages: 1, enclosed: true, want: []string{"File name: orders.bin", "Media type: application/octet-stream", "102,400 bytes"}},
	}
}

// blob is n bytes that no sniffer recognises and that do not compress.
func blob(n int) []byte {
	b := make([]byte, n)
	x := uint32(2463534242)
	for i := range b {
		x ^= x << 13
		x ^= x >> 17
		x ^= x << 5
		b[i] = byte(x)
	}
	b[0] = 0 // no text, no known signature
	return b
}

// TestEveryReleaseIsAStampedPDF is issue 13's "every release is a stamped PDF, whatever was
// uploaded": a PNG, a JPEG, a two-page TIFF, a Word and an OpenDocument letter with a
// header image, a table and a signature block, a ZIP archive and a blob of bytes are each
//   - kept as uploaded as the letter's version (classified by content);
//   - handed out for coordination as a PDF with the DRAFT watermark on every page, and
//     previewed as the PDF a release would publish;
//   - released as a PDF: placed, converted or (the ZIP and the blob) attached to a cover
//     letter that states the file and from which pdfdetach saves it byte for byte, with the
//     footer and the QR code on every page, signed (pdfsig finds a valid signature), valid
//     when verified; the upload as such and the draft copy verify as drafts. A draft copy of
//     an enclosed file describes it without carrying it.
func TestEveryReleaseIsAStampedPDF(t *testing.T) {
	for _, tool := range []string{"pdftotext", "pdftoppm", "pdfimages", "pdfsig", "certutil", "zbarimg", "pdfdetach"} {
		if _, err := exec.LookPath(tool); err != nil && os.Getenv("CHANCERY_REQUIRE_TOOLS") != "1" {
			t.Skipf("%s not installed", tool)
		}
	}
	ctx := context.Background()
	pdfSigner := officecatest.Signer(t, "Task Force North")
	nss := t.TempDir()
	output(t, "certutil", "-N", "--empty-password", "-d", "sql:"+nss)

	for _, c := range releaseCases(t) {
		t.Run(c.name, func(t *testing.T) {
			o := newOffice(t)
			o.r.cfg.PDFSigner = pdfSigner
			if c.converted {
				tool(t, "soffice")
				conv, err := convert.Find("", 10*time.Minute)
				if err != nil {
					t.Fatal(err)
				}
				o.r.cfg.Converter = conv
			}
			// Declared as nothing more than bytes: the content decides.
			declared := "application/octet-stream"
			if c.declared != "" {
				declared = c.declared
			}
			ref, err := o.r.CreateLetter(ctx, o.drafter, NewLetter{Subject: "Repositioning of forces", Class: "routine",
				Addressees: []string{"Ministry of Defence"}, File: Upload{Name: c.file, MediaType: declared, Data: c.data}})
			if err != nil {
				t.Fatal(err)
			}
			lv, err := o.r.Letter(ctx, o.drafter, ref)
			if err != nil || len(lv.Versions) != 1 || lv.Versions[0].MediaType != c.mediaType || lv.Versions[0].Digest != string(seal.DigestOf(c.data)) {
				t.Fatalf("the version: %+v, %v; want the upload as %s", lv, err, c.mediaType)
			}

			copy, err := o.r.ExportDraft(ctx, o.drafter, ref, "Liaison cell")
			if err != nil {
				t.Fatal(err)
			}
			draftFile := writeFile(t, "draft.pdf", copy.Data)
			if copy.MediaType != "application/pdf" || pdfPages(t, draftFile) != c.pages {
				t.Fatalf("draft copy: %s, %d pages; want a PDF of %d", copy.MediaType, pdfPages(t, draftFile), c.pages)
			}
			for p := 1; p <= c.pages; p++ {
				page := pageText(t, draftFile, p)
				if !strings.Contains(page, "DRAFT — NOT AN OFFICIAL DOCUMENT") || !strings.Contains(page, "Coordination copy for Liaison cell") {
					t.Errorf("draft copy page %d lacks the watermark: %q", p, page)
				}
			}
			if c.enclosed {
				if list := output(t, "pdfdetach", "-list", draftFile); !strings.Contains(list, "0 embedded files") {
					t.Errorf("the draft copy carries the file:\n%s", list)
				}
				if page := pageText(t, draftFile, 1); !strings.Contains(page, "File name: "+c.file) || !strings.Contains(page, "attached to the released letter only") {
					t.Errorf("the draft copy does not describe the file: %q", page)
				}
			}

			o.approve(t, ref)
			if err := o.sign(t, ref); err != nil {
				t.Fatal(err)
			}
			preview, err := o.r.Preview(ctx, o.reviewer, ref)
			if err != nil {
				t.Fatal(err)
			}
			previewFile := writeFile(t, "preview.pdf", preview)
			if n := pdfPages(t, previewFile); n != c.pages || !strings.Contains(pageText(t, previewFile, n), "PREVIEW") {
				t.Errorf("preview: %d pages, want %d marked PREVIEW", n, c.pages)
			}
			rel, err := o.r.Release(ctx, o.officer, ref)
			if err != nil {
				t.Fatal(err)
			}
			name := strings.TrimSuffix(c.file, filepath.Ext(c.file)) + ".pdf"
			if rel.MediaType != "application/pdf" || rel.FileName != name || bytes.Equal(rel.File, c.data) || bytes.Equal(rel.File, copy.Data) {
				t.Fatalf("released %s as %s: want %s, a PDF unlike the upload and the draft copy", rel.FileName, rel.MediaType, name)
			}
			file := writeFile(t, "released.pdf", rel.File)
			if n := pdfPages(t, file); n != c.pages {
				t.Fatalf("released %d pages, want %d", n, c.pages)
			}
			url := o.r.VerifyURL(ref, rel.CheckCode)
			for p := 1; p <= c.pages; p++ {
				if page := pageText(t, file, p); !strings.Contains(page, "Verify at "+url) {
					t.Errorf("released page %d lacks the footer: %q", p, page)
				}
			}
			requireSignedWithQR(t, nss, file, url)

			text := output(t, "pdftotext", "-layout", file, "-")
			for _, w := range c.want {
				if !strings.Contains(text, w) {
					t.Errorf("pdftotext lacks %q:\n%s", w, text)
				}
			}
			if c.enclosed {
				digest := seal.DigestOf(c.data)
				if !strings.Contains(text, strings.TrimPrefix(string(digest), "sha256:")) {
					t.Errorf("the cover lacks the file's SHA-256 %s:\n%s", digest, text)
				}
				if list := output(t, "pdfdetach", "-list", file); !strings.Contains(list, "1 embedded files") || !strings.Contains(list, "1: "+c.file) {
					t.Errorf("pdfdetach -list of the released PDF:\n%s", list)
				}
				saved := filepath.Join(t.TempDir(), "saved")
				output(t, "pdfdetach", "-save", "1", "-o", saved, file)
				if got, err := os.ReadFile(saved); err != nil || seal.DigestOf(got) != digest {
					t.Errorf("pdfdetach saved %d bytes (%v), not the upload", len(got), err)
				}
				// The preview is a draft copy: the cover letter without the file, unmarked bytes
				// that only the release attaches.
				if list := output(t, "pdfdetach", "-list", previewFile); !strings.Contains(list, "0 embedded files") {
					t.Errorf("the preview carries the file to enclose:\n%s", list)
				}
				// Anyone holding the version can make the released pages again, byte for byte.
				stmt := o.statementOf(t, rel)
				stamped, err := pdf.RenderEnclosureRelease(pdf.Enclosure{Name: c.file, MediaType: c.mediaType, Data: c.data},
					pdf.Letterhead{Office: o.r.cfg.Office.Name, Reference: ref, Subject: "Repositioning of forces", Date: stmt.ReleasedAt,
						Addressees: []string{"Ministry of Defence"}, Signatories: signerNames(stmt)},
					pdf.Footer{Office: o.r.cfg.Office.Name, Reference: ref, Released: stmt.ReleasedAt, VerifyURL: url,
						Languages: o.r.cfg.Office.StampLanguages}, nil)
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.HasPrefix(rel.File, stamped) || stmt.FileMediaType != "application/pdf" || stmt.VersionDigest != digest {
					t.Error("the released file is not the cover letter with the version attached, stamped, then signed")
				}
			} else {
				images := output(t, "pdfimages", "-list", file)
				if c.converted && !strings.Contains(images, " 120    40 ") {
					t.Errorf("the header image (120×40) is not in the released PDF:\n%s", images)
				}
				if !c.converted && strings.Count(images, "\n") != 2+c.pages {
					t.Errorf("want one image a page:\n%s", images)
				}
			}

			for what, digest := range map[string]seal.Digest{"released": seal.DigestOf(rel.File), "upload": seal.DigestOf(c.data), "draft copy": seal.Digest(copy.Digest)} {
				want := Draft
				switch {
				case what == "released":
					want = Valid
				case what == "upload" && c.enclosed:
					// The file the released PDF encloses, byte for byte (item 1133).
					want = Unknown
				}
				st, err := o.r.VerifyDigest(ctx, Actor{}, digest)
				if err != nil || st.Outcome != want {
					t.Errorf("verify the %s file: %+v, %v; want %s", what, st, err, want)
				} else if enclosure := what == "upload" && c.enclosed; enclosure != (st.EnclosedBy != nil) ||
					enclosure && (st.EnclosedBy.Reference != ref || st.EnclosedBy.State != Valid) {
					t.Errorf("verify the %s file: enclosed by %+v", what, st.EnclosedBy)
				}
			}
			if sl, err := o.r.Seal(ctx, o.officer, ref, rel.CheckCode); err != nil {
				t.Errorf("the seal: %v", err)
			} else if _, err := o.verifier.VerifyBytes(sl, rel.File); err != nil {
				t.Errorf("the seal does not cover the released PDF: %v", err)
			}
		})
	}
}

// TestDocumentsWithoutConverter: without LibreOffice (here a configured converter path that
// does not exist, as an operator might mistype it), Word and OpenDocument letters are still
// drafted, read (their text) and approved, but their draft copies, previews and release are
// refused with the hint on installing LibreOffice, and nothing is released.
func TestDocumentsWithoutConverter(t *testing.T) {
	if _, err := convert.Find(filepath.Join(t.TempDir(), "no", "soffice"), 0); !errors.Is(err, convert.ErrNoConverter) {
		t.Fatalf("a converter path that does not exist: %v, want ErrNoConverter", err)
	}
	ctx := context.Background()
	for _, c := range releaseCases(t) {
		if !c.converted {
			continue
		}
		t.Run(c.name, func(t *testing.T) {
			o := newOffice(t)
			ref, err := o.r.CreateLetter(ctx, o.drafter, NewLetter{Subject: "Repositioning of forces", Class: "routine",
				Addressees: []string{"Ministry of Defence"}, File: Upload{Name: c.file, Data: c.data}})
			if err != nil {
				t.Fatalf("drafting without a converter: %v", err)
			}
			text, err := textract.Text(c.mediaType, c.data)
			if err != nil || !strings.Contains(text, "Alpha Company") || !strings.Contains(text, "Sam Signer") {
				t.Fatalf("the letter's text for reviewers: %q, %v", text, err)
			}
			hinted := func(what string, err error) {
				t.Helper()
				if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "apt-get install libreoffice") {
					t.Errorf("%s without a converter: %v; want ErrInvalid with the install hint", what, err)
				}
			}
			_, err = o.r.ExportDraft(ctx, o.drafter, ref, "Liaison cell")
			hinted("draft copy", err)
			o.approve(t, ref)
			if err := o.sign(t, ref); err != nil {
				t.Fatal(err)
			}
			_, err = o.r.Preview(ctx, o.reviewer, ref)
			hinted("preview", err)
			_, err = o.r.Release(ctx, o.officer, ref)
			hinted("release", err)
			if _, _, err := o.r.ReleasedFile(ctx, o.officer, ref, ""); err == nil {
				t.Error("a refused release left a released file")
			}
		})
	}
}

// TestImageUploadChecked: an image the release could not place is refused when uploaded,
// before anything is stored: a header announcing more pixels than pdf.MaxImagePixels, or a
// TIFF whose directory lies outside the file.
func TestImageUploadChecked(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	huge := image.NewGray(image.Rect(0, 0, 1, 1))
	var b bytes.Buffer
	if err := tiff.Encode(&b, huge, nil); err != nil {
		t.Fatal(err)
	}
	broken := bytes.Clone(b.Bytes())
	binary.LittleEndian.PutUint32(broken[4:], uint32(len(broken)+100))
	wide := bytes.Clone(picture(t, "png"))
	binary.BigEndian.PutUint32(wide[16:], 1<<20) // the IHDR width, and its checksum
	binary.BigEndian.PutUint32(wide[29:], crc32.ChecksumIEEE(wide[12:29]))
	for name, data := range map[string][]byte{"tiff outside": broken, "png too wide": wide} {
		_, err := o.r.CreateLetter(ctx, o.drafter, NewLetter{Subject: "Scan", Class: "routine", Addressees: []string{"A"},
			File: Upload{Name: "scan", Data: data}})
		if !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: %v, want ErrInvalid", name, err)
		}
	}
}

func writeFile(t *testing.T, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func pdfPages(t *testing.T, file string) int {
	t.Helper()
	for _, l := range strings.Split(output(t, "pdfinfo", file), "\n") {
		if f := strings.Fields(l); len(f) == 2 && f[0] == "Pages:" {
			var n int
			fmt.Sscan(f[1], &n)
			return n
		}
	}
	t.Fatal("pdfinfo gives no page count")
	return 0
}

// pageText is pdftotext's text of page p, white space collapsed.
func pageText(t *testing.T, file string, p int) string {
	t.Helper()
	return strings.Join(strings.Fields(output(t, "pdftotext", "-f", fmt.Sprint(p), "-l", fmt.Sprint(p), file, "-")), " ")
}

// TestUploadClassifiesDocumentsAndScans: an OpenDocument letter and a TIFF scan are known by
// their content, whatever their name or declared type says; a declaration the content
// contradicts is refused.
func TestUploadClassifiesDocumentsAndScans(t *testing.T) {
	odt, err := os.ReadFile(filepath.Join("testdata", "documents", "letter.odt"))
	if err != nil {
		t.Fatal(err)
	}
	tif := twoPageTIFF()
	for _, c := range []struct {
		name, declared string
		data           []byte
		want           string // "" for refused
	}{
		{"letter.odt", "", odt, textract.ODTType},
		{"letter.bin", "application/zip", odt, textract.ODTType},
		{"letter", "application/octet-stream", odt, textract.ODTType},
		{"letter.odt", textract.DOCXType, odt, ""},
		{"scan.tif", "", tif, "image/tiff"},
		{"scan", "image/tif", tif, "image/tiff"},
		{"scan.png", "image/png", tif, ""},
		{"scan.tiff", "image/tiff", []byte("II*\x00 not a TIFF at all"), ""},
	} {
		u := Upload{Name: c.name, MediaType: c.declared, Data: c.data}
		err := u.check()
		switch {
		case c.want == "" && !errors.Is(err, ErrInvalid):
			t.Errorf("%s declared %q: %v, want refused", c.name, c.declared, err)
		case c.want != "" && (err != nil || u.MediaType != c.want):
			t.Errorf("%s declared %q: %q, %v; want %s", c.name, c.declared, u.MediaType, err, c.want)
		}
	}
}

// requireSignedWithQR checks a released PDF with independent tools: pdfsig finds the office's
// signature valid over the whole document, and the QR code of its first page reads url.
func requireSignedWithQR(t *testing.T, nss, file, url string) {
	t.Helper()
	if out, _ := exec.Command("pdfsig", "-nssdir", "sql:"+nss, file).CombinedOutput(); !strings.Contains(string(out), "Signature is Valid.") ||
		!strings.Contains(string(out), "Total document signed") {
		t.Errorf("pdfsig:\n%s", out)
	}
	prefix := filepath.Join(t.TempDir(), "page")
	output(t, "pdftoppm", "-f", "1", "-l", "1", "-r", "150", "-png", file, prefix)
	pngs, _ := filepath.Glob(prefix + "*.png")
	if len(pngs) != 1 {
		t.Fatalf("pdftoppm wrote %v", pngs)
	}
	if got := strings.TrimSpace(output(t, "zbarimg", "--quiet", "--raw", pngs[0])); got != url {
		t.Errorf("the QR code reads %q, want %q", got, url)
	}
}
