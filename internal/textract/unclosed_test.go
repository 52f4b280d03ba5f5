package textract

import (
	"errors"
	"testing"
)

// TestDOCXFieldWithoutEndRefused: LibreOffice 7.4 leaves out the result of a Word field begun
// (w:fldChar begin) and never ended, and the rest of its part (checked by converting such
// files: "We will pay. [begin] PAGE [separate] 1 NOT" then a paragraph "Subject to the
// conditions attached." converts to "We will pay." alone), so reviewers read paragraphs, a
// condition or a "NOT" the released letter lacks. Such a document is refused; one whose
// fields all end reads as before.
func TestDOCXFieldWithoutEndRefused(t *testing.T) {
	char := func(kind string) string { return `<w:r><w:fldChar w:fldCharType="` + kind + `"/></w:r>` }
	instr := func(s string) string { return `<w:r><w:instrText xml:space="preserve"> ` + s + ` </w:instrText></w:r>` }
	text := func(s string) string { return `<w:r><w:t xml:space="preserve">` + s + `</w:t></w:r>` }
	next := `<w:p>` + text("Subject to the conditions attached.") + `</w:p>`
	for _, c := range []struct{ name, body string }{
		{"with its result", `<w:p>` + text("We will pay. ") + char("begin") + instr("PAGE") + char("separate") + text("1 NOT") + `</w:p>` + next},
		{"without a result", `<w:p>` + text("We will pay. ") + char("begin") + instr(`QUOTE "x"`) + text("NOT") + `</w:p>` + next},
		{"an end too few", `<w:p>` + text("We will pay. ") + char("begin") + instr("REF m") + char("begin") + instr("PAGE") + char("separate") + text("1") +
			char("end") + char("separate") + text("x") + `</w:p>` + next},
	} {
		got, err := Text(DOCXType, wordDoc(t, c.body))
		if !errors.Is(err, ErrAmbiguous) {
			t.Errorf("%s: %q, %v; want %v: LibreOffice shows nothing from the field's begin on", c.name, got, err, ErrAmbiguous)
		}
	}
	got, err := Text(DOCXType, wordDoc(t, `<w:p>`+text("Page ")+char("begin")+instr("PAGE")+char("separate")+text("1")+char("end")+`</w:p>`+next))
	if want := "Page 1\nSubject to the conditions attached.\n"; err != nil || got != want {
		t.Fatalf("ended field: %q, %v; want %q", got, err, want)
	}
}
