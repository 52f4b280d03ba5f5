package server

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"
)

// TestAPIVerifyTellsASealFromALetter: a letter's seal file sent to POST /api/v1/verify as the
// file is said to be a seal (400, naming it), as the verify page and 'chancery verify' say,
// not answered "unknown: it may be altered or forged" of a genuine seal; the letter's own
// file is answered valid, and a JSON letter that is no seal is answered by its digest.
func TestAPIVerifyTellsASealFromALetter(t *testing.T) {
	e := newAPIEnv(t, 1<<20)
	ref, _, _ := e.signedLetter(t, "Repositioning of forces", "The forces will be repositioned.")
	e.do(t, "release", "POST", "/api/v1/letters/"+ref+"/release", "", nil, http.StatusCreated, nil)
	_, sealFile := e.send(t, "release", "GET", "/api/v1/letters/"+ref+"/seal", "", nil)
	_, file := e.send(t, "release", "GET", "/api/v1/letters/"+ref+"/file", "", nil)
	upload := func(name string, data []byte) (int, string) {
		var b bytes.Buffer
		w := multipart.NewWriter(&b)
		p, _ := w.CreateFormFile("file", name)
		p.Write(data)
		w.Close()
		resp, body := e.send(t, "", "POST", "/api/v1/verify", w.FormDataContentType(), &b)
		return resp.StatusCode, string(body)
	}
	if !bytes.Contains(sealFile, []byte(`"chancery_seal"`)) {
		t.Fatalf("the seal route gave no seal: %.200s", sealFile)
	}
	for _, s := range [][]byte{sealFile, append([]byte("\n  "), sealFile...)} {
		code, body := upload(ref+".seal", s)
		if code != http.StatusBadRequest || !strings.Contains(body, "is a letter's seal, not a letter") {
			t.Errorf("the seal sent as the letter: %d %s", code, body)
		}
		// The seal is checked offline by 'chancery verify --offline': without it, verify
		// asks the registry and sends it the letter's digest, which the line must not call
		// offline (as the verify page's line, row 791).
		if !strings.Contains(body, "offline, by 'chancery verify --offline FILE'") {
			t.Errorf("the seal's answer does not name the offline command: %s", body)
		}
	}
	if code, body := upload("letter.pdf", file); code != http.StatusOK || !strings.Contains(body, `"outcome":"valid"`) {
		t.Errorf("the letter's file: %d %s", code, body)
	}
	for _, other := range []string{`{"subject":"not a seal"}`, `{"chancery_seal":2} trailing`, `[{"chancery_seal":2}]`} {
		if code, body := upload("other.json", []byte(other)); code != http.StatusOK || !strings.Contains(body, `"outcome":"unknown"`) {
			t.Errorf("%s: %d %s", other, code, body)
		}
	}
}
