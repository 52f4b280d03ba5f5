package registry

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/identify"
	"github.com/chancery/chancery/internal/pdf"
	"github.com/chancery/chancery/internal/pdf/pdftest"
	"github.com/chancery/chancery/internal/seal"
	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
)

// draftPDFWithCover is a one-page PDF whose visible text is drawn by an opaque annotation
// covering the page (as a filled-in form field or a pasted "stamp" is drawn), when cover is
// set; otherwise the same text is in the page's content.
func draftPDFWithCover(cover bool) []byte {
	text := letterText
	page := pdftest.Stream(fmt.Sprintf("<< /Length %d >>", len(text)), []byte(text))
	annots := ""
	if cover {
		page = pdftest.Stream("<< /Length 0 >>", nil)
		annots = " /Annots [6 0 R]"
	}
	ap := "1 1 1 rg 0 0 595 842 re f 0 0 0 rg " + text
	return pdftest.Build(
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R"+annots+" >>",
		page,
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
		"<< /Type /Annot /Subtype /Square /Rect [0 0 595 842] /F 4 /C [1 1 1] /IC [1 1 1] /AP << /N 7 0 R >> >>",
		pdftest.Stream(fmt.Sprintf("<< /Type /XObject /Subtype /Form /BBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Length %d >>", len(ap)), []byte(ap)),
	)
}

// redPixels renders the first page of doc as a viewer shows it and counts the pixels of the
// DRAFT and PREVIEW marks' red.
func redPixels(t *testing.T, doc []byte) int {
	t.Helper()
	dir := t.TempDir()
	in := filepath.Join(dir, "copy.pdf")
	if err := os.WriteFile(in, doc, 0o600); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("pdftoppm", "-r", "40", "-f", "1", "-l", "1", "-png", "-singlefile", in, filepath.Join(dir, "page")).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v %s", err, out)
	}
	f, err := os.Open(filepath.Join(dir, "page.png"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	return reddish(img)
}

// reddish counts img's pixels whose red exceeds their green by more than 40 of 255: the
// marks' red, which a letter's black, white and greys never reach.
func reddish(img image.Image) int {
	n := 0
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, _, _ := img.At(x, y).RGBA()
			if int(r>>8)-int(g>>8) > 40 {
				n++
			}
		}
	}
	return n
}

// TestMarksShowAboveAnnotations: viewers and printers draw annotations above the page's
// content, where the DRAFT and PREVIEW marks are drawn. A PDF version whose page is covered
// by an opaque annotation must still give a coordination copy and a preview whose marks show
// (rendered by poppler): the annotation's appearance becomes page content, below the marks,
// and its text stays on the copy.
func TestMarksShowAboveAnnotations(t *testing.T) {
	if _, err := exec.LookPath("pdftoppm"); err != nil {
		t.Skip("pdftoppm not installed")
	}
	ctx := context.Background()
	o := newOffice(t)
	for _, cover := range []bool{false, true} {
		ref, err := o.r.CreateLetter(ctx, o.drafter, NewLetter{Subject: "Repositioning of forces", Class: "foreign-government",
			Addressees: []string{"Ministry of Defence"}, File: Upload{Name: "letter.pdf", Data: draftPDFWithCover(cover)}})
		if err != nil {
			t.Fatal(err)
		}
		c, preview := o.copyAndPreview(t, ref, "Embassy liaison")
		for name, doc := range map[string][]byte{"coordination copy": c.Data, "preview": preview} {
			n := redPixels(t, doc)
			t.Logf("%s, page covered by an annotation: %v; red pixels of the marks shown: %d", name, cover, n)
			if n < 200 {
				t.Errorf("the %s (page covered by an annotation: %v) shows no mark (%d red pixels)", name, cover, n)
			}
			if text := pdftotext(t, doc); !strings.Contains(text, "the brigade moves north") {
				t.Errorf("the %s (page covered by an annotation: %v) lost the letter's text: %q", name, cover, text)
			}
			if n := annotations(t, doc); n != 0 {
				t.Errorf("the %s (page covered by an annotation: %v) has %d annotations", name, cover, n)
			}
		}
	}
}

