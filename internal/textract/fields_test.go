package textract

import "testing"

// wordDoc is a Word document whose body holds the paragraphs body.
func wordDoc(t *testing.T, body string) []byte {
	t.Helper()
	return zipEntries(t, [2]string{"[Content_Types].xml", contentTypes},
		[2]string{"_rels/.rels", packageRels("http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument", "word/document.xml")},
		[2]string{"word/document.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="` + wordNS + `"><w:body>` + body + `</w:body></w:document>`})
}

// TestDOCXConditionalFieldsReadAsShown: LibreOffice 7.4 shows nothing of a Word IF field,
// whatever its condition and kept result (checked by converting such files: "IF 1 = 2 "NOT"
// "SURELY"" keeping "NOT", "IF 2 > 1 …" keeping "SURELY", lower case, w:fldSimple), so a
// drafter's "The Ministry will NOT pay" with "NOT" the kept result of an IF field read so to
// reviewers while the released letter said "The Ministry will pay".
func TestDOCXConditionalFieldsReadAsShown(t *testing.T) {
	body := `<w:p><w:r><w:t xml:space="preserve">The Ministry will </w:t></w:r></w:p>` +
		wordField(`IF 1 = 2 "NOT" "SURELY"`, "NOT") + wordField(`if 2 > 1 "NOT" "SURELY"`, "SURELY") +
		`<w:p><w:fldSimple w:instr=" IF 1 = 1 &quot;NOT&quot; &quot;&quot; "><w:r><w:t>NOT</w:t></w:r></w:fldSimple><w:r><w:t xml:space="preserve"> pay.</w:t></w:r></w:p>`
	got, err := Text(DOCXType, wordDoc(t, body))
	if err != nil {
		t.Fatal(err)
	}
	if want := "The Ministry will \n\n\n pay.\n"; got != want {
		t.Fatalf("text %q, want %q: LibreOffice shows nothing of an IF field", got, want)
	}
}

// TestDOCXInstructionTextOutsideFieldsRead: LibreOffice 7.4 shows w:instrText as text where it
// is no field's instruction (checked by converting such files): outside any field, after a
// field's end, in a field's result (after its w:fldChar separate); it was left out, so a
// revision adding "NOT" in w:instrText outside a field read "will pay" to reviewers while the
// released letter said "will NOT pay". Instruction text between a field's begin and separate,
// a nested field's included, stays unread, and hidden instruction text is hidden.
func TestDOCXInstructionTextOutsideFieldsRead(t *testing.T) {
	instr := func(props, s string) string {
		return `<w:r><w:rPr>` + props + `</w:rPr><w:instrText xml:space="preserve">` + s + `</w:instrText></w:r>`
	}
	char := func(kind string) string { return `<w:r><w:fldChar w:fldCharType="` + kind + `"/></w:r>` }
	text := func(s string) string { return `<w:r><w:t xml:space="preserve">` + s + `</w:t></w:r>` }
	for _, c := range []struct{ name, body, want string }{
		{"outside", text("We will ") + instr("", "NOT ") + text("pay."), "We will NOT pay.\n"},
		{"after the end", text("We will ") + char("begin") + instr("", " PAGE ") + char("separate") + text("1") + char("end") + instr("", " NOT ") + text("pay."),
			"We will 1 NOT pay.\n"},
		{"in the result", text("We will ") + char("begin") + instr("", ` QUOTE "x" `) + char("separate") + instr("", "NOT ") + char("end") + text("pay."),
			"We will NOT pay.\n"},
		{"nested instruction", text("We will ") + char("begin") + instr("", " QUOTE ") + char("begin") + instr("", " PAGE ") + char("end") + instr("", ` "x" `) +
			char("separate") + text("x ") + char("end") + text("pay."), "We will x pay.\n"},
		{"hidden", text("We will ") + instr("<w:vanish/>", "NOT ") + text("pay."), "We will pay.\n"},
	} {
		got, err := Text(DOCXType, wordDoc(t, `<w:p>`+c.body+`</w:p>`))
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
}

// TestDOCXDropDownFieldsReadAsShown: LibreOffice 7.4 shows a Word FORMDROPDOWN field as the
// entry of its list (w:ffData's w:ddList) its w:result chooses, the first when the result is
// unsaid or out of the list, nothing without entries or as a w:fldSimple, whatever result the
// field keeps (checked by converting such files): "Decision: GRANTED" kept, with REFUSED
// chosen, read "GRANTED" to reviewers where the released letter said "REFUSED".
func TestDOCXDropDownFieldsReadAsShown(t *testing.T) {
	const entries = `<w:listEntry w:val="GRANTED"/><w:listEntry w:val="REFUSED"/>`
	field := func(list, cached string) string {
		return `<w:p><w:r><w:t xml:space="preserve">Decision: </w:t></w:r><w:r><w:fldChar w:fldCharType="begin"><w:ffData><w:name w:val="D1"/><w:enabled/><w:ddList>` +
			list + `</w:ddList></w:ffData></w:fldChar></w:r><w:r><w:instrText xml:space="preserve"> FORMDROPDOWN </w:instrText></w:r>` +
			`<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>` + cached + `</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>`
	}
	for _, c := range []struct{ name, body, want string }{
		{"chosen", field(`<w:result w:val="1"/>`+entries, "GRANTED"), "Decision: REFUSED\n"},
		{"chosen after the entries", field(entries+`<w:result w:val="1"/><w:default w:val="0"/>`, "GRANTED"), "Decision: REFUSED\n"},
		{"unsaid", field(`<w:default w:val="1"/>`+entries, "REFUSED"), "Decision: GRANTED\n"},
		{"out of the list", field(`<w:result w:val="5"/>`+entries, "REFUSED"), "Decision: GRANTED\n"},
		{"negative", field(`<w:result w:val="-1"/>`+entries, "REFUSED"), "Decision: GRANTED\n"},
		{"no entries", field(`<w:result w:val="0"/>`, "REFUSED"), "Decision: \n"},
		{"simple", `<w:p><w:r><w:t xml:space="preserve">Decision: </w:t></w:r><w:fldSimple w:instr=" FORMDROPDOWN "><w:r><w:t>GRANTED</w:t></w:r></w:fldSimple></w:p>`,
			"Decision: \n"},
	} {
		got, err := Text(DOCXType, wordDoc(t, c.body))
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
}

// TestDOCXCrossReferencesReadAsShown: LibreOffice 7.4 shows a Word REF field (complex or
// simple, with or without \h) as the text of the bookmark it names, now, not as the result
// the field keeps (checked by converting such files): "Amount: 900000 … Repeat: 1000" read
// "1000" to reviewers where the released letter said "900000". A bookmark named after the
// reference is read too; a field that only names a bookmark is shown as kept.
func TestDOCXCrossReferencesReadAsShown(t *testing.T) {
	bookmark := `<w:p><w:r><w:t xml:space="preserve">Amount: </w:t></w:r><w:bookmarkStart w:id="0" w:name="amt"/><w:r><w:t>900000</w:t></w:r>` +
		`<w:bookmarkEnd w:id="0"/><w:r><w:t xml:space="preserve"> EUR</w:t></w:r></w:p>`
	for _, c := range []struct{ name, body, want string }{
		{"complex", bookmark + wordField(`REF amt \h`, "1000"), "Amount: 900000 EUR\n900000\n"},
		{"before the bookmark", wordField(`REF amt \* MERGEFORMAT`, "1000") + bookmark, "900000\nAmount: 900000 EUR\n"},
		{"simple", bookmark + `<w:p><w:fldSimple w:instr=" REF amt "><w:r><w:t>1000</w:t></w:r></w:fldSimple></w:p>`, "Amount: 900000 EUR\n900000\n"},
		{"bookmark name only", bookmark + wordField(`amt`, "1000"), "Amount: 900000 EUR\n1000\n"},
	} {
		got, err := Text(DOCXType, wordDoc(t, c.body))
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
}

// TestDOCXCrossReferencesWithSwitchAgainstNameReadAsShown: LibreOffice 7.4 ends a REF
// field's bookmark name at a switch written against it (REF amt\h, REF "amt"\h,
// REF amt\* MERGEFORMAT), and shows the bookmark's text (checked by converting such
// files), where the name read with the switch named no bookmark and the kept result was
// read: "1000" to reviewers where the released letter said "900000".
func TestDOCXCrossReferencesWithSwitchAgainstNameReadAsShown(t *testing.T) {
	bookmark := `<w:p><w:r><w:t xml:space="preserve">Amount: </w:t></w:r><w:bookmarkStart w:id="0" w:name="amt"/><w:r><w:t>900000</w:t></w:r>` +
		`<w:bookmarkEnd w:id="0"/><w:r><w:t xml:space="preserve"> EUR</w:t></w:r></w:p>`
	for _, c := range []struct{ name, body string }{
		{"complex", bookmark + wordField(`REF  amt\h`, "1000")},
		{"quoted", bookmark + wordField(`REF "amt"\h`, "1000")},
		{"simple", bookmark + `<w:p><w:fldSimple w:instr=" REF amt\* MERGEFORMAT "><w:r><w:t>1000</w:t></w:r></w:fldSimple></w:p>`},
	} {
		got, err := Text(DOCXType, wordDoc(t, c.body))
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if want := "Amount: 900000 EUR\n900000\n"; got != want {
			t.Errorf("%s: %q, want %q", c.name, got, want)
		}
	}
}

// TestDOCXCrossReferencesToHeadingsReadAsShown: LibreOffice writes a cross-reference to a
// heading as an empty bookmark "__RefHeading___Toc…" at the start of the heading and a REF
// field to it, and LibreOffice 7.4 shows that field as the heading's text (checked by
// converting such files, the kept result changed to "Kept"); such a letter read "as set out
// in  on page 1" where the released letter said "as set out in Purpose on page 1". An empty
// bookmark of another name, or one within its paragraph, is shown as nothing.
func TestDOCXCrossReferencesToHeadingsReadAsShown(t *testing.T) {
	heading := func(mark, before string) string {
		return `<w:p><w:r><w:t xml:space="preserve">` + before + `</w:t></w:r><w:bookmarkStart w:id="0" w:name="` + mark + `"/><w:bookmarkEnd w:id="0"/>` +
			`<w:r><w:t>Purpose</w:t></w:r><w:r><w:t xml:space="preserve"> of the grant</w:t></w:r></w:p>`
	}
	for _, c := range []struct{ name, body, want string }{
		{"heading", heading("__RefHeading___Toc1_1", "") + wordField(`REF __RefHeading___Toc1_1 \h`, "Kept"),
			"Purpose of the grant\nPurpose of the grant\n"},
		{"before the heading", wordField(`REF __RefHeading___Toc1_1 \h`, "Kept") + heading("__RefHeading___Toc1_1", ""),
			"Purpose of the grant\nPurpose of the grant\n"},
		{"within the heading", heading("__RefHeading___Toc1_1", "The ") + wordField(`REF __RefHeading___Toc1_1 \h`, "Kept"),
			"The Purpose of the grant\n\n"},
		{"another name", heading("mark1", "") + wordField(`REF mark1 \h`, "Kept"), "Purpose of the grant\n\n"},
	} {
		got, err := Text(DOCXType, wordDoc(t, c.body))
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
}

// TestDOCXCrossReferencesInFootersReadAsShown: a REF field in a footer (or a note) shows the
// text of the body's bookmark too (checked by converting such a file), also when the body has
// no REF field of its own.
func TestDOCXCrossReferencesInFootersReadAsShown(t *testing.T) {
	const rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
	body := `<w:body><w:p><w:r><w:t xml:space="preserve">Amount: </w:t></w:r><w:bookmarkStart w:id="0" w:name="amt"/><w:r><w:t>900000</w:t></w:r><w:bookmarkEnd w:id="0"/></w:p>` +
		`<w:sectPr><w:footerReference w:type="default" r:id="rId1"/></w:sectPr></w:body>`
	data := zipEntries(t,
		[2]string{"[Content_Types].xml", contentTypes},
		[2]string{"_rels/.rels", packageRels(rel+"officeDocument", "word/document.xml")},
		[2]string{"word/_rels/document.xml.rels", `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
			`<Relationship Id="rId1" Type="` + rel + `footer" Target="footer1.xml"/></Relationships>`},
		[2]string{"word/document.xml", wordPart("document", body)},
		[2]string{"word/footer1.xml", wordPart("ftr", wordField(`REF amt \h`, "1000"))})
	got, err := Text(DOCXType, data)
	if err != nil {
		t.Fatal(err)
	}
	if want := "Amount: 900000\n[footer]\n900000\n"; got != want {
		t.Fatalf("text %q, want %q", got, want)
	}
}
