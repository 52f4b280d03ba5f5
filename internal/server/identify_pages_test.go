package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/identify/synth"
	"github.com/chancery/chancery/internal/ocr/ocrtest"
	"github.com/chancery/chancery/internal/registry"
	"github.com/chancery/chancery/internal/seal"
	"github.com/chancery/chancery/internal/textract"
)

// TestIdentifyPDFPages: a PDF sent to /api/v1/identify is answered by what its pages show,
// read by the server's OCR. The released file itself is valid without being read. A
// scanner's PDF, whose text layer is invisible, is read as a scan: the genuine letter scanned
// is valid (its text layer, Tesseract's, would have made it altered), and the letter's
// invisible text over another letter's pictures is that other letter. A text layer drawn
// under pictures that cover it is judged by the pictures: the letter's own pages keep it
// valid, another letter's make it altered, without telling the public more than for any
// altered copy. chancery identify sends the text layer and what it read of the pages as
// JSON: answered the same.
func TestIdentifyPDFPages(t *testing.T) {
	reader := ocrtest.Reader(t)
	o := cfNewOffice(t)
	o.cfg.OCRTime = 10 * time.Minute // the budget of OCR is not what this test is about
	// An internal error's cause, next to the request (it once failed so under a loaded
	// machine's clean-clone run, with nothing logged to tell why).
	o.cfg.Logger = slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelError}))
	o.srv = o.newServer(t)
	l := o.create(t, "kilo", ".txt", "text/plain", synth.Corpus{Seed: 34, FamilySize: 1}.Letter(0).Text()+"\n\nBODY\n")
	o.release(t, l)
	other := o.create(t, "lima", ".txt", "text/plain", synth.Corpus{Seed: 35, FamilySize: 1}.Letter(0).Text()+"\n\nBODY\n")
	o.release(t, other)
	layer, err := textract.Text("application/pdf", l.rel.File)
	if err != nil {
		t.Fatal(err)
	}
	// The public may learn the words the files hold, nothing else of either letter: the
	// forged file's pages show the other letter's subject and addressees in its letterhead.
	var secret []string
	for _, m := range l.markers {
		if !strings.HasPrefix(m, "mkrbody") {
			secret = append(secret, m)
		}
	}
	for _, m := range other.markers {
		if !strings.HasPrefix(m, "mkrbody") && !strings.HasPrefix(m, "mkrsubj") && !strings.HasPrefix(m, "mkraddr") {
			secret = append(secret, m)
		}
	}
	det := cfNewDetector(secret)
	ask := func(name, ctype string, body []byte) registry.Identification {
		t.Helper()
		return askIdentify(t, o.srv.URL, det, name, ctype, body)
	}
	upload := func(name string, file []byte) registry.Identification {
		t.Helper()
		ctype, body := multipartFile(name, file)
		return ask(name, ctype, body)
	}

	if id := upload("released.pdf", l.rel.File); id.Outcome != registry.Valid || !strings.Contains(id.Message, "byte for byte") {
		t.Errorf("the released file: %s: %s", id.Outcome, id.Message)
	}
	// The letter saved again by another program (a viewer's "save as PDF"): its text, as
	// pdftotext reads it, and its pages are the letter's. Its own text objects made it
	// "altered" before.
	if id := upload("resaved.pdf", ocrtest.Resaved(t, l.rel.File)); id.Outcome != registry.Valid || id.Reference != l.ref || !strings.Contains(id.Message, "show the same text") {
		t.Errorf("the letter saved again: %s %s (%s): %s", id.Outcome, id.Reference, id.Match, id.Message)
	}
	// A scanner's PDF, its invisible text layer over the pictures, is read as the scan it is:
	// Tesseract's own layer, and a layer of the letter's exact text over its pages.
	pages := ocrtest.Pages(t, l.rel.File, 150)
	for name, file := range map[string][]byte{
		"scanner.pdf":    ocrtest.ScannerPDF(t, reader, ocrtest.Scan(t, pages[0], 0.5, 3)),
		"searchable.pdf": ocrtest.SearchablePDF(t, pages, 150, layer),
	} {
		if id := upload(name, file); id.Outcome != registry.Valid || id.Reference != l.ref || !id.Scan {
			t.Errorf("%s: %s %s (%s, scan %v): %s\ndiff: %+v", name, id.Outcome, id.Reference, id.Match, id.Scan, id.Message, id.Diff)
		}
	}
	// The letter's text layer, invisible, over another letter's pages: what they show.
	otherPages := ocrtest.Pages(t, other.rel.File, 150)
	if id := upload("hidden.pdf", ocrtest.SearchablePDF(t, otherPages, 150, layer)); id.Reference != other.ref || !id.Scan {
		t.Errorf("the letter's invisible text over another letter's pages: %s %s (%s): %s", id.Outcome, id.Reference, id.Match, id.Message)
	}
	// A text layer drawn under the pictures that cover it: judged by the pages.
	if id := upload("covered.pdf", ocrtest.CoveredPDF(t, pages, 150, layer)); id.Outcome != registry.Valid || id.Reference != l.ref || !strings.Contains(id.Message, "show the same text") {
		t.Errorf("the letter's text under its pages: %s %s: %s", id.Outcome, id.Reference, id.Message)
	}
	forged := ocrtest.CoveredPDF(t, otherPages, 150, layer)
	if id := upload("forged.pdf", forged); id.Outcome != registry.Altered || id.Reference != l.ref {
		t.Errorf("the letter's text under another letter's pages: %s %s: %s", id.Outcome, id.Reference, id.Message)
	}

	// What chancery identify sends: the text layer, what OCR read of the pages, the digest.
	shown, err := reader.ReadPages(context.Background(), forged)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := json.Marshal(map[string]any{"text": layer, "pages": shown.Text, "digest": seal.DigestOf(forged)})
	if id := ask("text layer and pages", "application/json", body); id.Outcome != registry.Altered || id.Reference != l.ref {
		t.Errorf("the text layer and the pages sent as text: %s %s: %s", id.Outcome, id.Reference, id.Message)
	}
	for name, req := range map[string]map[string]any{
		"pages of a scan": {"text": layer, "pages": shown.Text, "scan": true},
		"a bad digest":    {"text": layer, "pages": shown.Text, "digest": "sha256:12"},
	} {
		body, _ := json.Marshal(req)
		resp, err := http.Post(o.srv.URL+"/api/v1/identify", "application/json", bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		answer, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusBadRequest || !strings.Contains(string(answer), "error") {
			t.Errorf("%s: %d %s; want 400", name, resp.StatusCode, answer)
		}
	}
}

