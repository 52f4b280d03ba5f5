package textract

import (
	"bytes"
	"strings"
	"testing"
)

// TestDOCXStruckTextMarked checks that text LibreOffice draws struck through (w:strike,
// w:dstrike, directly or by a character or paragraph style) is marked in the text reviewers
// read: "The Ministry will not pay" with "not" struck through reads as a refusal withdrawn,
// and a revision that only strikes a word out must not read as no change.
func TestDOCXStruckTextMarked(t *testing.T) {
	styles := `<w:style w:type="character" w:styleId="Gone"><w:name w:val="Gone"/><w:rPr><w:strike/></w:rPr></w:style>` +
		`<w:style w:type="character" w:styleId="Kept"><w:name w:val="Kept"/><w:basedOn w:val="Gone"/><w:rPr><w:strike w:val="0"/></w:rPr></w:style>` +
		`<w:style w:type="paragraph" w:styleId="Struck"><w:name w:val="Struck"/><w:rPr><w:dstrike/></w:rPr></w:style>`
	run := func(props, text string) string {
		return `<w:r><w:rPr>` + props + `</w:rPr><w:t xml:space="preserve">` + text + `</w:t></w:r>`
	}
	for _, c := range []struct{ name, body, want string }{
		{"direct", `<w:p>` + run("", "The Ministry will ") + run("<w:strike/>", "not") + run("", " pay.") + `</w:p>`,
			"The Ministry will [struck: not] pay.\n"},
		{"double", `<w:p>` + run("", "EUR ") + run(`<w:dstrike w:val="true"/>`, "1,500,000") + run("", " 150,000") + `</w:p>`,
			"EUR [struck: 1,500,000] 150,000\n"},
		{"switched off", `<w:p>` + run(`<w:strike w:val="false"/>`, "We will pay.") + `</w:p>`,
			"We will pay.\n"},
		{"character style", `<w:p>` + run(`<w:rStyle w:val="Gone"/>`, "not") + run(`<w:rStyle w:val="Kept"/>`, " kept") + `</w:p>`,
			"[struck: not] kept\n"},
		{"paragraph style", `<w:p><w:pPr><w:pStyle w:val="Struck"/></w:pPr>` + run("", "All of it.") + `</w:p><w:p>` + run("", "Shown.") + `</w:p>`,
			"[struck: All of it.]\nShown.\n"},
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

// TestODTStruckTextMarked is TestDOCXStruckTextMarked for OpenDocument: a span's or a
// paragraph's style (style:text-line-through-style, itself or inherited) strikes text through.
func TestODTStruckTextMarked(t *testing.T) {
	const styles = `<office:automatic-styles xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0">` +
		`<style:style style:name="T1" style:family="text"><style:text-properties style:text-line-through-style="solid"/></style:style>` +
		`<style:style style:name="T2" style:family="text" style:parent-style-name="T1"/>` +
		`<style:style style:name="T3" style:family="text" style:parent-style-name="T1"><style:text-properties style:text-line-through-style="none"/></style:style>` +
		`<style:style style:name="P1" style:family="paragraph"><style:text-properties style:text-line-through-style="solid"/></style:style>` +
		`</office:automatic-styles>`
	for _, c := range []struct{ name, body, want string }{
		{"span", `<text:p>The Ministry will <text:span text:style-name="T1">not</text:span> pay.</text:p>`,
			"The Ministry will [struck: not] pay.\n"},
		{"inherited", `<text:p>EUR <text:span text:style-name="T2">1,500,000</text:span> 150,000</text:p>`,
			"EUR [struck: 1,500,000] 150,000\n"},
		{"switched off", `<text:p><text:span text:style-name="T3">We will pay.</text:span></text:p>`,
			"We will pay.\n"},
		{"paragraph", `<text:p text:style-name="P1">All of it.</text:p><text:p>Shown.</text:p>`,
			"[struck: All of it.]\nShown.\n"},
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
