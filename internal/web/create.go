package web

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/chancery/chancery/internal/registry"
)

// createLetter registers a letter from the inbox form: subject, class, addressees (one a
// line), tags (comma-separated) and the file.
func (h *Handler) createLetter(w http.ResponseWriter, r *http.Request) {
	u, err := h.readUpload(w, r, "subject", "class", "to", "tags")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	ref, err := h.cfg.Registry.CreateLetter(r.Context(), session(r).actor(), registry.NewLetter{
		Subject: strings.TrimSpace(u.fields.Get("subject")), Class: strings.TrimSpace(u.fields.Get("class")),
		Addressees: lines(u.fields.Get("to"), "\n"), Tags: lines(u.fields.Get("tags"), ","), File: u.file})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/letters/"+url.PathEscape(ref)+"?done=created", http.StatusSeeOther)
}

// lines splits s at sep, trimming and dropping empty items.
func lines(s, sep string) []string {
	var out []string
	for _, x := range strings.Split(s, sep) {
		if x = strings.TrimSpace(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}
