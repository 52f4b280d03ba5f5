package registry

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/identify/synth"
	"github.com/chancery/chancery/internal/ocr"
	"github.com/chancery/chancery/internal/ocr/ocrtest"
	"github.com/chancery/chancery/internal/seal"
	"github.com/chancery/chancery/internal/textract"
)

// TestIdentifyFile: a PDF whose text layer is a released letter's is the letter only if its
// pages show that text. A forger's PDF, the picture of a copy with "+4%" for "-4%" under the
// genuine letter's text made invisible, reads as the letter to every text extractor: it is
// altered, and its difference shows what the pages changed. A searchable copy of the genuine
// letter stays valid, pages that show a part of it make it a part, the released file itself
// is not read, and a registry without OCR says that the pages were not read.
func TestIdentifyFile(t *testing.T) {
	t.Parallel() // as TestIdentifyScan
	reader := ocrtest.Reader(t)
	ctx := context.Background()
	o := newOffice(t)
	o.fixedCheckCodes()
	letter := synth.Corpus{Seed: 31, FamilySize: 1}.Letter(0).Text() +
		"\n\nThe budget changes by -4% this year and +2% next year; the ministry pays $1,500,000 to the contractor.\n"
	ref, rel := o.released(t, letter)
	layer, err := textract.Text("application/pdf", rel.File)
	if err != nil {
		t.Fatal(err)
	}
	pagesOf := func(doc []byte) func(context.Context) (ocr.Reading, error) {
		return func(ctx context.Context) (ocr.Reading, error) { return reader.ReadPages(ctx, doc) }
	}
	textOf := func(doc []byte) string {
		t.Helper()
		s, err := textract.Text("application/pdf", doc)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}

	// The released file itself: the office's own, not read.
	notRead := func(context.Context) (ocr.Reading, error) {
		t.Error("the released file's pages were read")
		return ocr.Reading{}, errors.New("not to be read")
	}
	got, err := o.r.IdentifyFile(ctx, Actor{}, layer, seal.DigestOf(rel.File), notRead)
	if err != nil || got.Outcome != Valid || got.Match != "exact" || !strings.Contains(got.Message, "byte for byte") {
		t.Fatalf("the released file: %+v, %v", got, err)
	}

	// A searchable copy of the genuine letter: its pages show its text layer.
	genuine := ocrtest.SearchablePDF(t, ocrtest.Pages(t, rel.File, 150), 150, layer)
	got, err = o.r.IdentifyFile(ctx, Actor{}, textOf(genuine), seal.DigestOf(genuine), pagesOf(genuine))
	if err != nil || got.Outcome != Valid || got.Reference != ref || !strings.Contains(got.Message, "show the same text") {
		t.Fatalf("a searchable copy of the letter: %+v, %v", got, err)
	}

	// The forger's PDF: the genuine text layer over the pictures of a doctored copy.
	forged := ocrtest.SearchablePDF(t, ocrtest.Pages(t, o.forgedCopy(t, ref, rel, strings.Replace(letter, "-4%", "+4%", 1)), 150), 150, layer)
	if got, err := o.r.Identify(ctx, Actor{}, textOf(forged)); err != nil || got.Outcome != Valid {
		t.Fatalf("the forged PDF's text layer is not the letter's, so the test proves nothing: %+v, %v", got, err)
	}
	for _, who := range []Actor{{}, o.reviewer} {
		got, err := o.r.IdentifyFile(ctx, who, textOf(forged), seal.DigestOf(forged), pagesOf(forged))
		if err != nil {
			t.Fatal(err)
		}
		if ins := changedWords(got, "insert"); got.Outcome != Altered || got.Reference != ref || !strings.Contains(ins, "+4%") {
			t.Errorf("the forged PDF (member %v): %s (%s): %s; inserted %q", who.Member != nil, got.Outcome, got.Match, got.Message, ins)
		}
		if who.Member == nil && (got.Status == nil || got.Status.Subject != "" || len(got.Status.Signers) != 0) {
			t.Errorf("the forged PDF told the public more than a reference: subject %q, signers %q", got.Status.Subject, got.Status.Signers)
		}
	}

	// Pages that show only a part of the letter (the first page alone under the whole
	// letter's text): a part, what they lack not checked.
	if pages := ocrtest.Pages(t, rel.File, 150); len(pages) > 1 {
		first := ocrtest.CoveredPDF(t, pages[:1], 150, layer)
		got, err := o.r.IdentifyFile(ctx, Actor{}, textOf(first), seal.DigestOf(first), pagesOf(first))
		if err != nil || got.Outcome != Valid || got.Match != "excerpt" || !strings.Contains(got.Message, "show only a part") {
			t.Errorf("the first page alone: %+v, %v", got, err)
		}
	} else {
		t.Errorf("the letter has %d page: the test of a part needs two", len(pages))
	}

	// Without OCR the answer stands, and says that the pages were not read.
	noOCR := func(context.Context) (ocr.Reading, error) {
		return ocr.Reading{}, fmt.Errorf("no tesseract: %w", ocr.ErrNoOCR)
	}
	got, err = o.r.IdentifyFile(ctx, Actor{}, textOf(forged), seal.DigestOf(forged), noOCR)
	if err != nil || got.Outcome != Valid || !strings.Contains(got.Message, PagesNotRead) {
		t.Fatalf("without OCR: %+v, %v", got, err)
	}
	// Pages that cannot be read leave the file unidentified.
	broken := func(context.Context) (ocr.Reading, error) {
		return ocr.Reading{}, fmt.Errorf("pdftoppm: %w", ocr.ErrOCR)
	}
	if got, err := o.r.IdentifyFile(ctx, Actor{}, textOf(forged), seal.DigestOf(forged), broken); err == nil {
		t.Fatalf("pages that cannot be read: %+v", got)
	}
	// A text that is no released letter's needs no pages.
	got, err = o.r.IdentifyFile(ctx, Actor{}, "an unrelated text of a few words that no letter of this office has ever said", "", notRead)
	if err != nil || got.Outcome != Unknown {
		t.Fatalf("an unrelated text: %+v, %v", got, err)
	}
}

