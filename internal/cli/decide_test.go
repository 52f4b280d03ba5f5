package cli_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/chancery/chancery/internal/cli"
	"github.com/chancery/chancery/internal/registry"
)

// TestApproveSendsTheVersionShown is issue 12 item 12: `chancery approve` without --version
// sends the digest of the version it shows, so that the registry refuses the approval if
// another version became the latest; with --version it sends that one, as before.
func TestApproveSendsTheVersionShown(t *testing.T) {
	const latest = "sha256:2222222222222222222222222222222222222222222222222222222222222222"
	var mu sync.Mutex
	var sent []map[string]any
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.Method == "GET" && r.URL.Path == "/api/v1/letters/TFN-2026-000001":
			json.NewEncoder(w).Encode(registry.LetterView{Reference: "TFN-2026-000001", Versions: []registry.VersionView{
				{N: 1, Digest: "sha256:1111111111111111111111111111111111111111111111111111111111111111", FileName: "letter.md", By: "dana"},
				{N: 2, Digest: latest, FileName: "letter.md", By: "dana"}}})
		case r.Method == "POST" && (r.URL.Path == "/api/v1/letters/TFN-2026-000001/approve" || r.URL.Path == "/api/v1/letters/TFN-2026-000001/reject"):
			var body map[string]any
			json.NewDecoder(r.Body).Decode(&body)
			mu.Lock()
			sent = append(sent, body)
			mu.Unlock()
			w.Write([]byte("{}"))
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	t.Setenv("CHANCERY_URL", srv.URL)
	t.Setenv("CHANCERY_TOKEN", "rita-token")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"approve", "TFN-2026-000001"}, latest},
		{[]string{"reject", "TFN-2026-000001", "--comment", "no"}, latest},
		{[]string{"approve", "TFN-2026-000001", "--version", "sha256:abc"}, "sha256:abc"},
	} {
		sent = nil
		var stdout, stderr bytes.Buffer
		if code := cli.Main(tc.args, &stdout, &stderr); code != 0 {
			t.Fatalf("%s: exit %d\n%s%s", tc.args, code, stdout.String(), stderr.String())
		}
		if len(sent) != 1 || sent[0]["version"] != tc.want {
			t.Errorf("%s sent %v, want version %s", tc.args, sent, tc.want)
		}
		if tc.want == latest && !strings.Contains(stderr.String(), "version 2: "+latest) {
			t.Errorf("%s did not show the version it decides on:\n%s", tc.args, stderr.String())
		}
	}
}

// TestReleaseSendsTheVersionShown: `chancery release` without --version shows the latest
// version and sends its digest; with --version it sends that one, and the registry refuses it
// if another version is the latest: a release never lands on text the officer did not read.
func TestReleaseSendsTheVersionShown(t *testing.T) {
	o := newOffice(t)
	ref := o.letter("Coordination", "foreign-government", "# Coordination\n\nSir, version one.\n")
	v, err := o.reg.Letter(context.Background(), o.actors["otto"], ref)
	if err != nil {
		t.Fatal(err)
	}
	read := v.Versions[0].Digest
	if _, err := o.reg.Revise(context.Background(), o.actors["dana"], ref, registry.Upload{Name: "letter.md", MediaType: "text/markdown",
		Data: []byte("# Coordination\n\nSir, version two.\n")}); err != nil {
		t.Fatal(err)
	}
	o.ready(ref)

	code, _, errs := o.run("otto", "release", ref, "--version", read, "--out", t.TempDir())
	if code != cli.ExitError || !strings.Contains(errs, "not the latest version") || o.state(ref) != "draft" {
		t.Fatalf("release --version of version 1, version 2 latest: %d %q, letter %s", code, errs, o.state(ref))
	}
	var sent []string
	o.before = func(r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/release") {
			var body map[string]string
			json.NewDecoder(r.Body).Decode(&body)
			r.Body = io.NopCloser(strings.NewReader(`{"version":"` + body["version"] + `"}`))
			sent = append(sent, body["version"])
		}
	}
	code, _, errs = o.run("otto", "release", ref, "--out", t.TempDir())
	v, err = o.reg.Letter(context.Background(), o.actors["otto"], ref)
	if err != nil {
		t.Fatal(err)
	}
	latest := v.Versions[1].Digest
	if code != cli.ExitOK || v.Release == nil || v.Release.Version != 2 {
		t.Fatalf("release: %d %q, release %+v", code, errs, v.Release)
	}
	if len(sent) != 1 || sent[0] != latest || !strings.Contains(errs, ref+" version 2: "+latest) {
		t.Errorf("release sent %q, showed %q; want version 2, %s", sent, errs, latest)
	}
}
