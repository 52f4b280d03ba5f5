package registry

import (
	"bytes"
	"context"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/chancery/chancery/internal/identify/synth"
	"github.com/chancery/chancery/internal/ocr/ocrtest"
)

// TestIdentifyPictureOfADraftCopyDraftMark: the picture taken out of a draft copy of a scan
// (`pdfimages`), which carries the copy's marks in its own pixels so that it is not the scan
// unmarked, was answered to the public "altered: … close to REF (valid)" for a scan of a
// released letter, never told that it carries the office's DRAFT mark (found by audit,
// sixty-second session, live with `pdfimages` and `chancery identify`): its banner is drawn
// only diagonally, which OCR does not read, and the band at its foot held only the copy's
// line. The band now says the banner too, and the answer tells the DRAFT mark.
func TestIdentifyPictureOfADraftCopyDraftMark(t *testing.T) {
	t.Parallel()
	if _, err := exec.LookPath("pdfimages"); err != nil {
		t.Skip("pdfimages not installed")
	}
	reader := ocrtest.Reader(t)
	ctx := context.Background()
	o := newOffice(t)
	rel := o.approvedAndReleased(t, o.letter(t, synth.Corpus{Seed: 24, FamilySize: 1}.Letter(0).Text()))
	var page bytes.Buffer
	if err := png.Encode(&page, ocrtest.Pages(t, rel.File, 150)[0]); err != nil {
		t.Fatal(err)
	}
	// The released letter, scanned, is drafted as another letter's version and copied.
	scanRef, err := o.r.CreateLetter(ctx, o.drafter, NewLetter{Subject: "Scanned letter", Class: "foreign-government",
		Addressees: []string{"Ministry of Defence of Freedonia"}, File: Upload{Name: "scan.png", Data: page.Bytes()}})
	if err != nil {
		t.Fatal(err)
	}
	c, err := o.r.ExportDraft(ctx, o.drafter, scanRef, "Embassy liaison")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "copy.pdf"), c.Data, 0o600); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("pdfimages", "-png", filepath.Join(dir, "copy.pdf"), filepath.Join(dir, "img")).CombinedOutput(); err != nil {
		t.Fatalf("pdfimages: %v: %s", err, out)
	}
	picture, err := os.ReadFile(filepath.Join(dir, "img-000.png"))
	if err != nil {
		t.Fatal(err)
	}
	for name, file := range map[string][]byte{"the picture taken out of the draft copy": picture, "the scan": page.Bytes()} {
		scan, err := reader.Read(ctx, file)
		if err != nil {
			t.Fatal(err)
		}
		id, err := o.r.IdentifyScan(ctx, Actor{}, scan)
		if err != nil {
			t.Fatal(err)
		}
		if want := name != "the scan"; told(t, id) != want {
			t.Errorf("%s: %s; want the DRAFT mark told: %v\nread: %q", name, marshal(t, id), want, scan.Text)
		}
	}
}
