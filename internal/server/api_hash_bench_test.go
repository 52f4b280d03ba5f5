package server

import (
	"bytes"
	"mime/multipart"
	"net/http/httptest"
	"testing"
)

// BenchmarkHashUpload: a letter of 100 KB sent to POST /api/v1/verify as a file, hashed as
// it arrives (with the look at its first bytes that tells a seal, item 773).
func BenchmarkHashUpload(b *testing.B) {
	s := &Server{cfg: Config{MaxUpload: 1 << 20}}
	data := append([]byte("%PDF-1.7\n"), bytes.Repeat([]byte("letter "), 100<<10/7)...)
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("file", "letter.pdf")
	fw.Write(data)
	mw.Close()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		r := httptest.NewRequest("POST", "/api/v1/verify", bytes.NewReader(body.Bytes()))
		r.Header.Set("Content-Type", mw.FormDataContentType())
		if _, err := s.hashUpload(httptest.NewRecorder(), r); err != nil {
			b.Fatal(err)
		}
	}
}
