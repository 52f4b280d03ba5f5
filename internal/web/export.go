package web

import (
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/chancery/chancery/internal/registry"
)

// exportVersion hands out version {n} as a marked copy for the member's own reading, recorded
// like any draft export: no version leaves unmarked.
func (h *Handler) exportVersion(w http.ResponseWriter, r *http.Request) {
	if err := h.form(w, r, nil); err != nil {
		h.fail(w, r, err)
		return
	}
	n, err := strconv.Atoi(r.PathValue("n"))
	if err != nil || n < 1 {
		h.fail(w, r, errBadRequest)
		return
	}
	a := session(r).actor()
	c, err := h.cfg.Registry.ExportVersion(r.Context(), a, r.PathValue("ref"), n, "own copy of "+a.Member.Name)
	if err != nil {
		h.actionFailed(w, r, err)
		return
	}
	sendCopy(w, c)
}

// exportDraft hands out the version the page showed as a coordination draft, recorded with
// its recipient, as a download: the form carries that version's digest, so that a revision
// uploaded since is refused rather than handed to the recipient unread.
func (h *Handler) exportDraft(w http.ResponseWriter, r *http.Request) {
	if err := h.form(w, r, nil, "version", "recipient"); err != nil {
		h.fail(w, r, err)
		return
	}
	c, err := h.cfg.Registry.ExportDraftVersion(r.Context(), session(r).actor(), r.PathValue("ref"), r.PostForm.Get("version"),
		strings.TrimSpace(r.PostForm.Get("recipient")))
	if err != nil {
		h.actionFailed(w, r, err)
		return
	}
	sendCopy(w, c)
}

// sendCopy sends a draft copy as a download.
func sendCopy(w http.ResponseWriter, c *registry.DraftCopy) {
	name := "DRAFT-" + c.Reference + "-v" + strconv.Itoa(c.Version) + "-" + c.FileName
	w.Header().Set("Content-Type", c.MediaType)
	w.Header().Set("Content-Disposition", disposition("attachment", name))
	w.Header().Set("Cache-Control", "no-store")
	w.Write(c.Data)
}

// disposition is a Content-Disposition header naming a file (RFC 6266): a name with other
// characters than ASCII is given as filename* in UTF-8 (RFC 8187), quotes and backslashes in
// a name are escaped as HTTP quotes them, so that the browser saves the file under its exact
// name, never under a part of it or a name it guessed from bytes in another encoding.
func disposition(kind, name string) string {
	return mime.FormatMediaType(kind, map[string]string{"filename": name})
}