// annotations counts the annotations of doc's pages.
func annotations(t *testing.T, doc []byte) int {
	t.Helper()
	ctx, err := api.ReadContext(bytes.NewReader(doc), nil)
	if err == nil {
		err = api.ValidateContext(ctx)
	}
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for i := 1; i <= ctx.PageCount; i++ {
		page, _, _, err := ctx.PageDict(i, false)
		if err != nil {
			t.Fatal(err)
		}
		a, err := ctx.DereferenceArray(page["Annots"])
		if err != nil {
			t.Fatal(err)
		}
		n += len(a)
	}
	return n
}

// holds reports whether any stream of doc, decoded, holds b.
func holds(t *testing.T, doc, b []byte) bool {
	t.Helper()
	ctx, err := api.ReadContext(bytes.NewReader(doc), nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ctx.Table {
		if e == nil || e.Free {
			continue
		}
		sd, ok := e.Object.(types.StreamDict)
		if !ok {
			continue
		}
		if err := sd.Decode(); err != nil {
			continue
		}
		if bytes.Contains(sd.Content, b) || bytes.Contains(sd.Raw, b) {
			return true
		}
	}
	return false
}

// TestCopiesCarryNoEmbeddedFiles: a PDF version may hold embedded files (a "hybrid" PDF from
// LibreOffice holds the editable .odt it was made from; a drafter may attach an annex). A
// coordination copy is the PDF with the watermark over its pages: it must not carry those
// files byte for byte, unmarked and the same in every copy, which is what draftFile refuses
// for an enclosure. Nor do the preview and the released letter, so that what is released is
// what the preview showed its signers.
func TestCopiesCarryNoEmbeddedFiles(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	page, err := pdf.Render("text/plain", []byte("Dear Minister,\n\nSee the annex."), pdf.Letterhead{Office: "Task Force North", Reference: "draft"})
	if err != nil {
		t.Fatal(err)
	}
	annex := []byte("ANNEX (draft, not for release): the brigade moves north on 3 March.")
	dir := t.TempDir()
	annexPath := filepath.Join(dir, "annex.txt")
	if err := os.WriteFile(annexPath, annex, 0o600); err != nil {
		t.Fatal(err)
	}
	var version bytes.Buffer
	if err := api.AddAttachments(bytes.NewReader(page), &version, []string{annexPath}, false, nil); err != nil {
		t.Fatal(err)
	}
	if !holds(t, version.Bytes(), annex) {
		t.Fatal("the version does not hold the annex: the test proves nothing")
	}
	ref, err := o.r.CreateLetter(ctx, o.drafter, NewLetter{Subject: "Annex", Class: "foreign-government",
		Addressees: []string{"Ministry of Defence"}, File: Upload{Name: "letter.pdf", Data: version.Bytes()}})
	if err != nil {
		t.Fatal(err)
	}
	c, err := o.r.ExportDraft(ctx, o.drafter, ref, "Embassy liaison")
	if err != nil {
		t.Fatal(err)
	}
	if st, err := o.r.VerifyDigest(ctx, Actor{}, seal.Digest(c.Digest)); err != nil || st.Outcome != Draft {
		t.Fatalf("the copy verifies %+v %v", st, err)
	}
	preview, err := o.r.Preview(ctx, o.drafter, ref)
	if err != nil {
		t.Fatal(err)
	}
	o.approve(t, ref)
	if err := o.sign(t, ref); err != nil {
		t.Fatal(err)
	}
	rel, err := o.r.Release(ctx, o.officer, ref)
	if err != nil {
		t.Fatal(err)
	}
	for name, doc := range map[string][]byte{"coordination copy": c.Data, "preview": preview, "released letter": rel.File} {
		if aa, err := api.Attachments(bytes.NewReader(doc), nil); err != nil || len(aa) != 0 {
			t.Errorf("the %s lists embedded files %+v (%v)", name, aa, err)
		}
		if holds(t, doc, annex) {
			t.Errorf("the %s carries the draft's embedded file, unmarked, byte for byte", name)
		}
	}
}

// pdfWithContent is a one-page PDF whose page content is the streams given, in order.
func pdfWithContent(streams ...string) []byte {
	objs := []string{"<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>", "",
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"}
	refs := ""
	for i, s := range streams {
		objs = append(objs, pdftest.Stream(fmt.Sprintf("<< /Length %d >>", len(s)), []byte(s)))
		refs += fmt.Sprintf(" %d 0 R", i+5)
	}
	objs[2] = "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents [" + refs + " ] >>"
	return pdftest.Build(objs...)
}

// TestMarksShowOverContentThatRestoresTooOften: pdfcpu draws each mark after the page's
// content, enclosed in one q and Q. A PDF version whose content restores more graphics states
// than it saved pops that q, and what it sets afterwards (a clip to one point, a scale to
// nothing) stayed in force for the marks: the coordination copy and the preview showed no
// DRAFT banner and no line naming the copy, and the release no footer, while the letter's text
// showed. Every copy must show its marks (rendered by poppler) and their text, whatever the
// content does to the graphics state, in one stream or across several.
func TestMarksShowOverContentThatRestoresTooOften(t *testing.T) {
	needTools(t, "pdftoppm", "pdftotext")
	o := newOffice(t)
	for name, streams := range map[string][]string{
		"clip":                 {letterText + " Q 0 0 1 1 re W n"},
		"scale":                {letterText + " Q Q Q 0.0001 0 0 0.0001 0 0 cm"},
		"clip in later stream": {letterText, "Q", "Q\n0 0 1 1 re W n"},
		"states left saved":    {letterText + " Q 0 0 1 1 re W n q q q 0 0 1 1 re W n"},
	} {
		marksShowOnEveryCopy(t, o, name, pdfWithContent(streams...))
	}
}

// TestMarksShowWhereTheCropBoxLeavesThePage: viewers show a page's crop box within its media
// box, and pdfcpu placed the marks within the crop box as written. A PDF version whose crop
// box reached far outside its media box (on the page, or inherited from the page tree) gave
// a coordination copy and a preview with the DRAFT banner and the copy's line off the page,
// and a release with its footer off the page. Every copy must show its marks there.
func TestMarksShowWhereTheCropBoxLeavesThePage(t *testing.T) {
	needTools(t, "pdftoppm", "pdftotext")
	o := newOffice(t)
	for name, boxes := range map[string][2]string{
		"crop box below and left":   {"", "/MediaBox [0 0 595 842] /CropBox [-5000 -5000 595 842]"},
		"crop box written reversed": {"", "/MediaBox [0 0 595 842] /CropBox [595 842 -5000 -5000]"},
		"crop box inherited":        {"/CropBox [-5000 -5000 595 842]", "/MediaBox [0 0 595 842]"},
	} {
		doc := pdftest.Build(
			"<< /Type /Catalog /Pages 2 0 R >>",
			"<< /Type /Pages /Kids [3 0 R] /Count 1 "+boxes[0]+" >>",
			"<< /Type /Page /Parent 2 0 R "+boxes[1]+" /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
			pdftest.Stream(fmt.Sprintf("<< /Length %d >>", len(letterText)), []byte(letterText)),
			"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
		)
		marksShowOnEveryCopy(t, o, name, doc)
	}
}

// TestCopiesCarryNoThumbnailsOrPrivateData: a PDF version may hold, beside its pages, a
// picture of each page (/Thumb, written by Acrobat and other editors) and an application's
// private data (/PieceInfo, where Illustrator and InDesign keep the whole native document). A
// copy carried both, byte for byte: a picture of each draft page without its marks, and the
// editable draft. Coordination copies, previews and releases must carry neither.
func TestCopiesCarryNoThumbnailsOrPrivateData(t *testing.T) {
	thumb := []byte("THUMBNAIL-PIXELS-OF-THE-UNMARKED-DRAFT-PAGE")
	native := []byte("NATIVE DOCUMENT: the brigade moves north on 3 March (editable, unmarked)")
	// XMP metadata, the document's and the page's, as Adobe's applications write it: a
	// thumbnail of the unmarked page (base64 JPEG) and a description.
	xmp := func(what string) []byte {
		return []byte(`<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">` +
			`<rdf:Description xmlns:xmpGImg="http://ns.adobe.com/xap/1.0/g/img/" xmpGImg:image="XMP-` + what + `-THUMBNAIL-OF-THE-UNMARKED-PAGE"/></rdf:RDF></x:xmpmeta><?xpacket end="w"?>`)
	}
	docXMP, pageXMP := xmp("DOCUMENT"), xmp("PAGE")
	doc := pdftest.Build(
		"<< /Type /Catalog /Pages 2 0 R /PieceInfo << /Illustrator << /LastModified (D:20261201) /Private 7 0 R >> >> /Metadata 8 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R /Thumb 6 0 R"+
			" /PieceInfo << /Illustrator << /LastModified (D:20261201) /Private 7 0 R >> >> /LastModified (D:20261201) /Metadata 9 0 R >>",
		pdftest.Stream(fmt.Sprintf("<< /Length %d >>", len(letterText)), []byte(letterText)),
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
		pdftest.Stream(fmt.Sprintf("<< /Width 3 /Height 1 /ColorSpace /DeviceRGB /BitsPerComponent 8 /Length %d >>", len(thumb)), thumb),
		pdftest.Stream(fmt.Sprintf("<< /Length %d >>", len(native)), native),
		pdftest.Stream(fmt.Sprintf("<< /Type /Metadata /Subtype /XML /Length %d >>", len(docXMP)), docXMP),
		pdftest.Stream(fmt.Sprintf("<< /Type /Metadata /Subtype /XML /Length %d >>", len(pageXMP)), pageXMP),
	)
	ctx := context.Background()
	o := newOffice(t)
	ref, err := o.r.CreateLetter(ctx, o.drafter, NewLetter{Subject: "Repositioning of forces", Class: "foreign-government",
		Addressees: []string{"Ministry of Defence"}, File: Upload{Name: "letter.pdf", Data: doc}})
	if err != nil {
		t.Fatal(err)
	}
	version, err := o.r.VersionFiles(ctx, o.drafter, ref)
	if err != nil {
		t.Fatal(err)
	}
	if !holds(t, version[0].Data, thumb) || !holds(t, version[0].Data, native) || !holds(t, version[0].Data, docXMP) || !holds(t, version[0].Data, pageXMP) {
		t.Fatal("the version does not hold its thumbnail, private data and metadata: the test proves nothing")
	}
	c, preview := o.copyAndPreview(t, ref, "Embassy liaison")
	rel := o.approvedAndReleased(t, ref)
	for name, doc := range map[string][]byte{"coordination copy": c.Data, "preview": preview, "released letter": rel.File} {
		if holds(t, doc, thumb) {
			t.Errorf("the %s carries the draft page's thumbnail", name)
		}
		if holds(t, doc, native) {
			t.Errorf("the %s carries the application's private data (the native draft)", name)
		}
		if holds(t, doc, []byte("THUMBNAIL-OF-THE-UNMARKED-PAGE")) {
			t.Errorf("the %s carries the draft's XMP metadata", name)
		}
	}
}

// TestImageCopiesMarkTheirPictures: a scan's draft copy and preview put the scan on pages
// with the marks drawn over it, as separate content: `pdfimages` took the pictures out
// without them, a JPEG scan byte for byte (the version itself, the same in every copy).
// So it did from a PDF whose pages are scans, as scanners write them. Every picture taken
// out of a copy must show the marks in its own pixels, and none may be the scan's bytes.
func TestImageCopiesMarkTheirPictures(t *testing.T) {
	if _, err := exec.LookPath("pdfimages"); err != nil {
		t.Skip("pdfimages not installed")
	}
	scan := image.NewGray(image.Rect(0, 0, 600, 800))
	for i := range scan.Pix {
		scan.Pix[i] = 255
	}
	for y := 100; y < 700; y += 40 {
		for x := 60; x < 540; x++ {
			for dy := range 12 {
				scan.SetGray(x, y+dy, color.Gray{Y: 20})
			}
		}
	}
	ctx := context.Background()
	o := newOffice(t)
	for _, format := range []string{"jpeg", "png", "pdf"} {
		var b bytes.Buffer
		var err error
		upload := b.Bytes
		switch format {
		case "png":
			err = png.Encode(&b, scan)
		case "jpeg":
			err = jpeg.Encode(&b, scan, &jpeg.Options{Quality: 90})
		case "pdf":
			if err = jpeg.Encode(&b, scan, &jpeg.Options{Quality: 90}); err == nil {
				var doc []byte
				doc, err = pdf.RenderImage("image/jpeg", b.Bytes(), pdf.Letterhead{Office: "Scanner", Reference: "scan"})
				upload = func() []byte { return doc }
			}
		}
		if err != nil {
			t.Fatal(err)
		}
		ref, err := o.r.CreateLetter(ctx, o.drafter, NewLetter{Subject: "Scanned note", Class: "routine", Addressees: []string{"A"},
			File: Upload{Name: "scan." + format, Data: upload()}})
		if err != nil {
			t.Fatal(err)
		}
		c, preview := o.copyAndPreview(t, ref, "Liaison cell")
		for name, doc := range map[string][]byte{"coordination copy": c.Data, "preview": preview} {
			pics := pictures(t, doc)
			if len(pics) == 0 {
				t.Fatalf("%s %s: no picture taken out", format, name)
			}
			for _, p := range pics {
				if bytes.Equal(p, b.Bytes()) {
					t.Errorf("%s %s: a picture taken out is the scan itself, byte for byte", format, name)
				}
				img, _, err := image.Decode(bytes.NewReader(p))
				if err != nil {
					t.Fatal(err)
				}
				red := reddish(img)
				if red < 500 {
					t.Errorf("%s %s: a picture taken out shows no mark (%d red pixels)", format, name, red)
				}
			}
		}
	}
}

// pictures returns the pictures pdfimages takes out of doc, in their own formats.
func pictures(t *testing.T, doc []byte) [][]byte {
	t.Helper()
	dir := t.TempDir()
	in := filepath.Join(dir, "copy.pdf")
	if err := os.WriteFile(in, doc, 0o600); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("pdfimages", "-all", in, filepath.Join(dir, "pic")).CombinedOutput(); err != nil {
		t.Fatalf("pdfimages: %v %s", err, out)
	}
	names, err := filepath.Glob(filepath.Join(dir, "pic-*"))
	if err != nil {
		t.Fatal(err)
	}
	var out [][]byte
	for _, n := range names {
		b, err := os.ReadFile(n)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, b)
	}
	return out
}

// dropLastContents removes the last k streams of each page's /Contents array, as one edit of
// a copy's page objects does, and returns the document written again, or nil when no page
// has more than k streams.
func dropLastContents(t *testing.T, doc []byte, k int) []byte {
	t.Helper()
	ctx, err := api.ReadContext(bytes.NewReader(doc), nil)
	if err == nil {
		err = api.ValidateContext(ctx)
	}
	if err != nil {
		t.Fatal(err)
	}
	dropped := false
	for i := 1; i <= ctx.PageCount; i++ {
		page, _, _, err := ctx.PageDict(i, false)
		if err != nil {
			t.Fatal(err)
		}
		if a, err := ctx.DereferenceArray(page["Contents"]); err == nil && len(a) > k {
			page["Contents"], dropped = a[:len(a)-k], true
		}
	}
	if !dropped {
		return nil
	}
	var out bytes.Buffer
	if err := api.WriteContext(ctx, &out); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// TestMarksAreNotAStreamOfTheirOwn: pdfcpu draws the marks of a page whose content is an
// array of streams (as many producers write it, and as every page with an annotation becomes
// once settled) in streams of their own at the end of the array: removing those entries
// gave a copy without its DRAFT banner and line, a preview without its marks, the letter
// intact. A page's content and its marks must not come apart so.
func TestMarksAreNotAStreamOfTheirOwn(t *testing.T) {
	if _, err := exec.LookPath("pdftoppm"); err != nil {
		t.Skip("pdftoppm not installed")
	}
	ctx := context.Background()
	o := newOffice(t)
	for name, doc := range map[string][]byte{
		"content in two streams":  pdfWithContent(letterText, "BT /F1 14 Tf 72 700 Td (Second paragraph.) Tj ET"),
		"page with an annotation": draftPDFWithCover(true),
		"content in one stream":   pdfWithContent(letterText),
	} {
		ref, err := o.r.CreateLetter(ctx, o.drafter, NewLetter{Subject: "Repositioning of forces", Class: "foreign-government",
			Addressees: []string{"Ministry of Defence"}, File: Upload{Name: "letter.pdf", Data: doc}})
		if err != nil {
			t.Fatal(err)
		}
		c, preview := o.copyAndPreview(t, ref, "Embassy liaison")
		for copyName, cp := range map[string][]byte{"coordination copy": c.Data, "preview": preview} {
			for k := 1; ; k++ {
				edited := dropLastContents(t, cp, k)
				if edited == nil {
					break
				}
				if n := redPixels(t, edited); n < 200 && strings.Contains(pdftotext(t, edited), "the brigade moves north") {
					t.Errorf("%s: the %s's marks came off with the last %d entries of its page's contents, the letter left (%d red pixels)", name, copyName, k, n)
				}
			}
		}
	}
}

// TestCopyLineShownWholeForALongRecipient: the band at the foot of every page of a copy was
// of a fixed height, and a recipient's name long enough to wrap the copy's line (a few
// words repeated, well within the 300 bytes a recipient may have) pushed out of it the rest
// of the line: the copy no longer showed its reference, version, date or who made it. The
// whole line must show, for any recipient the registry accepts.
func TestCopyLineShownWholeForALongRecipient(t *testing.T) {
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext not installed")
	}
	ctx := context.Background()
	o := newOffice(t)
	ref := o.letter(t, "Dear Minister, the brigade moves north.")
	recipient := strings.TrimSpace(strings.Repeat("Embassy liaison office ", 13))
	c, err := o.r.ExportDraft(ctx, o.drafter, ref, recipient)
	if err != nil {
		t.Fatal(err)
	}
	st, err := o.r.VerifyDigest(ctx, o.reviewer, seal.Digest(c.Digest))
	if err != nil || st.Draft == nil || len(st.Draft.Exports) != 1 {
		t.Fatalf("the copy is not recorded: %+v %v", st, err)
	}
	shown := identify.Normalize(pdftotext(t, c.Data))
	line := identify.Normalize(pdf.DraftMark{Recipient: recipient, Reference: ref, Version: 1, Exported: st.Draft.Exports[0].At, Member: "dana"}.Line())
	if !strings.Contains(shown, line) {
		t.Errorf("the copy does not show its whole line %q:\n%q", line, shown)
	}
}

// marksShowOnEveryCopy makes a letter of the PDF doc (whose page says "the brigade moves
// north"), and checks that its coordination copy and its preview show their red marks, their
// copy's line and the letter's text, and that its release shows its footer, rendered by
// poppler.
func marksShowOnEveryCopy(t *testing.T, o *office, name string, doc []byte) {
	t.Helper()
	ctx := context.Background()
	ref, err := o.r.CreateLetter(ctx, o.drafter, NewLetter{Subject: "Repositioning of forces", Class: "foreign-government",
		Addressees: []string{"Ministry of Defence"}, File: Upload{Name: "letter.pdf", Data: doc}})
	if err != nil {
		t.Fatal(err)
	}
	c, preview := o.copyAndPreview(t, ref, "Embassy liaison")
	for copyName, cp := range map[string]struct {
		doc  []byte
		line string
	}{"coordination copy": {c.Data, "Coordination copy for Embassy liaison"}, "preview": {preview, "Preview of " + ref}} {
		if n := redPixels(t, cp.doc); n < 200 {
			t.Errorf("%s: the %s shows no mark (%d red pixels)", name, copyName, n)
		}
		if shown := pdftotext(t, cp.doc); !strings.Contains(shown, cp.line) || !strings.Contains(shown, "the brigade moves north") {
			t.Errorf("%s: the %s does not show %q and the letter: %q", name, copyName, cp.line, shown)
		}
	}
	rel := o.approvedAndReleased(t, ref)
	if shown := pdftotext(t, rel.File); !strings.Contains(shown, "Verify at") {
		t.Errorf("%s: the released letter shows no footer: %q", name, shown)
	}
}

// copyAndPreview has the drafter take a coordination copy of ref for recipient, and a
// preview of it.
func (o *office) copyAndPreview(t *testing.T, ref, recipient string) (*DraftCopy, []byte) {
	t.Helper()
	ctx := context.Background()
	c, err := o.r.ExportDraft(ctx, o.drafter, ref, recipient)
	if err != nil {
		t.Fatal(err)
	}
	preview, err := o.r.Preview(ctx, o.drafter, ref)
	if err != nil {
		t.Fatal(err)
	}
	return c, preview
}

// TestCopyOfUnmarkablePictureRefused: a PDF whose page is a JBIG2 picture (a scanner's
// compact mode) cannot have the marks drawn into its picture: its copy and preview are
// refused with an error that says which version and what to upload instead, rather than
// leaving with the picture unmarked.
func TestCopyOfUnmarkablePictureRefused(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	content := "q 400 0 0 520 50 150 cm /Im0 Do Q"
	doc := pdftest.Build("<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 500 842] /Resources << /XObject << /Im0 4 0 R >> >> /Contents 5 0 R >>",
		pdftest.Stream("<< /Type /XObject /Subtype /Image /Width 400 /Height 520 /ColorSpace /DeviceGray /BitsPerComponent 1 /Filter /JBIG2Decode /Length 300 >>", bytes.Repeat([]byte{0x5a}, 300)),
		pdftest.Stream(fmt.Sprintf("<< /Length %d >>", len(content)), []byte(content)))
	ref, err := o.r.CreateLetter(ctx, o.drafter, NewLetter{Subject: "Compact scan", Class: "routine", Addressees: []string{"A"},
		File: Upload{Name: "scan.pdf", Data: doc}})
	if err != nil {
		t.Fatal(err)
	}
	_, err = o.r.ExportDraft(ctx, o.drafter, ref, "Liaison cell")
	if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "version 1 holds a picture") || !strings.Contains(err.Error(), "JBIG2") {
		t.Errorf("copy: %v, want ErrInvalid naming version 1 and JBIG2", err)
	}
	if _, err := o.r.Preview(ctx, o.drafter, ref); !errors.Is(err, ErrInvalid) {
		t.Errorf("preview: %v, want ErrInvalid", err)
	}
}

// letterText is a page's content that shows one line of a letter, in the font /F1.
const letterText = "BT /F1 14 Tf 72 770 Td (Dear Minister, the brigade moves north on 3 March.) Tj ET"

// needTools skips the test when one of the poppler tools it renders or reads copies with is
// missing.
func needTools(t *testing.T, tools ...string) {
	t.Helper()
	for _, tool := range tools {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s not installed", tool)
		}
	}
}
