package convert_test

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/textract"
)

// partsLetter is a flat OpenDocument letter with text in every place LibreOffice shows beside
// the body, and hidden text it does not show. Every word in capitals is a token that the
// released PDF and the extracted text must both have, or both lack.
const partsLetter = `<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
 office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.text">
 <office:styles>
  <style:style style:name="Secret" style:family="paragraph"><style:text-properties text:display="none"/></style:style>
  <style:style style:name="MoreSecret" style:family="paragraph" style:parent-style-name="Secret"/>
 </office:styles>
 <office:automatic-styles>
  <style:style style:name="H" style:family="text"><style:text-properties text:display="none"/></style:style>
  <style:page-layout style:name="pm1"><style:page-layout-properties fo:page-width="21cm" fo:page-height="29.7cm" fo:margin-top="2cm" fo:margin-bottom="2cm" fo:margin-left="2cm" fo:margin-right="2cm"/></style:page-layout>
 </office:automatic-styles>
 <office:master-styles>
  <style:master-page style:name="Standard" style:page-layout-name="pm1">
   <style:header><text:p>LETTERHEAD MINISTRY</text:p></style:header>
   <style:footer><text:p>FOOTERLINE <text:file-name text:display="full">/home/drafter/draft.odt</text:file-name></text:p></style:footer>
  </style:master-page>
  <style:master-page style:name="Unused" style:page-layout-name="pm1">
   <style:header><text:p>UNUSEDHEADER</text:p></style:header>
  </style:master-page>
 </office:master-styles>
 <office:body><office:text>
  <text:p>BODYSTART Dear Minister, <text:span text:style-name="H">HIDDENSPAN</text:span>we pay NINETHOUSAND euros<text:note text:id="n1" text:note-class="footnote"><text:note-citation>1</text:note-citation><text:note-body><text:p>FOOTNOTETEXT payable TUESDAY</text:p></text:note-body></text:note>.</text:p>
  <text:p text:style-name="MoreSecret">HIDDENPARAGRAPH</text:p>
  <text:section text:name="S1" text:display="none"><text:p>HIDDENSECTION</text:p></text:section>
  <text:p>CLOSING<text:note text:id="n2" text:note-class="endnote"><text:note-citation>i</text:note-citation><text:note-body><text:p>ENDNOTETEXT</text:p></text:note-body></text:note></text:p>
 </office:text></office:body>
</office:document>`

// capitals are the tokens of partsLetter.
var capitals = regexp.MustCompile(`[A-Z]{5,}`)

// TestExtractedTextIsWhatTheLetterShows: the text reviewers diff is textract's, the letter
// released is LibreOffice's conversion. Headers, footers, footnotes and endnotes were not
// extracted at all (a change there was in the released PDF, not in the diff); hidden text
// (text:display none, w:vanish) was extracted though the PDF does not show it; and a file
// name field showed the conversion's temporary directory in the letter, and the file's kept
// text in the diff. The letter, in ODT and as LibreOffice writes it in DOCX, is converted
// here as the server converts it; the words the PDF shows (pdftotext) and those extracted are
// the same, and the file name shown is the neutral one, in both.
func TestExtractedTextIsWhatTheLetterShows(t *testing.T) {
	c := converter(t)
	soffice := requireTool(t, "soffice")
	dir := t.TempDir()
	src := filepath.Join(dir, "parts.fodt")
	if err := os.WriteFile(src, []byte(partsLetter), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, f := range []struct{ ext, filter, mediaType string }{
		{"odt", "odt", textract.ODTType},
		{"docx", "docx:MS Word 2007 XML", textract.DOCXType},
	} {
		cmd := exec.Command(soffice, "-env:UserInstallation=file://"+filepath.Join(dir, "profile"), "--headless", "--norestore",
			"--convert-to", f.filter, "--outdir", dir, src)
		cmd.Env = append(os.Environ(), "HOME="+dir)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("soffice: %v\n%s", err, out)
		}
		data, err := os.ReadFile(filepath.Join(dir, "parts."+f.ext))
		if err != nil {
			t.Fatal(err)
		}
		doc, err := c.ToPDF(context.Background(), f.mediaType, data)
		if err != nil {
			t.Fatal(err)
		}
		shown := run(t, "pdftotext", write(t, "letter.pdf", doc), "-")
		text, err := textract.Text(f.mediaType, data)
		if err != nil {
			t.Fatal(err)
		}
		tokens := func(s string) []string {
			w := capitals.FindAllString(s, -1)
			slices.Sort(w)
			return slices.Compact(w)
		}
		if got, want := tokens(text), tokens(shown); !slices.Equal(got, want) {
			t.Errorf("%s: extracted %q, the PDF shows %q\nextracted:\n%s\nPDF:\n%s", f.ext, got, want, text, shown)
		}
		hidden := []string{"HIDDENSPAN", "HIDDENPARAGRAPH", "UNUSEDHEADER"}
		if f.ext == "odt" {
			// LibreOffice writes a hidden section to DOCX as shown.
			hidden = append(hidden, "HIDDENSECTION")
		}
		for _, hidden := range hidden {
			if strings.Contains(shown, hidden) {
				t.Errorf("%s: the PDF shows %s: the test proves nothing", f.ext, hidden)
			}
		}
		for _, want := range []string{"LETTERHEAD", "FOOTNOTETEXT", "ENDNOTETEXT", "FOOTERLINE"} {
			if !strings.Contains(shown, want) {
				t.Errorf("%s: the PDF lacks %s: the test proves nothing", f.ext, want)
			}
		}
		name := textract.ConvertedDir + "/" + textract.ConvertedName + "." + f.ext
		if !strings.Contains(shown, name) || !strings.Contains(text, name) {
			t.Errorf("%s: the file name field: the PDF shows %q, the text %q; want %q in both", f.ext, shown, text, name)
		}
		if tmp := os.TempDir(); strings.Contains(shown, tmp) || strings.Contains(shown, "chancery-convert") {
			t.Errorf("%s: the PDF shows the temporary directory:\n%s", f.ext, shown)
		}
	}
}

