package web_test

import (
	"bytes"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/server"
)

// TestFormUploadsShareTheUploadBudget: the letter forms' uploads (a new letter, a revision)
// are read into memory like the API's, so they take their room in the same budget
// (server.Config.UploadMemory): while uploads being read hold it all, another is answered
// 503 with Retry-After before its body is read, instead of holding its file in memory too.
func TestFormUploadsShareTheUploadBudget(t *testing.T) {
	// The budget is never less than one largest upload and 1 MiB: here 2 MiB.
	o := newOffice(t, server.Config{MaxUpload: 1 << 20, UploadMemory: 1})
	c := o.client()
	tok := c.signIn("dana")
	o.requests()

	// An upload of the largest size arrives slowly: its body is still being read.
	pr, pw := io.Pipe()
	defer pw.Close()
	held, _ := http.NewRequest("POST", o.srv.URL+"/letters", pr)
	held.ContentLength = 3 << 19
	held.Header.Set("Content-Type", "multipart/form-data; boundary=b")
	held.Header.Set("Origin", o.srv.URL)
	held.Header.Set("Sec-Fetch-Site", "same-origin")
	go func() {
		if resp, err := c.hc.Do(held); err == nil {
			resp.Body.Close()
		}
	}()
	if _, err := pw.Write([]byte("--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.md\"\r\n\r\n")); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		if rs := o.requests(); len(rs) > 0 || time.Now().After(deadline) {
			break
		}
	}

	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField("csrf", tok)
	mw.WriteField("subject", "Second upload")
	mw.WriteField("class", "internal")
	mw.WriteField("to", "Registry")
	fw, _ := mw.CreateFormFile("file", "letter.md")
	fw.Write([]byte(strings.Repeat("Sir, the figures follow.\n", 40000))) // 1 MB
	mw.Close()
	var resp *http.Response
	for range 20 { // the held upload takes its room just after its handler starts
		req, _ := http.NewRequest("POST", o.srv.URL+"/letters", bytes.NewReader(body.Bytes()))
		req.Header.Set("Content-Type", mw.FormDataContentType())
		req.Header.Set("Origin", o.srv.URL)
		req.Header.Set("Sec-Fetch-Site", "same-origin")
		var err error
		if resp, err = c.hc.Do(req); err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode == http.StatusServiceUnavailable {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") == "" {
		t.Errorf("an upload while another holds the budget: %s, Retry-After %q; want 503 with Retry-After",
			resp.Status, resp.Header.Get("Retry-After"))
	}
}
