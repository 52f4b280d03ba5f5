package registry

import (
	"context"
	"testing"
)

// TestRereadFingerprintsBesideAnotherServer: two servers of one PostgreSQL database, started
// together after the upgrade, read the same letters again at the same time; the one whose
// replacement comes second finds the row already replaced, by the other, with the same
// fingerprint. It indexes it all the same: it skipped it, as if the letter had been erased,
// and kept in its indexes the fingerprint of the reversed text it loaded, so that the letter
// was not found by its text on that server until it was restarted.
func TestRereadFingerprintsBesideAnotherServer(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	ref := o.releasedPDF(t, renderedPDF(t, arabicLetter))
	l := o.letterRow(t, ref)
	// The store as a build before item 601 left it.
	storedAsBefore(t, o.r, l.ID, func(text string) (string, error) { return drawingOrder(text), nil })
	found := func(r *Registry) bool {
		t.Helper()
		got, err := r.Identify(ctx, Actor{}, arabicLetter)
		if err != nil {
			t.Fatal(err)
		}
		return got.Outcome == Altered && got.Reference == ref
	}
	// Two servers of the same database, both loaded before either read anything again.
	first, second := New(o.r.cfg), New(o.r.cfg)
	for _, r := range []*Registry{first, second} {
		if err := r.LoadIdentification(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if found(second) {
		t.Fatal("found by the fingerprints of its reversed text: the test does not show what it should")
	}
	// The first replaces the rows while the second has read them and not yet replaced them.
	rereadRead = func() {
		rereadRead = nil
		if _, err := first.RereadFingerprints(ctx, nil); err != nil {
			t.Error(err)
		}
	}
	t.Cleanup(func() { rereadRead = nil })
	if _, err := second.RereadFingerprints(ctx, nil); err != nil {
		t.Fatal(err)
	}
	if !found(first) {
		t.Error("not found by its text on the server whose replacement came first")
	}
	if !found(second) {
		t.Error("not found by its text on the server whose replacement came second")
	}
}
