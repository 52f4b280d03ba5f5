package registry

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/pdf"
	"github.com/chancery/chancery/internal/store"
	"github.com/chancery/chancery/internal/textract"
)

// readAgainThrough records that the office's fingerprints were read again by the third
// reading through letter last (fingerprints_reread3_*), as the fifty-third session's build
// leaves an office.
func readAgainThrough(t *testing.T, o *office, last int64) {
	t.Helper()
	ctx := context.Background()
	if err := o.r.cfg.DB.Update(ctx, func(tx *store.Tx) error {
		for _, name := range []string{"fingerprints_reread3_through", "fingerprints_reread3_done"} {
			if err := tx.SetSetting(ctx, name, strconv.FormatInt(last, 10)); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
}

// readAgain starts a registry of the office, as a server of this build starts, and reads its
// fingerprints again; it returns the registry and how many fingerprints it replaced.
func readAgain(t *testing.T, o *office) (*Registry, int) {
	t.Helper()
	ctx := context.Background()
	r := New(o.r.cfg)
	if err := r.LoadIdentification(ctx); err != nil {
		t.Fatal(err)
	}
	n, err := r.RereadFingerprints(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	return r, n
}

// arabicLetter is the body of an Arabic letter.
const arabicLetter = "معالي وزير الخارجية المحترم\n\n" +
	"تحية طيبة وبعد، فقد تلقينا رسالتكم المؤرخة في الثامن والعشرين من نوفمبر بشأن تنسيق تحركات القوات في القطاع الشمالي، ونود أن نؤكد لكم أن الوحدات لن تتحرك إلا بعد انتهاء التنسيق مع خلية الاتصال في العاصمة.\n\n" +
	"كما نحيطكم علما بأن أي تحرك لن يعلن قبل ذلك، وأن جميع الترتيبات اللوجستية ستتم بالتشاور مع مكتبكم، وسيتم إرسال جدول زمني مفصل خلال عشرة أيام من تاريخ استلام هذه الرسالة.\n\n" +
	"وتفضلوا بقبول فائق الاحترام والتقدير\n"

// TestRereadFingerprintsOfReversedText: the fingerprints of an Arabic PDF letter stored
// before item 601 were of its text reversed, and the letter was not found by its text;
// RereadFingerprints replaces them, in the store and in the running server's indexes, once.
func TestRereadFingerprintsOfReversedText(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	ref := o.releasedPDF(t, renderedPDF(t, arabicLetter))
	l := o.letterRow(t, ref)

	// The store as a build before item 601 left it: each fingerprint of the text read with
	// every line's letters in drawing order, right to left reversed.
	stored := storedAsBefore(t, o.r, l.ID, func(text string) (string, error) { return drawingOrder(text), nil })
	if stored == 0 {
		t.Fatal("no fingerprint with text")
	}
	found := func(r *Registry) bool {
		t.Helper()
		got, err := r.Identify(ctx, Actor{}, arabicLetter)
		if err != nil {
			t.Fatal(err)
		}
		// The body without the letterhead's words: close to the letter, not the same.
		return got.Outcome == Altered && got.Reference == ref
	}
	r2 := New(o.r.cfg)
	if err := r2.LoadIdentification(ctx); err != nil {
		t.Fatal(err)
	}
	if found(r2) {
		t.Fatal("found by the fingerprints of its reversed text: the test does not show what it should")
	}
	var last int64
	n, err := r2.RereadFingerprints(ctx, func(done, through int64) { last = through })
	if err != nil {
		t.Fatal(err)
	}
	if n != stored || last != l.ID {
		t.Errorf("replaced %d fingerprints, through letter %d; want %d, through %d", n, last, stored, l.ID)
	}
	if !found(r2) {
		t.Error("not found by its text in the indexes of the server that read it again")
	}
	r3 := New(o.r.cfg)
	if err := r3.LoadIdentification(ctx); err != nil {
		t.Fatal(err)
	}
	if !found(r3) {
		t.Error("not found by its text by a server started after")
	}
	if n, err := r3.RereadFingerprints(ctx, nil); err != nil || n != 0 {
		t.Errorf("read again a second time: %d replaced, %v; want none", n, err)
	}
}

// drawingOrder is text as a reader that takes glyphs in the order they are drawn gives it: a
// right-to-left line's letters reversed.
func drawingOrder(text string) string {
	lines := strings.Split(text, "\n")
	for i, line := range lines {
		if pdf.HasRTL(line) {
			rs := []rune(line)
			slices.Reverse(rs)
			lines[i] = string(rs)
		}
	}
	return strings.Join(lines, "\n")
}

// TestRereadFingerprintsOfGluedWords: a Latin PDF letter whose stored fingerprints were of
// its words glued together, as a build that read a TJ array's gaps as nothing read pdfTeX's
// lines (item 637), is found by its text once they are read again: every PDF's are, not
// only those with right-to-left text.
func TestRereadFingerprintsOfGluedWords(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	body := "Dear Minister,\n\nWe confirm that the units will move only once the coordination with the liaison cell in the capital has ended, and that no movement will be announced before then.\n\n" +
		"All logistic arrangements will be made in consultation with your office, and a detailed timetable will follow within ten days of this letter.\n\nYours faithfully,\n"
	ref := o.releasedPDF(t, renderedPDF(t, body))
	l := o.letterRow(t, ref)
	storedAsBefore(t, o.r, l.ID, func(text string) (string, error) { return strings.ReplaceAll(text, " ", ""), nil })
	r2 := New(o.r.cfg)
	if err := r2.LoadIdentification(ctx); err != nil {
		t.Fatal(err)
	}
	found := func() bool {
		t.Helper()
		got, err := r2.Identify(ctx, Actor{}, body)
		if err != nil {
			t.Fatal(err)
		}
		return got.Reference == ref
	}
	if found() {
		t.Fatal("found by the fingerprints of its glued words: the test does not show what it should")
	}
	if n, err := r2.RereadFingerprints(ctx, nil); err != nil || n == 0 {
		t.Fatalf("read again: %d replaced, %v", n, err)
	}
	if !found() {
		t.Error("not found by its text after its fingerprints were read again")
	}
}

// storedAsBefore replaces the stored fingerprints of letter letterID with those of its files'
// text as an earlier build read it: the text read now, changed by before. It returns how many
// fingerprints it replaced.
func storedAsBefore(t *testing.T, r *Registry, letterID int64, before func(text string) (string, error)) int {
	t.Helper()
	ctx := context.Background()
	n := 0
	err := r.cfg.DB.Update(ctx, func(tx *store.Tx) error {
		rows, err := tx.FingerprintsOfLetters(ctx, letterID-1, letterID)
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
			if text, err = before(text); err != nil {
				return fmt.Errorf("fingerprint %d: %w", f.ID, err)
			}
			_, old, err := fingerprintText(text)
			if err != nil {
				return err
			}
			if ok, err := tx.ReplaceFingerprint(ctx, f.ID, f.Data, old); err != nil || !ok {
				return fmt.Errorf("replace fingerprint %d: %v, %v", f.ID, ok, err)
			}
			n++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// releasedPDF creates a letter of PDF file doc, releases it and returns its reference.
func (o *office) releasedPDF(t *testing.T, doc []byte) string {
	t.Helper()
	ref, err := o.r.CreateLetter(context.Background(), o.drafter, NewLetter{Subject: "Coordination", Class: "foreign-government",
		Addressees: []string{"Ministry of Foreign Affairs"}, File: Upload{Name: "letter.pdf", MediaType: "application/pdf", Data: doc}})
	if err != nil {
		t.Fatal(err)
	}
	o.approvedAndReleased(t, ref)
	return ref
}

// renderedPDF is body laid out as a PDF by the office's own renderer.
func renderedPDF(t *testing.T, body string) []byte {
	t.Helper()
	doc, err := pdf.Render("text/plain", []byte(body), pdf.Letterhead{Office: "Task Force North", Reference: "draft"})
	if err != nil {
		t.Fatal(err)
	}
	return doc
}
