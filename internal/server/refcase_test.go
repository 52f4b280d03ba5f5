package server

import (
	"net/http"
	"strings"
	"testing"
)

// TestMemberReferenceInSmallLetters: a member who typed a letter's reference in small letters
// (`chancery letter show tfn-2026-000001`, /letters/tfn-2026-000001) was told the letter was
// not found (found by audit, fiftieth session): references are the office's prefix in
// capitals, the year and a number, and the path's reference is read in capitals; anything
// else under /letters/ is left as it is.
func TestMemberReferenceInSmallLetters(t *testing.T) {
	e := newAPIEnv(t, 1<<20)
	var created struct{ Reference string }
	body, ct := letterForm(t, 100)
	e.do(t, "drafter", "POST", "/api/v1/letters", ct, body, http.StatusCreated, &created)
	lower := strings.ToLower(created.Reference)
	var got struct{ Reference string }
	e.do(t, "reviewer", "GET", "/api/v1/letters/"+lower, "", nil, http.StatusOK, &got)
	if got.Reference != created.Reference {
		t.Errorf("GET /api/v1/letters/%s: reference %q, want %q", lower, got.Reference, created.Reference)
	}
	e.do(t, "reviewer", "POST", "/api/v1/letters/"+lower+"/approve", "application/json", strings.NewReader(`{"comment":"ok"}`), http.StatusOK, nil)

	// A path with an escaped character keeps it escaped: only the reference changes.
	upper, _ := e.send(t, "reviewer", "GET", "/api/v1/letters/"+created.Reference+"/versions/1%2F..", "", nil)
	resp, b := e.send(t, "reviewer", "GET", "/api/v1/letters/"+lower+"/versions/1%2F..", "", nil)
	if resp.StatusCode != upper.StatusCode || resp.StatusCode == http.StatusOK {
		t.Errorf("GET with an escaped slash after a reference in small letters: %d %s; in capitals %d", resp.StatusCode, b, upper.StatusCode)
	}
	for _, tc := range []struct{ in, want string }{
		{"/letters/tfn-2026-000001", "/letters/TFN-2026-000001"},
		{"/letters/tfn-2026-000001/approve", "/letters/TFN-2026-000001/approve"},
		{"/api/v1/letters/tf9-2026-000001/seal", "/api/v1/letters/TF9-2026-000001/seal"},
		{"/letters/new", "/letters/new"},
		{"/letters/TFN-2026-000001", "/letters/TFN-2026-000001"},
		{"/letters/tfn-2026-00001", "/letters/tfn-2026-00001"},
		{"/letters/tfn-20a6-000001", "/letters/tfn-20a6-000001"},
		{"/letters/tfñ-2026-000001", "/letters/tfñ-2026-000001"},
		{"/v/tfn-2026-000001", "/v/tfn-2026-000001"},
	} {
		if got, _ := canonicalLetterPath(tc.in); got != tc.want {
			t.Errorf("canonicalLetterPath(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
