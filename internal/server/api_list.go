package server

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/chancery/chancery/internal/registry"
)

// listLetters answers GET /api/v1/letters?state=&class=&q=&limit=&before=&partial= with the
// letters that match, newest first, for members with a role; before=REF resumes after the
// letter REF; partial=1 takes a search's partial answer, which may list no letter
// (registry.LetterQuery.Partial).
func (s *Server) listLetters(w http.ResponseWriter, r *http.Request) {
	v, err := queryParams(r, "state", "class", "q", "limit", "before", "partial")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	q := registry.LetterQuery{State: v.Get("state"), Class: v.Get("class"), Text: v.Get("q"), Before: v.Get("before")}
	if q.Limit, err = limitParam(v); err != nil {
		s.fail(w, r, err)
		return
	}
	if p := v.Get("partial"); p != "" {
		if q.Partial, err = strconv.ParseBool(p); err != nil {
			s.fail(w, r, fmt.Errorf("%w: partial %.20q: want 1 or 0", errBadRequest, p))
			return
		}
	}
	list, err := s.cfg.Registry.ListLetters(r.Context(), actor(r), q)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, list)
}

// queryParams returns r's query parameters, refusing one that names is without, or one given
// twice: a filter misspelt (?search= for ?q=, ?State=) or given twice was passed over or read
// once, and the answer listed what the caller meant to leave out.
func queryParams(r *http.Request, names ...string) (url.Values, error) {
	v, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return nil, fmt.Errorf("%w: the query: %v", errBadRequest, err)
	}
	for name, values := range v {
		switch {
		case !slices.Contains(names, name):
			return nil, fmt.Errorf("%w: unknown query parameter %q (this endpoint takes %s)", errBadRequest, name, strings.Join(names, ", "))
		case len(values) > 1:
			return nil, fmt.Errorf("%w: the query parameter %q is given %d times", errBadRequest, name, len(values))
		}
	}
	return v, nil
}

// limitParam is v's limit, 0 when it is not given; a value that is not a number is refused.
func limitParam(v url.Values) (int, error) {
	l := v.Get("limit")
	if l == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(l)
	if err != nil {
		return 0, fmt.Errorf("%w: limit %q is not a number", errBadRequest, l)
	}
	return n, nil
}