// conditionalLetter holds text shown or hidden by conditions, with a variable and a user
// field: words in capitals ending in SHOWN are in LibreOffice's PDF, those ending in HIDDEN
// are kept in the file but not shown.
const conditionalLetter = `<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:ooow="http://openoffice.org/2004/writer" office:version="1.3"><office:body><office:text>
 <text:variable-decls><text:variable-decl office:value-type="float" text:name="x"/></text:variable-decls>
 <text:user-field-decls><text:user-field-decl office:value-type="float" office:value="1" text:name="u"/></text:user-field-decls>
 <text:p>BODYSHOWN <text:variable-set text:name="x" office:value-type="float" office:value="1">1</text:variable-set></text:p>
 <text:p>PARAGRAPHHIDDEN<text:hidden-paragraph text:condition="ooow:x==1" text:is-hidden="false"/></text:p>
 <text:p>USERFIELDHIDDEN<text:hidden-paragraph text:condition="ooow:u==1"/></text:p>
 <text:p>FALSESHOWN<text:hidden-paragraph text:condition="ooow:1==2"/></text:p>
 <text:p><text:hidden-text text:condition="ooow:1==1" text:string-value="FIELDHIDDEN">FIELDHIDDEN</text:hidden-text> <text:hidden-text text:condition="ooow:1==2" text:string-value="VALUESHOWN">KEPTHIDDEN</text:hidden-text></text:p>
 <text:p><text:conditional-text text:condition="ooow:1==1" text:string-value-if-true="TRUESHOWN" text:string-value-if-false="OTHERHIDDEN" text:current-value="false">OTHERHIDDEN</text:conditional-text></text:p>
 <text:section text:name="S1" text:display="condition" text:condition="ooow:x==1"><text:p>SECTIONHIDDEN</text:p></text:section>
 <text:section text:name="S2" text:display="condition" text:condition="ooow:1==2"><text:p>SECTIONSHOWN</text:p></text:section>
</office:text></office:body></office:document-content>`

