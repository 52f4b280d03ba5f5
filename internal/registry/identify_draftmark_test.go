package registry

import (
	"context"
	"encoding/json"
	"os/exec"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/identify/synth"
	"github.com/chancery/chancery/internal/ocr"
)

// TestIdentifyDraftMark: a draft copy saved again, printed to PDF or scanned no longer has a
// recorded copy's bytes, so the public's answer comes from its text, close to the letter
// released since ("altered"), and nothing said that the text carries, on every page, the
// office's DRAFT banner. The answer now says so (draft_mark and the message), to the public
// and to members alike, in whichever stamp language the banner is; without the banner it says
// nothing, and the outcome does not change (anyone may type a banner).
func TestIdentifyDraftMark(t *testing.T) {
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext not installed")
	}
	ctx := context.Background()
	o := newOffice(t)
	o.r.cfg.Office.StampLanguages = []string{"en", "fr", "ar"}
	body := synth.Corpus{Seed: 11, FamilySize: 3}.Letter(3).Text()
	ref := o.letter(t, body)
	c, err := o.r.ExportDraft(ctx, o.drafter, ref, "Embassy liaison")
	if err != nil {
		t.Fatal(err)
	}
	preview, err := o.r.Preview(ctx, o.reviewer, ref)
	if err != nil {
		t.Fatal(err)
	}
	o.approvedAndReleased(t, ref)
	copyText, previewText := pdftotext(t, c.Data), pdftotext(t, preview)
	// The copy's text without the line naming the copy and its place, as a leak retyped
	// from a photo of a page keeps the banner alone.
	retyped := body + "\nDRAFT - NOT AN 0FFICIAL DOCUMENT\n"
	for _, c := range []struct {
		name, text string
		who        Actor
		marked     bool
		outcome    string
	}{
		{"the coordination copy's text, the public", copyText, Actor{}, true, Altered},
		{"the coordination copy's text, a member", copyText, o.reviewer, true, Draft},
		{"the preview's text, the public", previewText, Actor{}, true, Altered},
		{"the letter with an English banner read by OCR, the public", retyped, Actor{}, true, Altered},
		{"the letter with a French banner, the public", body + "\nPROJET — DOCUMENT NON OFFICIEL", Actor{}, true, Altered},
		{"the letter with an Arabic banner, the public", body + "\nمسودة — ليست وثيقة رسمية", Actor{}, true, Altered},
		{"the letter with the French preview banner, a member", body + "\nAPERCU DE PROJET - DOCUMENT NON OFFICIEL", o.reviewer, true, Altered},
		{"the banner alone, the public", "DRAFT — NOT AN OFFICIAL DOCUMENT " + strings.Repeat("Lorem ipsum dolor sit amet, consectetur adipiscing elit. ", 8), Actor{}, true, Unknown},
		{"the released letter", body, Actor{}, false, Valid},
		{"the letter with the banner's words apart", body + "\nThis draft is not, we hold, an official document.", Actor{}, false, Altered},
		{"the letter with part of the banner", body + "\nNOT AN OFFICIAL DOCUMENT", Actor{}, false, Altered},
	} {
		id, err := o.r.Identify(ctx, c.who, c.text)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if id.Outcome != c.outcome {
			t.Errorf("%s: outcome %s (%q), want %s", c.name, id.Outcome, id.Message, c.outcome)
		}
		if told(t, id) != c.marked {
			t.Errorf("%s: %s; want the draft mark told: %v", c.name, marshal(t, id), c.marked)
		}
	}
	// A scan's text, and what a PDF's pages show beside a text layer that is the letter's
	// (a copy's marks drawn where its text layer leaves them out).
	scan, err := o.r.IdentifyScan(ctx, Actor{}, ocr.Reading{Text: retyped})
	if err != nil {
		t.Fatal(err)
	}
	if !told(t, scan) {
		t.Errorf("a scan with the banner: %s", marshal(t, scan))
	}
	pages := func(context.Context) (ocr.Reading, error) { return ocr.Reading{Text: retyped}, nil }
	file, err := o.r.IdentifyFile(ctx, Actor{}, body, "", pages)
	if err != nil {
		t.Fatal(err)
	}
	if !told(t, file) || file.Outcome == Valid {
		t.Errorf("a PDF whose pages show the banner over the letter's text layer: %s", marshal(t, file))
	}
}

// told reports whether the answer says, in its JSON (draft_mark) and its message, that the
// text carries the DRAFT mark; it fails the test when one says so and the other not.
func told(t *testing.T, id *Identification) bool {
	t.Helper()
	field := strings.Contains(marshal(t, id), `"draft_mark":true`)
	said := strings.Contains(id.Message, "The text carries the office's DRAFT mark, which every page of a draft copy shows: a draft is not an official document, whatever letter its text is close to")
	if field != said {
		t.Errorf("draft_mark %v but the message says it: %v (%q)", field, said, id.Message)
	}
	return field && said
}

func marshal(t *testing.T, id *Identification) string {
	t.Helper()
	b, err := json.Marshal(id)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
