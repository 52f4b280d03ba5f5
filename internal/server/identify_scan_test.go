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
	read, err := reader.Read(context.Background(), scan)
	if err != nil {
		t.Fatal(err)
	}
	if len(read.Codes) != 1 {
		t.Fatalf("the scan's QR code read as %q", read.Codes)
	}
	asText, _ := json.Marshal(map[string]any{"text": read.Text, "scan": true, "qr_codes": read.Codes})
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

// TestIdentifyScanQRCodeUpload: a copy of a released letter whose QR code leads elsewhere,
// its footer unchanged, is altered, uploaded as a scan or sent as what OCR read of it, and
// the answer names the code (foreign_qr_codes); QR codes sent without a scan or pages, too
// many, or longer than a code holds are refused with 400.
func TestIdentifyScanQRCodeUpload(t *testing.T) {
	reader := ocrtest.Reader(t)
	o := cfNewOffice(t)
	o.cfg.OCRTime = 10 * time.Minute
	o.srv = o.newServer(t)
	l := o.create(t, "hotel", ".txt", "text/plain", synth.Corpus{Seed: 32, FamilySize: 1}.Letter(0).Text()+"\n\nBODY\n")
	o.release(t, l)
	const phishing = "https://tfn-verify.example/v/letter"
	page := ocrtest.ReplaceQRCode(t, ocrtest.Pages(t, l.rel.File, 150)[0], phishing)
	scan := ocrtest.Scan(t, page, 0.5, 7)
	read, err := reader.Read(context.Background(), scan)
	if err != nil {
		t.Fatal(err)
	}
	post := func(ctype string, body []byte) (int, []byte) {
		t.Helper()
		resp, err := http.Post(o.srv.URL+"/api/v1/identify", ctype, bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		answer, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, answer
	}
	var upload bytes.Buffer
	mw := multipart.NewWriter(&upload)
	fw, _ := mw.CreateFormFile("file", "scan.jpg")
	fw.Write(scan)
	mw.Close()
	asText, _ := json.Marshal(map[string]any{"text": read.Text, "scan": true, "qr_codes": read.Codes})
	for name, req := range map[string]struct {
		ctype string
		body  []byte
	}{"scan.jpg": {mw.FormDataContentType(), upload.Bytes()}, "what OCR read": {"application/json", asText}} {
		code, answer := post(req.ctype, req.body)
		var id registry.Identification
		if err := json.Unmarshal(answer, &id); code != http.StatusOK || err != nil {
			t.Fatalf("%s: %d %s", name, code, answer)
		}
		if id.Outcome != registry.Altered || id.Reference != l.ref || !slices.Equal(id.ForeignCodes, []string{phishing}) {
			t.Errorf("%s: %s %s, foreign %q: %s", name, id.Outcome, id.Reference, id.ForeignCodes, id.Message)
		}
		if !bytes.Contains(answer, []byte(`"foreign_qr_codes":["`+phishing+`"]`)) {
			t.Errorf("%s: the answer does not name the code in foreign_qr_codes: %s", name, answer)
		}
	}
	long := strings.Repeat("x", 7090)
	many := make([]string, 41)
	for name, req := range map[string]map[string]any{
		"codes without a scan":     {"text": read.Text, "qr_codes": read.Codes},
		"unread without a scan":    {"text": read.Text, "qr_codes_unread": true},
		"more codes than 10 pages": {"text": read.Text, "scan": true, "qr_codes": many},
		"a code too long":          {"text": read.Text, "scan": true, "qr_codes": []string{long}},
	} {
		body, _ := json.Marshal(req)
		if code, answer := post("application/json", body); code != http.StatusBadRequest || !strings.Contains(string(answer), "qr_codes") {
			t.Errorf("%s: %d %s; want 400 naming qr_codes", name, code, answer)
		}
	}
}
