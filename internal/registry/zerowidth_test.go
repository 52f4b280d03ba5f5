package registry

import (
	"context"
	"strings"
	"testing"
)

// persianLetter is a Persian letter whose words keep letters apart with the zero-width
// non-joiner (U+200C), as Persian is written: "می‌رساند", "گزارش‌ها".
const persianLetter = "وزارت امور خارجه\n\n" +
	"با سلام، به استحضار می\u200cرساند که نشست هماهنگی روز دوشنبه برگزار خواهد شد و گزارش\u200cها پیش از آن ارسال می\u200cشوند. " +
	"همکاران ما در سفارت آماده\u200cاند تا پرسش\u200cهای شما را پاسخ دهند و جدول زمانی را تا پایان ماه آینده تنظیم کنند.\n\n" +
	"با احترام\n"

// withdrawalLetter is a letter in English whose words traced cuts.
const withdrawalLetter = "Dear Minister,\n\nThe Task Force informs the Ministry that the withdrawal of forces from the " +
	"northern sector will begin only once the coordination with the liaison cell in the capital is complete. " +
	"No movement will be announced before then, and a detailed schedule will follow within ten days.\n\nYours faithfully,\n"

// zeroWidths are the characters drawn as nothing that traced puts in words.
const zeroWidths = "\u200b\u200c\u200d\u2060\ufeff"

// traced puts characters drawn as nothing in the middle of every word of four letters or
// more, as a page that traces who copied a text does.
func traced(text string) string {
	marks := strings.Split(zeroWidths, "")
	words := strings.Split(text, " ")
	for i, w := range words {
		if r := []rune(w); len(r) >= 4 {
			words[i] = string(r[:2]) + marks[i%len(marks)] + string(r[2:])
		}
	}
	return strings.Join(words, " ")
}

// TestIdentifyIgnoresZeroWidth: a copy of a released letter with characters drawn as nothing
// between its letters, or of a Persian letter with a space where it keeps two letters apart
// with a non-joiner, is the letter's text; both were answered altered. A copy of the Persian
// letter without its non-joiners draws its words otherwise (letters joined that the letter
// keeps apart) and is not.
func TestIdentifyIgnoresZeroWidth(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	persian, _ := o.released(t, persianLetter)
	english, _ := o.released(t, withdrawalLetter)
	for _, c := range []struct {
		name, text, ref string
		valid           bool
	}{
		{"the Persian letter as written", persianLetter, persian, true},
		{"the Persian letter copied with pdftotext", o.pdftotextOfReleased(t, persian), persian, true},
		{"a space for each non-joiner", strings.ReplaceAll(persianLetter, "\u200c", " "), persian, true},
		{"a copy without the non-joiners", strings.ReplaceAll(persianLetter, "\u200c", ""), persian, false},
		{"a copy with zero-width characters in its words", traced(withdrawalLetter), english, true},
	} {
		got, err := o.r.Identify(ctx, Actor{}, c.text)
		if err != nil {
			t.Fatal(err)
		}
		if (got.Outcome == Valid && got.Reference == c.ref) != c.valid {
			t.Errorf("%s: %s %s, want valid %s: %v", c.name, got.Outcome, got.Reference, c.ref, c.valid)
		}
	}
}

// TestRereadFingerprintsWithZeroWidth: a letter released with zero-width characters in its
// words before the normalization dropped them kept the fingerprints of the pieces they cut
// its words into; read again, it is found by its text, with or without them.
func TestRereadFingerprintsWithZeroWidth(t *testing.T) {
	o := newOffice(t)
	body := traced(withdrawalLetter)
	ref, _ := o.released(t, body)
	l := o.letterRow(t, ref)

	// The store as an earlier build left it: each zero-width character a break between
	// words.
	cut := 0
	if storedAsBefore(t, o.r, l.ID, func(text string) (string, error) {
		if strings.ContainsAny(text, zeroWidths) {
			cut++
		}
		return strings.Map(func(r rune) rune {
			if strings.ContainsRune(zeroWidths, r) {
				return ' '
			}
			return r
		}, text), nil
	}) == 0 || cut == 0 {
		t.Fatalf("no fingerprint of a text with zero-width characters (%d)", cut)
	}
	if foundOnlyAfterReread(t, o.r, ref, withdrawalLetter, map[string]string{"without them": withdrawalLetter, "as released": body}) == 0 {
		t.Error("no fingerprint replaced")
	}
}

// TestIdentifyNonJoinerBesideAnother: a copy of the Persian letter whose non-joiners each
// have another character drawn as nothing beside them draws its words apart as the Persian
// letter does, and is not the text of a letter that has those letters joined.
func TestIdentifyNonJoinerBesideAnother(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	joined, _ := o.released(t, strings.ReplaceAll(persianLetter, "\u200c", ""))
	for _, apart := range []string{"\u200b\u200c", "\u200c\u200c", "\u200c\u2060", "\u0640\u200c"} {
		got, err := o.r.Identify(ctx, Actor{}, strings.ReplaceAll(persianLetter, "\u200c", apart))
		if err != nil {
			t.Fatal(err)
		}
		if got.Outcome == Valid && got.Reference == joined {
			t.Errorf("non-joiner as %+q: valid for %s, whose letters are joined", apart, joined)
		}
	}
}
