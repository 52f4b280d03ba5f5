package web

import (
	"mime"
	"net/http"
	"strconv"
	"strings"
)

// exportDraft hands out the latest version as a coordination draft, recorded with its
// recipient, as a download.
func (h *Handler) exportDraft(w http.ResponseWriter, r *http.Request) {
	if err := h.form(w, r); err != nil {
		h.fail(w, r, err)
		return
	}
	c, err := h.cfg.Registry.ExportDraft(r.Context(), session(r).actor(), r.PathValue("ref"), strings.TrimSpace(r.PostForm.Get("recipient")))
	if err != nil {
		h.actionFailed(w, r, err)
		return
	}
	name := "DRAFT-" + c.Reference + "-v" + strconv.Itoa(c.Version) + "-" + c.FileName
	w.Header().Set("Content-Type", c.MediaType)
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
	w.Header().Set("Cache-Control", "no-store")
	w.Write(c.Data)
}
