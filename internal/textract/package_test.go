package textract

import (
	"archive/zip"
	"bytes"
	"errors"
	"testing"
)

// zipEntries builds a zip archive of the given entries, in order, names repeated as given.
func zipEntries(t testing.TB, entries ...[2]string) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for _, e := range entries {
		// Empty entries are stored: a compressor for each costs 1 MB of zeroed state, which
		// made 100,000 of them take minutes under the race detector.
		m := zip.Deflate
		if e[0] == "mimetype" || e[1] == "" {
			m = zip.Store
		}
		w, err := zw.CreateHeader(&zip.FileHeader{Name: e[0], Method: m})
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(e[1]))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// wordBody is a Word main part in namespace ns whose one paragraph says text.
func wordBody(ns, text string) string {
	return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="` + ns +
		`"><w:body><w:p><w:r><w:t>` + text + `</w:t></w:r></w:p></w:body></w:document>`
}

// packageRels is a package's _rels/.rels naming its main part target, with relationship type typ.
func packageRels(typ, target string) string {
	return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
		`<Relationship Id="rId1" Type="` + typ + `" Target="` + target + `"/></Relationships>`
}

const contentTypes = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
	`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
	`<Default Extension="xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`

// TestDOCXReadsTheDocumentLibreOfficeShows: a Word document's body is the part its package
// relationships name, which LibreOffice converts and Word shows; the text was read from
// word/document.xml whatever they named, and was empty for a Strict Office Open XML
// document. A drafter could so upload a revision whose version diff, shown to the reviewers,
// and whose text, which identification compares, were those of a decoy part ("PAY 1000
// EUROS") while the letter converted for release said "PAY 9000 EUROS" (checked with
// LibreOffice 7.4: it follows the relationship, first one first, names compared exactly,
// an absolute target or one with ".." resolved).
func TestDOCXReadsTheDocumentLibreOfficeShows(t *testing.T) {
	const transitional = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
	for name, c := range map[string]struct {
		data []byte
		want string
	}{
		"relationship to another part": {zipEntries(t,
			[2]string{"[Content_Types].xml", contentTypes},
			[2]string{"_rels/.rels", packageRels(transitional, "word/real.xml")},
			[2]string{"word/real.xml", wordBody(wordNS, "PAY 9000 EUROS")},
			[2]string{"word/document.xml", wordBody(wordNS, "PAY 1000 EUROS")}), "PAY 9000 EUROS\n"},
		"absolute target": {zipEntries(t,
			[2]string{"[Content_Types].xml", contentTypes},
			[2]string{"_rels/.rels", packageRels(transitional, "/x/../word/real.xml")},
			[2]string{"word/real.xml", wordBody(wordNS, "PAY 9000 EUROS")},
			[2]string{"word/document.xml", wordBody(wordNS, "PAY 1000 EUROS")}), "PAY 9000 EUROS\n"},
		"strict": {zipEntries(t,
			[2]string{"[Content_Types].xml", contentTypes},
			[2]string{"_rels/.rels", packageRels("http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument", "word/document.xml")},
			[2]string{"word/document.xml", wordBody(strictWordNS, "PAY 9000 EUROS")}), "PAY 9000 EUROS\n"},
		"no relationships": {zipEntries(t,
			[2]string{"[Content_Types].xml", contentTypes},
			[2]string{"word/document.xml", wordBody(wordNS, "Dear Minister,")}), "Dear Minister,\n"},
	} {
		got, err := Text(DOCXType, c.data)
		if err != nil {
			t.Errorf("%s: %v", name, err)
		} else if got != c.want {
			t.Errorf("%s: text %q, want %q", name, got, c.want)
		}
	}
	missing := zipEntries(t, [2]string{"_rels/.rels", packageRels(transitional, "word/REAL.xml")},
		[2]string{"word/real.xml", wordBody(wordNS, "PAY 9000 EUROS")}, [2]string{"word/document.xml", wordBody(wordNS, "PAY 1000 EUROS")})
	if got, err := Text(DOCXType, missing); err == nil {
		t.Errorf("a document whose main part is missing (names are compared exactly) gave %q", got)
	}
	external := zipEntries(t, [2]string{"_rels/.rels", `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
		`<Relationship Id="rId1" Type="` + transitional + `" Target="file:///etc/passwd" TargetMode="External"/></Relationships>`},
		[2]string{"word/document.xml", wordBody(wordNS, "PAY 1000 EUROS")})
	if got, err := Text(DOCXType, external); !errors.Is(err, ErrAmbiguous) {
		t.Errorf("a document whose main part is outside the file: %q, %v", got, err)
	}
}

// TestDuplicateEntriesRefused: a Word or OpenDocument archive may hold two entries of one
// name; LibreOffice converts the last, the text was read from the first (checked with
// LibreOffice 7.4), so the text the reviewers' diff and identification read was not the
// letter's. Such archives are refused.
func TestDuplicateEntriesRefused(t *testing.T) {
	for name, c := range map[string]struct {
		mediaType string
		data      []byte
	}{
		"docx": {DOCXType, zipEntries(t,
			[2]string{"word/document.xml", wordBody(wordNS, "PAY 1000 EUROS")},
			[2]string{"word/document.xml", wordBody(wordNS, "PAY 9000 EUROS")})},
		"docx relationships": {DOCXType, zipEntries(t,
			[2]string{"_rels/.rels", packageRels("http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument", "word/document.xml")},
			[2]string{"_rels/.rels", packageRels("http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument", "word/real.xml")},
			[2]string{"word/document.xml", wordBody(wordNS, "PAY 1000 EUROS")},
			[2]string{"word/real.xml", wordBody(wordNS, "PAY 9000 EUROS")})},
		"odt": {ODTType, zipEntries(t, [2]string{"mimetype", ODTType},
			[2]string{"content.xml", odtHead + `<text:p>PAY 1000 EUROS</text:p>` + odtTail},
			[2]string{"content.xml", odtHead + `<text:p>PAY 9000 EUROS</text:p>` + odtTail})},
	} {
		if got, err := Text(c.mediaType, c.data); !errors.Is(err, ErrAmbiguous) {
			t.Errorf("%s: text %q, error %v; want ErrAmbiguous", name, got, err)
		}
	}
}

// TestDOCXHyphensAndSymbolsRead: Word draws a non-breaking hyphen (w:noBreakHyphen) and a
// symbol (w:sym, any character by its code) as elements, not text, and LibreOffice converts
// them into the letter; the text left them out, so a minus sign put before an amount that
// way ("-5%", "−5%") showed in the letter but not in the reviewers' version diff, which read
// "5%" (checked with LibreOffice 7.4).
func TestDOCXHyphensAndSymbolsRead(t *testing.T) {
	doc := docx(t, `<w:p><w:r><w:t xml:space="preserve">Budget change: </w:t><w:noBreakHyphen/><w:t>5%</w:t></w:r></w:p>`+
		`<w:p><w:r><w:t xml:space="preserve">Staff change: </w:t><w:sym w:font="Arial" w:char="2212"/><w:t>3%</w:t><w:sym w:font="Arial" w:char="zz"/><w:sym w:font="Arial" w:char="0007"/></w:r></w:p>`)
	got, err := Text(DOCXType, doc)
	if err != nil {
		t.Fatal(err)
	}
	if want := "Budget change: -5%\nStaff change: \u22123%\n"; got != want {
		t.Fatalf("text %q, want %q", got, want)
	}
}

// TestODTFieldsReadAsShown: an OpenDocument user field or variable keeps a text inside its
// element, but LibreOffice shows the value its declaration or setting gives; the text read
// was the kept one, so a drafter could upload a revision whose version diff, shown to the
// reviewers, read "PAY 1000 EUROS" where the converted letter said "PAY 9000 EUROS" (checked
// with LibreOffice 7.4).
func TestODTFieldsReadAsShown(t *testing.T) {
	doc := odt(t, `<text:user-field-decls><text:user-field-decl office:value-type="string" office:string-value="PAY 9000 EUROS" text:name="amount"/>`+
		`<text:user-field-decl office:value-type="float" office:value="9000" text:name="sum"/></text:user-field-decls>`+
		`<text:variable-decls><text:variable-decl office:value-type="string" text:name="v"/></text:variable-decls>`+
		`<text:p>A <text:user-field-get text:name="amount">PAY 1000 EUROS</text:user-field-get>, <text:user-field-get text:name="sum">1000</text:user-field-get></text:p>`+
		`<text:p><text:variable-set text:name="v" office:value-type="string" office:string-value="PAY 9000 EUROS">PAY 1000 EUROS</text:variable-set></text:p>`+
		`<text:p>B <text:variable-get text:name="v">PAY 1000 EUROS</text:variable-get></text:p>`)
	got, err := Text(ODTType, doc)
	if err != nil {
		t.Fatal(err)
	}
	if want := "A PAY 9000 EUROS, 9000\nPAY 9000 EUROS\nB PAY 9000 EUROS\n"; got != want {
		t.Fatalf("text %q, want %q", got, want)
	}
}

// wordField is a paragraph holding a complex field of instruction instr whose kept result is
// cached.
func wordField(instr, cached string) string {
	return `<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> ` + instr +
		` </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>` + cached +
		`</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>`
}

// propertyFieldsDOCX is a Word document whose fields show its core properties (docProps/core.xml),
// each keeping a result that says otherwise, and a field LibreOffice shows as kept (AUTHOR).
func propertyFieldsDOCX(t *testing.T) []byte {
	rels := `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
		`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>` +
		`<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/></Relationships>`
	core := `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" ` +
		`xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>PAY 9000 EUROS</dc:title><dc:subject>TO ACME</dc:subject><dc:description>BY FRIDAY</dc:description></cp:coreProperties>`
	body := wordField("TITLE", "PAY 1000 EUROS") + wordField(`DOCPROPERTY "Subject"`, "TO NOBODY") + wordField("COMMENTS", "BY MONDAY") +
		wordField("AUTHOR", "Dana") + `<w:p><w:fldSimple w:instr=" title "><w:r><w:t>PAY 1000 EUROS</w:t></w:r></w:fldSimple><w:r><w:t xml:space="preserve"> end</w:t></w:r></w:p>`
	return zipEntries(t, [2]string{"[Content_Types].xml", contentTypes}, [2]string{"_rels/.rels", rels}, [2]string{"docProps/core.xml", core},
		[2]string{"word/document.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="` + wordNS + `"><w:body>` + body + `</w:body></w:document>`})
}

// TestDOCXPropertyFieldsReadAsShown: a Word field showing one of the document's properties
// (TITLE, SUBJECT, KEYWORDS, COMMENTS, DOCPROPERTY of them) keeps a result in the file, but
// LibreOffice shows the property; the text read was the kept result, so the reviewers' diff
// and identification read "PAY 1000 EUROS" where the converted letter said "PAY 9000 EUROS"
// (checked with LibreOffice 7.4).
func TestDOCXPropertyFieldsReadAsShown(t *testing.T) {
	got, err := Text(DOCXType, propertyFieldsDOCX(t))
	if err != nil {
		t.Fatal(err)
	}
	if want := "PAY 9000 EUROS\nTO ACME\nBY FRIDAY\nDana\nPAY 9000 EUROS end\n"; got != want {
		t.Fatalf("text %q, want %q", got, want)
	}
}

// metadataFieldsODT is an OpenDocument text whose fields show its metadata (meta.xml), each
// keeping a text that says otherwise.
func metadataFieldsODT(t *testing.T) []byte {
	content := odtHead + `<text:p>T <text:title>PAY 1000 EUROS</text:title></text:p><text:p>S <text:subject>TO NOBODY</text:subject></text:p>` +
		`<text:p>D <text:description>BY MONDAY</text:description></text:p><text:p>K <text:keywords>none</text:keywords></text:p>` +
		`<text:p>U <text:user-defined text:name="Amount">1000</text:user-defined></text:p>` + odtTail
	meta := `<?xml version="1.0" encoding="UTF-8"?><office:document-meta xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" ` +
		`xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" xmlns:dc="http://purl.org/dc/elements/1.1/" office:version="1.3"><office:meta>` +
		`<dc:title>PAY 9000 EUROS</dc:title><dc:subject>TO ACME</dc:subject><dc:description>BY FRIDAY</dc:description><meta:keyword>urgent</meta:keyword><meta:keyword>payment</meta:keyword>` +
		`<meta:user-defined meta:name="Amount">9000</meta:user-defined></office:meta></office:document-meta>`
	manifest := `<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">` +
		`<manifest:file-entry manifest:full-path="/" manifest:media-type="` + ODTType + `"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>` +
		`<manifest:file-entry manifest:full-path="meta.xml" manifest:media-type="text/xml"/></manifest:manifest>`
	return zipEntries(t, [2]string{"mimetype", ODTType}, [2]string{"META-INF/manifest.xml", manifest}, [2]string{"content.xml", content}, [2]string{"meta.xml", meta})
}

// TestODTMetadataFieldsReadAsShown: an OpenDocument field showing the document's metadata
// (text:title, text:subject, text:description, text:keywords, text:user-defined) keeps a text
// in the file, but LibreOffice shows the metadata; the text read was the kept one (checked
// with LibreOffice 7.4).
func TestODTMetadataFieldsReadAsShown(t *testing.T) {
	got, err := Text(ODTType, metadataFieldsODT(t))
	if err != nil {
		t.Fatal(err)
	}
	if want := "T PAY 9000 EUROS\nS TO ACME\nD BY FRIDAY\nK urgent, payment\nU 9000\n"; got != want {
		t.Fatalf("text %q, want %q", got, want)
	}
}

// instructionFieldsDOCX is a Word document with fields that LibreOffice shows from their
// instructions: a MACROBUTTON's text, in place of its kept result, and a SYMBOL's character
// (a minus sign), before it.
func instructionFieldsDOCX(t *testing.T) []byte {
	body := `<w:p><w:r><w:t xml:space="preserve">Pay </w:t></w:r></w:p>` + wordField("MACROBUTTON NoMacro 9000 EUROS", "1000 EUROS") +
		`<w:p><w:r><w:t xml:space="preserve">Change: </w:t></w:r><w:fldSimple w:instr=" SYMBOL 8722 "><w:r><w:t>5%</w:t></w:r></w:fldSimple></w:p>`
	return zipEntries(t, [2]string{"[Content_Types].xml", contentTypes},
		[2]string{"_rels/.rels", packageRels("http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument", "word/document.xml")},
		[2]string{"word/document.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="` + wordNS + `"><w:body>` + body + `</w:body></w:document>`})
}

// TestDOCXInstructionFieldsReadAsShown: LibreOffice shows a MACROBUTTON field's text from its
// instruction, whatever result the file keeps, and a SYMBOL field's character before that
// result; the text read was the kept result alone, so "1000 EUROS" where the letter said
// "9000 EUROS", and "5%" where it said "−5%" (checked with LibreOffice 7.4).
func TestDOCXInstructionFieldsReadAsShown(t *testing.T) {
	got, err := Text(DOCXType, instructionFieldsDOCX(t))
	if err != nil {
		t.Fatal(err)
	}
	if want := "Pay \n9000 EUROS\nChange: \u22125%\n"; got != want {
		t.Fatalf("text %q, want %q", got, want)
	}
}
