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
		shown, text := shownAndRead(t, c, f.mediaType, data)
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
		shown, text := shownAndRead(t, c, textract.DOCXType, data)
		if strings.Contains(shown, "PLAIN") != plain || !strings.Contains(shown, "PARASHOWN") {
			t.Errorf("%s: the PDF shows %q: the test proves nothing", defaults, shown)
		}
		if got, want := capitals.FindAllString(text, -1), capitals.FindAllString(shown, -1); !slices.Equal(got, want) {
			t.Errorf("%s: extracted %q, the PDF shows %q", defaults, got, want)
		}
	}
}

// TestAlternateContentAsShown: of a Word letter's mc:AlternateContent, LibreOffice shows one
// branch, a choice it supports or else the fallback, and textract read every branch, so
// reviewers approved words the released letter does not show. Every word in capitals is in
// both the PDF and the extracted text, or in neither.
func TestAlternateContentAsShown(t *testing.T) {
	c := converter(t)
	const mc = `xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"`
	body := `<w:p ` + mc + `><w:r><w:t xml:space="preserve">We will </w:t></w:r><mc:AlternateContent><mc:Choice Requires="w15"><w:r><w:t xml:space="preserve">NOT </w:t></w:r></mc:Choice>` +
		`<mc:Fallback><w:r><w:t xml:space="preserve">CERTAINLY </w:t></w:r></mc:Fallback></mc:AlternateContent><w:r><w:t xml:space="preserve">PAY </w:t></w:r>` +
		`<mc:AlternateContent><mc:Choice Requires="w14"><w:r><w:t xml:space="preserve">NINETHOUSAND </w:t></w:r></mc:Choice><mc:Fallback><w:r><w:t xml:space="preserve">ONETHOUSAND </w:t></w:r></mc:Fallback></mc:AlternateContent>` +
		`<w:r><w:t>euros.</w:t></w:r></w:p>` +
		`<w:p ` + mc + `><w:r><mc:Choice Requires="w14"><w:t xml:space="preserve">STRAYCHOICE </w:t></mc:Choice><mc:Fallback><w:t>RUNFALLBACK</w:t></mc:Fallback></w:r>` +
		`<mc:Fallback><w:r><w:t>PARAFALLBACK</w:t></w:r></mc:Fallback></w:p>`
	data := docxWith(t, body, "")
	shown, text := shownAndRead(t, c, textract.DOCXType, data)
	tokens := func(s string) []string {
		w := capitals.FindAllString(s, -1)
		slices.Sort(w)
		return slices.Compact(w)
	}
	if got, want := tokens(text), tokens(shown); !slices.Equal(got, want) {
		t.Errorf("extracted %q, the PDF shows %q\nextracted:\n%s\nPDF:\n%s", got, want, text, shown)
	}
	for _, w := range []string{"NOT", "ONETHOUSAND", "RUNFALLBACK"} {
		if strings.Contains(shown, w) {
			t.Errorf("the PDF shows %s: the test proves nothing", w)
		}
	}
}

