package web

import (
	"errors"
	"net/http"
	"regexp"
	"strings"

	"github.com/chancery/chancery/internal/registry"
	"github.com/chancery/chancery/internal/seal"
)

// result is the verify result page.
type result struct {
	*registry.Status
	Asked string // what was checked: a file's digest or a reference
	// DraftRef is set for a member looking at a draft of this office.
	DraftRef string
}

// refPattern is what a reference looks like (PREFIX-YEAR-NUMBER, loosely).
var refPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`)

// verify shows the verify form, or the answer for ?digest= (computed in the browser: the file
// never leaves the device) or ?q= (a reference or a digest typed in).
func (h *Handler) verify(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	in := strings.TrimSpace(q.Get("digest"))
	if in == "" {
		in = strings.TrimSpace(q.Get("q"))
	}
	if in == "" {
		h.render(w, r, http.StatusOK, "verify", page{Title: "Check a letter"})
		return
	}
	if d, err := seal.ParseDigest(in); err == nil {
		h.showDigest(w, r, d)
		return
	}
	if q.Get("digest") != "" || !refPattern.MatchString(in) {
		h.render(w, r, http.StatusBadRequest, "verify", page{Title: "Check a letter",
			Error: "That is neither a reference (such as TFN-2020-000001) nor a SHA-256 digest (64 hexadecimal digits)."})
		return
	}
	h.showRef(w, r, in)
}

// verifyRef answers for a reference: the QR code on a released letter opens /v/{ref}.
func (h *Handler) verifyRef(w http.ResponseWriter, r *http.Request) {
	h.showRef(w, r, r.PathValue("ref"))
}

func (h *Handler) showDigest(w http.ResponseWriter, r *http.Request, d seal.Digest) {
	st, err := h.cfg.Registry.VerifyDigest(r.Context(), session(r).actor(), d)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	res := &result{Status: st, Asked: string(d)}
	if st.Draft != nil {
		res.DraftRef = st.Draft.Reference
	}
	h.render(w, r, http.StatusOK, "result", page{Title: title(st.Outcome), Data: res})
}

// showRef answers for a reference. The public learns nothing of drafts (an unreleased
// reference is unknown); a signed-in member is told it is a draft and where to find it.
func (h *Handler) showRef(w http.ResponseWriter, r *http.Request, ref string) {
	ctx, s := r.Context(), session(r)
	st, err := h.cfg.Registry.StatusOf(ctx, ref)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	res := &result{Status: st, Asked: ref}
	if st.Outcome == registry.Unknown && s.member != nil {
		v, err := h.cfg.Registry.Letter(ctx, s.actor(), ref)
		switch {
		case err == nil && v.State == "draft":
			st.Outcome, st.Subject, st.Message = registry.Draft, v.Subject, "a draft: not released"
			res.DraftRef = v.Reference
		case err != nil && !errors.Is(err, registry.ErrNotFound):
			h.fail(w, r, err)
			return
		}
	}
	h.render(w, r, http.StatusOK, "result", page{Title: title(st.Outcome), Data: res})
}

func title(outcome string) string {
	switch outcome {
	case registry.Valid:
		return "Released and valid"
	case registry.Retracted:
		return "Retracted"
	case registry.Superseded:
		return "Superseded"
	case registry.Draft:
		return "Not an official document"
	}
	return "Unknown to this registry"
}
