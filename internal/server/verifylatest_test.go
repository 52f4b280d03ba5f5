package server_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"testing"
)

// TestVerifyUploadLatestParameter: an upload to POST /api/v1/verify gets the proof to the
// latest checkpoint with ?latest=1 and with ?latest=true, as a JSON request does with
// "latest": true; a value other than 1, true, 0 and false is refused, as docs/seal-format.md
// says (strconv.ParseBool read "t", "TRUE" and "F" too), not read as false.
func TestVerifyUploadLatestParameter(t *testing.T) {
	o := cfNewOffice(t)
	l := o.create(t, "kilo", ".txt", "text/plain", "Dear Minister,\n\nBODY\n")
	o.release(t, l)
	for _, c := range []struct {
		query      string
		status     int
		withLatest bool
	}{
		{"", http.StatusOK, false},
		{"?latest=1", http.StatusOK, true},
		{"?latest=true", http.StatusOK, true},
		{"?latest=false", http.StatusOK, false},
		{"?latest=0", http.StatusOK, false},
		{"?latest=yes", http.StatusBadRequest, false},
		{"?latest=t", http.StatusBadRequest, false},
		{"?latest=TRUE", http.StatusBadRequest, false},
		{"?latest=F", http.StatusBadRequest, false},
	} {
		ctype, body := multipartFile("letter.pdf", l.rel.File)
		resp, err := http.Post(o.srv.URL+"/api/v1/verify"+c.query, ctype, bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		var answer struct {
			Outcome string
			Latest  json.RawMessage
		}
		json.Unmarshal(b, &answer)
		if resp.StatusCode != c.status || (answer.Latest != nil) != c.withLatest {
			t.Errorf("verify%s: %d, latest %t: %.200s; want %d, latest %t", c.query, resp.StatusCode, answer.Latest != nil, b, c.status, c.withLatest)
		}
	}
}
