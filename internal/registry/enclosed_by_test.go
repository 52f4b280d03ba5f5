package registry

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/seal"
)

// The file a released letter encloses (a type the release attaches to a cover letter), byte
// for byte, is not called a draft: it is unknown, with the enclosing letter's reference and
// state, and nothing else of the letter. A version never released, a text letter's released
// version and a later unreleased version keep their answers.
func TestVerifyEnclosureOfReleasedLetter(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	csv := []byte("item,count\nfuel,12\n")
	ref, err := o.r.CreateLetter(ctx, o.drafter, NewLetter{Subject: "Fuel mkrsubject", Class: "foreign-government",
		Addressees: []string{"Ministry mkraddressee"}, File: Upload{Name: "fuel.csv", MediaType: "text/csv", Data: csv}})
	if err != nil {
		t.Fatal(err)
	}
	d := seal.DigestOf(csv)
	if st, err := o.r.VerifyDigest(ctx, Actor{}, d); err != nil || st.Outcome != Draft || st.EnclosedBy != nil {
		t.Fatalf("an enclosure never released: %+v, %v; want draft", st, err)
	}
	o.approvedAndReleased(t, ref)
	for _, a := range []Actor{{}, o.reviewer} {
		st, err := o.r.VerifyDigest(ctx, a, d)
		if err != nil {
			t.Fatal(err)
		}
		if st.Outcome != Unknown || st.EnclosedBy == nil || st.EnclosedBy.Reference != ref || st.EnclosedBy.State != Valid ||
			!strings.Contains(st.Message, ref) || !strings.Contains(st.Message, "in force") || !strings.Contains(st.Message, "seal") {
			t.Fatalf("the enclosure of a released letter: %+v; want unknown, enclosed by %s in force", st, ref)
		}
		b, _ := json.Marshal(st)
		for _, secret := range []string{"mkrsubject", "mkraddressee", "mkrreason", "Fuel"} {
			if strings.Contains(string(b), secret) {
				t.Fatalf("the answer %s tells %q", b, secret)
			}
		}
		if !strings.Contains(string(b), `"enclosed_by":{"reference":"`+ref+`","state":"valid"}`) {
			t.Fatalf("the answer %s has no enclosed_by", b)
		}
	}
	// A text letter's released version is laid out: its released file is the stamped PDF.
	txt := o.letter(t, "Dear Minister, a laid-out letter.")
	o.approvedAndReleased(t, txt)
	if st, err := o.r.VerifyDigest(ctx, Actor{}, seal.DigestOf([]byte("Dear Minister, a laid-out letter."))); err != nil || st.Outcome != Draft || st.EnclosedBy != nil {
		t.Fatalf("a text letter's released version: %+v, %v; want draft", st, err)
	}
	// Retracted, the letter's state is told.
	record, sig := o.retraction(t, ref, "", "issued in error mkrreason")
	if _, err := o.withdraw(ctx, o.signer, ref, "", o.keyID, record, sig); err != nil {
		t.Fatal(err)
	}
	st, err := o.r.VerifyDigest(ctx, Actor{}, d)
	if err != nil || st.Outcome != Unknown || st.EnclosedBy == nil || st.EnclosedBy.State != Retracted || !strings.Contains(st.Message, "retracted") {
		t.Fatalf("the enclosure of a retracted letter: %+v, %v", st, err)
	}
}
