package witness

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"golang.org/x/mod/sumdb/note"
)

// A witness's 200 answer is read as signature lines under the checkpoint sent. An answer that
// opens with a blank line, or carries text lines before its own blank line, moves the note's
// split: the lines then "verify" over another text (the checkpoint with a line added), and the
// line kept, appended to the real checkpoint, fails for every verifier that knows the witness
// (note.Open refuses a known key's bad signature), so one witness's answer would make every seal
// on that checkpoint invalid. Such answers are refused.
func TestClientRefusesCosignatureOfAnotherText(t *testing.T) {
	ctx := context.Background()
	k := newLogKey(t)
	lg := newTestLog(t, k, "main")
	lg.grow(3)
	_, cp := lg.Latest()
	key, err := LoadKey(t.TempDir(), "witness.test.example/other-text")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name   string
		answer func(text []byte) []byte
	}{
		{"blank line first", func(text []byte) []byte {
			return append([]byte("\n"), cosignLines(t, key, append(bytes.Clone(text), '\n'))...)
		}},
		{"text lines first", func(text []byte) []byte {
			added := append(bytes.Clone(text), []byte("\nextra\n")...)
			return append([]byte("extra\n\n"), cosignLines(t, key, added)...)
		}},
		{"a second line of its key that does not verify", func(text []byte) []byte {
			// C2SP signed-note: every line of a known key must verify (item 296).
			good := cosignLines(t, key, text)
			name, b64, _ := strings.Cut(strings.TrimPrefix(strings.TrimSuffix(string(good), "\n"), "— "), " ")
			raw, err := base64.StdEncoding.DecodeString(b64)
			if err != nil {
				t.Fatal(err)
			}
			raw[len(raw)-1] ^= 1
			return append(good, "— "+name+" "+base64.StdEncoding.EncodeToString(raw)+"\n"...)
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				body, _ := io.ReadAll(r.Body)
				_, signed, _ := bytes.Cut(body, []byte("\n\n"))
				text, _, _ := bytes.Cut(signed, []byte("\n\n"))
				w.Write(tc.answer(append(text, '\n')))
			}))
			defer srv.Close()
			c := newClient(t, "other-text", srv.URL, key.VerifierKey())
			cos, err := c.AddCheckpoint(ctx, 0, nil, cp)
			if err == nil {
				t.Fatalf("accepted the line %q, which over the checkpoint gives: %v", cos.Line, checkCosignature(key.VerifierKey(), cp, cos.Line))
			}
			if !errors.Is(err, ErrBadCosignature) {
				t.Fatalf("got %v, want ErrBadCosignature", err)
			}
		})
	}
}

// cosignLines returns the signature lines of key's cosignature of text.
func cosignLines(t *testing.T, key *Key, text []byte) []byte {
	t.Helper()
	signed, err := note.Sign(&note.Note{Text: string(text)}, key.signer)
	if err != nil {
		t.Fatal(err)
	}
	_, lines, err := splitNote(signed)
	if err != nil {
		t.Fatal(err)
	}
	return lines
}
