package textract

import (
	"errors"
	"testing"
)

// TestDOCXCrossReferenceToQuotedNameReadAsShown: LibreOffice 7.4 reads the bookmark a REF
// field names between double quotes, `REF "amt"` (checked by converting such files: the
// bookmark's text shown, complex or simple, with or without \h), where its kept result was
// read: "1000" to reviewers, "900000" in the released letter.
func TestDOCXCrossReferenceToQuotedNameReadAsShown(t *testing.T) {
	bookmark := `<w:p><w:r><w:t xml:space="preserve">Amount: </w:t></w:r><w:bookmarkStart w:id="0" w:name="amt"/><w:r><w:t>900000</w:t></w:r>` +
		`<w:bookmarkEnd w:id="0"/></w:p>`
	for _, c := range []struct{ name, body string }{
		{"complex", wordField(`REF "amt"`, "1000")},
		{"switch", wordField(`REF "amt" \h`, "1000")},
		{"simple", `<w:p><w:fldSimple w:instr=" REF &quot;amt&quot; "><w:r><w:t>1000</w:t></w:r></w:fldSimple></w:p>`},
	} {
		got, err := Text(DOCXType, wordDoc(t, bookmark+c.body))
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if want := "Amount: 900000\n900000\n"; got != want {
			t.Errorf("%s: %q, want %q", c.name, got, want)
		}
	}
}

