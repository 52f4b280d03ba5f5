package web

import (
	"net/http"
	"strings"
)

// preview hands out the PDF a release would publish now, marked DRAFT PREVIEW and recorded
// as a draft copy the member took. It is a plain link; but since the copy is recorded in the
// member's name, a link followed from another site (fromSite), or a page the browser fetches
// ahead of a click (Sec-Purpose or Purpose: prefetch), records none and gets none: the audit
// trail must not say that the member took a copy they never asked for.
func (h *Handler) preview(w http.ResponseWriter, r *http.Request) {
	// A HEAD (which GET routes take) would record a preview that no one received.
	if r.Method == http.MethodHead {
		w.Header().Set("Allow", http.MethodGet)
		w.WriteHeader(http.StatusMethodNotAllowed)
		return
	}
	if !h.fromSite(r, true) || prefetch(r) {
		h.fail(w, r, errCopyElsewhere)
		return
	}
	ref := r.PathValue("ref")
	doc, err := h.cfg.Registry.Preview(r.Context(), session(r).actor(), ref)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", disposition("inline", ref+"-PREVIEW.pdf"))
	w.Header().Set("Cache-Control", "no-store")
	w.Write(doc)
}

// prefetch reports whether r is a fetch the browser makes ahead of a click (speculation
// rules and link prefetch send Sec-Purpose; older browsers, Purpose or X-Moz).
func prefetch(r *http.Request) bool {
	for _, k := range []string{"Sec-Purpose", "Purpose", "X-Moz"} {
		if strings.Contains(r.Header.Get(k), "prefetch") {
			return true
		}
	}
	return false
}
