package registry

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/identify/synth"
	"github.com/chancery/chancery/internal/ocr"
	"github.com/chancery/chancery/internal/ocr/ocrtest"
	"github.com/chancery/chancery/internal/seal"
	"github.com/chancery/chancery/internal/textract"
)

// TestIdentifyLinks: a copy of a genuine letter with a link over its footer to another verify
// address (a forger's page) was answered the letter, valid, as a scanner's PDF and as a PDF
// whose text layer is the letter's, since only QR codes were looked at (security 22): a
// reader who clicks on the footer is taken to the forger's page. Such a link makes the copy
// altered, and the answer names it; a link to the letter's own verify address does not.
// Without its pages' links the same copy is the letter, so the link alone made the
// difference.
func TestIdentifyLinks(t *testing.T) {
	t.Parallel() // as TestIdentifyScan
	reader := ocrtest.Reader(t)
	ctx := context.Background()
	o := newOffice(t)
	o.fixedCheckCodes()
	ref, rel := o.released(t, synth.Corpus{Seed: 39, FamilySize: 1}.Letter(0).Text())
	own := o.r.VerifyURL(ref, rel.CheckCode)
	phishing := "https://tfn-verify.example/v/" + ref + "/" + rel.CheckCode
	pages := ocrtest.Pages(t, rel.File, 150)
	layer, err := textract.Text("application/pdf", rel.File)
	if err != nil {
		t.Fatal(err)
	}
	for _, link := range []string{phishing, own} {
		doc := ocrtest.PicturesPDF(t, pages, 150, map[int]ocrtest.Over{0: {Link: link}})
		scan, err := reader.Read(ctx, doc)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(scan.Links, []string{link}) {
			t.Fatalf("the links read: %q, want %q", scan.Links, link)
		}
		shown, err := reader.ReadPages(ctx, doc)
		if err != nil {
			t.Fatal(err)
		}
		asScan, err := o.r.IdentifyScan(ctx, Actor{}, scan)
		if err != nil {
			t.Fatal(err)
		}
		asFile, err := o.r.IdentifyFile(ctx, Actor{}, layer, seal.DigestOf(doc), func(context.Context) (ocr.Reading, error) { return shown, nil })
		if err != nil {
			t.Fatal(err)
		}
		for name, got := range map[string]*Identification{"scan": asScan, "file": asFile} {
			if link == own {
				if got.Outcome != Valid || got.Reference != ref || got.ForeignLinks != nil {
					t.Errorf("%s with a link to its own verify address: %s %s (%s), foreign links %q: %s", name, got.Outcome, got.Reference, got.Match, got.ForeignLinks, got.Message)
				}
				continue
			}
			if got.Outcome != Altered || got.Reference != ref || !slices.Equal(got.ForeignLinks, []string{phishing}) ||
				!strings.Contains(got.Message, "link that is not the letter's, which leads to "+strconv.Quote(phishing)) {
				t.Errorf("%s with a link to a forger's verify address: %s %s (%s), foreign links %q: %s", name, got.Outcome, got.Reference, got.Match, got.ForeignLinks, got.Message)
			}
		}
		if link != phishing {
			continue
		}
		scan.Links, shown.Links = nil, nil
		if got, err := o.r.IdentifyScan(ctx, Actor{}, scan); err != nil || got.Outcome != Valid {
			t.Errorf("the scan without its link: %+v, %v", got, err)
		}
		if got, err := o.r.IdentifyFile(ctx, Actor{}, layer, seal.DigestOf(doc), func(context.Context) (ocr.Reading, error) { return shown, nil }); err != nil || got.Outcome != Valid {
			t.Errorf("the file without its link: %+v, %v", got, err)
		}
	}

	// A paragraph's scan with a link to another verify address: the link presents itself as
	// one, and a letter has no verify address but its own.
	para := strings.Join(strings.Fields(layer)[20:80], " ")
	got, err := o.r.IdentifyScan(ctx, Actor{}, ocr.Reading{Text: para, Links: []string{phishing, "https://example.org/"}})
	if err != nil || got.Outcome != Altered || !slices.Equal(got.ForeignLinks, []string{phishing}) || !slices.Equal(got.UncheckedLinks, []string{"https://example.org/"}) {
		t.Errorf("a paragraph with a link to another verify address: %+v, %v", got, err)
	}
}
