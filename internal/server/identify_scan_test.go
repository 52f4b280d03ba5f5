package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/identify/synth"
	"github.com/chancery/chancery/internal/ocr/ocrtest"
	"github.com/chancery/chancery/internal/registry"
	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
)

// TestIdentifyScanUpload (issue 12, item 15, through HTTP): a released letter printed and
// scanned, posted to the public identify endpoint as a JPEG, is read by OCR and answers
// valid, from a scan (a part of the letter: the scan is of its first page), as does the text
// read from it sent as JSON marked "scan"; the same scan
// saved as a PDF without a text layer is read by OCR too and found. No answer reveals the
// letter's subject, addressee, signer or comments, as for pasted text.
func TestIdentifyScanUpload(t *testing.T) {
	reader := ocrtest.Reader(t)
	o := cfNewOffice(t)
	// OCR takes seconds a page, many more on a machine shared with other work: the budget of
	// scans is not what this test is about.
	o.cfg.OCRTime = 10 * time.Minute
	o.srv = o.newServer(t)
	l := o.create(t, "golf", ".txt", "text/plain", synth.Corpus{Seed: 31, FamilySize: 1}.Letter(0).Text()+"\n\nBODY\n")
	o.release(t, l)
	pages := ocrtest.Pages(t, l.rel.File, 150)
	scan := ocrtest.Scan(t, pages[0], 0.5, 7)
	// A scan of the first page of several is a part of the letter, not the letter.
	want := registry.MatchScan
	if len(pages) > 1 {
		want = "excerpt"
	}
	var scanPDF bytes.Buffer
	if err := api.ImportImages(nil, &scanPDF, []io.Reader{bytes.NewReader(scan)}, pdfcpu.DefaultImportConfig(), model.NewDefaultConfiguration()); err != nil {
		t.Fatal(err)
	}
	// What the public may not learn from a scan: all the letter's markers but its body's,
	// which the scan shows.
	secret := slices.DeleteFunc(slices.Clone(l.markers), func(m string) bool { return strings.HasPrefix(m, "mkrbody") })
	det := cfNewDetector(secret)
	// The text read from the scan by the asker (as chancery identify does), sent as text.
	text, err := reader.Read(context.Background(), scan)
	if err != nil {
		t.Fatal(err)
	}
	asText, _ := json.Marshal(map[string]any{"text": text, "scan": true})
	for name, file := range map[string][]byte{"scan.jpg": scan, "scan.pdf": scanPDF.Bytes(), "text read from the scan": asText} {
		var body bytes.Buffer
		ctype := "application/json"
		if strings.HasPrefix(name, "scan.") {
			mw := multipart.NewWriter(&body)
			fw, _ := mw.CreateFormFile("file", name)
			fw.Write(file)
			mw.Close()
			ctype = mw.FormDataContentType()
		} else {
			body.Write(file)
		}
		resp, err := http.Post(o.srv.URL+"/api/v1/identify", ctype, &body)
		if err != nil {
			t.Fatal(err)
		}
		answer, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		var id registry.Identification
		if err := json.Unmarshal(answer, &id); resp.StatusCode != http.StatusOK || err != nil {
			t.Fatalf("%s: %d %s", name, resp.StatusCode, answer)
		}
		// The scan saved as a PDF is read from the scanner's own image inside it (pdfimages),
		// not from a second rasterisation, so it answers as the JPEG does.
		if id.Outcome != registry.Valid || id.Reference != l.ref || id.Match != want || !id.Scan {
			t.Errorf("%s: %s %s (%s, scan %v): %s\ndiff: %+v", name, id.Outcome, id.Reference, id.Match, id.Scan, id.Message, id.Diff)
		}
		for m, how := range det.find(answer) {
			t.Errorf("LEAK: %s: the answer for a scan reveals %q (%s)", name, m, how)
		}
	}
}
