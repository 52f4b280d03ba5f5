package textract

import "testing"

// alternate is a paragraph holding an mc:AlternateContent of the given choices (pairs of
// Requires and text) and a fallback saying FALLBACK.
func alternate(choices ...string) string {
	s := `<w:p><w:r><w:t xml:space="preserve">Start </w:t></w:r><mc:AlternateContent>`
	for i := 0; i+1 < len(choices); i += 2 {
		s += `<mc:Choice Requires="` + choices[i] + `"><w:r><w:t xml:space="preserve">` + choices[i+1] + ` </w:t></w:r></mc:Choice>`
	}
	return s + `<mc:Fallback><w:r><w:t xml:space="preserve">FALLBACK </w:t></w:r></mc:Fallback></mc:AlternateContent><w:r><w:t>end</w:t></w:r></w:p>`
}

// TestDOCXAlternateContentAsShown: of a Word document's mc:AlternateContent (Markup
// Compatibility), LibreOffice shows one branch, a choice it supports or else the fallback,
// and textract read every branch: "We will [choice Requires=x: NOT] pay" was read with NOT,
// which the letter LibreOffice converts does not show, so reviewers approved a text the
// released letter does not say, and the other way round. The expected texts are LibreOffice
// 7.4's (pdftotext of its PDF; convert.TestAlternateContentAsShown converts such a letter):
// a choice is taken when its Requires is exactly wps, wpg or w14, every such choice, and a
// fallback is shown unless a choice of its mc:AlternateContent, or of its parent element
// outside one, was taken before it.
func TestDOCXAlternateContentAsShown(t *testing.T) {
	for _, c := range []struct{ name, body, want string }{
		{"wps", alternate("wps", "WPS"), "Start WPS end\n"},
		{"wpg", alternate("wpg", "WPG"), "Start WPG end\n"},
		{"w14", alternate("w14", "W14"), "Start W14 end\n"},
		{"unsupported", alternate("w15", "W15"), "Start FALLBACK end\n"},
		{"not exactly", alternate("w14 wps", "LIST"), "Start FALLBACK end\n"},
		{"case", alternate("W14", "UPPER"), "Start FALLBACK end\n"},
		{"second choice", alternate("x", "FIRST", "w14", "SECOND"), "Start SECOND end\n"},
		{"both choices", alternate("w14", "ONE", "wps", "TWO"), "Start ONE TWO end\n"},
		{"nested", `<w:p><mc:AlternateContent><mc:Choice Requires="w14"><w:r><w:t xml:space="preserve">OUTER </w:t></w:r>` +
			`<mc:AlternateContent><mc:Choice Requires="x"><w:r><w:t>INNERCHOICE</w:t></w:r></mc:Choice><mc:Fallback><w:r><w:t>INNERFALL</w:t></w:r></mc:Fallback></mc:AlternateContent>` +
			`</mc:Choice><mc:Fallback><w:r><w:t>OUTERFALL</w:t></w:r></mc:Fallback></mc:AlternateContent></w:p>`, "OUTER INNERFALL\n"},
		{"fallback first", `<w:p><mc:AlternateContent><mc:Fallback><w:r><w:t xml:space="preserve">FIRSTFALL </w:t></w:r></mc:Fallback>` +
			`<mc:Choice Requires="w14"><w:r><w:t>AFTERFALL</w:t></w:r></mc:Choice></mc:AlternateContent></w:p>`, "FIRSTFALL AFTERFALL\n"},
		{"no requires", `<w:p><mc:AlternateContent><mc:Choice><w:r><w:t>NOREQ</w:t></w:r></mc:Choice><mc:Fallback><w:r><w:t>F</w:t></w:r></mc:Fallback></mc:AlternateContent></w:p>`, "F\n"},
		{"stray", `<w:p><w:r><w:t xml:space="preserve">Stray </w:t></w:r><mc:Choice Requires="x"><w:r><w:t xml:space="preserve">STRAYCHOICE </w:t></w:r></mc:Choice>` +
			`<mc:Fallback><w:r><w:t>STRAYFALL</w:t></w:r></mc:Fallback></w:p>`, "Stray STRAYFALL\n"},
		{"per parent", `<w:p><w:r><w:t xml:space="preserve">P1 </w:t></w:r><mc:Choice Requires="w14"><w:r><w:t xml:space="preserve">STRAYW14 </w:t></w:r></mc:Choice>` +
			`<mc:Fallback><w:r><w:t xml:space="preserve">SAMEPARAFB </w:t></w:r></mc:Fallback></w:p>` +
			`<w:p><w:r><w:t xml:space="preserve">P2 </w:t></w:r><mc:Fallback><w:r><w:t>OTHERPARAFB</w:t></w:r></mc:Fallback></w:p>` +
			`<w:p><w:r><w:t xml:space="preserve">P3 </w:t></w:r><w:r><mc:Choice Requires="w14"><w:t xml:space="preserve">RUNW14 </w:t></mc:Choice></w:r>` +
			`<w:r><mc:Fallback><w:t xml:space="preserve">OTHERRUNFB </w:t></mc:Fallback></w:r><mc:Fallback><w:r><w:t>PARAFB3</w:t></w:r></mc:Fallback></w:p>` +
			`<mc:Fallback><w:p><w:r><w:t>BODYFB</w:t></w:r></w:p></mc:Fallback>`, "P1 STRAYW14 \nP2 OTHERPARAFB\nP3 RUNW14 OTHERRUNFB PARAFB3\nBODYFB\n"},
		{"in a run", `<w:p><w:r><mc:AlternateContent><mc:Choice Requires="x"><w:t>RCHOICE</w:t></mc:Choice><mc:Fallback><w:t>RFALLBACK</w:t></mc:Fallback></mc:AlternateContent></w:r></w:p>`, "RFALLBACK\n"},
		{"paragraphs", `<mc:AlternateContent><mc:Choice Requires="x"><w:p><w:r><w:t>BCHOICE</w:t></w:r></w:p></mc:Choice>` +
			`<mc:Fallback><w:p><w:r><w:t>BFALLBACK</w:t></w:r></w:p></mc:Fallback></mc:AlternateContent>`, "BFALLBACK\n"},
		{"a fallback's choice", `<w:p><mc:AlternateContent><mc:Choice Requires="x"><w:r><w:t>C10</w:t></w:r></mc:Choice><mc:Fallback><mc:Choice Requires="x"><w:r><w:t>FC10</w:t></w:r></mc:Choice>` +
			`<w:r><w:t>F10</w:t></w:r></mc:Fallback></mc:AlternateContent></w:p>`, "F10\n"},
	} {
		data := zipEntries(t,
			[2]string{"[Content_Types].xml", contentTypes},
			[2]string{"_rels/.rels", packageRels("http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument", "word/document.xml")},
			[2]string{"word/document.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="` + wordNS +
				`" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"><w:body>` + c.body + `</w:body></w:document>`})
		if got, err := Text(DOCXType, data); err != nil || got != c.want {
			t.Errorf("%s: text %q, %v; want %q", c.name, got, err, c.want)
		}
	}
}
