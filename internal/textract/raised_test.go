package textract

import (
	"bytes"
	"strings"
	"testing"
)

// TestDOCXRaisedTextMarked checks that text LibreOffice draws as a superscript or a
// subscript (w:vertAlign, directly or by style) is marked in the text reviewers read: "EUR
// 10" with a raised "6" is a million, which "EUR 106" does not say.
func TestDOCXRaisedTextMarked(t *testing.T) {
	styles := `<w:style w:type="character" w:styleId="Power"><w:name w:val="Power"/><w:rPr><w:vertAlign w:val="superscript"/></w:rPr></w:style>` +
		`<w:style w:type="character" w:styleId="Gone"><w:name w:val="Gone"/><w:basedOn w:val="Power"/><w:rPr><w:strike/></w:rPr></w:style>`
	run := func(props, text string) string {
		return `<w:r><w:rPr>` + props + `</w:rPr><w:t xml:space="preserve">` + text + `</w:t></w:r>`
	}
	for _, c := range []struct{ name, body, want string }{
		{"superscript", `<w:p>` + run("", "EUR 10") + run(`<w:vertAlign w:val="superscript"/>`, "6") + run("", ".") + `</w:p>`,
			"EUR 10[superscript: 6].\n"},
		{"subscript", `<w:p>` + run("", "H") + run(`<w:vertAlign w:val="subscript"/>`, "2") + run("", "O") + `</w:p>`,
			"H[subscript: 2]O\n"},
		{"baseline", `<w:p>` + run(`<w:rStyle w:val="Power"/><w:vertAlign w:val="baseline"/>`, "106") + `</w:p>`,
			"106\n"},
		{"styles", `<w:p>` + run("", "EUR 10") + run(`<w:rStyle w:val="Power"/>`, "6") + run(`<w:rStyle w:val="Gone"/>`, "9") + `</w:p>`,
			"EUR 10[superscript: 6][struck: [superscript: 9]]\n"},
	} {
		got, err := Text(DOCXType, numberedDOCX(t, c.body, "", styles))
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
}

// TestODTRaisedTextMarked is TestDOCXRaisedTextMarked for OpenDocument
// (style:text-position).
func TestODTRaisedTextMarked(t *testing.T) {
	const styles = `<office:automatic-styles xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0">` +
		`<style:style style:name="T1" style:family="text"><style:text-properties style:text-position="super 58%"/></style:style>` +
		`<style:style style:name="T2" style:family="text"><style:text-properties style:text-position="-33% 58%"/></style:style>` +
		`<style:style style:name="T3" style:family="text" style:parent-style-name="T1"><style:text-properties style:text-position="0% 100%"/></style:style>` +
		`<style:style style:name="T4" style:family="text" style:parent-style-name="T1"><style:text-properties style:text-line-through-style="solid"/></style:style>` +
		`</office:automatic-styles>`
	for _, c := range []struct{ name, body, want string }{
		{"superscript", `<text:p>EUR 10<text:span text:style-name="T1">6</text:span>.</text:p>`,
			"EUR 10[superscript: 6].\n"},
		{"subscript", `<text:p>H<text:span text:style-name="T2">2</text:span>O</text:p>`,
			"H[subscript: 2]O\n"},
		{"baseline", `<text:p><text:span text:style-name="T3">106</text:span></text:p>`,
			"106\n"},
		{"inherited with a strike", `<text:p>EUR 10<text:span text:style-name="T4">9</text:span></text:p>`,
			"EUR 10[struck: [superscript: 9]]\n"},
	} {
		data := odtPackage(t, ODTType, func(w *bytes.Buffer) {
			w.WriteString(strings.Replace(odtHead, "<office:body>", styles+"<office:body>", 1) + c.body + odtTail)
		})
		got, err := Text(ODTType, data)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
}

// TestDOCXMarksOfTheDefaultsAndPositions: LibreOffice strikes text by the document's
// defaults (w:docDefaults, the default run properties or the paragraph mark's), but leaves
// out their w:position, and raises or lowers a run by w:position (half points), as it does
// by w:vertAlign: such text is marked as well, and a style or run that says otherwise is not.
func TestDOCXMarksOfTheDefaultsAndPositions(t *testing.T) {
	run := func(props, text string) string {
		return `<w:r><w:rPr>` + props + `</w:rPr><w:t xml:space="preserve">` + text + `</w:t></w:r>`
	}
	plain := `<w:style w:type="paragraph" w:styleId="Plain"><w:name w:val="Plain"/><w:rPr><w:strike w:val="0"/></w:rPr></w:style>`
	for _, c := range []struct{ name, styles, body, want string }{
		{"default run struck", `<w:docDefaults><w:rPrDefault><w:rPr><w:strike/></w:rPr></w:rPrDefault></w:docDefaults>` + plain,
			`<w:p>` + run("", "The Ministry will pay.") + `</w:p><w:p>` + run(`<w:strike w:val="0"/>`, "Kept.") + `</w:p>` +
				`<w:p><w:pPr><w:pStyle w:val="Plain"/></w:pPr>` + run("", "Plain.") + `</w:p>`,
			"[struck: The Ministry will pay.]\nKept.\nPlain.\n"},
		{"paragraph mark struck", `<w:docDefaults><w:pPrDefault><w:pPr><w:rPr><w:dstrike/></w:rPr></w:pPr></w:pPrDefault></w:docDefaults>`,
			`<w:p>` + run("", "Void.") + `</w:p>`, "[struck: Void.]\n"},
		{"default position, drawn on the line", `<w:docDefaults><w:rPrDefault><w:rPr><w:position w:val="6"/></w:rPr></w:rPrDefault></w:docDefaults>`,
			`<w:p>` + run("", "Up") + run(`<w:position w:val="0"/>`, " level") + `</w:p>`, "Up level\n"},
		{"position", "",
			`<w:p>` + run("", "Area 10") + run(`<w:position w:val="12"/>`, "2") + run("", " and H") + run(`<w:position w:val="-8"/>`, "2") + run("", "O") + `</w:p>`,
			"Area 10[superscript: 2] and H[subscript: 2]O\n"},
		{"position in a style", `<w:style w:type="character" w:styleId="Up"><w:name w:val="Up"/><w:rPr><w:position w:val="3pt"/></w:rPr></w:style>`,
			`<w:p>` + run("", "EUR 10") + run(`<w:rStyle w:val="Up"/>`, "6") + `</w:p>`, "EUR 10[superscript: 6]\n"},
		{"baseline beside a position", "",
			`<w:p>` + run(`<w:position w:val="12"/><w:vertAlign w:val="baseline"/>`, "2") + `</w:p>`, "[superscript: 2]\n"},
	} {
		got, err := Text(DOCXType, numberedDOCX(t, c.body, "", c.styles))
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
}

// TestDOCXPositionAsLibreOfficeDraws: LibreOffice 7.4 takes a w:position of 0 as none, so that
// a run that says it keeps the superscript or raise of its style ("10" and a "2" raised by a
// character style, drawn 10²), and leaves out the document defaults' w:position (their text is
// drawn on the line): such text was read as "102", and as a superscript the defaults' text
// LibreOffice draws on the line (checked by converting each file with LibreOffice 7.4.7 and
// reading the words' positions with pdftotext -bbox).
func TestDOCXPositionAsLibreOfficeDraws(t *testing.T) {
	run := func(props, text string) string {
		return `<w:r><w:rPr>` + props + `</w:rPr><w:t xml:space="preserve">` + text + `</w:t></w:r>`
	}
	normal := `<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>`
	for _, c := range []struct{ name, styles, body, want string }{
		{"zero beside a superscript style", normal + `<w:style w:type="character" w:styleId="Sup"><w:name w:val="Sup"/><w:rPr><w:vertAlign w:val="superscript"/></w:rPr></w:style>`,
			`<w:p>` + run("", "Area 10") + run(`<w:rStyle w:val="Sup"/><w:position w:val="0"/>`, "2") + `</w:p>`, "Area 10[superscript: 2]\n"},
		{"zero beside a raising style", normal + `<w:style w:type="character" w:styleId="Up"><w:name w:val="Up"/><w:rPr><w:position w:val="12"/></w:rPr></w:style>`,
			`<w:p>` + run("", "Area 10") + run(`<w:rStyle w:val="Up"/><w:position w:val="0"/>`, "2") + `</w:p>`, "Area 10[superscript: 2]\n"},
		{"default run position", normal + `<w:docDefaults><w:rPrDefault><w:rPr><w:position w:val="12"/></w:rPr></w:rPrDefault></w:docDefaults>`,
			`<w:p>` + run("", "Area 102") + `</w:p>`, "Area 102\n"},
		{"paragraph mark's default position", normal + `<w:docDefaults><w:pPrDefault><w:pPr><w:rPr><w:position w:val="-12"/></w:rPr></w:pPr></w:pPrDefault></w:docDefaults>`,
			`<w:p>` + run("", "Area 102") + `</w:p>`, "Area 102\n"},
		{"default superscript", normal + `<w:docDefaults><w:rPrDefault><w:rPr><w:vertAlign w:val="superscript"/></w:rPr></w:rPrDefault></w:docDefaults>`,
			`<w:p>` + run("", "Up") + run(`<w:vertAlign w:val="baseline"/>`, " level") + `</w:p>`, "[superscript: Up] level\n"},
	} {
		got, err := Text(DOCXType, numberedDOCX(t, c.body, "", c.styles))
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
}
