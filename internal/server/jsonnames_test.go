package server

import (
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