// TestDrawingTextAsShown: an OpenDocument letter's pictures, frames and shapes keep text that
// LibreOffice does not show (a picture's title and description, its bytes, text in a frame or
// text box outside its paragraphs), which textract read with the paragraph holding the
// picture, so reviewers approved words the released letter does not show. Every word in
// capitals is in both the PDF and the extracted text, or in neither.
func TestDrawingTextAsShown(t *testing.T) {
	c := converter(t)
	frame := func(inner string) string {
		return `<draw:frame draw:name="F" text:anchor-type="as-char" svg:width="4cm" svg:height="1cm">` + inner + `</draw:frame>`
	}
	body := `<text:p xmlns:x="urn:example:x">We will <svg:desc>DESCINPARA</svg:desc> ` + frame(`<svg:title>NOT</svg:title><x:foo>FRFOREIGN</x:foo>FRCHARS<draw:text-box>BOXCHARS<text:span>BOXSPAN</text:span><text:p>BOXPARA <svg:desc>BOXPARADESC</svg:desc></text:p></draw:text-box>`) +
		` PAY <draw:foo>UNKNOWNDRAWING</draw:foo> <x:foo>FOREIGN</x:foo></text:p>` +
		`<text:p>` + frame(`<draw:image><office:binary-data>`+letterhead(t)+`</office:binary-data><text:p>IMGPARA</text:p><svg:desc>IMGDESC</svg:desc></draw:image>`) + ` IMAGE</text:p>` +
		`<text:p><draw:custom-shape draw:name="S" text:anchor-type="as-char" svg:width="4cm" svg:height="1cm"><svg:title>SHAPETITLE</svg:title>` +
		`<text:p>SHAPEPARA</text:p><draw:enhanced-geometry svg:viewBox="0 0 21600 21600" draw:type="rectangle"/></draw:custom-shape> SHAPE</text:p>`
	data := odtAuto(t, body, "")
	shown, text := shownAndRead(t, c, textract.ODTType, data)
	tokens := func(s string) []string {
		w := capitals.FindAllString(s, -1)
		slices.Sort(w)
		return slices.Compact(w)
	}
	if got, want := tokens(text), tokens(shown); !slices.Equal(got, want) {
		t.Errorf("extracted %q, the PDF shows %q\nextracted:\n%s\nPDF:\n%s", got, want, text, shown)
	}
	for _, w := range []string{"BOXPARA", "SHAPEPARA", "UNKNOWNDRAWING", "FOREIGN"} {
		if !strings.Contains(shown, w) {
			t.Errorf("the PDF lacks %s: the test proves nothing", w)
		}
	}
}

