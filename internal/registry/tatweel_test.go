package registry

import (
	"context"
	"fmt"
	"strings"
	"testing"
)

// tatweelLetter is an Arabic letter whose words are stretched with tatweel (U+0640), as a
// justified or emphasised Arabic text is written, and tatweelStretched stretches words so.
const tatweelLetter = "معالي وزير الخارجية المحترم\n\n" +
	"تحية طيبة وبعد، فقد تلقينا رسالتكم المؤرخة في الثامن والعشرين من نوفمبر بشأن تنسيق تحركات القوات في القطاع الشمالي، ونود أن نؤكد لكم أن الوحدات لن تتحرك إلا بعد انتهاء التنسيق مع خلية الاتصال في العاصمة.\n\n" +
	"كما نحيطكم علما بأن أي تحرك لن يعلن قبل ذلك، وأن جميع الترتيبات اللوجستية ستتم بالتشاور مع مكتبكم، وسيتم إرسال جدول زمني مفصل خلال عشرة أيام من تاريخ استلام هذه الرسالة.\n\n" +
	"وتفضلوا بقبول فائق الاحترام والتقدير\n"

var tatweelStretched = strings.NewReplacer("تحية", "تحيـــة", "التنسيق", "التنسـيق", "القوات", "القـوات", "الرسالة", "الرسـالة")

// TestIdentifyIgnoresTatweel: a copy of a released Arabic letter with tatweel in its words,
// or one without the tatweel the letter has, is the letter's text (tatweel is drawn only to
// stretch a word); it was answered altered.
func TestIdentifyIgnoresTatweel(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	plain, _ := o.released(t, tatweelLetter)
	stretched, _ := o.released(t, "مذكرة داخلية\n\n"+tatweelStretched.Replace(strings.ReplaceAll(tatweelLetter, "المحترم", "الموقر")))
	for _, c := range []struct{ name, text, ref string }{
		{"a copy with tatweel", tatweelStretched.Replace(tatweelLetter), plain},
		{"a copy without the letter's tatweel", "مذكرة داخلية\n\n" + strings.ReplaceAll(tatweelLetter, "المحترم", "الموقر"), stretched},
	} {
		got, err := o.r.Identify(ctx, Actor{}, c.text)
		if err != nil {
			t.Fatal(err)
		}
		if got.Outcome != Valid || got.Reference != c.ref {
			t.Errorf("%s: %s %s, want valid %s", c.name, got.Outcome, got.Reference, c.ref)
		}
	}
}

// TestRereadFingerprintsWithTatweel: a letter released with tatweel in its text before the
// normalization removed it kept fingerprints of words with tatweel; read again, it is found
// by its text, with or without tatweel.
func TestRereadFingerprintsWithTatweel(t *testing.T) {
	o := newOffice(t)
	body := tatweelStretched.Replace(tatweelLetter)
	ref, _ := o.released(t, body)
	l := o.letterRow(t, ref)

	// The store as an earlier build left it: each fingerprint of the words with their
	// tatweel, here a letter the normalization keeps (N'Ko's lajanyalan, U+07FA), which
	// gives words as far from the plain ones as tatweel did.
	if storedAsBefore(t, o.r, l.ID, func(text string) (string, error) {
		if !strings.Contains(text, "\u0640") {
			return "", fmt.Errorf("the text lacks its tatweel:\n%s", text)
		}
		return strings.ReplaceAll(text, "\u0640", "\u07fa"), nil
	}) == 0 {
		t.Fatal("no fingerprint with text")
	}
	if foundOnlyAfterReread(t, o.r, ref, tatweelLetter, map[string]string{"without tatweel": tatweelLetter, "as released": body}) == 0 {
		t.Error("no fingerprint replaced")
	}
}

// foundOnlyAfterReread loads the identification indexes of a second registry on r's store,
// fails if text before is found as letter ref then (the store holds fingerprints of text
// read otherwise, which the test set up), reads the fingerprints again, and checks that
// each of after is found as ref; it returns how many fingerprints the reading replaced.
func foundOnlyAfterReread(t *testing.T, r *Registry, ref, before string, after map[string]string) int {
	t.Helper()
	ctx := context.Background()
	found := func(r *Registry, text string) bool {
		t.Helper()
		got, err := r.Identify(ctx, Actor{}, text)
		if err != nil {
			t.Fatal(err)
		}
		return got.Outcome == Valid && got.Reference == ref
	}
	r2 := New(r.cfg)
	if err := r2.LoadIdentification(ctx); err != nil {
		t.Fatal(err)
	}
	if found(r2, before) {
		t.Fatal("found by the fingerprints stored before: the test does not show what it should")
	}
	n, err := r2.RereadFingerprints(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	for name, text := range after {
		if !found(r2, text) {
			t.Errorf("%s: not found after its fingerprints were read again", name)
		}
	}
	return n
}
