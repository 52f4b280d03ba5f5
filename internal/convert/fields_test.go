package convert_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/textract"
)

// TestWordFieldsAndWebHiddenTextAsShown converts a Word letter whose words in capitals are
// shown or not by w:webHidden, IF fields, instruction text outside a field's instruction,
// drop-down form fields and REF fields, each keeping a result LibreOffice does not show, and
// checks that the released PDF and the extracted text have the same of them, in order.
func TestWordFieldsAndWebHiddenTextAsShown(t *testing.T) {
	c := converter(t)
	const rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
	const w = `xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"`
	text := func(props, s string) string {
		return `<w:r><w:rPr>` + props + `</w:rPr><w:t xml:space="preserve">` + s + `</w:t></w:r>`
	}
	field := func(begin, instr, cached string) string {
		return `<w:r><w:fldChar w:fldCharType="begin">` + begin + `</w:fldChar></w:r><w:r><w:instrText xml:space="preserve"> ` + instr +
			` </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>` + text("", cached) + `<w:r><w:fldChar w:fldCharType="end"/></w:r>`
	}
	para := func(runs ...string) string { return `<w:p>` + strings.Join(runs, "") + `</w:p>` }
	body := para(text("", "WEBSTART "), text("<w:webHidden/>", "WEBHIDDEN "), text(`<w:rStyle w:val="Web"/>`, "STYLEHIDDEN "),
		text(`<w:webHidden/><w:vanish w:val="0"/>`, "WEBSHOWN")) +
		para(text("", "CONDITION "), field("", `IF 1 = 2 "NOTHERE" "ELSEWHERE"`, "KEPTIF"), text("", " AFTERIF")) +
		para(text("", "INSTRSTART "), `<w:r><w:instrText xml:space="preserve">LOOSEINSTR </w:instrText></w:r>`, text("", "INSTREND")) +
		para(text("", "DECISION "), field(`<w:ffData><w:name w:val="D1"/><w:enabled/><w:ddList><w:result w:val="1"/><w:listEntry w:val="GRANTED"/>`+
			`<w:listEntry w:val="REFUSED"/></w:ddList></w:ffData>`, "FORMDROPDOWN", "KEPTCHOICE")) +
		para(text("", "FORWARD "), field("", `REF amount \* MERGEFORMAT`, "KEPTFORWARD")) +
		para(text("", "AMOUNT "), `<w:bookmarkStart w:id="0" w:name="amount"/>`, text("", "NINETHOUSAND"), `<w:bookmarkEnd w:id="0"/>`) +
		para(text("", "REPEAT "), field("", `REF amount \h`, "ONETHOUSAND"))
	styles := `<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>` +
		`<w:style w:type="character" w:styleId="Web"><w:name w:val="Web"/><w:rPr><w:webHidden/></w:rPr></w:style>`
	data := zipOf(t, [][2]string{
		{"[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>` +
			`<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/></Types>`},
		{"_rels/.rels", `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="` + rel + `officeDocument" Target="word/document.xml"/></Relationships>`},
		{"word/_rels/document.xml.rels", `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="` + rel + `styles" Target="styles.xml"/></Relationships>`},
		{"word/document.xml", `<?xml version="1.0" encoding="UTF-8"?><w:document ` + w + `><w:body>` + body + `</w:body></w:document>`},
		{"word/styles.xml", `<?xml version="1.0" encoding="UTF-8"?><w:styles ` + w + `>` + styles + `</w:styles>`},
	})
	shown, extracted := shownAndRead(t, c, textract.DOCXType, data)
	for _, token := range []string{"WEBSHOWN", "AFTERIF", "LOOSEINSTR", "REFUSED", "NINETHOUSAND"} {
		if !strings.Contains(shown, token) {
			t.Errorf("the PDF shows %q, without %s: the test proves nothing", shown, token)
		}
	}
	if got, want := capitals.FindAllString(extracted, -1), capitals.FindAllString(shown, -1); !slices.Equal(got, want) {
		t.Errorf("extracted %q, the PDF shows %q", got, want)
	}
}

// TestOpenDocumentDropDownsAndPlaceholdersAsShown converts an OpenDocument letter whose words
// in capitals are drop-downs' labels, selected or not, and placeholders, and checks that the
// released PDF and the extracted text have the same of them, in order.
func TestOpenDocumentDropDownsAndPlaceholdersAsShown(t *testing.T) {
	c := converter(t)
	const ns = `xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"`
	body := `<text:p>DECISION <text:drop-down text:name="d"><text:label text:value="GRANTED"/><text:label text:value="REFUSED" text:current-selected="true"/>KEPTLABEL</text:drop-down></text:p>` +
		`<text:p>FIRSTLABEL <text:drop-down text:name="e"><text:label/><text:label text:value="EXTENDED"/><text:label text:value="DECLINED"/>KEPTOTHER</text:drop-down></text:p>` +
		`<text:p>MINISTRY <text:placeholder text:placeholder-type="text">&lt;NEVER&gt;</text:placeholder> PAYS</text:p>`
	data := zipOf(t, [][2]string{
		{"mimetype", textract.ODTType},
		{"META-INF/manifest.xml", `<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">` +
			`<manifest:file-entry manifest:full-path="/" manifest:media-type="` + textract.ODTType + `"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>`},
		{"content.xml", `<?xml version="1.0" encoding="UTF-8"?><office:document-content ` + ns + ` office:version="1.2"><office:body><office:text>` + body + `</office:text></office:body></office:document-content>`},
	})
	shown, extracted := shownAndRead(t, c, textract.ODTType, data)
	for _, token := range []string{"REFUSED", "EXTENDED", "PAYS"} {
		if !strings.Contains(shown, token) {
			t.Errorf("the PDF shows %q, without %s: the test proves nothing", shown, token)
		}
	}
	if got, want := capitals.FindAllString(extracted, -1), capitals.FindAllString(shown, -1); !slices.Equal(got, want) {
		t.Errorf("extracted %q, the PDF shows %q", got, want)
	}
}