// TestNumberingAsShown: LibreOffice draws the labels of a Word letter's numbered paragraphs
// ("1.", "2.a)", and whatever words a level's text holds: "Article IV", "we do not agree to"),
// also through a numbering style's link, before their text, and textract read none of them, so a list level could add words to the
// released letter that reviewers never saw. The letter's words, labels included, are the
// same in the PDF and in the extracted text, in order.
func TestNumberingAsShown(t *testing.T) {
	c := converter(t)
	const w = `xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"`
	np := func(num, lvl, text string) string {
		return `<w:p><w:pPr><w:numPr><w:ilvl w:val="` + lvl + `"/><w:numId w:val="` + num + `"/></w:numPr></w:pPr><w:r><w:t>` + text + `</w:t></w:r></w:p>`
	}
	styled := func(style, text string) string {
		return `<w:p><w:pPr><w:pStyle w:val="` + style + `"/></w:pPr><w:r><w:t>` + text + `</w:t></w:r></w:p>`
	}
	lvl := func(i, start, format, text, extra string) string {
		return `<w:lvl w:ilvl="` + i + `"><w:start w:val="` + start + `"/><w:numFmt w:val="` + format + `"/><w:lvlText w:val="` + text + `"/>` + extra + `</w:lvl>`
	}
	numbering := `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:numbering ` + w + `>` +
		`<w:abstractNum w:abstractNumId="0">` + lvl("0", "1", "decimal", "%1.", "") + lvl("1", "1", "lowerLetter", "%1.%2)", "") +
		lvl("2", "4", "upperRoman", "Article %3 we do not agree to", `<w:suff w:val="space"/>`) + `</w:abstractNum>` +
		`<w:abstractNum w:abstractNumId="1">` + lvl("0", "1", "bullet", "•", "") + lvl("1", "1", "none", "Noted:", `<w:suff w:val="space"/>`) +
		lvl("2", "1", "decimal", "%1 hidden?", `<w:rPr><w:vanish/></w:rPr>`) + `</w:abstractNum>` +
		`<w:abstractNum w:abstractNumId="2">` + lvl("0", "7", "decimalZero", "%1-", `<w:suff w:val="nothing"/>`) + lvl("1", "1", "upperLetter", "%2.", "") +
		lvl("2", "1", "lowerRoman", "%1/%2/%3.", "") + `</w:abstractNum>` +
		`<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num><w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>` +
		`<w:num w:numId="3"><w:abstractNumId w:val="2"/></w:num><w:num w:numId="4"><w:abstractNumId w:val="0"/></w:num>` +
		`<w:num w:numId="5"><w:abstractNumId w:val="0"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="20"/></w:lvlOverride></w:num>` +
		`<w:abstractNum w:abstractNumId="3"><w:numStyleLink w:val="MyList"/></w:abstractNum>` +
		`<w:abstractNum w:abstractNumId="4"><w:styleLink w:val="MyList"/>` + lvl("0", "1", "decimal", "Linked NOT %1.", "") + `</w:abstractNum>` +
		`<w:num w:numId="6"><w:abstractNumId w:val="2"/></w:num><w:num w:numId="7"><w:abstractNumId w:val="3"/></w:num><w:num w:numId="8"><w:abstractNumId w:val="4"/></w:num></w:numbering>`
	styles := `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:styles ` + w + `><w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>` +
		`<w:style w:type="paragraph" w:styleId="ListNum"><w:name w:val="List Num"/><w:pPr><w:numPr><w:numId w:val="3"/></w:numPr></w:pPr></w:style>` +
		`<w:style w:type="paragraph" w:styleId="ListNum2"><w:name w:val="List Num 2"/><w:basedOn w:val="ListNum"/><w:pPr><w:numPr><w:ilvl w:val="1"/></w:numPr></w:pPr></w:style>` +
		`<w:style w:type="paragraph" w:styleId="Hid"><w:name w:val="Hid"/><w:rPr><w:vanish/></w:rPr></w:style>` +
		`<w:style w:type="numbering" w:styleId="MyList"><w:name w:val="My List"/><w:pPr><w:numPr><w:numId w:val="8"/></w:numPr></w:pPr></w:style></w:styles>`
	body := np("6", "2", "first") + np("1", "0", "one") + np("1", "0", "two") + np("1", "1", "twoa") + np("1", "1", "twob") + np("1", "2", "deep") +
		np("1", "0", "three") + np("1", "1", "threea") + np("2", "0", "bullet") + np("2", "1", "none") + np("2", "2", "label") +
		np("3", "0", "zero") + np("4", "0", "shared") + np("5", "0", "override") + np("1", "0", "continued") +
		styled("ListNum", "bystyle") + styled("ListNum", "bystyle2") + styled("ListNum2", "basedon") +
		`<w:p><w:pPr><w:pStyle w:val="ListNum"/><w:numPr><w:numId w:val="0"/></w:numPr></w:pPr><w:r><w:t>unnumbered</w:t></w:r></w:p>` +
		`<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr><w:r><w:rPr><w:vanish/></w:rPr><w:t>HIDDEN</w:t></w:r></w:p>` +
		np("1", "0", "afterhidden") + `<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr></w:p>` + np("1", "0", "afterempty") +
		`<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr><w:r><w:rPr><w:vanish/></w:rPr><w:t>HALF</w:t></w:r><w:r><w:t>shownhalf</w:t></w:r></w:p>` +
		`<w:p><w:pPr><w:pStyle w:val="Hid"/><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr><w:r><w:t>STYLEHIDDEN</w:t></w:r></w:p>` +
		np("1", "0", "afterstylehidden") + np("99", "0", "nosuchnumbering") + np("7", "0", "bystylelink") + np("8", "0", "linkedstyle")
	const rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
	data := zipOf(t, [][2]string{
		{"[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/numbering.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/></Types>`},
		{"_rels/.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="` + rel + `officeDocument" Target="word/document.xml"/></Relationships>`},
		{"word/_rels/document.xml.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="` + rel + `numbering" Target="numbering.xml"/><Relationship Id="rId2" Type="` + rel + `styles" Target="styles.xml"/></Relationships>`},
		{"word/document.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document ` + w + `><w:body>` + body + `</w:body></w:document>`},
		{"word/numbering.xml", numbering},
		{"word/styles.xml", styles},
	})
	shown, text := shownAndRead(t, c, textract.DOCXType, data)
	if got, want := strings.Fields(text), strings.Fields(shown); !slices.Equal(got, want) {
		t.Errorf("extracted %q,\nthe PDF shows %q\nextracted:\n%s\nPDF:\n%s", got, want, text, shown)
	}
	for _, w := range []string{"Article IV we do not agree to", "Noted:", "07/A/i.", "20.", "Linked NOT 2."} {
		if !strings.Contains(shown, w) {
			t.Errorf("the PDF lacks %q: the test proves nothing", w)
		}
	}
}

// TestListLabelsAsShown: LibreOffice draws the labels of an OpenDocument letter's list items
// and numbered headings ("1.", "2.a)", "•", and whatever words a level's prefix and suffix
// hold) before their text, and textract read none of them, so a list style could add words to the released letter
// that reviewers never saw. The letter's text, labels included, is the same in the PDF and
// in the extracted text (white space aside: pdftotext drops the tab after a label).
func TestListLabelsAsShown(t *testing.T) {
	c := converter(t)
	styles := `<office:automatic-styles><text:list-style style:name="L1">` +
		`<text:list-level-style-number text:level="1" style:num-prefix="We do NOT " style:num-suffix="." style:num-format="1"/>` +
		`<text:list-level-style-number text:level="2" style:num-suffix=")" style:num-format="a" text:display-levels="2"/>` +
		`<text:list-level-style-number text:level="3" style:num-format="I" text:start-value="4"/></text:list-style>` +
		`<text:list-style style:name="L2"><text:list-level-style-bullet text:level="1" text:bullet-char="•"/>` +
		`<text:list-level-style-bullet text:level="2" text:bullet-char="x" style:num-prefix="PRE" style:num-suffix="SUF"/></text:list-style>` +
		`<style:style style:name="PL" style:family="paragraph" style:list-style-name="L1"/></office:automatic-styles>`
	body := `<text:list text:style-name="L1"><text:list-item><text:p>one</text:p></text:list-item><text:list-item><text:p>two</text:p>` +
		`<text:list><text:list-item><text:p>twoa</text:p></text:list-item><text:list-item><text:p>twob</text:p><text:list><text:list-item><text:p>deep</text:p></text:list-item></text:list></text:list-item></text:list>` +
		`</text:list-item><text:list-header><text:p>header</text:p></text:list-header><text:list-item><text:p>three</text:p></text:list-item></text:list>` +
		`<text:list text:style-name="L1"><text:list-item><text:p>newlist</text:p></text:list-item></text:list>` +
		`<text:list text:style-name="L1" text:continue-numbering="true"><text:list-item><text:p>continued</text:p></text:list-item></text:list>` +
		`<text:list text:style-name="L1"><text:list-item text:start-value="9"><text:p>startnine</text:p></text:list-item></text:list>` +
		`<text:list text:style-name="L2"><text:list-item><text:p>bullet</text:p><text:list><text:list-item><text:p>bullet2</text:p></text:list-item></text:list></text:list-item></text:list>` +
		`<text:list text:style-name="L1"><text:list-item><text:p>a</text:p><text:p>secondpara</text:p></text:list-item></text:list>` +
		`<text:p text:style-name="PL">notinlist</text:p>` +
		`<text:h text:outline-level="1">First</text:h><text:h text:outline-level="2">Sub</text:h><text:h text:outline-level="1" text:is-list-header="true">Unnumbered</text:h><text:h text:outline-level="1">Second</text:h>`
	outline := `<?xml version="1.0" encoding="UTF-8"?>
<office:document-styles xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" office:version="1.3">` +
		`<office:styles><text:outline-style style:name="Outline"><text:outline-level-style text:level="1" style:num-prefix="OUTLINE NOT " style:num-suffix="." style:num-format="1"/>` +
		`<text:outline-level-style text:level="2" style:num-format="a" text:display-levels="2"/></text:outline-style></office:styles></office:document-styles>`
	content := `<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" office:version="1.3">` + styles + `<office:body><office:text>` + body + `</office:text></office:body></office:document-content>`
	man := strings.Replace(odtManifest, "</manifest:manifest>", ` <manifest:file-entry manifest:full-path="styles.xml" manifest:media-type="text/xml"/>
</manifest:manifest>`, 1)
	data := zipOf(t, [][2]string{{"mimetype", textract.ODTType}, {"META-INF/manifest.xml", man}, {"content.xml", content}, {"styles.xml", outline}})
	shown, text := shownAndRead(t, c, textract.ODTType, data)
	if got, want := strings.Join(strings.Fields(text), ""), strings.Join(strings.Fields(shown), ""); got != want {
		t.Errorf("extracted %q,\nthe PDF shows %q\nextracted:\n%s\nPDF:\n%s", got, want, text, shown)
	}
	if !strings.Contains(shown, "We do NOT 2.two") || !strings.Contains(shown, "OUTLINE NOT 2.") {
		t.Errorf("the PDF lacks a label: the test proves nothing\n%s", shown)
	}
}

// TestTrackedChangesAsShown: LibreOffice converts a letter with tracked changes as it shows
// them, marked, the deleted text struck through but there, which textract left out: the
// released letter showed words ("NOTPAYING") reviewers never saw. textract refuses such a
// letter; a Word letter whose settings hide the changes (w:revisionView w:insDel or w:markup
// off) is converted without them, and read as shown.
func TestTrackedChangesAsShown(t *testing.T) {
	c := converter(t)
	body := `<w:p><w:r><w:t xml:space="preserve">We will </w:t></w:r><w:del w:id="1" w:author="a" w:date="2020-01-01T00:00:00Z"><w:r><w:delText xml:space="preserve">NOTPAYING </w:delText></w:r></w:del>` +
		`<w:ins w:id="2" w:author="a" w:date="2020-01-01T00:00:00Z"><w:r><w:t xml:space="preserve">GLADLY </w:t></w:r></w:ins><w:r><w:t>PAY.</w:t></w:r></w:p>`
	const rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
	word := func(settings string) []byte {
		return zipOf(t, [][2]string{
			{"[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/></Types>`},
			{"_rels/.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="` + rel + `officeDocument" Target="word/document.xml"/></Relationships>`},
			{"word/_rels/document.xml.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="` + rel + `settings" Target="settings.xml"/></Relationships>`},
			{"word/document.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>` + body + `</w:body></w:document>`},
			{"word/settings.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:settings xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">` + settings + `</w:settings>`},
		})
	}
	odt := odtAuto(t, `<text:tracked-changes><text:changed-region text:id="c1"><text:deletion><text:p>NOTPAYING</text:p></text:deletion></text:changed-region></text:tracked-changes>`+
		`<text:p>We will <text:change text:change-id="c1"/>PAY.</text:p>`, "")
	for _, k := range []struct {
		name, mediaType string
		data            []byte
		shown           bool
	}{
		{"docx", textract.DOCXType, word(""), true},
		{"docx, markup off", textract.DOCXType, word(`<w:revisionView w:markup="0"/>`), false},
		{"odt", textract.ODTType, odt, true},
		{"docx, changes hidden", textract.DOCXType, word(`<w:revisionView w:insDel="0"/>`), false},
	} {
		doc, err := c.ToPDF(context.Background(), k.mediaType, k.data)
		if err != nil {
			t.Fatal(err)
		}
		shown := run(t, "pdftotext", write(t, "letter.pdf", doc), "-")
		if got := strings.Contains(shown, "NOTPAYING"); got != k.shown {
			t.Errorf("%s: the PDF shows the deleted text: %v, want %v:\n%s", k.name, got, k.shown, shown)
		}
		text, err := textract.Text(k.mediaType, k.data)
		switch {
		case k.shown && !errors.Is(err, textract.ErrAmbiguous):
			t.Errorf("%s: text %q, %v; want an error wrapping ErrAmbiguous", k.name, text, err)
		case !k.shown && err != nil:
			t.Errorf("%s: %v", k.name, err)
		case !k.shown && !slices.Equal(strings.Fields(text), strings.Fields(shown)):
			t.Errorf("%s: extracted %q, the PDF shows %q", k.name, text, shown)
		}
	}
}
