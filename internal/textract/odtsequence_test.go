package textract

import (
	"errors"
	"testing"
)

// TestODTSequenceReferenceRefused: LibreOffice 7.4 fills in a text:sequence-ref (a reference
// to a caption's number, "see table 1") as it converts the letter, whatever the file keeps
// (checked by converting such a file: "see table 9" kept showed "see table 1"), as it does a
// text:reference-ref, which is refused (item 720): such a document is refused too.
func TestODTSequenceReferenceRefused(t *testing.T) {
	body := `<text:sequence-decls><text:sequence-decl text:display-outline-level="0" text:name="Table"/></text:sequence-decls>` +
		`<text:p>Table <text:sequence text:name="Table" text:formula="ooow:Table+1" text:ref-name="refT0">1</text:sequence>: costs</text:p>` +
		`<text:p>See table <text:sequence-ref text:reference-format="value" text:ref-name="refT0">9</text:sequence-ref>.</text:p>`
	got, err := Text(ODTType, odt(t, body))
	if !errors.Is(err, ErrAmbiguous) {
		t.Fatalf("%q, %v; want %v", got, err, ErrAmbiguous)
	}
}
