package textract

import "testing"

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
