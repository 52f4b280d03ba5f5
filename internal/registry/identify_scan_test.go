package registry

import (
	"context"
	"crypto/sha256"
	"image"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/identify/synth"
	"github.com/chancery/chancery/internal/ocr"
	"github.com/chancery/chancery/internal/ocr/ocrtest"
	"github.com/chancery/chancery/internal/pdf"
	"github.com/chancery/chancery/internal/seal"
	"github.com/chancery/chancery/internal/store"
	"github.com/chancery/chancery/internal/textract"
)

// TestIdentifyScan (issue 12, item 15): a released letter printed and scanned (its released
// PDF rendered at 150 dpi, turned half a degree, specked and saved as a JPEG of quality 60),
// read by Tesseract, is the letter: valid, from a scan. The same letter with one figure
// changed before it was printed (a forger's copy, letterhead and footer included) is an
// altered copy, whose difference names the figure; an unrelated scanned letter is unknown.
// The public learns no more from a scan than from a close text.
func TestIdentifyScan(t *testing.T) {
	// Tesseract and pdftoppm run as processes of their own: the scan tests run side by
	// side, so that one's Go work overlaps another's recognitions.
	t.Parallel()
	reader := ocrtest.Reader(t)
	ctx := context.Background()
	o := newOffice(t)
	o.fixedCheckCodes()
	text := synth.Corpus{Seed: 24, FamilySize: 1}.Letter(0).Text()
	ref, rel := o.released(t, text)

	read := func(doc []byte, seed uint64) ocr.Reading { return ocrtest.Read(t, reader, doc, 0.5, seed) }

	genuine := read(rel.File, 1)
	pages := strings.Count(genuine.Text, "\f") + 1
	if own := o.r.VerifyURL(ref, rel.CheckCode); !slices.Equal(genuine.Codes, slices.Repeat([]string{own}, pages)) || genuine.CodesUnread {
		t.Errorf("the scan's QR codes read %q (unread %v), want the letter's %q on each of its %d pages", genuine.Codes, genuine.CodesUnread, own, pages)
	}
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
		if strings.Contains(got.Message, "follow none") {
			t.Errorf("the genuine scan, its own code read, is said to have codes unread: %s", got.Message)
		}
		if who.Member == nil && (got.Status == nil || got.Status.Subject != "" || len(got.Status.Signers) > 0) {
			t.Errorf("the public learns more from a scan than from a reference: %+v", got.Status)
		}
	}
	// The same scan without the letter's first third (a page not scanned) is a part of the
	// letter, not the letter: what it lacks is not checked. It starts at a word the letter
	// has once, which the comparison cannot pair with an earlier one by chance.
	ws := strings.Fields(genuine.Text)
	from := len(ws) / 3
	times := make(map[string]int)
	for _, w := range ws {
		times[strings.ToLower(w)]++
	}
	for from < len(ws) && times[strings.ToLower(ws[from])] > 1 {
		from++
	}
	got, err := o.r.IdentifyScan(ctx, Actor{}, ocr.Reading{Text: strings.Join(ws[from:], " ")})
	if err != nil || got.Outcome != Valid || got.Match != "excerpt" || !strings.Contains(got.Message, "part of") {
		t.Errorf("the scan without its beginning: %+v, %v; want valid, an excerpt; diff %q", got, err, got.Diff)
	}
	// Read as pasted text, a scan with OCR's misreadings is an altered copy: OCR noise is
	// forgiven only to text that says it was read from a scan. (Tesseract may read a page
	// without a fault, and a faultless reading is the letter's text sign for sign, so the
	// misreadings are made here: "rn" for "m" and "1" for "l", in two words.)
	noisy := misread(genuine.Text)
	if got, err := o.r.IdentifyScan(ctx, Actor{}, ocr.Reading{Text: noisy}); err != nil || got.Outcome != Valid {
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
	words := strings.Fields(genuine.Text)
	at := slices.IndexFunc(words, func(w string) bool { return strings.Contains(w, figure) })
	if at < 0 {
		t.Fatalf("the scan does not read %s: %q", figure, genuine.Text)
	}
	paragraph := misread(strings.Join(words[max(0, at-25):min(len(words), at+25)], " "))
	for _, c := range []struct {
		name, text, outcome string
	}{
		{"a paragraph of the scan", paragraph, Valid},
		{"the paragraph with the figure changed", strings.Replace(paragraph, figure, forged, 1), Altered},
	} {
		got, err := o.r.IdentifyScan(ctx, Actor{}, ocr.Reading{Text: c.text})
		if err != nil {
			t.Fatal(err)
		}
		// The public is given one match for an altered part of a letter and an altered
		// copy (near), with the difference against the part the scan shows.
		match := map[string]string{Valid: "excerpt", Altered: "near"}[c.outcome]
		if got.Outcome != c.outcome || got.Reference != ref || got.Match != match || c.outcome == Altered && !slices.ContainsFunc(got.Diff, func(op DiffOp) bool { return op.Op == "insert" && strings.HasPrefix(op.Text, forged[:3]) }) {
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
	t.Parallel() // as TestIdentifyScan
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
	t.Parallel() // as TestIdentifyScan
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

// TestIdentifyScanQRCode: a forger's copy of a genuine letter whose QR code leads elsewhere
// (a verify page of their own) while its footer still prints the letter's address is
// altered, and the answer names the code's address, scanned or as a PDF's pages; the same
// text read without its codes is the letter, so the code alone made the difference, but the
// answer says to follow none of its codes, since the letter's own was not read. A scan whose
// codes were not all searched for is answered, and says the same. Before the
// twenty-first session the code was painted out unread, and such a copy was valid.
func TestIdentifyScanQRCode(t *testing.T) {
	t.Parallel() // as TestIdentifyScan
	reader := ocrtest.Reader(t)
	ctx := context.Background()
	o := newOffice(t)
	o.fixedCheckCodes()
	text := synth.Corpus{Seed: 28, FamilySize: 1}.Letter(0).Text()
	ref, rel := o.released(t, text)
	phishing := "https://tfn-verify.example/v/" + ref + "/" + rel.CheckCode
	pages := ocrtest.Pages(t, rel.File, 150)
	pages[0] = ocrtest.ReplaceQRCode(t, pages[0], phishing)
	scan := ocrtest.ReadImages(t, reader, pages, 0.5, 1)
	if !slices.Contains(scan.Codes, phishing) {
		t.Fatalf("the forger's code was not read: %q", scan.Codes)
	}
	for _, who := range []Actor{{}, o.reviewer} {
		got, err := o.r.IdentifyScan(ctx, who, scan)
		if err != nil {
			t.Fatal(err)
		}
		if got.Outcome != Altered || got.Reference != ref || !slices.Equal(got.ForeignCodes, []string{phishing}) ||
			!strings.Contains(got.Message, strconv.Quote(phishing)) || !strings.Contains(got.Message, "do not follow") {
			t.Errorf("member %v: the copy with the forger's code: %s %s (%s), foreign %q: %s", who.Member != nil, got.Outcome, got.Reference, got.Match, got.ForeignCodes, got.Message)
		}
		if who.Member == nil && (got.Status == nil || got.Status.Subject != "" || len(got.Status.Signers) > 0) {
			t.Errorf("the public learns more from a scan than from a reference: %+v", got.Status)
		}
	}
	// Without its codes (the forger's was not read), the letter's own code is missing: the
	// answer says to follow no code on it.
	if got, err := o.r.IdentifyScan(ctx, Actor{}, ocr.Reading{Text: scan.Text}); err != nil || got.Outcome != Valid || got.ForeignCodes != nil || !strings.Contains(got.Message, "follow none") {
		t.Errorf("the same text without its codes: %+v, %v; want valid, so that the code alone makes it altered, and a warning that its codes were not all read", got, err)
	}
	// The forger's code not read (a code the reader cannot decode), the letter's own code
	// read on its other pages: the first page lacks the letter's code, and the answer says
	// to follow none.
	if len(pages) < 2 {
		t.Fatalf("the letter has %d page: the test of a page without its code needs two", len(pages))
	}
	missed := ocr.Reading{Text: scan.Text, Codes: slices.DeleteFunc(slices.Clone(scan.Codes), func(c string) bool { return c == phishing })}
	if got, err := o.r.IdentifyScan(ctx, Actor{}, missed); err != nil || got.Outcome != Valid || !strings.Contains(got.Message, "follow none") {
		t.Errorf("the forger's code not read: %+v, %v; want a warning that its codes were not all read", got, err)
	}
	unread := ocr.Reading{Text: scan.Text, CodesUnread: true}
	if got, err := o.r.IdentifyScan(ctx, Actor{}, unread); err != nil || got.Outcome != Valid || !strings.Contains(got.Message, "follow none") {
		t.Errorf("a scan whose codes were not all read: %+v, %v", got, err)
	}

	// The same pages in a PDF under the genuine text layer: its pages show the forger's code.
	layer, err := textract.Text("application/pdf", rel.File)
	if err != nil {
		t.Fatal(err)
	}
	forged := ocrtest.SearchablePDF(t, pages, 150, layer)
	got, err := o.r.IdentifyFile(ctx, Actor{}, layer, seal.DigestOf(forged), func(ctx context.Context) (ocr.Reading, error) { return reader.ReadPages(ctx, forged) })
	if err != nil || got.Outcome != Altered || !slices.Equal(got.ForeignCodes, []string{phishing}) || !strings.Contains(got.Message, "its pages show a QR code") {
		t.Errorf("a PDF whose pages show the forger's code: %+v, %v", got, err)
	}
}

// TestIdentifyScanOwnQRCode: the QR codes a letter's released pages show are its own (a code
// in a PDF the office released): a scan of such a letter stays valid. A code added to a copy,
// beside the letter's own, is not, even one whose address the letter writes out; and codes
// sent with a paragraph are never judged by the letter's text, which would tell its holder
// whether a word stands in the rest of the letter.
func TestIdentifyScanOwnQRCode(t *testing.T) {
	t.Parallel() // as TestIdentifyScan
	reader := ocrtest.Reader(t)
	ctx := context.Background()
	o := newOffice(t)
	o.fixedCheckCodes()
	const payment, added = "https://pay.tfn.example/invoice/2026-0042", "https://pay.elsewhere.example/invoice/2026-0042"

	// A text letter that writes out the address of a code printed on a copy of it, not on
	// its released pages: the code is not the letter's.
	text := synth.Corpus{Seed: 29, FamilySize: 1}.Letter(0).Text() + "\n\nPay the invoice at " + payment + " before the end of the month.\n"
	ref, rel := o.released(t, text)
	pages := ocrtest.Pages(t, rel.File, 150)
	scanOf := func(pages []image.Image) ocr.Reading { return ocrtest.ReadImages(t, reader, pages, 0.5, 1) }
	withCode := slices.Clone(pages)
	withCode[0] = ocrtest.DrawQRCode(t, pages[0], payment, 1000, 24, 4)
	scan := scanOf(withCode)
	if !slices.Contains(scan.Codes, payment) {
		t.Fatalf("the payment code was not read: %q", scan.Codes)
	}
	if got, err := o.r.IdentifyScan(ctx, Actor{}, scan); err != nil || got.Outcome != Altered || got.Reference != ref || !slices.Equal(got.ForeignCodes, []string{payment}) {
		t.Errorf("a code the letter writes out but its pages do not show: %+v, %v", got, err)
	}

	// Whoever holds a paragraph learns nothing of the rest of the letter from the codes it
	// sends: a word of the letter outside the paragraph, sent as a code, is as foreign as a
	// word the letter does not have. (Until codes written in the letter's text counted as
	// its own, the answer told them apart.)
	genuine := scanOf(pages)
	words := strings.Fields(genuine.Text)
	paragraph := strings.Join(words[len(words)/3:len(words)/3+60], " ")
	var outside string
	for _, w := range strings.Fields(text) {
		if len(w) > 6 && !strings.Contains(paragraph, w) && strings.Trim(w, ".,;:") == w {
			outside = w
			break
		}
	}
	if outside == "" {
		t.Fatal("no word of the letter outside the paragraph")
	}
	probe := ocr.Reading{Text: paragraph, Codes: []string{outside, payment, "Zanzibarian"}}
	got, err := o.r.IdentifyScan(ctx, Actor{}, probe)
	if err != nil || got.Outcome != Valid || got.Reference != ref || got.ForeignCodes != nil || !slices.Equal(got.UncheckedCodes, probe.Codes) || !strings.Contains(got.Message, "follow none") {
		t.Errorf("a paragraph sent with words of the letter as codes: %+v, %v; want all three unchecked", got, err)
	}

	// A PDF letter whose page shows a payment code that its text does not write out.
	// One page: the forger's text layer (ocrtest.SearchablePDF) is all on its first.
	body := strings.Join(strings.Fields(synth.Corpus{Seed: 30, FamilySize: 1}.Letter(0).Text())[:150], " ")
	doc, err := pdf.Render("text/plain", []byte(body), pdf.Letterhead{Office: o.r.cfg.Office.Name, Reference: "draft"})
	if err != nil {
		t.Fatal(err)
	}
	layer, err := textract.Text("application/pdf", doc)
	if err != nil {
		t.Fatal(err)
	}
	docPages := ocrtest.Pages(t, doc, 150)
	if len(docPages) != 1 {
		t.Fatalf("the PDF letter has %d pages, want 1", len(docPages))
	}
	docPages[0] = ocrtest.DrawQRCode(t, docPages[0], added, 1000, 24, 4)
	withPayment := ocrtest.SearchablePDF(t, docPages, 150, layer)
	ref2, err := o.r.CreateLetter(ctx, o.drafter, NewLetter{Subject: "Invoice", Class: "foreign-government",
		Addressees: []string{"Ministry of Defence of Freedonia"}, File: Upload{Name: "invoice.pdf", Data: withPayment}})
	if err != nil {
		t.Fatal(err)
	}
	o.approve(t, ref2)
	if err := o.sign(t, ref2); err != nil {
		t.Fatal(err)
	}
	rel2, err := o.r.Release(ctx, o.officer, ref2)
	if err != nil {
		t.Fatal(err)
	}
	// At 300 dpi: at 150, this page's footer code, turned half a degree, is one ZXing does
	// not find (its modules are under 4 pixels).
	scan = scanOf(ocrtest.Pages(t, rel2.File, 300))
	if !slices.Contains(scan.Codes, added) || !slices.Contains(scan.Codes, o.r.VerifyURL(ref2, rel2.CheckCode)) {
		t.Fatalf("the released PDF's codes were not read: %q", scan.Codes)
	}
	if got, err := o.r.IdentifyScan(ctx, Actor{}, scan); err != nil || got.Outcome != Valid || got.Reference != ref2 || got.ForeignCodes != nil || got.UncheckedCodes != nil {
		t.Errorf("a code the released pages show: %+v, %v", got, err)
	}

	// Whoever holds a paragraph of that letter learns nothing of the codes its pages show:
	// its payment code, guessed, is answered as a code it does not show is. (Until codes
	// were judged against the released pages for whole scans only, the first was the
	// letter's and the second foreign.)
	shownWords := strings.Fields(scan.Text)
	para := strings.Join(shownWords[20:80], " ")
	other := "https://pay.elsewhere.example/invoice/2026-0043"
	right, err := o.r.IdentifyScan(ctx, Actor{}, ocr.Reading{Text: para, Codes: []string{added}})
	if err != nil {
		t.Fatal(err)
	}
	wrong, err := o.r.IdentifyScan(ctx, Actor{}, ocr.Reading{Text: para, Codes: []string{other}})
	if err != nil {
		t.Fatal(err)
	}
	if right.Reference != ref2 || right.Outcome != wrong.Outcome || right.Match != wrong.Match || !slices.Equal(right.ForeignCodes, wrong.ForeignCodes) ||
		len(right.UncheckedCodes) != len(wrong.UncheckedCodes) || strings.ReplaceAll(right.Message, added, other) != wrong.Message {
		t.Errorf("a paragraph with a guess of the code its letter's pages show is answered apart from a wrong guess:\n%+v\n%+v", right, wrong)
	}
	// On a part of a letter too, a code that presents itself as a verify address, and is not
	// the footer's, is foreign: a letter shows no verify address but its own.
	fake := "https://tfn-verify.example/v/" + ref2 + "/x"
	if got, err := o.r.IdentifyScan(ctx, Actor{}, ocr.Reading{Text: para, Codes: []string{fake, other}}); err != nil || got.Outcome != Altered ||
		!slices.Equal(got.ForeignCodes, []string{fake}) || !slices.Equal(got.UncheckedCodes, []string{other}) {
		t.Errorf("a paragraph with a verify address that is not its letter's: %+v, %v", got, err)
	}

	// The text letter's genuine pages with that code added beside its own: another letter's
	// code is not this one's.
	pages[0] = ocrtest.DrawQRCode(t, pages[0], added, 1040, 400, 4)
	scan = scanOf(pages)
	if got, err := o.r.IdentifyScan(ctx, Actor{}, scan); err != nil || got.Outcome != Altered || !slices.Equal(got.ForeignCodes, []string{added}) {
		t.Errorf("a code added to a copy: %+v, %v", got, err)
	}
}
