package web

import "net/http"

// signout ends the session on the server, not only in the browser.
func (h *Handler) signout(w http.ResponseWriter, r *http.Request) {
	if err := h.form(w, r, nil); err != nil {
		h.fail(w, r, err)
		return
	}
	if err := h.cfg.Registry.EndSession(r.Context(), session(r).id); err != nil {
		h.fail(w, r, err)
		return
	}
	h.setSessionCookie(w, r, "", -1)
	http.Redirect(w, r, "/", http.StatusSeeOther)
}