// TestConditionalTextIsNotRead: LibreOffice evaluates the conditions of hidden paragraphs,
// hidden text, conditional text and sections as it converts a letter, with its variables and
// user fields, while textract read every such text as the file keeps it: reviewers' diff and
// the version's fingerprint showed paragraphs the released letter does not, and a
// conditional text's kept value instead of the one shown. textract cannot evaluate
// LibreOffice's conditions, so it refuses such a letter (ErrAmbiguous), and an upload of one
// is refused.
func TestConditionalTextIsNotRead(t *testing.T) {
	c := converter(t)
	data := zipOf(t, [][2]string{{"mimetype", textract.ODTType}, {"META-INF/manifest.xml", odtManifest}, {"content.xml", conditionalLetter}})
	doc, err := c.ToPDF(context.Background(), textract.ODTType, data)
	if err != nil {
		t.Fatal(err)
	}
	shown := run(t, "pdftotext", write(t, "letter.pdf", doc), "-")
	for _, token := range capitals.FindAllString(conditionalLetter, -1) {
		switch {
		case strings.HasSuffix(token, "SHOWN") && !strings.Contains(shown, token):
			t.Errorf("the PDF lacks %s: the test proves nothing\n%s", token, shown)
		case strings.HasSuffix(token, "HIDDEN") && strings.Contains(shown, token):
			t.Errorf("the PDF shows %s: the test proves nothing\n%s", token, shown)
		}
	}
	if text, err := textract.Text(textract.ODTType, data); !errors.Is(err, textract.ErrAmbiguous) {
		t.Errorf("textract: %q, %v; want ErrAmbiguous", text, err)
	}
}

// TestDocumentDefaultsHiddenAsShown: a Word letter whose defaults hide text (w:docDefaults)
// is read as LibreOffice shows it. LibreOffice 7.4 hides text by the paragraph mark's run
// properties of the defaults (w:pPrDefault), unless a style or the run shows it again, and
// does not hide it by the default run properties (w:rPrDefault); textract read both whole.
func TestDocumentDefaultsHiddenAsShown(t *testing.T) {
	c := converter(t)
	const rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
	const w = `xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"`
	body := `<w:p><w:r><w:t xml:space="preserve">PLAIN </w:t></w:r><w:r><w:rPr><w:vanish w:val="0"/></w:rPr><w:t xml:space="preserve">RUNSHOWN </w:t></w:r>` +
		`<w:r><w:rPr><w:rStyle w:val="Shown"/></w:rPr><w:t>CHARSHOWN</w:t></w:r></w:p>` +
		`<w:p><w:pPr><w:pStyle w:val="ShownParagraph"/></w:pPr><w:r><w:t>PARASHOWN</w:t></w:r></w:p>`
	styles := `<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>` +
		`<w:style w:type="character" w:styleId="Shown"><w:name w:val="Shown"/><w:rPr><w:vanish w:val="0"/></w:rPr></w:style>` +
		`<w:style w:type="paragraph" w:styleId="ShownParagraph"><w:name w:val="Shown paragraph"/><w:rPr><w:vanish w:val="0"/></w:rPr></w:style>`
	for defaults, plain := range map[string]bool{
		`<w:pPrDefault><w:pPr><w:rPr><w:vanish/></w:rPr></w:pPr></w:pPrDefault>`: false,
		`<w:rPrDefault><w:rPr><w:vanish/></w:rPr></w:rPrDefault>`:                true,
	} {
		data := zipOf(t, [][2]string{
			{"[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>` +
				`<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/></Types>`},
			{"_rels/.rels", `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="` + rel + `officeDocument" Target="word/document.xml"/></Relationships>`},
			{"word/_rels/document.xml.rels", `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="` + rel + `styles" Target="styles.xml"/></Relationships>`},
			{"word/document.xml", `<?xml version="1.0" encoding="UTF-8"?><w:document ` + w + `><w:body>` + body + `</w:body></w:document>`},
			{"word/styles.xml", `<?xml version="1.0" encoding="UTF-8"?><w:styles ` + w + `><w:docDefaults>` + defaults + `</w:docDefaults>` + styles + `</w:styles>`},
		})
		doc, err := c.ToPDF(context.Background(), textract.DOCXType, data)
		if err != nil {
			t.Fatal(err)
		}
		shown := run(t, "pdftotext", write(t, "letter.pdf", doc), "-")
		text, err := textract.Text(textract.DOCXType, data)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(shown, "PLAIN") != plain || !strings.Contains(shown, "PARASHOWN") {
			t.Errorf("%s: the PDF shows %q: the test proves nothing", defaults, shown)
		}
		if got, want := capitals.FindAllString(text, -1), capitals.FindAllString(shown, -1); !slices.Equal(got, want) {
			t.Errorf("%s: extracted %q, the PDF shows %q", defaults, got, want)
		}
	}
}
