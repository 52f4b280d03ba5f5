package server

import (
	"io"
	"net/http/httptest"
	"strings"
	"testing"
)

// FuzzPlainDigestBody: the verify endpoint's fast path reads a body without a JSON decoder.
// Whatever the body, a digest it reads is the one the strict reader (decodeJSON) reads, with
// "latest" unset; and a body it does not take is left whole, byte for byte, for that reader.
func FuzzPlainDigestBody(f *testing.F) {
	const d = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
	for _, s := range []string{`{"digest":"` + d + `"}`, `{"digest":"` + strings.ToUpper(d) + `"}`, `{"digest": "` + d + `"}`,
		`{"digest":"` + d + `"} `, `{"digest":"` + d + `","latest":true}`, `{"Digest":"` + d + `"}`, `{"digest":"` + d[:70] + `"}`, ``} {
		f.Add(s, "application/json")
		f.Add(s, "")
	}
	f.Add(`{"digest":"`+d+`"}`, "text/plain")
	f.Fuzz(func(t *testing.T, body, ctype string) {
		r := httptest.NewRequest("POST", "/api/v1/verify", strings.NewReader(body))
		got := plainDigestBody(r, ctype)
		rest, err := io.ReadAll(r.Body)
		if err != nil {
			t.Fatal(err)
		}
		if got == "" {
			if string(rest) != body {
				t.Fatalf("%q not taken, but %q left for the strict reader", body, rest)
			}
			return
		}
		r = httptest.NewRequest("POST", "/api/v1/verify", strings.NewReader(body))
		r.Header.Set("Content-Type", ctype)
		var req struct {
			Digest string `json:"digest"`
			Latest bool   `json:"latest"`
		}
		if err := decodeJSON(httptest.NewRecorder(), r, &req); err != nil || req.Digest != string(got) || req.Latest {
			t.Fatalf("%q (%s) read as %s; the strict reader reads %+v, %v", body, ctype, got, req, err)
		}
	})
}
