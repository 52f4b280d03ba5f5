package textract

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

// TestODTVariableComputedByFormulaRefused: LibreOffice 7.4 shows a number variable set with a
// formula (text:variable-set's text:formula) as the formula computes it, wherever the variable
// is shown, not as its office:value (checked by converting such files: "ooow:900000" and
// "ooow:900*1000" kept as 1000 showed "900000", in the text:variable-get after it too); the
// value was read: "A: 1000" to reviewers, "A: 900000" in the released letter. Such a document
// is refused as a formula is, and so is one whose formula lacks the prefix (LibreOffice 7.4
// showed the value, and writes none such); a formula that is the value, a string variable's
// formula (not computed) and a variable without one (as LibreOffice writes it) read as before.
func TestODTVariableComputedByFormulaRefused(t *testing.T) {
	const decls = `<text:variable-decls><text:variable-decl office:value-type="float" text:name="x"/><text:variable-decl office:value-type="string" text:name="s"/></text:variable-decls>`
	for _, formula := range []string{"ooow:900000", "ooow:900*1000", "900000"} {
		got, err := Text(ODTType, odt(t, decls+`<text:p>A: <text:variable-set text:name="x" text:formula="`+formula+
			`" office:value-type="float" office:value="1000">1000</text:variable-set>, B: <text:variable-get text:name="x" office:value-type="float">1000</text:variable-get></text:p>`))
		if !errors.Is(err, ErrAmbiguous) {
			t.Errorf("formula %q: %q, %v; want %v", formula, got, err, ErrAmbiguous)
		}
	}
	for _, c := range []struct{ name, set, want string }{
		{"the value", `<text:variable-set text:name="x" text:formula="ooow:5" office:value-type="float" office:value="5">5</text:variable-set>`, "A: 5\n"},
		{"no formula", `<text:variable-set text:name="x" office:value-type="float" office:value="1000">1000</text:variable-set>`, "A: 1000\n"},
		{"string", `<text:variable-set text:name="s" text:formula="ooow:NOT" office:value-type="string" office:string-value="">KEPT</text:variable-set>`, "A: \n"},
	} {
		got, err := Text(ODTType, odt(t, decls+`<text:p>A: `+c.set+`</text:p>`))
		if err != nil || got != c.want {
			t.Errorf("%s: %q, %v; want %q", c.name, got, err, c.want)
		}
	}
}

// TestODTDropDownWithLongListRefused: LibreOffice 7.4 shows the label selected of a
// text:drop-down however many it has (checked by converting such a file: the 291st of 300),
// where only the first 256 were kept, and the first shown for a selection past them. A
// drop-down of more labels is refused; one of 256 reads as shown.
func TestODTDropDownWithLongListRefused(t *testing.T) {
	labels := func(n, selected int) string {
		var b strings.Builder
		for i := range n {
			fmt.Fprintf(&b, `<text:label text:value="L%d"`, i)
			if i == selected {
				b.WriteString(` text:current-selected="true"`)
			}
			b.WriteString(`/>`)
		}
		return `<text:p>A: <text:drop-down text:name="d">` + b.String() + `KEPT</text:drop-down></text:p>`
	}
	got, err := Text(ODTType, odt(t, labels(300, 290)))
	if !errors.Is(err, ErrTooComplex) {
		t.Errorf("300 labels: %q, %v; want %v", got, err, ErrTooComplex)
	}
	got, err = Text(ODTType, odt(t, labels(256, 255)))
	if want := "A: L255\n"; err != nil || got != want {
		t.Errorf("256 labels: %q, %v; want %q", got, err, want)
	}
}

// TestODTStringVariableWithoutValueReadAsShown: LibreOffice writes a string variable set
// (text:variable-set of office:value-type "string") without office:string-value, its value
// the text it keeps, and LibreOffice 7.4 shows that text, in the text:variable-get after it
// too (checked by converting such files); the missing attribute was read as an empty value:
// "The Ministry will  pay" to reviewers where the released letter said "The Ministry will
// NOT pay". A string-value, even empty, is still shown in place of the kept text, and the
// text of an element inside (a span) is not shown.
func TestODTStringVariableWithoutValueReadAsShown(t *testing.T) {
	const decls = `<text:variable-decls><text:variable-decl office:value-type="string" text:name="s"/></text:variable-decls>`
	for _, c := range []struct{ name, set, want string }{
		{"kept", `<text:variable-set text:name="s" office:value-type="string">NOT</text:variable-set>`, "The Ministry will NOT pay. Again: NOT\n"},
		{"in a span", `<text:variable-set text:name="s" office:value-type="string"><text:span>NOT</text:span></text:variable-set>`, "The Ministry will  pay. Again: \n"},
		{"beside a span", `<text:variable-set text:name="s" office:value-type="string">N<text:span>O</text:span>T</text:variable-set>`, "The Ministry will NT pay. Again: NT\n"},
		{"string-value", `<text:variable-set text:name="s" office:value-type="string" office:string-value="">NOT</text:variable-set>`, "The Ministry will  pay. Again: \n"},
	} {
		got, err := Text(ODTType, odt(t, decls+`<text:p>The Ministry will `+c.set+` pay. Again: <text:variable-get text:name="s">X</text:variable-get></text:p>`))
		if err != nil || got != c.want {
			t.Errorf("%s: %q, %v; want %q", c.name, got, err, c.want)
		}
	}
}

// TestODTVariableWithoutTypeRefused: LibreOffice 7.4 shows a text:variable-set without
// office:value-type as a number (checked by converting such a file: "NOT" kept showed "1"),
// where nothing was read; LibreOffice writes none such, and one is refused.
func TestODTVariableWithoutTypeRefused(t *testing.T) {
	const decls = `<text:variable-decls><text:variable-decl office:value-type="string" text:name="s"/></text:variable-decls>`
	got, err := Text(ODTType, odt(t, decls+`<text:p>The Ministry will <text:variable-set text:name="s">NOT</text:variable-set> pay.</text:p>`))
	if !errors.Is(err, ErrAmbiguous) {
		t.Errorf("%q, %v; want %v", got, err, ErrAmbiguous)
	}
}
