package pdf_test

import (
	"bytes"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/pdf"
	"github.com/chancery/chancery/internal/pdf/pdftest"
	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
)

// annexBytes is the embedded file of annotated.
const annexBytes = "SECRET ANNEX, NOT ON ANY PAGE"

// annotated is a one-page PDF with what could be drawn above a copy's marks or leave it
// unmarked: a filled-in form field (a widget with its appearance) in an AcroForm that also
// has an XFA form, a hidden annotation, a file attachment annotation, the same file in the
// EmbeddedFiles name tree and as the catalog's associated file, and a link with an
// appearance of its own, drawn through a matrix that doubles it.
func annotated() []byte {
	form := func(bbox, extra, ops string) string {
		return pdftest.Stream(fmt.Sprintf("<< /Type /XObject /Subtype /Form /BBox %s%s /Resources << /Font << /F1 5 0 R >> >> /Length %d >>", bbox, extra, len(ops)), []byte(ops))
	}
	body := "BT /F1 12 Tf 72 800 Td (Page body.) Tj ET"
	xfa := "<xdp:xdp xmlns:xdp=\"http://ns.adobe.com/xdp/\"></xdp:xdp>"
	return pdftest.Build(
		"<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [6 0 R] /XFA 12 0 R /NeedAppearances false >> /Names << /EmbeddedFiles << /Names [(annex.txt) 10 0 R] >> >> /AF [10 0 R] >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R /Annots [6 0 R 8 0 R 9 0 R 13 0 R] >>",
		pdftest.Stream(fmt.Sprintf("<< /Length %d >>", len(body)), []byte(body)),
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
		"<< /Type /Annot /Subtype /Widget /FT /Tx /T (name) /V (Field value) /DA (/F1 12 Tf 0 g) /F 4 /Rect [72 700 372 720] /AP << /N 7 0 R >> /P 3 0 R >>",
		form("[0 0 300 20]", "", "BT /F1 12 Tf 2 5 Td (Field value) Tj ET"),
		"<< /Type /Annot /Subtype /FreeText /F 2 /Rect [72 600 372 620] /DA (/F1 12 Tf) /Contents (Hidden note) /AP << /N 14 0 R >> >>",
		"<< /Type /Annot /Subtype /FileAttachment /Rect [10 10 30 30] /FS 10 0 R /AP << /N 15 0 R >> >>",
		"<< /Type /Filespec /F (annex.txt) /UF (annex.txt) /AFRelationship /Supplement /EF << /F 11 0 R >> >>",
		pdftest.Stream(fmt.Sprintf("<< /Type /EmbeddedFile /Length %d >>", len(annexBytes)), []byte(annexBytes)),
		pdftest.Stream(fmt.Sprintf("<< /Length %d >>", len(xfa)), []byte(xfa)),
		"<< /Type /Annot /Subtype /Link /Rect [72 500 372 520] /Border [0 0 0] /A << /S /URI /URI (https://tfn.example/) >> /AP << /N 16 0 R >> >>",
		form("[0 0 300 20]", "", "BT /F1 12 Tf 2 5 Td (Hidden note) Tj ET"),
		form("[0 0 20 20]", "", "0 0 20 20 re f"),
		form("[0 0 150 10]", " /Matrix [2 0 0 2 0 0]", "BT /F1 6 Tf 1 2.5 Td (Linked) Tj ET"),
	)
}

// TestCopiesSettleAnnotations: a draft copy and a stamped letter of annotated draw the
// visible annotations' appearances into the page, where a viewer showed them and under the
// marks, keep the link (without an appearance), and carry no other annotation, no form (nor
// XFA) and no embedded file, as poppler and pdfcpu read them.
func TestCopiesSettleAnnotations(t *testing.T) {
	src := annotated()
	if _, err := pdf.Check(src); err != nil {
		t.Fatalf("the annotated PDF does not pass Check: %v", err)
	}
	if list := run(t, "pdfdetach", "-list", writeTemp(t, "src.pdf", src)); !strings.Contains(list, "annex.txt") {
		t.Fatalf("the annotated PDF does not have its file: the test proves nothing\n%s", list)
	}
	draft, err := pdf.Watermark(src, mark)
	if err != nil {
		t.Fatal(err)
	}
	for name, doc := range map[string][]byte{"draft copy": draft, "stamped letter": mustStamp(t, src, footer)} {
		t.Run(name, func(t *testing.T) {
			file := writeTemp(t, "copy.pdf", doc)
			if list := run(t, "pdfdetach", "-list", file); !strings.Contains(list, "0 embedded files") {
				t.Errorf("pdfdetach -list:\n%s", list)
			}
			text := run(t, "pdftotext", "-layout", file, "-")
			for _, want := range []string{"Page body.", "Field value", "Linked"} {
				if !strings.Contains(text, want) {
					t.Errorf("the page lost %q:\n%s", want, text)
				}
			}
			if strings.Contains(text, "Hidden note") {
				t.Errorf("a hidden annotation's appearance was drawn:\n%s", text)
			}
			// The appearances are where the viewer showed them: the field's text 2 points
			// into its rectangle, the link's doubled by its matrix, 2 points into its own.
			boxes := run(t, "pdftotext", "-bbox", file, "-")
			for word, at := range map[string][2]float64{"Field": {74, 842 - 720}, "Linked": {74, 842 - 520}} {
				m := regexp.MustCompile(`xMin="([0-9.]+)" yMin="([0-9.]+)" xMax="[0-9.]+" yMax="([0-9.]+)">` + word + `<`).FindStringSubmatch(boxes)
				if m == nil {
					t.Errorf("pdftotext -bbox has no %q", word)
					continue
				}
				x, _ := strconv.ParseFloat(m[1], 64)
				y0, _ := strconv.ParseFloat(m[2], 64)
				y1, _ := strconv.ParseFloat(m[3], 64)
				if x < at[0]-1 || x > at[0]+1 || y0 < at[1] || y1 > at[1]+20 {
					t.Errorf("%q is drawn at x %.1f, y %.1f to %.1f; want x %.0f, y within %.0f to %.0f", word, x, y0, y1, at[0], at[1], at[1]+20)
				}
			}
			ctx, err := api.ReadContext(bytes.NewReader(doc), nil)
			if err == nil {
				err = api.ValidateContext(ctx)
			}
			if err != nil {
				t.Fatal(err)
			}
			root, err := ctx.Catalog()
			if err != nil {
				t.Fatal(err)
			}
			for _, k := range []string{"AcroForm", "AF"} {
				if _, ok := root.Find(k); ok {
					t.Errorf("the catalog keeps /%s", k)
				}
			}
			page, _, _, err := ctx.PageDict(1, false)
			if err != nil {
				t.Fatal(err)
			}
			annots, err := ctx.DereferenceArray(page["Annots"])
			if err != nil || len(annots) != 1 {
				t.Fatalf("annotations: %v %v", annots, err)
			}
			link, err := ctx.DereferenceDict(annots[0])
			if err != nil || link.NameEntry("Subtype") == nil || *link.NameEntry("Subtype") != "Link" || link["AP"] != nil || link["A"] == nil {
				t.Errorf("the annotation kept is %v (%v), want the link with its action and no appearance", link, err)
			}
			for nr, e := range ctx.Table {
				if e == nil || e.Free {
					continue
				}
				if sd, ok := e.Object.(types.StreamDict); ok && sd.Decode() == nil && bytes.Contains(sd.Content, []byte(annexBytes)) {
					t.Errorf("object %d holds the embedded file", nr)
				}
			}
		})
	}
}
