package server

import (
	"bytes"
	"errors"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/seal"
)

// streamingForm returns a multipart body of one file of size bytes of x (plus a text field),
// written as it is read, so that the test itself holds none of it.
func streamingForm(size int) (io.ReadCloser, string) {
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	go func() {
		mw.WriteField("note", "hello")
		fw, _ := mw.CreateFormFile("file", "big.pdf")
		chunk := bytes.Repeat([]byte("x"), 64<<10)
		for n := 0; n < size; n += len(chunk) {
			if _, err := fw.Write(chunk[:min(len(chunk), size-n)]); err != nil {
				pw.CloseWithError(err)
				return
			}
		}
		pw.CloseWithError(mw.Close())
	}()
	return pr, mw.FormDataContentType()
}

// TestVerifyHashesWhileReading is issue 12 item 2: POST /api/v1/verify with a file hashes it
// as it arrives. A 48 MiB upload allocates far less than its size (it used to be buffered
// whole: about twice its size in allocations).
func TestVerifyHashesWhileReading(t *testing.T) {
	e := newAPIEnv(t, 0) // the default limit, 50 MiB
	const size = 48 << 20
	body, ct := streamingForm(size)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	resp, err := http.Post(e.srv.URL+"/api/v1/verify", ct, body)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	runtime.ReadMemStats(&after)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d", resp.StatusCode)
	}
	if grew := after.TotalAlloc - before.TotalAlloc; grew > 16<<20 {
		t.Errorf("verifying a %d MiB upload allocated %d MiB", size>>20, grew>>20)
	}
}

func TestHashUpload(t *testing.T) {
	s := &Server{cfg: Config{MaxUpload: 1 << 20}}
	data := bytes.Repeat([]byte("letter "), 1000)
	form := func(files ...[]byte) (*httptest.ResponseRecorder, *http.Request) {
		var b bytes.Buffer
		mw := multipart.NewWriter(&b)
		mw.WriteField("a", "b")
		for _, f := range files {
			fw, _ := mw.CreateFormFile("file", "l.txt")
			fw.Write(f)
		}
		mw.Close()
		r := httptest.NewRequest("POST", "/api/v1/verify", &b)
		r.Header.Set("Content-Type", mw.FormDataContentType())
		return httptest.NewRecorder(), r
	}
	d, err := s.hashUpload(form(data))
	if err != nil || d != seal.DigestOf(data) {
		t.Fatalf("hashUpload = %s, %v; want %s", d, err, seal.DigestOf(data))
	}
	if _, err := s.hashUpload(form()); !errors.Is(err, errBadRequest) || !strings.Contains(err.Error(), "no file") {
		t.Errorf("no file: %v", err)
	}
	if _, err := s.hashUpload(form(data, data)); !errors.Is(err, errBadRequest) {
		t.Errorf("two files: %v", err)
	}
	if _, err := s.hashUpload(form(make([]byte, 1<<20+1))); !errors.Is(err, errTooLarge) {
		t.Errorf("over the limit: %v", err)
	}
}
