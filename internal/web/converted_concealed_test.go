package web_test

import (
	"archive/zip"
	"bytes"
	"context"
	"html"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/convert"
	"github.com/chancery/chancery/internal/registry"
	"github.com/chancery/chancery/internal/server"
	"github.com/chancery/chancery/internal/textract"
)

// wordLetter is a Word document of one paragraph whose runs are given as (run properties,
// text) pairs.
func wordLetter(t *testing.T, runs ...[2]string) []byte {
	t.Helper()
	var body strings.Builder
	for _, r := range runs {
		body.WriteString(`<w:r><w:rPr>` + r[0] + `</w:rPr><w:t xml:space="preserve">` + r[1] + `</w:t></w:r>`)
	}
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for _, f := range [][2]string{
		{"[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>` +
			`<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`},
		{"_rels/.rels", `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`},
		{"word/document.xml", `<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p>` + body.String() + `</w:p></w:body></w:document>`},
	} {
		w, err := zw.Create(f[0])
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(f[1])); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestLetterPageSaysAWordLetterConcealsText: the letter page showed reviewers a Word version's
// text, read from the file, without a word where the letter LibreOffice converts it to draws
// part of it where it cannot be seen: "The Ministry will NOT pay" with "NOT" white, squeezed
// to a hundredth of its width or black on black shading read "will NOT pay" while the
// preview and the released letter showed "will pay". Once the version's conversion is kept
// (its first preview), the page warns above the text and the changes.
func TestLetterPageSaysAWordLetterConcealsText(t *testing.T) {
	if _, err := exec.LookPath("soffice"); err != nil {
		if os.Getenv("CHANCERY_REQUIRE_TOOLS") == "1" {
			t.Fatalf("soffice is required (CHANCERY_REQUIRE_TOOLS=1): %v", err)
		}
		t.Skip("soffice not installed")
	}
	conv, err := convert.Find("", 10*time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	o := newOffice(t, server.Config{}, func(c *registry.Config) { c.Converter = conv })
	ctx := context.Background()
	const text, changes = "The letter converted from this file draws part of its text where it cannot be seen",
		"The letter converted from one of these versions draws part of its text where it cannot be seen"
	c := o.client()
	c.signIn("rita")
	upload := func(data []byte) registry.Upload {
		return registry.Upload{Name: "decision.docx", MediaType: textract.DOCXType, Data: data}
	}
	ref, err := o.reg.CreateLetter(ctx, o.actors["dana"], registry.NewLetter{Subject: "Payment", Class: "foreign-government",
		Addressees: []string{"Treasury"}, File: upload(wordLetter(t, [2]string{"", "The Ministry will pay the sum."}))})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := o.reg.Preview(ctx, o.actors["dana"], ref); err != nil {
		t.Fatal(err)
	}
	_, page := c.get("/letters/" + ref)
	if page = html.UnescapeString(page); strings.Contains(page, text) || strings.Contains(page, changes) {
		t.Errorf("a Word letter that shows all its text: the letter page says it conceals some")
	}
	for _, k := range []struct{ name, props string }{
		{"white", `<w:color w:val="FFFFFF"/>`},
		{"a hundredth of its width", `<w:w w:val="1"/>`},
		{"black on black", `<w:color w:val="000000"/><w:shd w:val="clear" w:color="auto" w:fill="000000"/>`},
	} {
		data := wordLetter(t, [2]string{"", "The Ministry will "}, [2]string{k.props, "NOT "}, [2]string{"", "pay the sum."})
		if _, err := o.reg.Revise(ctx, o.actors["dana"], ref, upload(data)); err != nil {
			t.Fatal(err)
		}
		_, page := c.get("/letters/" + ref)
		if page = html.UnescapeString(page); !strings.Contains(page, "will NOT pay") {
			t.Fatalf("%s: the letter page does not show the file's text", k.name)
		}
		if strings.Contains(page, text) {
			t.Errorf("%s: the letter page warns before the version is converted", k.name)
		}
		if _, err := o.reg.Preview(ctx, o.actors["dana"], ref); err != nil {
			t.Fatal(err)
		}
		_, page = c.get("/letters/" + ref)
		page = html.UnescapeString(page)
		for _, want := range []string{text, changes} {
			if !strings.Contains(page, want) {
				t.Errorf("%s: the letter page does not say %q", k.name, want)
			}
		}
	}
}
