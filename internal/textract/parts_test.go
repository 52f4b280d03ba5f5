package textract

import (
	"runtime"
	"strings"
	"testing"
)

// wordPart opens a WordprocessingML part's root element, declaring w: and r:.
func wordPart(root, inner string) string {
	return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:` + root + ` xmlns:w="` + wordNS +
		`" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">` + inner + `</w:` + root + `>`
}

// TestDOCXPartsAndHiddenTextAsShown: a Word document's headers, footers and notes were not
// read, and its hidden text (w:vanish, directly or by a style) was; read as LibreOffice shows
// them (checked with LibreOffice 7.4; convert.TestExtractedTextIsWhatTheLetterShows converts
// such a letter): the first page's header only with a title page, the even pages' only when
// the settings say so, the old formatting of a tracked change not applied.
func TestDOCXPartsAndHiddenTextAsShown(t *testing.T) {
	const rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
	rels := `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
		`<Relationship Id="rId1" Type="` + rel + `header" Target="header1.xml"/>` +
		`<Relationship Id="rId2" Type="` + rel + `header" Target="header2.xml"/>` +
		`<Relationship Id="rId3" Type="` + rel + `header" Target="/word/header3.xml"/>` +
		`<Relationship Id="rId4" Type="` + rel + `footer" Target="footer1.xml"/>` +
		`<Relationship Id="rId5" Type="` + rel + `footnotes" Target="footnotes.xml"/>` +
		`<Relationship Id="rId6" Type="` + rel + `styles" Target="styles.xml"/>` +
		`<Relationship Id="rId7" Type="` + rel + `settings" Target="settings.xml"/></Relationships>`
	body := `<w:body><w:p><w:r><w:t>PAY 9000</w:t></w:r><w:r><w:rPr><w:vanish/></w:rPr><w:t> HIDDEN1</w:t></w:r>` +
		`<w:r><w:rPr><w:rStyle w:val="Secret"/></w:rPr><w:t> HIDDEN2</w:t></w:r>` +
		`<w:r><w:rPr><w:rStyle w:val="Secret"/><w:vanish w:val="0"/></w:rPr><w:t> SHOWN1</w:t></w:r>` +
		`<w:r><w:rPr><w:rStyle w:val="Unnamed"/></w:rPr><w:t> SHOWN3</w:t></w:r>` +
		`<w:r><w:rPr><w:rPrChange w:id="1"><w:rPr><w:vanish/></w:rPr></w:rPrChange></w:rPr><w:t> SHOWN2</w:t></w:r>` +
		`<w:r><w:footnoteReference w:id="2"/></w:r></w:p>` +
		`<w:p><w:pPr><w:pStyle w:val="SecretParagraph"/></w:pPr><w:r><w:t>HIDDEN3</w:t></w:r>` +
		`<w:r><w:rPr><w:rStyle w:val="Plain"/></w:rPr><w:t>HIDDEN4</w:t></w:r></w:p>` +
		`<w:sectPr><w:headerReference w:type="first" r:id="rId2"/><w:headerReference w:type="default" r:id="rId1"/>` +
		`<w:headerReference w:type="even" r:id="rId3"/><w:footerReference w:type="default" r:id="rId4"/></w:sectPr></w:body>`
	// A style without a name is not applied (Unnamed).
	styles := wordPart("styles", `<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>`+
		`<w:style w:type="character" w:styleId="Secret"><w:name w:val="Secret"/><w:rPr><w:vanish/></w:rPr></w:style>`+
		`<w:style w:type="character" w:styleId="Unnamed"><w:rPr><w:vanish/></w:rPr></w:style>`+
		`<w:style w:type="character" w:styleId="Plain"><w:name w:val="Plain"/><w:rPr><w:b/></w:rPr></w:style>`+
		`<w:style w:type="paragraph" w:styleId="SecretBase"><w:name w:val="Secret base"/><w:rPr><w:vanish/></w:rPr></w:style>`+
		`<w:style w:type="paragraph" w:styleId="SecretParagraph"><w:name w:val="Secret paragraph"/><w:basedOn w:val="SecretBase"/></w:style>`)
	entries := func(settings string) []byte {
		return zipEntries(t,
			[2]string{"[Content_Types].xml", contentTypes},
			[2]string{"_rels/.rels", packageRels("http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument", "word/document.xml")},
			[2]string{"word/_rels/document.xml.rels", rels},
			[2]string{"word/document.xml", wordPart("document", body)},
			[2]string{"word/header1.xml", wordPart("hdr", `<w:p><w:r><w:t>MINISTRY</w:t></w:r></w:p>`)},
			[2]string{"word/header2.xml", wordPart("hdr", `<w:p><w:r><w:t>FIRST PAGE ONLY</w:t></w:r></w:p>`)},
			[2]string{"word/header3.xml", wordPart("hdr", `<w:p><w:r><w:t>EVEN PAGES</w:t></w:r></w:p>`)},
			[2]string{"word/footer1.xml", wordPart("ftr", `<w:p><w:r><w:t>Page footer</w:t></w:r></w:p>`)},
			[2]string{"word/footnotes.xml", wordPart("footnotes", `<w:footnote w:type="separator" w:id="0"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>`+
				`<w:footnote w:id="2"><w:p><w:r><w:t>Payable on Tuesday</w:t></w:r></w:p></w:footnote>`)},
			[2]string{"word/styles.xml", styles},
			[2]string{"word/settings.xml", wordPart("settings", settings)})
	}
	for settings, want := range map[string]string{
		``: "PAY 9000 SHOWN1 SHOWN3 SHOWN2\n\n[footnote]\nPayable on Tuesday\n[header]\nMINISTRY\n[footer]\nPage footer\n",
		`<w:evenAndOddHeaders/>`: "PAY 9000 SHOWN1 SHOWN3 SHOWN2\n\n[footnote]\nPayable on Tuesday\n[header]\nMINISTRY\n" +
			"[even page header]\nEVEN PAGES\n[footer]\nPage footer\n",
	} {
		got, err := Text(DOCXType, entries(settings))
		if err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Errorf("settings %q: text %q, want %q", settings, got, want)
		}
	}
	// With a title page, the first page's header, before the others.
	body = body[:len(body)-len(`</w:sectPr></w:body>`)] + `<w:titlePg/></w:sectPr></w:body>`
	got, err := Text(DOCXType, entries(""))
	if want := "PAY 9000 SHOWN1 SHOWN3 SHOWN2\n\n[footnote]\nPayable on Tuesday\n[first page header]\nFIRST PAGE ONLY\n[header]\nMINISTRY\n[footer]\nPage footer\n"; err != nil || got != want {
		t.Errorf("title page: text %q, %v; want %q", got, err, want)
	}
	// A Word FILENAME field shows the name under which the letter is converted.
	got, err = Text(DOCXType, docx(t, `<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> FILENAME \p </w:instrText></w:r>`+
		`<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>C:\Users\drafter\draft.docx</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>`))
	if want := ConvertedDir + "/" + ConvertedName + ".docx\n"; err != nil || got != want {
		t.Errorf("FILENAME: text %q, %v; want %q", got, err, want)
	}
}

// TestODTPartsAndHiddenTextAsShown: an OpenDocument text's headers and footers are those of
// the page styles in use (the first page's, here by the first paragraph's style, and the one
// following it), those marked style:display="false" too, but not a left or first page's
// variant of a header or footer the page style does not have; hidden text is left out (checked
// with LibreOffice 7.4: its PDF of this letter shows FIRSTFOOTER on the first page, LEFTHEADER,
// LEFTFOOTER, NEXTHEADER and NOTDISPLAYED on the next ones, and none of the others).
func TestODTPartsAndHiddenTextAsShown(t *testing.T) {
	const styles = `<office:document-styles xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0">` +
		`<office:styles><style:style style:name="Secret" style:family="text"><style:text-properties text:display="none"/></style:style>` +
		`<style:style style:name="Opening" style:family="paragraph" style:master-page-name="First"/></office:styles>` +
		`<office:automatic-styles><style:page-layout style:name="pm1"/></office:automatic-styles><office:master-styles>` +
		`<style:master-page style:name="Standard" style:page-layout-name="pm1"><style:header><text:p>MINISTRY</text:p></style:header></style:master-page>` +
		`<style:master-page style:name="Unused" style:page-layout-name="pm1"><style:header><text:p>UNUSED</text:p></style:header></style:master-page>` +
		`<style:master-page style:name="First" style:page-layout-name="pm1" style:next-style-name="Next"><style:footer><text:p>EVERYFOOTER</text:p></style:footer>` +
		`<style:footer-first><text:p>FIRSTFOOTER <text:file-name text:display="name-and-extension">draft.odt</text:file-name></text:p></style:footer-first></style:master-page>` +
		`<style:master-page style:name="Next" style:page-layout-name="pm1"><style:header><text:p>NEXTHEADER</text:p></style:header>` +
		`<style:header-left><text:p>LEFTHEADER</text:p></style:header-left><style:footer style:display="false"><text:p>NOTDISPLAYED</text:p></style:footer>` +
		`<style:footer-left><text:p>LEFTFOOTER</text:p></style:footer-left></style:master-page>` +
		`</office:master-styles></office:document-styles>`
	content := strings.Replace(odtHead, `<office:body>`, `<office:automatic-styles><style:style xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" `+
		`xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" style:name="Break" style:family="paragraph">`+
		`<style:paragraph-properties fo:break-before="page"/></style:style></office:automatic-styles><office:body>`, 1) +
		`<text:sequence-decls/><text:p text:style-name="Opening">PAY 9000<text:span text:style-name="Secret"> HIDDEN</text:span></text:p>` +
		`<text:section text:name="S" text:display="none"><text:p>HIDDEN SECTION</text:p></text:section>` +
		`<text:p text:style-name="Break">PAGETWO</text:p><text:p text:style-name="Break">PAGETHREE</text:p>` + odtTail
	data := zipEntries(t, [2]string{"mimetype", ODTType}, [2]string{"content.xml", content}, [2]string{"styles.xml", styles},
		[2]string{"META-INF/manifest.xml", `<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">` +
			`<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.text"/>` +
			`<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/><manifest:file-entry manifest:full-path="styles.xml" manifest:media-type="text/xml"/></manifest:manifest>`})
	got, err := Text(ODTType, data)
	want := "PAY 9000\nPAGETWO\nPAGETHREE\n[footer]\nEVERYFOOTER\n[first page footer]\nFIRSTFOOTER letter.odt\n[header]\nNEXTHEADER\n[left page header]\nLEFTHEADER\n" +
		"[footer]\nNOTDISPLAYED\n[left page footer]\nLEFTFOOTER\n"
	if err != nil || got != want {
		t.Errorf("text %q, %v; want %q", got, err, want)
	}
}

