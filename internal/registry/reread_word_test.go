package registry

import (
	"context"
	"testing"
)

// TestRereadFingerprintsOfWordVersions: earlier builds read a Word version's web-hidden text,
// IF fields, drop-downs and REF fields otherwise than LibreOffice shows them (and so did they
// OpenDocument's): the stored fingerprints of every Word and OpenDocument version are read
// again, not only those of PDFs and of texts with letters read otherwise.
func TestRereadFingerprintsOfWordVersions(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	doc := wordDoc(t, `The Ministry will</w:t></w:r><w:r><w:rPr><w:webHidden/></w:rPr><w:t xml:space="preserve"> NOT</w:t></w:r>`+
		`<w:r><w:t xml:space="preserve"> pay the sum agreed with the Treasury before the end of the month, as the contract says.`)
	ref, err := o.r.CreateLetter(ctx, o.drafter, NewLetter{Subject: "Payment", Class: "foreign-government",
		Addressees: []string{"Ministry of Defence of Freedonia"}, File: Upload{Name: "letter.docx", Data: doc}})
	if err != nil {
		t.Fatal(err)
	}
	id := o.letterRow(t, ref).ID
	// The fingerprint an earlier build stored: of the text with the web-hidden word.
	stored := storedAsBefore(t, o.r, id, func(text string) (string, error) { return "NOT " + text, nil })
	readAgainThrough(t, o, id)
	_, n := readAgain(t, o)
	if n != stored || stored == 0 {
		t.Errorf("%d fingerprints of the Word version read again, want %d", n, stored)
	}
}
