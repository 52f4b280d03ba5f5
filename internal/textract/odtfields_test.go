package textract

import (
	"errors"
	"testing"
)

// TestODTDropDownsAndPlaceholdersReadAsShown: LibreOffice 7.4 shows an OpenDocument
// text:drop-down as the label it selects (the last of those text:current-selected, the first
// with a value when none is), whatever text the file keeps in it, and nothing of a
// text:placeholder (checked by converting such files): "Decision: GRANTED" kept, with REFUSED
// selected, read "GRANTED" to reviewers where the released letter said "REFUSED", and "The
// Ministry will <NOT> pay" with "<NOT>" a placeholder read so where it said "will pay".
func TestODTDropDownsAndPlaceholdersReadAsShown(t *testing.T) {
	for _, c := range []struct{ name, body, want string }{
		{"selected", `<text:p>Decision: <text:drop-down text:name="d"><text:label text:value="GRANTED"/><text:label text:value="REFUSED" text:current-selected="true"/>GRANTED</text:drop-down>.</text:p>`,
			"Decision: REFUSED.\n"},
		{"two selected", `<text:p>Decision: <text:drop-down text:name="d"><text:label text:value="GRANTED" text:current-selected="true"/><text:label text:value="REFUSED" text:current-selected="true"/>GRANTED</text:drop-down>.</text:p>`,
			"Decision: REFUSED.\n"},
		{"none selected", `<text:p>Decision: <text:drop-down text:name="d"><text:label text:value="GRANTED"/><text:label text:value="REFUSED"/>REFUSED</text:drop-down>.</text:p>`,
			"Decision: GRANTED.\n"},
		{"a label without a value", `<text:p>Decision: <text:drop-down text:name="d"><text:label/><text:label text:value="REFUSED" text:current-selected="false"/>GRANTED</text:drop-down>.</text:p>`,
			"Decision: REFUSED.\n"},
		{"no labels", `<text:p>Decision: <text:drop-down text:name="d">GRANTED</text:drop-down>.</text:p>`,
			"Decision: .\n"},
		{"placeholder", `<text:p>The Ministry will <text:placeholder text:placeholder-type="text">&lt;NOT&gt;</text:placeholder> pay.</text:p>`,
			"The Ministry will  pay.\n"},
	} {
		got, err := Text(ODTType, odt(t, c.body))
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
}

// TestODTReferencesAndFormulasRefused: LibreOffice 7.4 fills in an OpenDocument reference
// (text:bookmark-ref, text:reference-ref: the text, number or page referred to) and computes a
// formula (text:expression and text:formula with a text:formula, a table cell's table:formula)
// as it converts the letter, whatever the file keeps (checked by converting such files:
// "Repeat: 1000" referring to a bookmark of "900000" showed "900000", a cell keeping "1000" of
// formula 900*1000 showed "900000"), which is not read here: such a document is refused as
// ambiguous, as one showing text by a condition is. A field without a formula is read as kept.
func TestODTReferencesAndFormulasRefused(t *testing.T) {
	bookmark := `<text:p>Amount: <text:bookmark-start text:name="amt"/>900000<text:bookmark-end text:name="amt"/></text:p>`
	for _, c := range []struct{ name, body string }{
		{"bookmark", bookmark + `<text:p>Repeat: <text:bookmark-ref text:reference-format="text" text:ref-name="amt">1000</text:bookmark-ref>.</text:p>`},
		{"reference mark", `<text:p>Amount: <text:reference-mark-start text:name="amt"/>900000<text:reference-mark-end text:name="amt"/></text:p>` +
			`<text:p>Repeat: <text:reference-ref text:reference-format="text" text:ref-name="amt">1000</text:reference-ref>.</text:p>`},
		{"expression", `<text:p>Sum EUR <text:expression text:formula="ooow:900*1000" office:value-type="float" office:value="1000">1000</text:expression>.</text:p>`},
		{"formula field", `<text:p>X <text:formula text:formula="ooow:2+2">9</text:formula>.</text:p>`},
		{"table cell", `<table:table table:name="T"><table:table-column/><table:table-row><table:table-cell table:formula="ooow:900*1000" office:value-type="float" office:value="1000">` +
			`<text:p>1000</text:p></table:table-cell></table:table-row></table:table>`},
	} {
		got, err := Text(ODTType, odt(t, c.body))
		if !errors.Is(err, ErrAmbiguous) {
			t.Errorf("%s: %q, %v; want ErrAmbiguous", c.name, got, err)
		}
	}
	got, err := Text(ODTType, odt(t, `<text:p>Sum EUR <text:expression office:value-type="float" office:value="900000">1000</text:expression>.</text:p>`))
	if err != nil || got != "Sum EUR 1000.\n" {
		t.Errorf("an expression without a formula: %q, %v", got, err)
	}
}
