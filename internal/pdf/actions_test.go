package pdf_test

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/chancery/chancery/internal/pdf"
	"github.com/chancery/chancery/internal/pdf/pdftest"
	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
)

// scripted is a one-page PDF that runs what a viewer runs unasked, or on a click: a
// JavaScript open action and document actions in the catalog, a document-level script in the
// JavaScript name tree, a page-open action that launches a program, a link that runs a
// script, and a link to a web page whose chained next action runs another.
func scripted() []byte {
	body := "BT /F1 12 Tf 72 800 Td (Page body.) Tj ET"
	js := func(what string) string { return "<< /S /JavaScript /JS (app.alert('" + what + "')) >>" }
	return pdftest.Build(
		"<< /Type /Catalog /Pages 2 0 R /OpenAction "+js("open")+" /AA << /WC "+js("close")+" >> /Names << /JavaScript << /Names [(doc) 6 0 R] >> >> >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R /Annots [7 0 R 8 0 R] /AA << /O << /S /Launch /F (calc.exe) >> >> >>",
		pdftest.Stream(fmt.Sprintf("<< /Length %d >>", len(body)), []byte(body)),
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
		js("document"),
		"<< /Type /Annot /Subtype /Link /Rect [72 500 372 520] /Border [0 0 0] /A "+js("link")+" >>",
		"<< /Type /Annot /Subtype /Link /Rect [72 400 372 420] /Border [0 0 0] /A << /S /URI /URI (https://tfn.example/) /Next "+js("next")+" >> >>",
	)
}

// TestCopiesCarryNoActiveContent: a draft copy and a stamped letter run nothing in the
// reader's viewer: a script could draw over the DRAFT marks or the stamp when the copy is
// opened, tell its reader's address to a web page, or start a program, in a file the
// office hands out or signs. Links to web pages stay; nothing chained to them does.
func TestCopiesCarryNoActiveContent(t *testing.T) {
	src := scripted()
	if _, err := pdf.Check(src); err != nil {
		t.Fatalf("the scripted PDF does not pass Check: %v", err)
	}
	draft, err := pdf.Watermark(src, mark)
	if err != nil {
		t.Fatal(err)
	}
	for name, doc := range map[string][]byte{"source": src, "draft copy": draft, "stamped letter": mustStamp(t, src, footer)} {
		t.Run(name, func(t *testing.T) {
			ctx, err := api.ReadContext(bytes.NewReader(doc), nil)
			if err != nil {
				t.Fatal(err)
			}
			var found []string
			uri := false
			var walk func(o types.Object, depth int)
			walk = func(o types.Object, depth int) {
				if depth > 32 {
					return
				}
				switch o := o.(type) {
				case types.Dict:
					for _, k := range []string{"OpenAction", "AA", "JS", "JavaScript"} {
						if _, ok := o[k]; ok {
							found = append(found, "/"+k)
						}
					}
					if s := o.NameEntry("S"); s != nil && (*s == "JavaScript" || *s == "Launch") {
						found = append(found, "/S /"+*s)
					}
					if s := o.NameEntry("S"); s != nil && *s == "URI" {
						uri = true
					}
					for _, v := range o {
						walk(v, depth+1)
					}
				case types.StreamDict:
					walk(o.Dict, depth+1)
				case types.Array:
					for _, v := range o {
						walk(v, depth+1)
					}
				}
			}
			for _, e := range ctx.Table {
				if e != nil && !e.Free {
					walk(e.Object, 0)
				}
			}
			if name == "source" {
				if len(found) == 0 {
					t.Fatal("the source runs nothing: the test proves nothing")
				}
				return
			}
			if len(found) > 0 {
				t.Errorf("the %s keeps %v", name, found)
			}
			if !uri {
				t.Errorf("the %s lost its link to a web page", name)
			}
		})
	}
}
