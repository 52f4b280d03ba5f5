package registry

import (
	"context"
	"fmt"
	"testing"

	"github.com/chancery/chancery/internal/pdf"
	"github.com/chancery/chancery/internal/store"
	"github.com/chancery/chancery/internal/textract"
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
	doc, err := pdf.Render("text/plain", []byte(arabicLetter), pdf.Letterhead{Office: "Task Force North", Reference: "draft"})
	if err != nil {
		t.Fatal(err)
	}
	ref, err := o.r.CreateLetter(ctx, o.drafter, NewLetter{Subject: "Coordination", Class: "foreign-government",
		Addressees: []string{"Ministry of Foreign Affairs"}, File: Upload{Name: "letter.pdf", MediaType: "application/pdf", Data: doc}})
	if err != nil {
		t.Fatal(err)
	}
	o.approvedAndReleased(t, ref)
	l := o.letterRow(t, ref)
	// The store as a build before item 601 left it.
	err = o.r.cfg.DB.Update(ctx, func(tx *store.Tx) error {
		rows, err := tx.FingerprintsOfLetters(ctx, l.ID-1, l.ID)
		if err != nil {
			return err
		}
		for _, f := range rows {
			digest, text := f.VersionDigest, ""
			if f.Released {
				digest = f.ReleaseDigest
			}
			file, err := tx.Blob(ctx, digest)
			if err != nil {
				return err
			}
			if f.Released {
				text, err = releasedText(f.VersionType, f.ReleaseType, file)
			} else {
				text, err = textract.Text(f.VersionType, file)
			}
			if err != nil {
				return err
			}
			_, old, err := fingerprintText(drawingOrder(text))
			if err != nil {
				return err
			}
			if ok, err := tx.ReplaceFingerprint(ctx, f.ID, f.Data, old); err != nil || !ok {
				return fmt.Errorf("replace fingerprint %d: %v, %v", f.ID, ok, err)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
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
