package server

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"image"
	"image/png"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/ocr"
	"github.com/chancery/chancery/internal/registry"
	"github.com/chancery/chancery/internal/store"
	"github.com/chancery/chancery/internal/translog"
	"golang.org/x/mod/sumdb/note"
)

// newIdentifyServer serves an empty registry with cfg (its Log, DB and Registry are set here).
func newIdentifyServer(t *testing.T, cfg Config) *httptest.Server {
	t.Helper()
	ctx := context.Background()
	db, err := store.OpenSQLite(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	const origin = "budget.example/log"
	skey, vkey, _ := note.GenerateKey(rand.Reader, origin)
	signer, _ := note.NewSigner(skey)
	lg, err := translog.Open(ctx, db, translog.Config{Origin: origin, Signer: signer, Create: true})
	if err != nil {
		t.Fatal(err)
	}
	_, officeKey, _ := ed25519.GenerateKey(rand.Reader)
	cfg.Log, cfg.DB, cfg.VerifierKey, cfg.Origin = lg, db, vkey, origin
	cfg.Registry = registry.New(registry.Config{DB: db, Log: lg, Office: registry.Office{Name: "Budget Office", Prefix: "BUD", URL: "http://budget.example"},
		OfficeKey: officeKey, LogKey: vkey, LogOrigin: origin})
	srv := httptest.NewServer(New(cfg))
	t.Cleanup(func() { srv.Close(); lg.Close(); db.Close() })
	return srv
}

// postFile posts data as the file part name to the public identify endpoint, and returns the
// status and the answer.
func postFile(t *testing.T, url, name string, data []byte) (int, string) {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write(data)
	mw.Close()
	resp, err := http.Post(url+"/api/v1/identify", mw.FormDataContentType(), &body)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	answer, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(answer)
}

// TestIdentifyTimeBudget (issue 12, item 2): with a time budget too small for any real work,
// every bomb sent to the public identify endpoint stops at the decoders' first look at the
// clock and is answered 422, saying so, while the server allocates far less than the bombs
// inflate to. (The budget is spent before the decoders start, so the outcome does not depend
// on the machine's speed.)
func TestIdentifyTimeBudget(t *testing.T) {
	srv := newIdentifyServer(t, Config{DecodeTime: time.Nanosecond})
	for name, file := range map[string]struct {
		name string
		data []byte
	}{
		"pdf contents array": {"bomb.pdf", bombPDF(128<<20, 8)},
		"docx nesting":       {"bomb.docx", bombDOCX(10_000_000)},
	} {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		status, answer := postFile(t, srv.URL, file.name, file.data)
		runtime.ReadMemStats(&after)
		if status != http.StatusUnprocessableEntity || !strings.Contains(answer, "time budget exceeded") {
			t.Errorf("%s: %d %s, want 422 for the time budget", name, status, answer)
		}
		if grew := after.TotalAlloc - before.TotalAlloc; grew > 64<<20 {
			t.Errorf("%s: the server allocated %d MiB", name, grew>>20)
		}
	}
	// A plain-text file is not decoded: the budget does not concern it.
	if status, answer := postFile(t, srv.URL, "letter.txt", []byte("Dear Minister, nothing of ours.")); status != http.StatusOK {
		t.Errorf("plain text: %d %s", status, answer)
	}
}

// TestIdentifyScanWithoutOCR: a server without Tesseract answers a scan 501, saying how to
// install it, and still identifies text.
func TestIdentifyScanWithoutOCR(t *testing.T) {
	srv := newIdentifyServer(t, Config{Tesseract: "/nonexistent/tesseract"})
	var img bytes.Buffer
	if err := png.Encode(&img, image.NewGray(image.Rect(0, 0, 40, 20))); err != nil {
		t.Fatal(err)
	}
	status, answer := postFile(t, srv.URL, "scan.bin", img.Bytes())
	if status != http.StatusNotImplemented || !strings.Contains(answer, "cannot read scans") || !strings.Contains(answer, "apt-get install tesseract-ocr") {
		t.Errorf("a scan without OCR: %d %s", status, answer)
	}
	// The answer is public: the configured program's path is the operator's.
	if strings.Contains(answer, "/nonexistent") {
		t.Errorf("a scan without OCR: the answer names the configured program: %s", answer)
	}
	if status, answer := postFile(t, srv.URL, "letter.txt", []byte("Dear Minister, nothing of ours.")); status != http.StatusOK {
		t.Errorf("plain text: %d %s", status, answer)
	}
}

// TestIdentifyScanServerFault: a scan the server cannot read for a fault of its own (here no
// temporary directory for the OCR programs) was answered 400, as if the upload were at fault,
// and the cause went unlogged. It is answered 500, and the cause logged.
func TestIdentifyScanServerFault(t *testing.T) {
	if _, err := ocr.Find(""); err != nil {
		t.Skipf("no OCR here: %v", err)
	}
	var logged bytes.Buffer
	srv := newIdentifyServer(t, Config{Logger: slog.New(slog.NewTextHandler(&logged, nil))})
	var img bytes.Buffer
	if err := png.Encode(&img, image.NewGray(image.Rect(0, 0, 40, 20))); err != nil {
		t.Fatal(err)
	}
	// The server finds its OCR programs with a temporary directory.
	if status, answer := postFile(t, srv.URL, "scan.png", img.Bytes()); !strings.Contains(answer, "no words to identify") {
		t.Fatalf("a blank scan: %d %s", status, answer)
	}
	t.Setenv("TMPDIR", filepath.Join(t.TempDir(), "gone"))
	status, answer := postFile(t, srv.URL, "scan.png", img.Bytes())
	if status != http.StatusInternalServerError || strings.Contains(answer, "gone") {
		t.Errorf("a scan the server cannot read: %d %s, want 500 and no path", status, answer)
	}
	if !strings.Contains(logged.String(), "request failed") || !strings.Contains(logged.String(), "no such file or directory") {
		t.Errorf("the server's fault was not logged with its cause:\n%s", logged.String())
	}
}
