package web

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"mime/multipart"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/accesslog"
	"github.com/chancery/chancery/internal/store"
)

// TestFailedRequestLogKeepsCapabilitiesOut: a page or form that failed was logged with the
// registry's error as it was, which says what it was about: the reference, the member, the
// digest of a file (a capability that opens a released letter to whoever presents it). The
// server's API redacted them (server.TestErrorLogKeepsCapabilitiesOut); the web pages now do
// too, with the same redactor.
func TestFailedRequestLogKeepsCapabilitiesOut(t *testing.T) {
	var logs bytes.Buffer
	h := New(Config{Logger: slog.New(slog.NewJSONHandler(&logs, nil))})
	h.redact = accesslog.NewTextRedactor("TFN")
	digest := strings.Repeat("ab", 32)
	r := httptest.NewRequest("GET", "/letters/TFN-2026-000042", nil)
	r.Pattern = "GET /letters/{ref}"
	r.SetPathValue("ref", "TFN-2026-000042")
	r = r.WithContext(context.WithValue(r.Context(), sessionKey{}, &sess{member: &store.Member{Name: "Rita Reviewer"}}))
	w := httptest.NewRecorder()
	h.fail(w, r, errors.New("letter TFN-2026-000042 of Rita Reviewer: twin TFN-2026-000007 of sha256:"+digest+": disk I/O error"))
	if w.Code != 500 {
		t.Fatalf("status %d, want 500", w.Code)
	}
	out := logs.String()
	if !strings.Contains(out, "request failed") || !strings.Contains(out, "disk I/O error") {
		t.Fatalf("the failure was not logged with its cause:\n%s", out)
	}
	for _, secret := range []string{"TFN-2026-000042", "TFN-2026-000007", "Rita Reviewer", digest} {
		if strings.Contains(out, secret) {
			t.Errorf("the log holds %q:\n%s", secret, out)
		}
	}
}

// TestFailedFormLogKeepsItsValuesOut: the registry's errors name what a form named ("add
// recipient NAME: …"), and a form that failed with a 500 put a recipient's name, an address,
// a new member's name in the server's log, which outlives erasure (audit, forty-eighth
// session). Every value the form posted is redacted.
func TestFailedFormLogKeepsItsValuesOut(t *testing.T) {
	var logs bytes.Buffer
	h := New(Config{Logger: slog.New(slog.NewJSONHandler(&logs, nil))})
	h.redact = accesslog.NewTextRedactor("TFN")
	r := httptest.NewRequest("POST", "/recipients", strings.NewReader("name=mod-freedonia&emails=registry%40mod.freedonia.example"))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if err := r.ParseForm(); err != nil {
		t.Fatal(err)
	}
	w := httptest.NewRecorder()
	h.fail(w, r, errors.New("add recipient mod-freedonia (registry@mod.freedonia.example): database or disk is full"))
	out := logs.String()
	if !strings.Contains(out, "database or disk is full") {
		t.Fatalf("the failure was not logged with its cause:\n%s", out)
	}
	for _, secret := range []string{"mod-freedonia", "registry@mod.freedonia.example"} {
		if strings.Contains(out, secret) {
			t.Errorf("the server's log holds %q:\n%s", secret, out)
		}
	}
}

// TestFailedUploadLogKeepsItsValuesOut: a multipart form (a new letter: subject, addressees,
// tags, the file) is read by readUpload, not into the request's form, and its values escaped
// the redaction of TestFailedFormLogKeepsItsValuesOut (audit, forty-eighth session).
func TestFailedUploadLogKeepsItsValuesOut(t *testing.T) {
	var logs bytes.Buffer
	h := New(Config{Logger: slog.New(slog.NewJSONHandler(&logs, nil)), MaxUpload: 1 << 20})
	h.redact = accesslog.NewTextRedactor("TFN")
	s := &sess{id: "chs_test", member: &store.Member{Name: "dana", Roles: []string{"drafter"}}}
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField("csrf", s.csrf())
	mw.WriteField("subject", "Resignation of Ambassador Zed")
	mw.WriteField("class", "internal")
	mw.WriteField("to", "Ministry of Freedonia")
	mw.WriteField("tags", "")
	fw, _ := mw.CreateFormFile("file", "zed-resignation.md")
	fw.Write([]byte("# hello\n"))
	mw.Close()
	r := httptest.NewRequest("POST", "/letters", &body)
	r.Header.Set("Content-Type", mw.FormDataContentType())
	r = r.WithContext(context.WithValue(r.Context(), sessionKey{}, s))
	w := httptest.NewRecorder()
	if _, err := h.readUpload(w, r, "subject", "class", "to", "tags"); err != nil {
		t.Fatal(err)
	}
	h.fail(w, r, errors.New(`create letter "Resignation of Ambassador Zed" to Ministry of Freedonia (zed-resignation.md): database or disk is full`))
	out := logs.String()
	if !strings.Contains(out, "database or disk is full") {
		t.Fatalf("the failure was not logged with its cause:\n%s", out)
	}
	for _, secret := range []string{"Resignation of Ambassador Zed", "Ministry of Freedonia", "zed-resignation.md"} {
		if strings.Contains(out, secret) {
			t.Errorf("the server's log holds %q:\n%s", secret, out)
		}
	}
}
