package server

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestLettersListPagesWithBefore: a listing cut at its limit resumes with before= its last
// reference; page after page lists every letter once, newest first, while letters are
// created between the pages; a before= that names no letter is refused.
func TestLettersListPagesWithBefore(t *testing.T) {
	e := newAPIEnv(t, 1<<20)
	create := func() string {
		var created struct{ Reference string }
		body, ct := letterForm(t, 100)
		e.do(t, "drafter", "POST", "/api/v1/letters", ct, body, http.StatusCreated, &created)
		return created.Reference
	}
	var all []string
	for range 5 {
		all = append([]string{create()}, all...) // newest first
	}
	type page struct {
		Letters   []struct{ Reference string }
		Truncated bool
	}
	var seen []string
	path := "/api/v1/letters?limit=2"
	for n := 0; ; n++ {
		var p page
		e.do(t, "drafter", "GET", path, "", nil, http.StatusOK, &p)
		for _, l := range p.Letters {
			seen = append(seen, l.Reference)
		}
		if !p.Truncated || n > 5 {
			break
		}
		create() // newer than every letter still to list
		last := p.Letters[len(p.Letters)-1].Reference
		path = "/api/v1/letters?limit=2&before=" + url.QueryEscape(strings.ToLower(last))
	}
	if strings.Join(seen, " ") != strings.Join(all, " ") {
		t.Errorf("pages listed %v, want %v", seen, all)
	}
	e.do(t, "drafter", "GET", "/api/v1/letters?before=API-2099-999999", "", nil, http.StatusBadRequest, nil)
}