// TestIdentifyShownText: the text a released PDF shows, copied whole from a PDF viewer or
// read by pdftotext (its letterhead and the office's stamp included), is the letter's text,
// and its first page a part of it; with a sign changed it is altered. Before, the stamp's
// words made such a copy "altered".
func TestIdentifyShownText(t *testing.T) {
	ocrtest.Reader(t)
	ctx := context.Background()
	o := newOffice(t)
	o.fixedCheckCodes()
	letter := synth.Corpus{Seed: 36, FamilySize: 1}.Letter(0).Text() +
		"\n\nThe budget changes by -4% this year; the ministry pays $1,500,000 to the contractor.\n"
	ref, rel := o.released(t, letter)
	shown, err := ocr.VisibleText(ctx, rel.File)
	if err != nil {
		t.Fatal(err)
	}
	got, err := o.r.Identify(ctx, Actor{}, shown)
	if err != nil || got.Outcome != Valid || got.Match != "exact" || got.Reference != ref || got.Status == nil || got.Status.Subject == "" {
		t.Fatalf("the text the letter shows: %+v, %v", got, err)
	}
	first, _, more := strings.Cut(shown, "\f")
	if !more {
		t.Fatalf("the letter has one page: the test of a part needs two")
	}
	if got, err := o.r.Identify(ctx, Actor{}, first); err != nil || got.Outcome != Valid || got.Match != "excerpt" {
		t.Errorf("the first page as it shows: %+v, %v", got, err)
	}
	if got, err := o.r.Identify(ctx, Actor{}, strings.Replace(shown, "-4%", "+4%", 1)); err != nil || got.Outcome != Altered {
		t.Errorf("the text the letter shows, with a sign changed: %+v, %v", got, err)
	}
	// What the letter shows was read once and kept; an erasure forgets it.
	if kept, ok := o.r.shown.get(string(rel.FileDigest)); !ok || kept != shown {
		t.Errorf("the text the letter shows is not kept (%v)", ok)
	}
	if err := o.r.Erase(ctx, o.admin, ref, "erased for the test"); err != nil {
		t.Fatal(err)
	}
	if _, ok := o.r.shown.get(string(rel.FileDigest)); ok {
		t.Error("an erased letter's text is still kept")
	}
}

// TestAddSentence: a sentence is added after one full stop, whether or not the message (a
// withdrawal's reason, say) ends with its own.
func TestAddSentence(t *testing.T) {
	for _, c := range []struct{ message, want string }{
		{"valid: released", "valid: released. More"},
		{"retracted: a corrected statement follows.", "retracted: a corrected statement follows. More"},
		{"retracted: wrong dates. ", "retracted: wrong dates. More"},
	} {
		if got := AddSentence(c.message, "More"); got != c.want {
			t.Errorf("AddSentence(%q) = %q, want %q", c.message, got, c.want)
		}
	}
}