// TestDOCXNoteReferencesBounded: a note's text is read for each reference to it, within MaxText
// in all: a small document referring sixty thousand times to a note of ten kilobytes does
// not make 600 MB of text.
func TestDOCXNoteReferencesBounded(t *testing.T) {
	const rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
	data := zipEntries(t,
		[2]string{"[Content_Types].xml", contentTypes},
		[2]string{"_rels/.rels", packageRels(rel+"officeDocument", "word/document.xml")},
		[2]string{"word/_rels/document.xml.rels", `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
			`<Relationship Id="rId1" Type="` + rel + `footnotes" Target="footnotes.xml"/></Relationships>`},
		[2]string{"word/document.xml", wordPart("document", `<w:body><w:p>`+strings.Repeat(`<w:r><w:footnoteReference w:id="2"/></w:r>`, 60_000)+`</w:p></w:body>`)},
		[2]string{"word/footnotes.xml", wordPart("footnotes", `<w:footnote w:id="2"><w:p><w:r><w:t>`+strings.Repeat("x", 10_000)+`</w:t></w:r></w:p></w:footnote>`)})
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	got, err := Text(DOCXType, data)
	runtime.ReadMemStats(&after)
	if err != nil {
		t.Fatal(err)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 200<<20 {
		t.Errorf("reading the document allocated %d MB", alloc>>20)
	}
	if !strings.Contains(got, footnoteMarker+"\n"+strings.Repeat("x", 10_000)) {
		t.Errorf("the note is not read")
	}
}

// TestDOCXHiddenByDocumentDefaults: a Word document whose defaults hide text (w:vanish in
// the run properties of w:docDefaults' paragraph mark) was read whole, though LibreOffice
// 7.4 shows none of its text but what a style or a run shows again
// (convert.TestDocumentDefaultsHiddenAsShown). The default run properties' w:vanish, which
// LibreOffice does not apply, still hides nothing.
func TestDOCXHiddenByDocumentDefaults(t *testing.T) {
	const rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
	body := `<w:body><w:p><w:r><w:t xml:space="preserve">PLAIN </w:t></w:r><w:r><w:rPr><w:vanish w:val="0"/></w:rPr><w:t xml:space="preserve">RUNSHOWN </w:t></w:r>` +
		`<w:r><w:rPr><w:rStyle w:val="Shown"/></w:rPr><w:t>CHARSHOWN</w:t></w:r></w:p>` +
		`<w:p><w:pPr><w:pStyle w:val="ShownParagraph"/></w:pPr><w:r><w:t>PARASHOWN</w:t></w:r></w:p></w:body>`
	styles := `<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>` +
		`<w:style w:type="character" w:styleId="Shown"><w:name w:val="Shown"/><w:rPr><w:vanish w:val="0"/></w:rPr></w:style>` +
		`<w:style w:type="paragraph" w:styleId="ShownParagraph"><w:name w:val="Shown paragraph"/><w:rPr><w:vanish w:val="0"/></w:rPr></w:style>`
	for defaults, want := range map[string]string{
		`<w:pPrDefault><w:pPr><w:rPr><w:vanish/></w:rPr></w:pPr></w:pPrDefault>`: "RUNSHOWN CHARSHOWN\nPARASHOWN\n",
		`<w:rPrDefault><w:rPr><w:vanish/></w:rPr></w:rPrDefault>`:                "PLAIN RUNSHOWN CHARSHOWN\nPARASHOWN\n",
	} {
		data := zipEntries(t,
			[2]string{"[Content_Types].xml", contentTypes},
			[2]string{"_rels/.rels", packageRels(rel+"officeDocument", "word/document.xml")},
			[2]string{"word/_rels/document.xml.rels", `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
				`<Relationship Id="rId1" Type="` + rel + `styles" Target="styles.xml"/></Relationships>`},
			[2]string{"word/document.xml", wordPart("document", body)},
			[2]string{"word/styles.xml", wordPart("styles", `<w:docDefaults>`+defaults+`</w:docDefaults>`+styles)})
		if got, err := Text(DOCXType, data); err != nil || got != want {
			t.Errorf("defaults %s: text %q, %v; want %q", defaults, got, err, want)
		}
	}
}
