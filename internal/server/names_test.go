package server

import (
	"bytes"
	"mime"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"
)

// TestApprovalBodyNamesEachFieldOnce: an approval pinned to the version the reviewer read
// names "version" once. encoding/json takes the last of two names, and matches names whatever
// their case, so {"version": v1, "Version": ""} was taken as no version at all and approved
// the latest version, which the reviewer never read, while any reader of the body that takes
// a name as written or keeps the first (a client's log, a proxy's check) sees it pinned to
// v1. Such a body is refused, and nothing is approved.
func TestApprovalBodyNamesEachFieldOnce(t *testing.T) {
	e := newAPIEnv(t, 1<<20)
	var v1 struct{ Reference, Digest string }
	body, ct := letterForm(t, 100)
	e.do(t, "drafter", "POST", "/api/v1/letters", ct, body, http.StatusCreated, &v1)
	body, ct = letterForm(t, 200)
	e.do(t, "drafter", "POST", "/api/v1/letters/"+v1.Reference+"/versions", ct, body, http.StatusCreated, nil)
	for _, b := range []string{
		`{"version":"` + v1.Digest + `","Version":""}`,
		`{"version":"` + v1.Digest + `","version":""}`,
		`{"VERSION":"` + v1.Digest + `"}`,
	} {
		resp, out := e.send(t, "reviewer", "POST", "/api/v1/letters/"+v1.Reference+"/approve", "application/json", strings.NewReader(b))
		if resp.StatusCode != http.StatusBadRequest {
			t.Errorf("%s: %s %s, want 400", b, resp.Status, out)
		}
	}
	var letter struct{ Approvals []any }
	e.do(t, "reviewer", "GET", "/api/v1/letters/"+v1.Reference, "", nil, http.StatusOK, &letter)
	if len(letter.Approvals) != 0 {
		t.Fatalf("approvals recorded from bodies naming the version twice: %v", letter.Approvals)
	}
}

// TestLetterFormNamesEachFieldOnce: a new letter's form that gave its subject or class twice
// was read as the first (a proxy or log keeping the last reads another letter), and a field a
// letter does not have ("tags" for "tag") was dropped without a word. Both are refused.
func TestLetterFormNamesEachFieldOnce(t *testing.T) {
	e := newAPIEnv(t, 1<<20)
	form := func(fields ...[2]string) (*strings.Reader, string) {
		var b bytes.Buffer
		w := multipart.NewWriter(&b)
		for _, f := range fields {
			w.WriteField(f[0], f[1])
		}
		p, _ := w.CreateFormFile("file", "letter.txt")
		p.Write([]byte("Sir, the brigade moves north on 3 March.\n"))
		w.Close()
		return strings.NewReader(b.String()), w.FormDataContentType()
	}
	for _, fields := range [][][2]string{
		{{"subject", "Movements"}, {"subject", "Supplies"}, {"class", "internal"}, {"to", "Someone"}},
		{{"subject", "Movements"}, {"class", "internal"}, {"class", "routine"}, {"to", "Someone"}},
		{{"subject", "Movements"}, {"class", "internal"}, {"to", "Someone"}, {"tags", "urgent"}},
	} {
		body, ct := form(fields...)
		e.do(t, "drafter", "POST", "/api/v1/letters", ct, body, http.StatusBadRequest, nil)
	}
	body, ct := form([2]string{"subject", "Movements"}, [2]string{"class", "internal"}, [2]string{"to", "Someone"}, [2]string{"to", "Someone else"}, [2]string{"tag", "a"}, [2]string{"tag", "b"})
	e.do(t, "drafter", "POST", "/api/v1/letters", ct, body, http.StatusCreated, nil)
}

// TestDraftCopyNameEncoded: the API named downloads with Go's %q, which sends a name's
// non-ASCII letters as raw bytes (and escapes as Go does, not as RFC 6266 reads): a draft copy
// of "Lettre à M. Dupont.txt" is named in filename*, and reads back whole.
func TestDraftCopyNameEncoded(t *testing.T) {
	e := newAPIEnv(t, 1<<20)
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	w.WriteField("subject", "Movements")
	w.WriteField("class", "internal")
	w.WriteField("to", "Someone")
	p, _ := w.CreateFormFile("file", "Lettre à M. Dupont.txt")
	p.Write([]byte("Sir, the brigade moves north on 3 March.\n"))
	w.Close()
	var created struct{ Reference string }
	e.do(t, "drafter", "POST", "/api/v1/letters", w.FormDataContentType(), strings.NewReader(b.String()), http.StatusCreated, &created)
	resp, _ := e.send(t, "drafter", "POST", "/api/v1/letters/"+created.Reference+"/drafts", "application/json", strings.NewReader(`{"recipient":"liaison"}`))
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("draft copy: %s", resp.Status)
	}
	cd := resp.Header.Get("Content-Disposition")
	for _, c := range cd {
		if c > 0x7e {
			t.Fatalf("Content-Disposition %q holds a byte outside ASCII", cd)
		}
	}
	_, params, err := mime.ParseMediaType(cd)
	if err != nil || !strings.Contains(params["filename"], "Lettre à M. Dupont") {
		t.Errorf("Content-Disposition %q reads back as %q (%v)", cd, params["filename"], err)
	}
}
