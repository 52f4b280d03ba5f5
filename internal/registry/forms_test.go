package registry

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"unicode"

	"github.com/chancery/chancery/internal/script"
	"github.com/chancery/chancery/internal/store"
	"github.com/chancery/chancery/internal/textract"
	"golang.org/x/text/unicode/norm"
)

// presentationForms returns text typed in Arabic presentation forms, as old systems and some
// PDF text layers give it: each Arabic letter that has forms in the form that draws it as a
// shaper would, joined to the letters beside it that join it, marks passed over, and the
// non-joiners dropped (the forms say where the letters are drawn apart).
func presentationForms(text string) string {
	type key struct {
		letter rune
		shape  script.Shape
	}
	forms := map[key]rune{}
	for _, block := range [][2]rune{{0xFE70, 0xFEFC}, {0xFB50, 0xFDFF}} {
		for r := block[0]; r <= block[1]; r++ {
			s := script.FormShape(r)
			letters := []rune(norm.NFKC.String(string(r)))
			if _, ok := forms[key{letters[0], s}]; s != script.NotForm && len(letters) == 1 && !ok {
				forms[key{letters[0], s}] = r
			}
		}
	}
	joinsNext := func(r rune) bool { _, ok := forms[key{r, script.Initial}]; return ok }
	joinsBack := func(r rune) bool { _, ok := forms[key{r, script.Final}]; return ok }
	rs := []rune(text)
	// neighbour is the index of the letter before (step -1) or after (step 1) rs[i] that
	// joining reaches, marks passed over, or -1.
	neighbour := func(i, step int) int {
		for j := i + step; j >= 0 && j < len(rs); j += step {
			if !unicode.Is(unicode.Mn, rs[j]) {
				return j
			}
		}
		return -1
	}
	var b strings.Builder
	for i, r := range rs {
		if r == script.NonJoiner {
			continue
		}
		p, n := neighbour(i, -1), neighbour(i, 1)
		before := p >= 0 && joinsNext(rs[p]) && joinsBack(r)
		after := n >= 0 && joinsNext(r) && joinsBack(rs[n])
		s := map[[2]bool]script.Shape{{false, false}: script.Isolated, {true, false}: script.Final,
			{false, true}: script.Initial, {true, true}: script.Medial}[[2]bool{before, after}]
		if f, ok := forms[key{r, s}]; ok {
			r = f
		}
		b.WriteRune(r)
	}
	return b.String()
}

// TestIdentifyPresentationForms: the Persian letter pasted in presentation forms, whose
// forms draw apart the letters it keeps apart with non-joiners, is that letter's text, and
// not that of the letter whose same letters are joined; that letter in forms is its own text;
// an Arabic letter in forms is its letter's; and a PDF letter whose text layer is in forms
// (the office's renderer keeps the forms of a text typed in them, as pdftotext reads them)
// is found by the Persian text typed with non-joiners.
func TestIdentifyPresentationForms(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	joinedText := strings.ReplaceAll(persianLetter, "\u200c", "")
	apart, _ := o.released(t, persianLetter)
	joined, _ := o.released(t, joinedText)
	arabic, _ := o.released(t, arabicLetter)
	doc := renderedPDF(t, presentationForms(persianLetter))
	inPDF := o.releasedPDF(t, doc)
	hasForms := func(s string) bool {
		return strings.ContainsFunc(s, func(r rune) bool { return script.FormShape(r) != script.NotForm })
	}
	if layer, err := textract.Text("application/pdf", doc); err != nil || !hasForms(layer) {
		t.Fatalf("the PDF's text layer holds no presentation form: %v", err)
	}
	for _, c := range []struct{ name, text, ref string }{
		{"the Persian letter in forms", presentationForms(persianLetter), apart},
		{"its letters joined, in forms", presentationForms(joinedText), joined},
		{"the Arabic letter in forms", presentationForms(arabicLetter), arabic},
		{"the PDF letter's text typed with non-joiners", "Task Force North\nReference: draft\nUndated draft\n" + persianLetter, inPDF},
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

// TestRereadFingerprintsOfPresentationForms: a letter released in presentation forms on an
// office that had read its fingerprints again (fingerprints_reread2_*) kept the fingerprints
// of its forms' letters all joined; read again, it is found by its text, in forms or typed
// with non-joiners.
func TestRereadFingerprintsOfPresentationForms(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	body := presentationForms(persianLetter)
	ref, _ := o.released(t, body)
	l := o.letterRow(t, ref)
	if storedAsBefore(t, o.r, l.ID, func(text string) (string, error) { return norm.NFKC.String(text), nil }) == 0 {
		t.Fatal("no fingerprint with text")
	}
	// The earlier reading again, finished through this letter.
	if err := o.r.cfg.DB.Update(ctx, func(tx *store.Tx) error {
		for _, name := range []string{"fingerprints_reread2_through", "fingerprints_reread2_done"} {
			if err := tx.SetSetting(ctx, name, strconv.FormatInt(l.ID, 10)); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	joined := strings.ReplaceAll(persianLetter, "\u200c", "")
	if foundOnlyAfterReread(t, o.r, ref, joined, map[string]string{"with non-joiners": persianLetter, "as released": body}) == 0 {
		t.Error("no fingerprint replaced")
	}
}

// TestIdentifyPresentationFormsJoinedOverNonJoiners: the Persian letter's words typed in
// the forms that draw their letters joined, with the non-joiners of the letter that keeps
// them apart typed between those forms, is drawn as the letters joined (a non-joiner changes
// no form): it is the text of the letter whose letters are joined, not valid for the one
// that keeps them apart.
func TestIdentifyPresentationFormsJoinedOverNonJoiners(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	joinedText := strings.ReplaceAll(persianLetter, "\u200c", "")
	apart, _ := o.released(t, persianLetter)
	joined, _ := o.released(t, joinedText)
	forms := []rune(presentationForms(joinedText))
	var query strings.Builder
	n := 0
	for _, r := range persianLetter {
		if r == script.NonJoiner {
			query.WriteRune(r)
			continue
		}
		query.WriteRune(forms[n])
		n++
	}
	if !strings.ContainsRune(query.String(), script.NonJoiner) {
		t.Fatal("no non-joiner in the query: the test does not show what it should")
	}
	got, err := o.r.Identify(ctx, Actor{}, query.String())
	if err != nil {
		t.Fatal(err)
	}
	if got.Outcome == Valid && got.Reference == apart {
		t.Errorf("the letters drawn joined are valid for %s, the letter that keeps them apart", apart)
	}
	if got.Outcome != Valid || got.Reference != joined {
		t.Errorf("the letters drawn joined: %s %s, want valid %s", got.Outcome, got.Reference, joined)
	}
}
