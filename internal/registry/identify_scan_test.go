package registry

import (
	"context"
	"crypto/sha256"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/identify/synth"
	"github.com/chancery/chancery/internal/ocr/ocrtest"
	"github.com/chancery/chancery/internal/pdf"
	"github.com/chancery/chancery/internal/store"
)

// TestIdentifyScan (issue 12, item 15): a released letter printed and scanned (its released
// PDF rendered at 150 dpi, turned half a degree, specked and saved as a JPEG of quality 60),
// read by Tesseract, is the letter: valid, from a scan. The same letter with one figure
// changed before it was printed (a forger's copy, letterhead and footer included) is an
// altered copy, whose difference names the figure; an unrelated scanned letter is unknown.
// The public learns no more from a scan than from a close text.
func TestIdentifyScan(t *testing.T) {
	reader := ocrtest.Reader(t)
	ctx := context.Background()
	o := newOffice(t)
	o.fixedCheckCodes()
	text := synth.Corpus{Seed: 24, FamilySize: 1}.Letter(0).Text()
	ref, rel := o.released(t, text)

	read := func(doc []byte, seed uint64) string { return ocrtest.Read(t, reader, doc, 0.5, seed) }

	genuine := read(rel.File, 1)
	for _, who := range []Actor{{}, o.reviewer} {
		got, err := o.r.IdentifyScan(ctx, who, genuine)
		if err != nil {
			t.Fatal(err)
		}
		if got.Outcome != Valid || got.Reference != ref || got.Match != MatchScan || !got.Scan {
			t.Errorf("member %v: the genuine letter scanned: %s %s (%s): %s\ndiff: %+v", who.Member != nil, got.Outcome, got.Reference, got.Match, got.Message, got.Diff)
		}
		if !strings.Contains(got.Message, "cannot prove") {
			t.Errorf("the answer for a scan does not say what a scan cannot prove: %s", got.Message)
		}
		if who.Member == nil && (got.Status == nil || got.Status.Subject != "" || len(got.Status.Signers) > 0) {
			t.Errorf("the public learns more from a scan than from a reference: %+v", got.Status)
		}
	}
	// The same scan without the letter's first third (a page not scanned) is a part of the
	// letter, not the letter: what it lacks is not checked. It starts at a word the letter
	// has once, which the comparison cannot pair with an earlier one by chance.
	ws := strings.Fields(genuine)
	from := len(ws) / 3
	times := make(map[string]int)
	for _, w := range ws {
		times[strings.ToLower(w)]++
	}
	for from < len(ws) && times[strings.ToLower(ws[from])] > 1 {
		from++
	}
	got, err := o.r.IdentifyScan(ctx, Actor{}, strings.Join(ws[from:], " "))
	if err != nil || got.Outcome != Valid || got.Match != "excerpt" || !strings.Contains(got.Message, "part of") {
		t.Errorf("the scan without its beginning: %+v, %v; want valid, an excerpt; diff %q", got, err, got.Diff)
	}
	// Read as pasted text, a scan with OCR's misreadings is an altered copy: OCR noise is
	// forgiven only to text that says it was read from a scan. (Tesseract may read a page
	// without a fault, and a faultless reading is the letter's text sign for sign, so the
	// misreadings are made here: "rn" for "m" and "1" for "l", in two words.)
	noisy := misread(genuine)
	if got, err := o.r.IdentifyScan(ctx, Actor{}, noisy); err != nil || got.Outcome != Valid {
		t.Errorf("the scan with misreadings: %+v, %v", got, err)
	}
	if got, err := o.r.Identify(ctx, Actor{}, noisy); err != nil || got.Outcome == Valid || got.Scan {
		t.Errorf("the scan's text as pasted text: %+v, %v", got, err)
	}

	// The forger's copy: the letter's text with one figure changed, laid out and stamped as
	// the office did.
	const figure, forged = "277,200", "877,200"
	if !strings.Contains(text, figure) {
		t.Fatalf("the letter has no %s to change", figure)
	}

	// A photo of a paragraph: fifty words of the scan around the figure, with OCR's
	// misreadings, are a part of the letter; with the figure changed, an altered part of it.
	words := strings.Fields(genuine)
	at := slices.IndexFunc(words, func(w string) bool { return strings.Contains(w, figure) })
	if at < 0 {
		t.Fatalf("the scan does not read %s: %q", figure, genuine)
	}
	paragraph := misread(strings.Join(words[max(0, at-25):min(len(words), at+25)], " "))
	for _, c := range []struct {
		name, text, outcome string
	}{
		{"a paragraph of the scan", paragraph, Valid},
		{"the paragraph with the figure changed", strings.Replace(paragraph, figure, forged, 1), Altered},
	} {
		got, err := o.r.IdentifyScan(ctx, Actor{}, c.text)
		if err != nil {
			t.Fatal(err)
		}
		if got.Outcome != c.outcome || got.Reference != ref || got.Match != "excerpt" {
			t.Errorf("%s: %s %s (%s): %s\ndiff: %+v", c.name, got.Outcome, got.Reference, got.Match, got.Message, got.Diff)
		}
	}
	altered := read(o.forgedCopy(t, ref, rel, strings.Replace(text, figure, forged, 1)), 2)
	for _, who := range []Actor{{}, o.reviewer} {
		got, err := o.r.IdentifyScan(ctx, who, altered)
		if err != nil {
			t.Fatal(err)
		}
		if got.Outcome != Altered || got.Reference != ref {
			t.Fatalf("member %v: the forged copy scanned: %s %s (%s): %s", who.Member != nil, got.Outcome, got.Reference, got.Match, got.Message)
		}
		var inserted, deleted []string
		for _, op := range got.Diff {
			switch op.Op {
			case "insert":
				inserted = append(inserted, op.Text)
			case "delete":
				deleted = append(deleted, op.Text)
			}
		}
		if ins := strings.Join(inserted, " "); !strings.Contains(ins, "877") || len(strings.Fields(ins)) > 3 {
			t.Errorf("member %v: inserted %q, want the changed figure alone", who.Member != nil, ins)
		}
		if del := strings.Join(deleted, " "); who.Member != nil && !strings.Contains(del, "277") {
			t.Errorf("member: deleted %q, want the letter's figure", del)
		} else if who.Member == nil && strings.Contains(del, "277") {
			t.Errorf("the public is shown the letter's words it did not send: %q", del)
		}
	}

	// A letter this office never released, scanned.
	released := o.releasedAt(t, ref)
	other := synth.Corpus{Seed: 99, FamilySize: 1}.Letter(0).Text()
	doc, err := pdf.Render("text/plain", []byte(other), pdf.Letterhead{Office: "Another Office", Reference: "AO-2026-000007", Date: released})
	if err != nil {
		t.Fatal(err)
	}
	got, err = o.r.IdentifyScan(ctx, Actor{}, read(doc, 3))
	if err != nil {
		t.Fatal(err)
	}
	if got.Outcome != Unknown || got.Reference != "" {
		t.Errorf("an unrelated scan: %s %s (%s)", got.Outcome, got.Reference, got.Match)
	}
}

