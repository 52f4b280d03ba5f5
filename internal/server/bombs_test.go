package server

import (
	"archive/zip"
	"bytes"
	"compress/zlib"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/pdf/pdftest"
)

// bombPDF writes by hand a one-page PDF whose /Contents names one stream, inflating to size
// bytes, times times over.
func bombPDF(size, times int) []byte {
	var z bytes.Buffer
	w, _ := zlib.NewWriterLevel(&z, zlib.BestCompression)
	chunk := bytes.Repeat([]byte(" "), 1<<20)
	for n := size; n > 0; n -= len(chunk) {
		w.Write(chunk[:min(n, len(chunk))])
	}
	w.Close()
	objs := []string{"<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents [" + strings.Repeat("4 0 R ", times) + "] >>",
		pdftest.Stream(fmt.Sprintf("<< /Length %d /Filter /FlateDecode >>", z.Len()), z.Bytes())}
	return pdftest.Build(objs...)
}

// bombDOCX is a Word document of n nested elements.
func bombDOCX(n int) []byte {
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	w, _ := zw.Create("word/document.xml")
	w.Write([]byte(`<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>`))
	chunk := []byte(strings.Repeat("<w:p>", 4096))
	for i := 0; i < n; i += 4096 {
		w.Write(chunk)
	}
	zw.Close()
	return b.Bytes()
}

// TestIdentifyBombs is issue 12 item 2 through the public endpoint: decompression and nesting
// bombs sent to POST /api/v1/identify without a token answer 400, and the server allocates
// far less than they would inflate to.
func TestIdentifyBombs(t *testing.T) {
	// The bounds of what a file may inflate to are what this test is about, not the time
	// its reading may take (DecodeTime, 10 s by default), which a busy machine running the
	// race-built test reached first.
	e := newAPIEnv(t, 0, func(c *Config) { c.DecodeTime = 10 * time.Minute })
	for name, file := range map[string]struct {
		name string
		data []byte
	}{
		"pdf contents array": {"bomb.pdf", bombPDF(128<<20, 8)},
		"docx nesting":       {"bomb.docx", bombDOCX(10_000_000)},
	} {
		var body bytes.Buffer
		mw := multipart.NewWriter(&body)
		fw, _ := mw.CreateFormFile("file", file.name)
		fw.Write(file.data)
		mw.Close()
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		resp, err := http.Post(e.srv.URL+"/api/v1/identify", mw.FormDataContentType(), &body)
		if err != nil {
			t.Fatal(err)
		}
		answer, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		runtime.ReadMemStats(&after)
		if resp.StatusCode != http.StatusBadRequest {
			t.Errorf("%s (%d bytes): %d %s, want 400", name, len(file.data), resp.StatusCode, answer)
		}
		if grew := after.TotalAlloc - before.TotalAlloc; grew > 64<<20 {
			t.Errorf("%s: the server allocated %d MiB", name, grew>>20)
		}
	}
}
