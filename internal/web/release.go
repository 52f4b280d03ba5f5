package web

import (
	"net/http"
	"net/url"
)

// release asks the gate to release the letter; a refusal shows the policy's reasons.
func (h *Handler) release(w http.ResponseWriter, r *http.Request) {
	if err := h.form(w, r); err != nil {
		h.fail(w, r, err)
		return
	}
	ref := r.PathValue("ref")
	if _, err := h.cfg.Registry.Release(r.Context(), session(r).actor(), ref); err != nil {
		h.actionFailed(w, r, err)
		return
	}
	http.Redirect(w, r, "/letters/"+url.PathEscape(ref)+"?done=released", http.StatusSeeOther)
}
