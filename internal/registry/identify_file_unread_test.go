package registry

import (
	"context"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/identify/synth"
	"github.com/chancery/chancery/internal/ocr"
	"github.com/chancery/chancery/internal/seal"
	"github.com/chancery/chancery/internal/textract"
)

// TestIdentifyFilePagesBeyondTheRead: OCR reads a PDF's first ocr.MaxPages pages. A file of
// more pages whose text layer is the letter's, and whose first pages show it (the genuine
// page, blank ones, then a page past the read that shows the letter with a figure changed,
// drawn without text), was answered the letter itself, exact; it is a part of the letter
// shown, the other pages not checked, and says so.
func TestIdentifyFilePagesBeyondTheRead(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	letter := synth.Corpus{Seed: 37, FamilySize: 1}.Letter(0).Text() + "\n\nThe ministry pays 277,200 to the contractor.\n"
	ref, rel := o.released(t, letter)
	layer, err := textract.Text("application/pdf", rel.File)
	if err != nil {
		t.Fatal(err)
	}
	shown := func(context.Context) (ocr.Reading, error) { return ocr.Reading{Text: layer}, nil }
	forged := []byte("the file's bytes: not the released file's")

	got, err := o.r.IdentifyFile(ctx, Actor{}, layer, seal.DigestOf(forged), shown)
	if err != nil || got.Reference != ref || got.Match != "exact" || strings.Contains(got.Message, "not read") {
		t.Fatalf("a file of the letter's pages, all read: %+v, %v", got, err)
	}
	long := layer + strings.Repeat("\f", ocr.MaxPages)
	got, err = o.r.IdentifyFile(ctx, Actor{}, long, seal.DigestOf(forged), shown)
	if err != nil {
		t.Fatal(err)
	}
	if got.Reference != ref || got.Match != "excerpt" || !strings.Contains(got.Message, "other pages were not read") {
		t.Fatalf("a file of %d pages, %d read: %s (%s): %s", ocr.MaxPages+1, ocr.MaxPages, got.Outcome, got.Match, got.Message)
	}
}
