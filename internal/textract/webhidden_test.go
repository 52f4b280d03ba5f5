package textract

import "testing"

// TestDOCXWebHiddenTextLeftOut checks that text hidden by w:webHidden (directly, or by a
// character or paragraph style) is left out as LibreOffice 7.4 leaves it out of the converted
// letter, which it reads as w:vanish: "The Ministry will NOT pay" with "NOT" so hidden read
// "will NOT pay" to reviewers where the released letter said "will pay". As with w:vanish, the
// document's default run properties hide nothing, and the last of w:vanish and w:webHidden
// said decides.
func TestDOCXWebHiddenTextLeftOut(t *testing.T) {
	styles := `<w:docDefaults><w:rPrDefault><w:rPr><w:webHidden/></w:rPr></w:rPrDefault></w:docDefaults>` +
		`<w:style w:type="character" w:styleId="Web"><w:name w:val="Web"/><w:rPr><w:webHidden/></w:rPr></w:style>` +
		`<w:style w:type="character" w:styleId="Shown"><w:name w:val="Shown"/><w:rPr><w:webHidden/><w:vanish w:val="0"/></w:rPr></w:style>` +
		`<w:style w:type="character" w:styleId="Hid"><w:name w:val="Hid"/><w:rPr><w:vanish w:val="0"/><w:webHidden/></w:rPr></w:style>` +
		`<w:style w:type="paragraph" w:styleId="WebP"><w:name w:val="WebP"/><w:rPr><w:webHidden/></w:rPr></w:style>`
	run := func(props, text string) string {
		return `<w:r><w:rPr>` + props + `</w:rPr><w:t xml:space="preserve">` + text + `</w:t></w:r>`
	}
	for _, c := range []struct{ name, body, want string }{
		{"direct", `<w:p>` + run("", "The Ministry will ") + run("<w:webHidden/>", "NOT ") + run("", "pay.") + `</w:p>`,
			"The Ministry will pay.\n"},
		{"switched off", `<w:p>` + run(`<w:webHidden w:val="false"/>`, "We will pay.") + `</w:p>`,
			"We will pay.\n"},
		{"vanish after", `<w:p>` + run(`<w:webHidden/><w:vanish w:val="0"/>`, "We will pay.") + `</w:p>`,
			"We will pay.\n"},
		{"character style", `<w:p>` + run("", "We will ") + run(`<w:rStyle w:val="Web"/>`, "NOT ") + run("", "pay.") + `</w:p>`,
			"We will pay.\n"},
		{"character style, vanish after", `<w:p>` + run(`<w:rStyle w:val="Shown"/>`, "We will pay.") + `</w:p>`,
			"We will pay.\n"},
		{"character style, webHidden after", `<w:p>` + run("", "We will ") + run(`<w:rStyle w:val="Hid"/>`, "NOT ") + run("", "pay.") + `</w:p>`,
			"We will pay.\n"},
		{"paragraph style", `<w:p><w:pPr><w:pStyle w:val="WebP"/></w:pPr>` + run("", "NOT AT ALL.") + `</w:p><w:p>` + run("", "Shown.") + `</w:p>`,
			"\nShown.\n"},
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
