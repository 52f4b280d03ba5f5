package pdf_test

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/chancery/chancery/internal/pdf/pdftest"
	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
)

// withNameTrees is a one-page letter whose catalog's name trees name, besides a named
// destination its link leads to, a hidden page template (a page with its own content,
// outside the page tree) and an appearance stream no annotation uses: content no page draws.
func withNameTrees() []byte {
	st := func(s string) string { return pdftest.Stream(fmt.Sprintf("<< /Length %d >>", len(s)), []byte(s)) }
	return pdftest.Build(
		"<< /Type /Catalog /Pages 2 0 R /Names << /Dests << /Names [(top) [3 0 R /Fit]] >>"+
			" /Templates << /Names [(clean) 6 0 R] >> /AP << /Names [(spare) 8 0 R] >> >> >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R"+
			" /Annots [<< /Type /Annot /Subtype /Link /Rect [72 700 300 740] /Dest (top) >>] >>",
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
		st("BT /F1 14 Tf 72 720 Td (Sir, the brigade moves north on 3 March.) Tj ET"),
		"<< /Type /Template /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 7 0 R >>",
		st("BT /F1 14 Tf 72 720 Td (UNMARKED TEMPLATE: the brigade moves north on 3 March.) Tj ET"),
		pdftest.Stream("<< /Type /XObject /Subtype /Form /BBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Length 70 >>",
			[]byte("BT /F1 14 Tf 72 720 Td (UNMARKED APPEARANCE: moves north on 3 March) Tj ET")),
	)
}

// TestCopiesCarryNoHiddenTemplatePages: a draft copy, a preview and a release kept the
// upload's catalog name trees but for its embedded files and scripts: a hidden page template
// (/Names /Templates, which Acrobat's Page Templates dialog shows and adds to the document as
// a page) left with every copy, its content without the DRAFT marks, which are drawn on the
// pages of the page tree only (found by audit, sixty-second session, live: a coordination copy
// and a preview of an uploaded PDF carried the template's content stream byte for byte). The
// same for an appearance stream named in /Names /AP that no annotation draws. Only the named
// destinations, which the links kept lead to, stay.
func TestCopiesCarryNoHiddenTemplatePages(t *testing.T) {
	src := withNameTrees()
	if !bytes.Contains(src, []byte("UNMARKED TEMPLATE")) {
		t.Fatal("the upload holds no template: the test proves nothing")
	}
	for _, c := range copiesOf(t, src) {
		for _, leak := range []string{"UNMARKED TEMPLATE", "UNMARKED APPEARANCE"} {
			if streamsHold(t, c.doc, leak) {
				t.Errorf("%s: carries content no page draws, unmarked: %q", c.name, leak)
			}
		}
		ctx, err := api.ReadContext(bytes.NewReader(c.doc), model.NewDefaultConfiguration())
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		root, err := ctx.Catalog()
		if err != nil {
			t.Fatal(err)
		}
		names, err := ctx.DereferenceDict(root["Names"])
		if err != nil || names == nil {
			t.Fatalf("%s: the catalog lost its names (%v): the link's destination is gone", c.name, err)
		}
		for k := range names {
			if k != "Dests" {
				t.Errorf("%s: the catalog keeps the name tree /%s", c.name, k)
			}
		}
		if _, ok := names["Dests"]; !ok {
			t.Errorf("%s: the named destination the link leads to is gone", c.name)
		}
	}
}

// TestCopiesCarryNoPagesOutsideTheTree: a page object outside the page tree, which a named
// destination, the catalog's destinations or an outline item leads to, left with every draft
// copy, preview and release, its content unmarked (found by audit, sixty-second session): no
// viewer shows it and the marks are drawn on the pages of the tree only, but any tool takes
// its content out. Such a page keeps nothing to draw; the letter's own page keeps its text.
func TestCopiesCarryNoPagesOutsideTheTree(t *testing.T) {
	st := func(s string) string { return pdftest.Stream(fmt.Sprintf("<< /Length %d >>", len(s)), []byte(s)) }
	for name, catalog := range map[string]string{
		"named destination":   "<< /Type /Catalog /Pages 2 0 R /Names << /Dests << /Names [(x) [6 0 R /Fit]] >> >> >>",
		"catalog destination": "<< /Type /Catalog /Pages 2 0 R /Dests << /x [6 0 R /Fit] >> >>",
		"outline item":        "<< /Type /Catalog /Pages 2 0 R /Outlines 8 0 R >>",
	} {
		src := pdftest.Build(catalog, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
			"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
			"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
			st("BT /F1 14 Tf 72 720 Td (SHOWN: Sir, the brigade moves.) Tj ET"),
			"<< /Type /Page /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 7 0 R >>",
			st("BT /F1 14 Tf 72 720 Td (UNMARKED HIDDEN PAGE: the brigade moves north on 3 March.) Tj ET"),
			"<< /Type /Outlines /First 9 0 R /Last 9 0 R /Count 1 >>",
			"<< /Title (Annex) /Parent 8 0 R /Dest [6 0 R /Fit] >>")
		for _, c := range copiesOf(t, src) {
			if !streamsHold(t, c.doc, "SHOWN: Sir") {
				t.Errorf("%s, %s: the letter's page lost its text", name, c.name)
			}
			if streamsHold(t, c.doc, "UNMARKED HIDDEN PAGE") {
				t.Errorf("%s, %s: carries the content of a page outside the page tree, unmarked", name, c.name)
			}
		}
	}
}

// streamsHold reports whether a stream of doc, decoded, holds s.
func streamsHold(t *testing.T, doc []byte, s string) bool {
	t.Helper()
	ctx, err := api.ReadContext(bytes.NewReader(doc), model.NewDefaultConfiguration())
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ctx.Table {
		if e == nil || e.Free {
			continue
		}
		if sd, ok := e.Object.(types.StreamDict); ok && sd.Decode() == nil && bytes.Contains(sd.Content, []byte(s)) {
			return true
		}
	}
	return false
}
