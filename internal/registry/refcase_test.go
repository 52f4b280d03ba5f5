package registry

import (
	"context"
	"strings"
	"testing"
)

// TestReferenceInSmallLettersNamesTheLetter: a holder who types a released letter's reference
// in small letters is answered for that letter (by reference alone, with the check code, for
// its file and seal), as for the reference in capitals; a reference with a character that is
// not ASCII (a full-width letter) still names no letter.
func TestReferenceInSmallLettersNamesTheLetter(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	ref, rel := o.released(t, "A letter typed in small letters by its holder.")
	lower := strings.ToLower(ref)
	if lower == ref {
		t.Fatalf("reference %s has no capitals", ref)
	}
	if st, err := o.r.StatusOf(ctx, lower); err != nil || st.Outcome != Valid || st.Reference != ref {
		t.Errorf("StatusOf(%q): %+v, %v; want valid for %s", lower, st, err, ref)
	}
	if st, ok, err := o.r.StatusWithCode(ctx, lower, rel.CheckCode); err != nil || !ok || st.Outcome != Valid || st.Seal == nil {
		t.Errorf("StatusWithCode(%q, its code): %+v, %v, %v; want the holder's answer", lower, st, ok, err)
	}
	if data, _, err := o.r.ReleasedFile(ctx, Actor{}, lower, rel.CheckCode); err != nil || string(data) != string(rel.File) {
		t.Errorf("ReleasedFile(%q, its code): %v", lower, err)
	}
	if _, err := o.r.Seal(ctx, Actor{}, lower, rel.CheckCode); err != nil {
		t.Errorf("Seal(%q, its code): %v", lower, err)
	}
	if st, err := o.r.MemberStatus(ctx, o.drafter, lower); err != nil || st.Outcome != Valid {
		t.Errorf("MemberStatus(%q): %+v, %v", lower, st, err)
	}
	wide := "Ｔ" + ref[1:]
	if st, err := o.r.StatusOf(ctx, wide); err != nil || st.Outcome != Unknown {
		t.Errorf("StatusOf(%q): %+v, %v; want unknown", wide, st, err)
	}
}
