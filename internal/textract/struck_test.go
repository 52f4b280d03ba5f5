package textract

import "testing"

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
