package textract

import (
	"bytes"
	"strings"
	"testing"
)

// numberedDOCX is a Word document of body whose numbering part is numbering and styles part
// styles.
func numberedDOCX(t testing.TB, body, numbering, styles string) []byte {
	const rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
	return zipEntries(t,
		[2]string{"[Content_Types].xml", contentTypes},
		[2]string{"_rels/.rels", packageRels(rel+"officeDocument", "word/document.xml")},
		[2]string{"word/_rels/document.xml.rels", `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
			`<Relationship Id="rId1" Type="` + rel + `numbering" Target="numbering.xml"/><Relationship Id="rId2" Type="` + rel + `styles" Target="styles.xml"/></Relationships>`},
		[2]string{"word/document.xml", wordPart("document", `<w:body>`+body+`</w:body>`)},
		[2]string{"word/numbering.xml", wordPart("numbering", numbering)},
		[2]string{"word/styles.xml", wordPart("styles", styles)})
}

// numbered is a paragraph saying text, numbered by numbering num at level lvl.
func numbered(num, lvl, text string) string {
	return `<w:p><w:pPr><w:numPr><w:ilvl w:val="` + lvl + `"/><w:numId w:val="` + num + `"/></w:numPr></w:pPr><w:r><w:t>` + text + `</w:t></w:r></w:p>`
}

// level is a numbering level.
func level(i, start, format, text, extra string) string {
	return `<w:lvl w:ilvl="` + i + `"><w:start w:val="` + start + `"/><w:numFmt w:val="` + format + `"/><w:lvlText w:val="` + text + `"/>` + extra + `</w:lvl>`
}

// TestDOCXNumberingRead: the labels LibreOffice draws before numbered paragraphs were not
// read, so a level whose text holds words ("Article %1: we refuse") added them to the released
// letter unseen by reviewers. They are read as LibreOffice 7.4 draws them
// (convert.TestNumberingAsShown): numbers counted per abstract numbering, in the level's
// format, levels below starting again, a numbering by style, a start override, a hidden
// paragraph counted without a label, an empty one with its label, a numbering style's link.
func TestDOCXNumberingRead(t *testing.T) {
	numbering := `<w:abstractNum w:abstractNumId="0">` + level("0", "1", "decimal", "%1.", "") + level("1", "1", "lowerLetter", "%1.%2)", "") +
		level("2", "4", "upperRoman", "Article %3: we refuse", `<w:suff w:val="space"/>`) + `</w:abstractNum>` +
		`<w:abstractNum w:abstractNumId="1">` + level("0", "7", "decimalZero", "%1-", `<w:suff w:val="nothing"/>`) + level("1", "1", "upperLetter", "%2.", "") + `</w:abstractNum>` +
		`<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num><w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>` +
		`<w:num w:numId="3"><w:abstractNumId w:val="0"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="20"/></w:lvlOverride></w:num>` +
		`<w:abstractNum w:abstractNumId="2"><w:numStyleLink w:val="Linked"/></w:abstractNum><w:abstractNum w:abstractNumId="3">` + level("0", "5", "decimal", "Linked %1.", "") + `</w:abstractNum>` +
		`<w:num w:numId="4"><w:abstractNumId w:val="2"/></w:num><w:num w:numId="5"><w:abstractNumId w:val="3"/></w:num>`
	styles := `<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>` +
		`<w:style w:type="paragraph" w:styleId="List"><w:name w:val="List"/><w:pPr><w:numPr><w:numId w:val="2"/></w:numPr></w:pPr></w:style>` +
		`<w:style w:type="paragraph" w:styleId="List2"><w:name w:val="List 2"/><w:basedOn w:val="List"/><w:pPr><w:numPr><w:ilvl w:val="1"/></w:numPr></w:pPr></w:style>` +
		`<w:style w:type="numbering" w:styleId="Linked"><w:name w:val="Linked"/><w:pPr><w:numPr><w:numId w:val="5"/></w:numPr></w:pPr></w:style>`
	body := numbered("1", "0", "one") + numbered("1", "1", "onea") + numbered("1", "2", "deep") + numbered("1", "0", "two") + numbered("1", "1", "twoa") +
		`<w:p><w:pPr><w:pStyle w:val="List"/></w:pPr><w:r><w:t>style</w:t></w:r></w:p>` +
		`<w:p><w:pPr><w:pStyle w:val="List2"/></w:pPr><w:r><w:t>based</w:t></w:r></w:p>` +
		`<w:p><w:pPr><w:pStyle w:val="List"/><w:numPr><w:numId w:val="0"/></w:numPr></w:pPr><w:r><w:t>none</w:t></w:r></w:p>` +
		numbered("3", "0", "override") + numbered("1", "0", "shared") +
		`<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr><w:r><w:rPr><w:vanish/></w:rPr><w:t>HIDDEN</w:t></w:r></w:p>` +
		`<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr></w:p>` + numbered("9", "0", "nosuch") +
		numbered("4", "0", "link") + numbered("5", "0", "linked")
	want := "1.\tone\n1.a)\tonea\nArticle IV: we refuse deep\n2.\ttwo\n2.a)\ttwoa\n07-style\nA.\tbased\nnone\n20.\toverride\n21.\tshared\n\n23.\t\nnosuch\nLinked 5.\tlink\nLinked 6.\tlinked\n"
	if got, err := Text(DOCXType, numberedDOCX(t, body, numbering, styles)); err != nil || got != want {
		t.Errorf("text %q, %v;\nwant %q", got, err, want)
	}
}

// TestDOCXNumberingBounded: a label's number written in letters or roman numerals grows with
// it ("aaaa…"): a level starting at a billion is written in digits, and labels of many
// paragraphs stop at MaxText with the rest of the text.
func TestDOCXNumberingBounded(t *testing.T) {
	numbering := `<w:abstractNum w:abstractNumId="0">` + level("0", "1000000000", "lowerLetter", "%1 "+strings.Repeat("x", 10_000), "") + `</w:abstractNum>` +
		`<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>`
	got, err := Text(DOCXType, numberedDOCX(t, strings.Repeat(numbered("1", "0", "p"), 1000), numbering, ""))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(got, "1000000000 xxx") || len(got) > MaxText {
		t.Errorf("text of %d bytes starting %q", len(got), got[:min(len(got), 40)])
	}
}

// TestODTListLabelsRead: the labels LibreOffice draws before an OpenDocument text's list items
// were not read, so a list style whose prefix holds words ("We do NOT 1.") added them to the
// released letter unseen by reviewers. They are read as LibreOffice 7.4 draws them
// (convert.TestListLabelsAsShown).
func TestODTListLabelsRead(t *testing.T) {
	const styles = `<office:automatic-styles xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"><text:list-style style:name="L1">` +
		`<text:list-level-style-number text:level="1" style:num-prefix="We do NOT " style:num-suffix="." style:num-format="1"/>` +
		`<text:list-level-style-number text:level="2" style:num-suffix=")" style:num-format="a" text:display-levels="2"/>` +
		`<text:list-level-style-number text:level="3" style:num-format="I" text:start-value="4"/></text:list-style>` +
		`<text:list-style style:name="L2"><text:list-level-style-bullet text:level="1" text:bullet-char="•" style:num-prefix="PRE"/></text:list-style></office:automatic-styles>`
	body := `<text:list text:style-name="L1"><text:list-item><text:p>one</text:p></text:list-item><text:list-item><text:p>two</text:p>` +
		`<text:list><text:list-item><text:p>twoa</text:p></text:list-item><text:list-item><text:p>twob</text:p><text:list><text:list-item><text:p>deep</text:p></text:list-item></text:list></text:list-item></text:list>` +
		`</text:list-item><text:list-header><text:p>header</text:p></text:list-header><text:list-item><text:p>three</text:p><text:p>second</text:p></text:list-item></text:list>` +
		`<text:list text:style-name="L1"><text:list-item><text:p>new</text:p></text:list-item></text:list>` +
		`<text:list text:style-name="L1" text:continue-numbering="true"><text:list-item><text:p>continued</text:p></text:list-item></text:list>` +
		`<text:list text:style-name="L1"><text:list-item text:start-value="9"><text:p>nine</text:p></text:list-item></text:list>` +
		`<text:list text:style-name="L2"><text:list-item><text:p>bullet</text:p></text:list-item></text:list>` +
		`<text:list text:style-name="Undefined"><text:list-item><text:p>undefined</text:p></text:list-item></text:list>`
	data := odtPackage(t, ODTType, func(w *bytes.Buffer) {
		w.WriteString(strings.Replace(odtHead, "<office:body>", styles+"<office:body>", 1) + body + odtTail)
	})
	want := "We do NOT 1.\tone\nWe do NOT 2.\ttwo\n2.a)\ttwoa\n2.b)\ttwob\nIV\tdeep\nheader\nWe do NOT 3.\tthree\nsecond\n" +
		"We do NOT 1.\tnew\nWe do NOT 2.\tcontinued\nWe do NOT 9.\tnine\n•\tbullet\nundefined\n"
	if got, err := Text(ODTType, data); err != nil || got != want {
		t.Errorf("text %q, %v;\nwant %q", got, err, want)
	}
}

// TestODTHeadingNumbersRead: the numbers LibreOffice draws before an OpenDocument text's
// headings by its outline numbering (text:outline-style in styles.xml), with their prefix and
// suffix, were not read either (convert.TestListLabelsAsShown).
func TestODTHeadingNumbersRead(t *testing.T) {
	const styles = `<office:document-styles xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" ` +
		`xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"><office:styles><text:outline-style style:name="Outline">` +
		`<text:outline-level-style text:level="1" style:num-prefix="Article " style:num-suffix=":" style:num-format="I"/>` +
		`<text:outline-level-style text:level="2" style:num-format="1" text:display-levels="2"/><text:outline-level-style text:level="3" style:num-format=""/>` +
		`</text:outline-style></office:styles></office:document-styles>`
	body := `<text:h text:outline-level="1">First</text:h><text:h text:outline-level="2">Sub</text:h><text:h text:outline-level="3">Plain</text:h>` +
		`<text:h text:outline-level="1" text:is-list-header="true">Unnumbered</text:h><text:h text:outline-level="1">Second</text:h><text:h>Bare</text:h>`
	data := zipEntries(t, [2]string{"mimetype", ODTType}, [2]string{"content.xml", odtHead + body + odtTail}, [2]string{"styles.xml", styles})
	want := "Article I:\tFirst\nI.1\tSub\nPlain\nUnnumbered\nArticle II:\tSecond\nBare\n"
	if got, err := Text(ODTType, data); err != nil || got != want {
		t.Errorf("text %q, %v;\nwant %q", got, err, want)
	}
}
