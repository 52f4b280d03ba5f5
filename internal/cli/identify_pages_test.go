package cli_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/cli"
	"github.com/chancery/chancery/internal/identify/synth"
	"github.com/chancery/chancery/internal/ocr/ocrtest"
	"github.com/chancery/chancery/internal/registry"
	"github.com/chancery/chancery/internal/textract"
)

// TestIdentifyPDFPages: 'chancery identify' on a PDF whose text layer is a released
// letter's reads its pages with OCR and sends what they show: a forger's PDF, the letter's
// text under the pictures of another letter, is altered (exit 1), and without OCR the answer
// says that the pages were not read. A searchable PDF (an invisible text layer over
// pictures) is read as a scan. A copy whose QR code leads elsewhere, as a PDF or a scan, is
// altered: the QR codes read are sent with the text, and so are the addresses of a PDF's
// links. (The letter's text under its own pages, and the letter saved again by another
// program, both valid, are judged by the server from what the command sends: the server's
// TestIdentifyPDFPages sends them so.)
func TestIdentifyPDFPages(t *testing.T) {
	ocrtest.Reader(t)
	o := newOffice(t)
	dir := t.TempDir()
	released := func(seed uint64, subject string) []byte {
		t.Helper()
		// The forger's text layer is written in WinAnsi (ocrtest.SearchablePDF).
		body := strings.Map(func(r rune) rune {
			if r > 127 {
				return -1
			}
			return r
		}, synth.Corpus{Seed: seed, FamilySize: 1}.Letter(0).Text())
		ref := o.letter(subject, "foreign-government", body)
		o.ready(ref)
		if code, _, errs := o.run("otto", "release", ref, "--out", dir); code != cli.ExitOK {
			t.Fatalf("release: %s", errs)
		}
		b, err := os.ReadFile(filepath.Join(dir, ref+".pdf"))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	letter, other := released(43, "Movements"), released(44, "Supplies")
	layer, err := textract.Text("application/pdf", letter)
	if err != nil {
		t.Fatal(err)
	}
	// The forger's copy whose QR code leads elsewhere, its footer unchanged.
	const phishing = "https://tfn-verify.example/v/letter"
	phished := ocrtest.Pages(t, letter, 150)
	phished[0] = ocrtest.ReplaceQRCode(t, phished[0], phishing)
	files := map[string][]byte{
		"phished.pdf":    ocrtest.CoveredPDF(t, phished, 150, layer),
		"phished.jpg":    ocrtest.Scan(t, phished[0], 0.5, 3),
		"searchable.pdf": ocrtest.SearchablePDF(t, ocrtest.Pages(t, letter, 150), 150, layer),
		"forged.pdf":     ocrtest.CoveredPDF(t, ocrtest.Pages(t, other, 150), 150, layer),
		"linked.pdf":     ocrtest.PicturesPDF(t, ocrtest.Pages(t, letter, 150), 150, map[int]ocrtest.Over{0: {Link: phishing}}),
	}
	ask := func(name string) (int, registry.Identification) {
		t.Helper()
		path := filepath.Join(dir, name)
		write(t, path, files[name])
		code, out, errs := o.run("otto", "identify", "--json", path)
		var id registry.Identification
		if err := json.Unmarshal([]byte(out), &id); err != nil {
			t.Fatalf("%s: exit %d: %v\nstdout: %s\nstderr: %s", name, code, err, out, errs)
		}
		return code, id
	}
	if code, id := ask("searchable.pdf"); code != cli.ExitOK || id.Outcome != registry.Valid || !id.Scan {
		t.Errorf("a searchable copy, read as a scan: exit %d, %s (scan %v): %s", code, id.Outcome, id.Scan, id.Message)
	}
	if code, id := ask("forged.pdf"); code != cli.ExitFailed || id.Outcome != registry.Altered {
		t.Errorf("the letter's text under another letter's pages: exit %d, %s: %s", code, id.Outcome, id.Message)
	}
	for _, name := range []string{"phished.pdf", "phished.jpg"} {
		if code, id := ask(name); code != cli.ExitFailed || id.Outcome != registry.Altered || !slices.Equal(id.ForeignCodes, []string{phishing}) {
			t.Errorf("%s, whose QR code leads elsewhere: exit %d, %s, foreign %q: %s", name, code, id.Outcome, id.ForeignCodes, id.Message)
		}
	}
	// A scanner's PDF of the letter with a link over its footer to a forger's page: the links
	// read are sent with the text (they were not, and the copy was valid).
	if code, id := ask("linked.pdf"); code != cli.ExitFailed || id.Outcome != registry.Altered || !slices.Equal(id.ForeignLinks, []string{phishing}) {
		t.Errorf("linked.pdf, whose link leads elsewhere: exit %d, %s, foreign links %q: %s", code, id.Outcome, id.ForeignLinks, id.Message)
	}
	t.Setenv("CHANCERY_TESSERACT", "/nonexistent/tesseract")
	if code, id := ask("forged.pdf"); code != cli.ExitOK || id.Outcome != registry.Valid || !strings.Contains(id.Message, registry.PagesNotRead) {
		t.Errorf("without OCR: exit %d, %s: %s", code, id.Outcome, id.Message)
	}
	path := filepath.Join(dir, "searchable.pdf")
	if code, _, errs := o.run("otto", "identify", path); code != cli.ExitError || !strings.Contains(errs, "is a scan, and reading it needs OCR") {
		t.Errorf("a searchable copy without OCR: exit %d: %s", code, errs)
	}
}

// TestIdentifyDraftCopy: 'chancery identify' on a draft copy handed out for coordination
// sends its digest beside its text: the copy is that draft, not an official document (exit
// 1), even once its version is released with the same words. Its pages are not read.
func TestIdentifyDraftCopy(t *testing.T) {
	o := newOffice(t)
	dir := t.TempDir()
	ref := o.letter("Movements", "foreign-government", synth.Corpus{Seed: 45, FamilySize: 1}.Letter(0).Text())
	cp, err := o.reg.ExportDraft(context.Background(), o.actors["dana"], ref, "Ministry of Foreign Affairs")
	if err != nil {
		t.Fatal(err)
	}
	o.ready(ref)
	if code, _, errs := o.run("otto", "release", ref, "--out", dir); code != cli.ExitOK {
		t.Fatalf("release: %s", errs)
	}
	path := filepath.Join(dir, "copy.pdf")
	write(t, path, cp.Data)
	t.Setenv("CHANCERY_TESSERACT", "/nonexistent/tesseract") // the pages need not be read
	for _, who := range []string{"otto", "nobody"} {
		code, out, errs := o.run(who, "identify", "--json", path)
		var id registry.Identification
		if err := json.Unmarshal([]byte(out), &id); err != nil {
			t.Fatalf("%s: exit %d: %v\n%s%s", who, code, err, out, errs)
		}
		if code != cli.ExitFailed || id.Outcome != registry.Draft || id.Bytes != registry.BytesDraft {
			t.Errorf("%s: exit %d, %s (bytes %q): %s", who, code, id.Outcome, id.Bytes, id.Message)
		}
	}
}
