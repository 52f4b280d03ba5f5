package web

import "net/http"

// landing points visitors to what they came for: checking a letter, signing in, the log.
func (h *Handler) landing(w http.ResponseWriter, r *http.Request) {
	h.render(w, r, http.StatusOK, "landing", page{Title: "Chancery", Data: h.cfg.Registry != nil})
}
