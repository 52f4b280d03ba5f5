package web

import (
	"net/http"
	"net/url"
)

// decide records a reviewer's approval or rejection of the version the page showed: the
// form carries that version's digest, so an approval never lands on text the reviewer did
// not see.
func (h *Handler) decide(reject bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := h.form(w, r, nil, "version", "comment"); err != nil {
			h.fail(w, r, err)
			return
		}
		ref, a := r.PathValue("ref"), session(r).actor()
		version, comment := r.PostForm.Get("version"), r.PostForm.Get("comment")
		var err error
		done := "approved"
		if reject {
			err, done = h.cfg.Registry.Reject(r.Context(), a, ref, version, comment), "rejected"
		} else {
			err = h.cfg.Registry.Approve(r.Context(), a, ref, version, comment)
		}
		if err != nil {
			h.actionFailed(w, r, err)
			return
		}
		http.Redirect(w, r, "/letters/"+url.PathEscape(ref)+"?done="+done, http.StatusSeeOther)
	}
}
