package web

import (
	"net/http"
	"net/url"
)

// revise uploads a new version of a draft.
func (h *Handler) revise(w http.ResponseWriter, r *http.Request) {
	u, err := h.readUpload(w, r)
	if err != nil {
		h.actionFailed(w, r, err)
		return
	}
	ref := r.PathValue("ref")
	if _, err := h.cfg.Registry.Revise(r.Context(), session(r).actor(), ref, u.file); err != nil {
		h.actionFailed(w, r, err)
		return
	}
	http.Redirect(w, r, "/letters/"+url.PathEscape(ref)+"?done=revised", http.StatusSeeOther)
}
