package textract

import (
	"archive/zip"
	"bytes"
	"strings"
	"testing"
)

// docx builds a Word document whose body is the given WordprocessingML, with a header part
// that no section refers to, whose text must not be extracted.
func docx(t testing.TB, body string) []byte {
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for name, content := range map[string]string{
		"[Content_Types].xml": `<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`,
		"word/document.xml": `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` +
			`<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>` + body + `</w:body></w:document>`,
		"word/header1.xml": `<w:hdr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:p><w:r><w:t>HEADER</w:t></w:r></w:p></w:hdr>`,
	} {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(content))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestDOCX(t *testing.T) {
	doc := docx(t, `<w:p><w:r><w:t>Dear </w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>Minister</w:t></w:r><w:r><w:t>,</w:t></w:r></w:p>`+
		`<w:p><w:r><w:t xml:space="preserve">The forces </w:t></w:r><w:del><w:r><w:delText xml:space="preserve"> </w:delText></w:r></w:del>`+
		`<w:r><w:t>stay.</w:t><w:br/><w:t>Ref.</w:t><w:tab/><w:t>TFN-1</w:t></w:r></w:p>`)
	if mt := TypeByExtension(".DOCX"); mt != DOCXType {
		t.Fatalf(".docx is %q", mt)
	}
	got, err := Text(DOCXType, doc)
	if err != nil {
		t.Fatal(err)
	}
	if want := "Dear Minister,\nThe forces stay.\nRef.\tTFN-1\n"; got != want {
		t.Fatalf("text %q, want %q", got, want)
	}

	for name, data := range map[string][]byte{
		"not a zip": []byte("PK not really"),
		"no document part": func() []byte {
			var b bytes.Buffer
			zw := zip.NewWriter(&b)
			zw.Create("x")
			zw.Close()
			return b.Bytes()
		}(),
		"malformed XML": docx(t, `<w:p><w:r><w:t>open`),
	} {
		if _, err := Text(DOCXType, data); err == nil {
			t.Errorf("%s: no error", name)
		}
	}

	// A document that decompresses to more than the bound is cut there, not read whole.
	bomb := docx(t, strings.Repeat(`<w:p><w:r><w:t>aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa</w:t></w:r></w:p>`, 1<<20))
	if len(bomb) > 2<<20 {
		t.Fatalf("the bomb is %d bytes compressed", len(bomb))
	}
	got, err = Text(DOCXType, bomb)
	if err == nil && len(got) > MaxText {
		t.Fatalf("bomb: %d bytes of text", len(got))
	}
}

func FuzzDOCX(f *testing.F) {
	f.Add(docx(f, `<w:p><w:r><w:t>Dear Minister,</w:t></w:r></w:p>`))
	f.Add(docx(f, `<w:p><w:r><w:t>a</w:t><w:tab/><w:br/></w:r></w:p><w:p/>`))
	f.Add(docx(f, `<w:p xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"><mc:AlternateContent><mc:Choice Requires="w14"><w:r><w:t>a</w:t></w:r></mc:Choice>`+
		`<mc:Fallback><w:r><w:t>b</w:t></w:r></mc:Fallback></mc:AlternateContent><mc:Fallback><w:r><w:t>c</w:t></w:r></mc:Fallback></w:p>`))
	f.Add(numberedDOCX(f, numbered("1", "8", "item")+numbered("1", "0", "next"),
		`<w:abstractNum w:abstractNumId="0">`+level("0", "2", "upperRoman", "%1.%9%", "")+level("8", "27", "lowerLetter", "%9)", `<w:isLgl/>`)+`</w:abstractNum>`+
			`<w:num w:numId="1"><w:abstractNumId w:val="0"/><w:lvlOverride w:ilvl="8"><w:startOverride w:val="3"/></w:lvlOverride></w:num>`, ""))
	f.Add([]byte("PK\x03\x04"))
	for _, bomb := range docxBombs(f, 250_000) {
		f.Add(bomb)
	}
	f.Add(docxBomb(f, "<w:p ", `a="" `, "/>", 300_000))
	f.Add(docxBomb(f, "", `<w:p `+strings.Repeat(`xmlns:a="b" `, 600)+`>`, "", 3))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := Text(DOCXType, data)
		if err == nil && len(s) > MaxText {
			t.Fatalf("%d bytes of text", len(s))
		}
	})
}
