package server

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/chancery/chancery/internal/registry"
)

// listLetters answers GET /api/v1/letters?state=&class=&q=&limit= with the letters that
// match, newest first, for members with a role.
func (s *Server) listLetters(w http.ResponseWriter, r *http.Request) {
	v := r.URL.Query()
	q := registry.LetterQuery{State: v.Get("state"), Class: v.Get("class"), Text: v.Get("q")}
	if l := v.Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil {
			s.fail(w, r, fmt.Errorf("%w: limit %q is not a number", errBadRequest, l))
			return
		}
		q.Limit = n
	}
	list, err := s.cfg.Registry.ListLetters(r.Context(), actor(r), q)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, list)
}
