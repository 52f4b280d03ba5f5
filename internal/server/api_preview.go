package server

import (
	"fmt"
	"net/http"
)

// preview answers GET /api/v1/letters/{ref}/preview: the PDF a release would publish now,
// marked DRAFT PREVIEW and recorded as a draft copy the member took.
func (s *Server) preview(w http.ResponseWriter, r *http.Request) {
	doc, err := s.cfg.Registry.Preview(r.Context(), actor(r), r.PathValue("ref"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", r.PathValue("ref")+"-PREVIEW.pdf"))
	w.Header().Set("Cache-Control", "no-store")
	w.Write(doc)
}
