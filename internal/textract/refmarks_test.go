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
