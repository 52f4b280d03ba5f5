package convert_test

import (
	"archive/zip"
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// zipOf builds an OpenDocument or Word package by hand: LibreOffice saving one would resolve
// the links the test is about.
func zipOf(t *testing.T, files [][2]string) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for _, f := range files {
		m := zip.Deflate
		if f[0] == "mimetype" {
			m = zip.Store
		}
		w, err := zw.CreateHeader(&zip.FileHeader{Name: f[0], Method: m})
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(f[1]))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// odtManifest lists an OpenDocument text package's content.
const odtManifest = `<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">
 <manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.text"/>
 <manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
</manifest:manifest>`

// odtSettings asks LibreOffice to update the document's links always (LinkUpdateMode 2) and
// its fields as it loads.
const odtSettings = `<?xml version="1.0" encoding="UTF-8"?>
<office:document-settings xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:config="urn:oasis:names:tc:opendocument:xmlns:config:1.0" office:version="1.3"><office:settings><config:config-item-set config:name="ooo:configuration-settings"><config:config-item config:name="LinkUpdateMode" config:type="short">2</config:config-item><config:config-item config:name="FieldAutoUpdate" config:type="boolean">true</config:config-item></config:config-item-set></office:settings></office:document-settings>`

// odtAuto is an OpenDocument text of body, whose settings ask for its links and fields to be
// updated as it loads; doctype, when not empty, is its content's document type declaration.
func odtAuto(t *testing.T, body, doctype string) []byte {
	content := `<?xml version="1.0" encoding="UTF-8"?>
` + doctype + `<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"
 xmlns:xlink="http://www.w3.org/1999/xlink" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" office:version="1.3">
 <office:body><office:text><text:p>Dear Minister,</text:p>` + body + `</office:text></office:body>
</office:document-content>`
	man := strings.Replace(odtManifest, "</manifest:manifest>", ` <manifest:file-entry manifest:full-path="settings.xml" manifest:media-type="text/xml"/>
</manifest:manifest>`, 1)
	return zipOf(t, [][2]string{{"mimetype", "application/vnd.oasis.opendocument.text"}, {"META-INF/manifest.xml", man}, {"content.xml", content}, {"settings.xml", odtSettings}})
}

// docxWith is a Word document of body; doctype, when not empty, is its main part's document
// type declaration.
func docxWith(t *testing.T, body, doctype string) []byte {
	return zipOf(t, [][2]string{
		{"[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`},
		{"_rels/.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`},
		{"word/document.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
` + doctype + `<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>Dear Minister,</w:t></w:r></w:p>` + body + `</w:body></w:document>`},
	})
}

// docxLinked is a Word document of body whose main part has the relationships rels, and
// declares the r: and drawing namespaces.
func docxLinked(t *testing.T, body, rels string) []byte {
	return zipOf(t, [][2]string{
		{"[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`},
		{"_rels/.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`},
		{"word/_rels/document.xml.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` + rels + `</Relationships>`},
		{"word/document.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"
 xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"
 xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"><w:body><w:p><w:r><w:t>Dear Minister,</w:t></w:r></w:p>` + body + `</w:body></w:document>`},
	})
}

// external is a relationship of type typ (officeDocument's) to a target outside the package.
func external(id, typ, target string) string {
	return `<Relationship Id="` + id + `" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/` + typ + `" Target="` + target + `" TargetMode="External"/>`
}

// TestConvertReadsNoLocalFiles: an uploaded letter can name files of the server's disk, to
// be read into the converted PDF that members are shown: a section linked to a file (with the
// document's settings asking for links to be updated as it loads), a Word INCLUDETEXT field,
// an image linked by a file URL, an XML external entity; and, in Word letters, an alternative
// format chunk (w:altChunk) and a subdocument outside the package, a picture linked by a
// relationship (r:link) or an INCLUDEPICTURE field; in OpenDocument letters, an object linked
// to a file, files named by a relative path. LibreOffice reads none of them (7.4,
// with the profile's settings): a guard, so that another version or setting that does is
// caught.
func TestConvertReadsNoLocalFiles(t *testing.T) {
	c := converter(t)
	dir := t.TempDir()
	secret := filepath.Join(dir, "secret.txt")
	if err := os.WriteFile(secret, []byte("SECRETTOKEN4242 from the server's disk\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	secretDoc := filepath.Join(dir, "secret.fodt")
	if err := os.WriteFile(secretDoc, []byte(`<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.text"><office:body><office:text><text:p>SECRETTOKEN4242 in a document</text:p></office:text></office:body></office:document>`), 0o644); err != nil {
		t.Fatal(err)
	}
	img := write(t, "logo.png", mustDecode(t, letterhead(t)))
	include := func(path string) string {
		return `<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> INCLUDETEXT "` + path +
			`" </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>old</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>`
	}
	const odtType = "application/vnd.oasis.opendocument.text"
	for _, k := range []struct {
		name, mediaType string
		data            []byte
	}{
		{"linked section (text)", odtType, odtAuto(t, `<text:section text:name="S1"><text:section-source xlink:href="file://`+secret+`" xlink:type="simple" text:filter-name="Text"/><text:p>old</text:p></text:section>`, "")},
		{"linked section (document)", odtType, odtAuto(t, `<text:section text:name="S1"><text:section-source xlink:href="file://`+secretDoc+`" xlink:type="simple"/><text:p>old</text:p></text:section>`, "")},
		{"linked image", odtType, odtAuto(t, `<text:p><draw:frame draw:name="L" text:anchor-type="as-char" svg:width="3cm" svg:height="1cm"><draw:image xlink:href="file://`+img+`" xlink:type="simple" xlink:show="embed" xlink:actuate="onLoad"/></draw:frame></text:p>`, "")},
		{"external entity (odt)", odtType, odtAuto(t, `<text:p>&x;</text:p>`, `<!DOCTYPE office:document-content [<!ENTITY x SYSTEM "file://`+secret+`">]>`)},
		{"INCLUDETEXT (text)", docxType, docxWith(t, include(secret), "")},
		{"INCLUDETEXT (document)", docxType, docxWith(t, include(secretDoc), "")},
		{"external entity (docx)", docxType, docxWith(t, `<w:p><w:r><w:t>&x;</w:t></w:r></w:p>`, `<!DOCTYPE w:document [<!ENTITY x SYSTEM "file://`+secret+`">]>`)},
		{"altChunk (text)", docxType, docxLinked(t, `<w:altChunk r:id="rIdA"/>`, external("rIdA", "aFChunk", "file://"+secret))},
		{"altChunk (document)", docxType, docxLinked(t, `<w:altChunk r:id="rIdA"/>`, external("rIdA", "aFChunk", secretDoc))},
		{"subDoc", docxType, docxLinked(t, `<w:p><w:subDoc r:id="rIdS"/></w:p>`, external("rIdS", "subDocument", "file://"+secretDoc))},
		{"linked picture (docx)", docxType, docxLinked(t, `<w:p><w:r><w:drawing><wp:inline><wp:extent cx="952500" cy="317500"/><wp:docPr id="1" name="P"/><a:graphic>`+
			`<a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:pic><pic:nvPicPr><pic:cNvPr id="1" name="P"/><pic:cNvPicPr/></pic:nvPicPr>`+
			`<pic:blipFill><a:blip r:link="rIdI"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill><pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="952500" cy="317500"/></a:xfrm>`+
			`<a:prstGeom prst="rect"/></pic:spPr></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>`, external("rIdI", "image", "file://"+img))},
		{"INCLUDEPICTURE", docxType, docxWith(t, strings.Replace(include(img), "INCLUDETEXT", "INCLUDEPICTURE", 1), "")},
		{"linked object (odt)", odtType, odtAuto(t, `<text:p><draw:frame draw:name="O" text:anchor-type="as-char" svg:width="8cm" svg:height="2cm"><draw:object xlink:href="file://`+secretDoc+`" xlink:type="simple" xlink:show="embed" xlink:actuate="onLoad"/></draw:frame></text:p>`, "")},
		{"relative path (odt)", odtType, odtAuto(t, `<text:section text:name="S1"><text:section-source xlink:href="../../../../../../../..`+secret+`" xlink:type="simple" text:filter-name="Text"/><text:p>old</text:p></text:section>`+
			`<text:p><draw:frame draw:name="L" text:anchor-type="as-char" svg:width="3cm" svg:height="1cm"><draw:image xlink:href="../../../../../../../..`+img+`" xlink:type="simple" xlink:show="embed" xlink:actuate="onLoad"/></draw:frame></text:p>`, "")},
	} {
		doc, err := c.ToPDF(context.Background(), k.mediaType, k.data)
		if err != nil {
			t.Logf("%s: refused: %v", k.name, err)
			continue
		}
		p := write(t, "out.pdf", doc)
		if txt := run(t, "pdftotext", p, "-"); strings.Contains(txt, "SECRETTOKEN4242") {
			t.Errorf("%s: the converted letter shows the server's file: %q", k.name, txt)
		}
		if imgs := strings.Split(strings.TrimSpace(run(t, "pdfimages", "-list", p)), "\n"); len(imgs) > 2 {
			t.Errorf("%s: the converted letter holds a picture read from the server's disk:\n%s", k.name, strings.Join(imgs, "\n"))
		}
	}
}