// TestDOCXCrossReferenceToBookmarkOfParagraphsReadAsShown: LibreOffice 7.4 shows a REF
// field to a bookmark that spans paragraphs as the bookmark's text in its first paragraph
// only (checked by converting such files: "ONE" of "ONE", "TWO", "THREE"; nothing of a
// bookmark starting at its paragraph's end), where the text of every paragraph was read:
// "NOT" then "pay" to reviewers, "NOT" alone in the released letter.
func TestDOCXCrossReferenceToBookmarkOfParagraphsReadAsShown(t *testing.T) {
	text := func(s string) string { return `<w:r><w:t xml:space="preserve">` + s + `</w:t></w:r>` }
	for _, c := range []struct{ name, body, want string }{
		{"three", `<w:p>` + text("pre ") + `<w:bookmarkStart w:id="1" w:name="m"/>` + text("ONE") + `</w:p><w:p>` + text("TWO") + `</w:p><w:p>` + text("THREE") +
			`<w:bookmarkEnd w:id="1"/>` + text(" post") + `</w:p>` + wordField("REF m", "CACHED"), "pre ONE\nTWO\nTHREE post\nONE\n"},
		{"two", `<w:p>` + text("pre ") + `<w:bookmarkStart w:id="1" w:name="m"/>` + text("NOT") + `</w:p><w:p>` + text("pay") + `<w:bookmarkEnd w:id="1"/></w:p>` +
			wordField("REF m", "CACHED"), "pre NOT\npay\nNOT\n"},
		{"from the end", `<w:p>` + text("pre ") + `<w:bookmarkStart w:id="1" w:name="m"/></w:p><w:p>` + text("TWO") + `<w:bookmarkEnd w:id="1"/></w:p>` +
			wordField("REF m", "CACHED"), "pre \nTWO\n\n"},
		{"one", `<w:p>` + text("pre ") + `<w:bookmarkStart w:id="1" w:name="m"/>` + text("ONE") + `<w:bookmarkEnd w:id="1"/></w:p>` +
			wordField("REF m", "CACHED"), "pre ONE\nONE\n"},
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

// TestDOCXCrossReferenceLibreOfficeShowsOtherwiseRefused: LibreOffice 7.4 shows a REF field
// to a bookmark otherwise than its text reads (checked by converting such files), so such a
// document is refused:
//   - hidden text in the bookmark (w:vanish, w:webHidden, a hiding style) is shown: "We will
//     [NOT hidden] pay" then REF read "pay" to reviewers, "NOT pay" in the released letter
//     (Word hides it);
//   - a bookmark in the first paragraph of a table that opens the body is shown without its
//     first character: "9000000" read so to reviewers, "000000" in the released letter.
//
// A bookmark in a table after a paragraph, and one with hidden text no REF field names, read
// as before.
func TestDOCXCrossReferenceLibreOfficeShowsOtherwiseRefused(t *testing.T) {
	text := func(s string) string { return `<w:r><w:t xml:space="preserve">` + s + `</w:t></w:r>` }
	hidden := func(props string) string {
		return `<w:p>` + text("We will ") + `<w:bookmarkStart w:id="1" w:name="m"/><w:r><w:rPr>` + props +
			`</w:rPr><w:t xml:space="preserve">NOT </w:t></w:r>` + text("pay") + `<w:bookmarkEnd w:id="1"/></w:p>`
	}
	table := func(s string) string { return `<w:tbl><w:tr><w:tc><w:p>` + s + `</w:p></w:tc></w:tr></w:tbl>` }
	amount := text("Amount ") + `<w:bookmarkStart w:id="1" w:name="m"/>` + text("9000000") + `<w:bookmarkEnd w:id="1"/>`
	for _, c := range []struct{ name, body string }{
		{"vanish", hidden("<w:vanish/>") + wordField("REF m", "pay")},
		{"webHidden", hidden("<w:webHidden/>") + `<w:p><w:fldSimple w:instr=" REF m "><w:r><w:t>pay</w:t></w:r></w:fldSimple></w:p>`},
		{"table first", table(amount) + wordField("REF m", "9000000")},
	} {
		got, err := Text(DOCXType, wordDoc(t, c.body))
		if !errors.Is(err, ErrAmbiguous) {
			t.Errorf("%s: %q, %v; want %v", c.name, got, err, ErrAmbiguous)
		}
	}
	for _, c := range []struct{ name, body, want string }{
		{"table after a paragraph", `<w:p>` + text("Dear Sir,") + `</w:p>` + table(amount) + wordField("REF m", "1"), "Dear Sir,\nAmount 9000000\n9000000\n"},
		{"hidden text not referred to", hidden("<w:vanish/>"), "We will pay\n"},
	} {
		got, err := Text(DOCXType, wordDoc(t, c.body))
		if err != nil || got != c.want {
			t.Errorf("%s: %q, %v; want %q", c.name, got, err, c.want)
		}
	}
}

// TestDOCXCrossReferenceToBookmarkOutsideBodyRefused: LibreOffice 7.4 shows a REF field to a
// bookmark in a header as the bookmark's text (checked by converting such files: "Amount:
// 9000000" with the bookmark of "9000000" in the header; the same in the header itself),
// where the field's kept result was read, the body's bookmarks alone being read: "Amount:
// 1000" to reviewers. A REF field naming a bookmark of a header, footer or note and none of
// the body is refused.
func TestDOCXCrossReferenceToBookmarkOutsideBodyRefused(t *testing.T) {
	const rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
	header := `<w:p><w:r><w:t xml:space="preserve">Ref: </w:t></w:r><w:bookmarkStart w:id="5" w:name="h"/><w:r><w:t>9000000</w:t></w:r><w:bookmarkEnd w:id="5"/></w:p>`
	doc := func(body, hdr string) []byte {
		return zipEntries(t,
			[2]string{"[Content_Types].xml", contentTypes},
			[2]string{"_rels/.rels", packageRels(rel+"officeDocument", "word/document.xml")},
			[2]string{"word/_rels/document.xml.rels", `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
				`<Relationship Id="rId1" Type="` + rel + `header" Target="header1.xml"/></Relationships>`},
			[2]string{"word/document.xml", wordPart("document", `<w:body>`+body+`<w:sectPr><w:headerReference w:type="default" r:id="rId1"/></w:sectPr></w:body>`)},
			[2]string{"word/header1.xml", wordPart("hdr", hdr)})
	}
	for _, c := range []struct{ name, body, hdr string }{
		{"from the body", wordField("REF h", "1000"), header},
		{"from the header", `<w:p><w:r><w:t>Dear Sir,</w:t></w:r></w:p>`, header + wordField("REF h", "1000")},
	} {
		got, err := Text(DOCXType, doc(c.body, c.hdr))
		if !errors.Is(err, ErrAmbiguous) {
			t.Errorf("%s: %q, %v; want %v", c.name, got, err, ErrAmbiguous)
		}
	}
	got, err := Text(DOCXType, doc(wordField("REF h", "1000"), `<w:p><w:r><w:t>Ref</w:t></w:r></w:p>`))
	if want := "1000\n[header]\nRef\n"; err != nil || got != want {
		t.Errorf("a bookmark nowhere: %q, %v; want %q (item 719's open part)", got, err, want)
	}
}