// changedWords returns the texts of id's difference of kind op ("insert", "delete"), joined.
func changedWords(id *Identification, op string) string {
	var out []string
	for _, d := range id.Diff {
		if d.Op == op {
			out = append(out, d.Text)
		}
	}
	return strings.Join(out, " ")
}

// fixedCheckCodes makes the check codes of o's releases a function of their references, so
// that the scans of a test's letters, whose footers and QR codes print them, read the same
// from run to run. (BenchmarkScanAnswers measures scans with random codes.)
func (o *office) fixedCheckCodes() {
	o.r.checkCodes = func(ref string) string {
		h := sha256.Sum256([]byte("scan test " + ref))
		return strings.ToLower(checkCodeEncoding.EncodeToString(h[:16]))
	}
}

// misread gives text the misreadings OCR makes, "rn" for "m" and "1" for "l", in its first
// two words without a digit that have one of them.
func misread(text string) string {
	n := 0
	return regexp.MustCompile(`\S+`).ReplaceAllStringFunc(text, func(w string) string {
		if n < 2 && !strings.ContainsAny(w, "0123456789") && strings.ContainsAny(w, "ml") {
			n++
			return strings.NewReplacer("m", "rn", "l", "1").Replace(w)
		}
		return w
	})
}

// forgedCopy returns text laid out and stamped as the office released ref: the forger's copy,
// letterhead, footer and QR code included.
func (o *office) forgedCopy(t testing.TB, ref string, rel *Released, text string) []byte {
	t.Helper()
	l := o.letterRow(t, ref)
	released := o.releasedAt(t, ref)
	doc, err := pdf.Render("text/plain", []byte(text), pdf.Letterhead{Office: o.r.cfg.Office.Name,
		Reference: ref, Subject: l.Subject, Date: released, Addressees: l.Addressees, Signatories: []string{"sam"}})
	if err != nil {
		t.Fatal(err)
	}
	doc, err = pdf.Stamp(doc, pdf.Footer{Office: o.r.cfg.Office.Name, Reference: ref, Released: released,
		VerifyURL: o.r.VerifyURL(ref, rel.CheckCode)})
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// TestIdentifyScanSigns: a letter's signs are read from its scan as its figures are: the
// genuine letter printed and scanned is the letter, a forger's copy with "+4%" for "-4%" or
// "€" for "$" is altered, and its difference shows the sign.
func TestIdentifyScanSigns(t *testing.T) {
	reader := ocrtest.Reader(t)
	ctx := context.Background()
	o := newOffice(t)
	o.fixedCheckCodes()
	text := synth.Corpus{Seed: 25, FamilySize: 1}.Letter(0).Text() +
		"\n\nThe budget changes by -4% this year and +2% next year; the ministry pays $1,500,000 to the contractor, at a rate < 5% ± 0.5%.\n"
	ref, rel := o.released(t, text)
	if got, err := o.r.IdentifyScan(ctx, Actor{}, ocrtest.Read(t, reader, rel.File, 0.5, 1)); err != nil || got.Outcome != Valid || got.Match != MatchScan {
		t.Fatalf("the genuine letter scanned: %+v, %v", got, err)
	}
	for i, c := range []struct{ from, to, shown string }{
		{"-4%", "+4%", "+4%"},
		{"$1,500,000", "€1,500,000", "€1"},
	} {
		scan := ocrtest.Read(t, reader, o.forgedCopy(t, ref, rel, strings.Replace(text, c.from, c.to, 1)), 0.5, uint64(2+i))
		got, err := o.r.IdentifyScan(ctx, o.reviewer, scan)
		if err != nil {
			t.Fatal(err)
		}
		if ins := changedWords(got, "insert"); got.Outcome != Altered || !strings.Contains(ins, c.shown) {
			t.Errorf("%s for %s: %s (%s): %s; inserted %q", c.to, c.from, got.Outcome, got.Match, got.Message, ins)
		}
	}
}

// letterRow returns the stored letter ref.
func (o *office) letterRow(t testing.TB, ref string) *store.Letter {
	t.Helper()
	var l *store.Letter
	err := o.r.cfg.DB.View(context.Background(), func(tx *store.Tx) error {
		var err error
		l, err = tx.LetterByRef(context.Background(), ref)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// releasedAt returns when ref was released.
func (o *office) releasedAt(t testing.TB, ref string) time.Time {
	t.Helper()
	l := o.letterRow(t, ref)
	var at time.Time
	err := o.r.cfg.DB.View(context.Background(), func(tx *store.Tx) error {
		rel, err := tx.ReleaseOf(context.Background(), l.ID)
		if err == nil {
			at = rel.ReleasedAt
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return at
}

// TestIdentifyScanAccountNumber: an account number printed as one code is what the letter
// says: a forger's copy paying into another account (one digit changed) is altered, and its
// difference shows the forged number. Only the footer's check code, which the registry finds
// by its stored hash, is forgiven OCR's misreadings beyond look-alikes. Until the twentieth
// session every code was, and the forged scan read as the letter.
func TestIdentifyScanAccountNumber(t *testing.T) {
	reader := ocrtest.Reader(t)
	ctx := context.Background()
	o := newOffice(t)
	o.fixedCheckCodes()
	const account, forged = "FR7630006000011234567890189", "FR7630006000011234567890789"
	text := synth.Corpus{Seed: 27, FamilySize: 1}.Letter(0).Text() +
		"\n\nPlease pay the sum into account " + account + " before the end of the month.\n"
	ref, rel := o.released(t, text)
	if got, err := o.r.IdentifyScan(ctx, Actor{}, ocrtest.Read(t, reader, rel.File, 0.5, 1)); err != nil || got.Outcome != Valid || got.Match != MatchScan {
		t.Fatalf("the genuine letter scanned: %+v, %v", got, err)
	}
	scan := ocrtest.Read(t, reader, o.forgedCopy(t, ref, rel, strings.Replace(text, account, forged, 1)), 0.5, 2)
	got, err := o.r.IdentifyScan(ctx, o.reviewer, scan)
	if err != nil {
		t.Fatal(err)
	}
	if ins := changedWords(got, "insert"); got.Outcome != Altered || !strings.Contains(ins, "0789") {
		t.Errorf("the account changed: %s (%s): %s; inserted %q", got.Outcome, got.Match, got.Message, ins)
	}
}
