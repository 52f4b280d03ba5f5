package textract

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

// dropDown is a paragraph "Decision: " then a Word FORMDROPDOWN field of list (w:ddList's
// content) keeping the result cached.
func dropDown(list, cached string) string {
	return `<w:p><w:r><w:t xml:space="preserve">Decision: </w:t></w:r><w:r><w:fldChar w:fldCharType="begin"><w:ffData><w:name w:val="D1"/><w:enabled/><w:ddList>` +
		list + `</w:ddList></w:ffData></w:fldChar></w:r><w:r><w:instrText xml:space="preserve"> FORMDROPDOWN </w:instrText></w:r>` +
		`<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>` + cached + `</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>`
}

// TestDOCXDropDownResultReadAsLibreOfficeReadsIt: LibreOffice 7.4 reads a drop-down's
// w:result as a number the way it reads any (checked by converting such files): spaces and
// tabs before it left out, a sign, then the figures up to the first other character ("2x",
// " 2 ", "1.9", "+1", "01"); nothing else, an overflow or a negative number choose the first
// entry. A result read whole as a number only chose the first entry where the released
// letter showed another: "Decision: GRANTED" to reviewers, "REFUSED" released.
func TestDOCXDropDownResultReadAsLibreOfficeReadsIt(t *testing.T) {
	const entries = `<w:listEntry w:val="GRANTED"/><w:listEntry w:val="REFUSED"/><w:listEntry w:val="DEFERRED"/>`
	for _, c := range []struct{ result, want string }{
		{"2x", "DEFERRED"}, {" 2", "DEFERRED"}, {" 2 ", "DEFERRED"}, {"&#9;2", "DEFERRED"}, {"1.9", "REFUSED"},
		{"+1", "REFUSED"}, {"01", "REFUSED"}, {"-0", "GRANTED"}, {"0x2", "GRANTED"}, {"\u00a02", "GRANTED"},
		{"4294967298", "GRANTED"}, {"x", "GRANTED"}, {"-1", "GRANTED"},
	} {
		got, err := Text(DOCXType, wordDoc(t, dropDown(`<w:result w:val="`+c.result+`"/>`+entries, "GRANTED")))
		if err != nil {
			t.Fatalf("%q: %v", c.result, err)
		}
		if want := "Decision: " + c.want + "\n"; got != want {
			t.Errorf("result %q: %q, want %q", c.result, got, want)
		}
	}
}

// TestDOCXDropDownWithLongListRefused: LibreOffice 7.4 shows the entry a drop-down's result
// chooses however long its list (checked by converting such a file: the 71st of 80 entries),
// where only the first 64 were kept, and the first shown for a result past them. A list
// longer than that (Word lets it have 25) is refused; one of 64 reads as shown.
func TestDOCXDropDownWithLongListRefused(t *testing.T) {
	list := func(n int) string {
		var b strings.Builder
		for i := range n {
			fmt.Fprintf(&b, `<w:listEntry w:val="E%d"/>`, i)
		}
		return b.String()
	}
	got, err := Text(DOCXType, wordDoc(t, dropDown(`<w:result w:val="70"/>`+list(80), "E0")))
	if !errors.Is(err, ErrTooComplex) {
		t.Errorf("80 entries: %q, %v; want %v", got, err, ErrTooComplex)
	}
	got, err = Text(DOCXType, wordDoc(t, dropDown(list(64)+`<w:result w:val="63"/>`, "E0")))
	if want := "Decision: E63\n"; err != nil || got != want {
		t.Errorf("64 entries: %q, %v; want %q", got, err, want)
	}
}
