package server_test

import (
	"bytes"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/identify/synth"
	"github.com/chancery/chancery/internal/ocr/ocrtest"
	"github.com/chancery/chancery/internal/registry"
)

// TestIdentifyGhostscriptCopy: a released letter printed again to PDF through Ghostscript
// (pdfwrite, behind many "print to PDF" commands) keeps its pages but loses its text layer to
// the glyphs' codes of the office's Type 3 fonts; posted to the public identify endpoint, its
// pages are read by OCR as a scan's, and it answers valid from a scan, not "not an official
// letter of this office".
func TestIdentifyGhostscriptCopy(t *testing.T) {
	ocrtest.Reader(t)
	gs, err := exec.LookPath("gs")
	if err != nil {
		if os.Getenv("CHANCERY_REQUIRE_TOOLS") == "1" {
			t.Fatalf("gs is required (CHANCERY_REQUIRE_TOOLS=1): %v (apt-get install ghostscript)", err)
		}
		t.Skipf("gs is not installed: %v", err)
	}
	o := cfNewOffice(t)
	o.cfg.OCRTime = 10 * time.Minute
	o.srv = o.newServer(t)
	l := o.create(t, "hotel", ".txt", "text/plain", synth.Corpus{Seed: 41, FamilySize: 1}.Letter(0).Text()+"\n")
	o.release(t, l)
	dir := t.TempDir()
	in, out := filepath.Join(dir, "released.pdf"), filepath.Join(dir, "printed.pdf")
	if err := os.WriteFile(in, l.rel.File, 0o600); err != nil {
		t.Fatal(err)
	}
	if b, err := exec.Command(gs, "-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", "-sDEVICE=pdfwrite", "-o", out, in).CombinedOutput(); err != nil {
		t.Fatalf("gs: %v: %s", err, b)
	}
	printed, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("file", "printed.pdf")
	fw.Write(printed)
	mw.Close()
	resp, err := http.Post(o.srv.URL+"/api/v1/identify", mw.FormDataContentType(), &body)
	if err != nil {
		t.Fatal(err)
	}
	answer, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	var id registry.Identification
	if err := json.Unmarshal(answer, &id); resp.StatusCode != http.StatusOK || err != nil {
		t.Fatalf("%d %s", resp.StatusCode, answer)
	}
	if id.Outcome != registry.Valid || id.Reference != l.ref || !id.Scan {
		t.Errorf("the letter printed again through Ghostscript: %s %q (%s, scan %v): %s", id.Outcome, id.Reference, id.Match, id.Scan, id.Message)
	}
}