// TestIdentifyDraftBytes: a file whose bytes are a draft's, a copy handed out for
// coordination or a version's own file, is that draft whatever its text, as its digest says
// on the verify page: uploaded, or its digest sent beside its text as chancery identify
// does. The public learns that it is not an official document and nothing else (no
// reference, subject, recipient or exporter); a member learns which draft it is. The
// released file's bytes are said to be the released file.
func TestIdentifyDraftBytes(t *testing.T) {
	o := cfNewOffice(t)
	echo := o.letters["echo"]
	v, err := o.reg.Letter(context.Background(), o.actors[cfDrafter], echo.ref)
	if err != nil {
		t.Fatal(err)
	}
	ctype, copyBody := multipartFile("copy.pdf", o.export.Data)
	asked := map[string]struct{ ctype, body string }{
		"the draft copy uploaded":     {ctype, string(copyBody)},
		"the draft copy's digest":     {"application/json", `{"text":"Dear Minister, these words are not the point","digest":"` + o.export.Digest + `"}`},
		"the version's file's digest": {"application/json", `{"text":"Dear Minister, these words are not the point","digest":"` + v.Versions[0].Digest + `"}`},
	}
	for name, q := range asked {
		for _, token := range []string{"", o.tokens[cfDrafter]} {
			r := cfDo(t, o.srv, "POST", "/api/v1/identify", token, q.ctype, []byte(q.body))
			var id registry.Identification
			if err := json.Unmarshal(r.body, &id); r.status != http.StatusOK || err != nil {
				t.Fatalf("%s: %s %s", name, r, r.body)
			}
			if id.Outcome != registry.Draft || id.Bytes != registry.BytesDraft {
				t.Errorf("%s (token %v): %s (bytes %q): %s", name, token != "", id.Outcome, id.Bytes, id.Message)
			}
			if token == "" {
				o.assertClean(t, r)
				if id.Reference != "" || id.Status == nil || id.Status.Draft != nil {
					t.Errorf("%s: the public learns the draft: %+v", name, id)
				}
			} else if id.Reference != echo.ref || id.Status == nil || id.Status.Draft == nil {
				t.Errorf("%s: a member is not told which draft: %+v", name, id)
			}
		}
	}
	alpha := o.letters["alpha"]
	ctype, body := multipartFile("alpha.pdf", alpha.rel.File)
	r := cfDo(t, o.srv, "POST", "/api/v1/identify", "", ctype, body)
	var id registry.Identification
	if err := json.Unmarshal(r.body, &id); err != nil || id.Outcome != registry.Valid || id.Bytes != registry.BytesReleased {
		t.Errorf("the released file: %s %s", r, r.body)
	}
}
