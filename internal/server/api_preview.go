package server

import (
	"errors"
	"mime"
	"net/http"
)

// preview answers GET /api/v1/letters/{ref}/preview: the PDF a release would publish now,
// marked DRAFT PREVIEW and recorded as a draft copy the member took.
func (s *Server) preview(w http.ResponseWriter, r *http.Request) {
	// A preview is made, recorded in the audit trail and traced by its marks for the member
	// who asked: a HEAD (which GET routes take) would record one that no one received.
	if r.Method == http.MethodHead {
		w.Header().Set("Allow", http.MethodGet)
		apiError(w, http.StatusMethodNotAllowed, errors.New("a preview is made for the member who fetches it: use GET"))
		return
	}
	doc, err := s.cfg.Registry.Preview(r.Context(), actor(r), r.PathValue("ref"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": r.PathValue("ref") + "-PREVIEW.pdf"}))
	w.Header().Set("Cache-Control", "no-store")
	w.Write(doc)
}
