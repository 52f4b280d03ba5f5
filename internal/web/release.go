package web

import (
	"net/http"
	"net/url"
	"time"
)

// release asks the gate to release the version the page showed: the form carries its
// digest, so that a revision uploaded since (and approved and signed by others) is refused
// rather than released on the officer's button. A refusal shows the policy's reasons.
func (h *Handler) release(w http.ResponseWriter, r *http.Request) {
	if err := h.form(w, r, nil, "version"); err != nil {
		h.fail(w, r, err)
		return
	}
	ref := r.PathValue("ref")
	// The release commits, then waits up to --seal-wait for the witnesses: its answer is
	// written under a deadline past that wait, not cut by the server's write timeout.
	_ = http.NewResponseController(w).SetWriteDeadline(time.Now().Add(h.cfg.Registry.SealWait() + time.Minute))
	if _, err := h.cfg.Registry.ReleaseVersion(r.Context(), session(r).actor(), ref, r.PostForm.Get("version")); err != nil {
		h.actionFailed(w, r, err)
		return
	}
	http.Redirect(w, r, "/letters/"+url.PathEscape(ref)+"?done=released", http.StatusSeeOther)
}
