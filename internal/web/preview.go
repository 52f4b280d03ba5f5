package web

import (
	"fmt"
	"net/http"
)

// preview hands out the PDF a release would publish now, marked DRAFT PREVIEW and recorded
// as a draft copy the member took. It is a plain link: what it records is that the member's
// browser received the copy, which a cross-site page cannot read.
func (h *Handler) preview(w http.ResponseWriter, r *http.Request) {
	ref := r.PathValue("ref")
	doc, err := h.cfg.Registry.Preview(r.Context(), session(r).actor(), ref)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", fmt.Sprintf("inline; filename=%q", ref+"-PREVIEW.pdf"))
	w.Header().Set("Cache-Control", "no-store")
	w.Write(doc)
}
