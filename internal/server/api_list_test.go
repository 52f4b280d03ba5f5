package server

import (
	"encoding/json"
	"net/http"
	"slices"
	"sort"
	"strings"
	"testing"
)

func TestAPIListLetters(t *testing.T) {
	e := newAPIEnv(t, 1<<20)
	var created struct{ Reference string }
	for range 2 {
		body, ct := letterForm(t, 100)
		e.do(t, "drafter", "POST", "/api/v1/letters", ct, body, http.StatusCreated, &created)
	}
	ref := created.Reference

	// Letters are confidential: the public is told to sign in, and nothing else.
	resp := e.do(t, "", "GET", "/api/v1/letters", "", nil, http.StatusUnauthorized, nil)
	if resp.Header.Get("WWW-Authenticate") == "" {
		t.Error("401 without WWW-Authenticate")
	}
	e.tokens["forged"] = "chy_forged"
	e.do(t, "forged", "GET", "/api/v1/letters?q=subject", "", nil, http.StatusUnauthorized, nil)

	var raw struct {
		Letters   []map[string]json.RawMessage `json:"letters"`
		Truncated bool                         `json:"truncated"`
	}
	e.do(t, "reviewer", "GET", "/api/v1/letters", "", nil, http.StatusOK, &raw)
	if len(raw.Letters) != 2 || raw.Truncated {
		t.Fatalf("listing: %d letters, truncated %v", len(raw.Letters), raw.Truncated)
	}
	var keys []string
	for k := range raw.Letters[0] {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	// The field names scripts rely on; released_at and log_index are null for a draft.
	want := []string{"addressees", "class", "created_at", "log_index", "reference", "released_at", "state", "subject", "tags", "updated_at"}
	if !slices.Equal(keys, want) {
		t.Errorf("fields %v, want %v", keys, want)
	}
	if string(raw.Letters[0]["reference"]) != `"`+ref+`"` || string(raw.Letters[0]["log_index"]) != "null" || string(raw.Letters[0]["state"]) != `"draft"` {
		t.Errorf("first letter %s", raw.Letters[0])
	}

	type list struct {
		Letters []struct {
			Reference, State, Match string
		}
		Truncated bool
	}
	for _, tc := range []struct {
		query string
		n     int
	}{
		{"?state=draft", 2},
		{"?state=released", 0},
		{"?class=internal", 2},
		{"?class=press", 0},
		{"?q=" + ref, 1},
		{"?q=someone&state=draft&class=internal", 2},
		{"?q=xxxx", 2}, // the letters' text
		{"?q=yyyy", 0},
		{"?limit=1", 1},
	} {
		var l list
		e.do(t, "signer", "GET", "/api/v1/letters"+tc.query, "", nil, http.StatusOK, &l)
		if len(l.Letters) != tc.n {
			t.Errorf("%s: %d letters, want %d", tc.query, len(l.Letters), tc.n)
		}
	}
	var l list
	e.do(t, "release", "GET", "/api/v1/letters?limit=1", "", nil, http.StatusOK, &l)
	if !l.Truncated || l.Letters[0].Reference != ref {
		t.Errorf("limit 1: %+v", l)
	}
	for _, q := range []string{"?state=valid", "?limit=x", "?limit=100000", "?q=%21%21"} {
		resp := e.do(t, "reviewer", "GET", "/api/v1/letters"+q, "", nil, http.StatusBadRequest, nil)
		if !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
			t.Errorf("%s: a %s error", q, resp.Header.Get("Content-Type"))
		}
	}
}
