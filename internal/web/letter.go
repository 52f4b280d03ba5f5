package web

import (
	"errors"
	"net/http"

	"github.com/chancery/chancery/internal/registry"
	"github.com/chancery/chancery/internal/store"
	"github.com/chancery/chancery/internal/textdiff"
	"github.com/chancery/chancery/internal/textract"
)

// letterData is the letter page.
type letterData struct {
	*registry.LetterView
	Latest   registry.VersionView
	Text     string // the latest version's text, if it has one
	Diffs    []versionDiff
	Audit    []store.AuditEvent
	Rejected bool
	// What the member may do, by role; the registry decides again on each action.
	CanDecide, CanRevise, CanExport, CanRelease, Signer bool
	URL                                                 string // for the CLI commands shown
	Dispatch                                            *dispatchData
	Signing                                             *browserSigning // for the Sign button, when the member can sign
}

// versionDiff compares version N with the one before.
type versionDiff struct {
	N      int
	Ops    []textdiff.Op
	NoText bool
	// Unreadable is set with NoText when a version's type carries text that could not be
	// read (an ODT whose text shows by a condition, a damaged file), not a type without text.
	Unreadable bool
}

// letter shows a letter to a member: versions and their differences, approvals, signatures,
// the release decision and its reasons, the audit trail and the actions the member's roles
// allow.
func (h *Handler) letter(w http.ResponseWriter, r *http.Request) {
	h.showLetter(w, r, http.StatusOK, "")
}

// showLetter renders the letter page, with errMsg when an action on it was refused.
func (h *Handler) showLetter(w http.ResponseWriter, r *http.Request, status int, errMsg string) {
	ctx, a, ref := r.Context(), session(r).actor(), r.PathValue("ref")
	v, err := h.cfg.Registry.Letter(ctx, a, ref)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	files, err := h.cfg.Registry.VersionFiles(ctx, a, ref)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	audit, err := h.cfg.Registry.Audit(ctx, a, ref)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	m, draft := a.Member, v.State == "draft"
	d := &letterData{LetterView: v, Audit: audit, URL: h.cfg.BaseURL,
		CanDecide:  draft && m.HasRole(registry.RoleReviewer),
		CanRevise:  draft && m.HasRole(registry.RoleDrafter),
		CanExport:  draft && (m.HasRole(registry.RoleDrafter) || m.HasRole(registry.RoleReviewer) || m.HasRole(registry.RoleSigner)),
		CanRelease: draft && m.HasRole(registry.RoleRelease),
		Signer:     m.HasRole(registry.RoleSigner),
	}
	if d.Dispatch, err = h.letterDispatch(ctx, a, v, d.CanExport); err != nil {
		h.fail(w, r, err)
		return
	}
	if len(v.Versions) > 0 {
		d.Latest = v.Versions[len(v.Versions)-1]
		for _, ap := range v.Approvals {
			d.Rejected = d.Rejected || (ap.Version == d.Latest.Digest && ap.Decision == "reject")
		}
	}
	if d.Signing, err = h.signingFor(ctx, a, ref, d.Latest.Digest, draft && d.Signer && d.Latest.Digest != ""); err != nil {
		h.fail(w, r, err)
		return
	}
	texts := make([]*string, len(files))
	unreadable := make([]bool, len(files))
	for i, f := range files {
		t, err := textract.Text(f.MediaType, f.Data)
		if err == nil {
			texts[i] = &t
		} else if !errors.Is(err, textract.ErrNoText) {
			unreadable[i] = true
			h.cfg.Logger.WarnContext(ctx, "no text", "version", f.N, "err", h.loggedErr(r, err))
		}
	}
	if n := len(texts); n > 0 && texts[n-1] != nil {
		d.Text = *texts[n-1]
	}
	for i := len(files) - 1; i > 0; i-- {
		vd := versionDiff{N: files[i].N}
		if texts[i] == nil || texts[i-1] == nil {
			vd.NoText, vd.Unreadable = true, unreadable[i] || unreadable[i-1]
		} else {
			vd.Ops = textdiff.Words(*texts[i-1], *texts[i])
		}
		d.Diffs = append(d.Diffs, vd)
	}
	h.render(w, r, status, "letter", page{Title: v.Reference, Notice: h.notice(r), Error: errMsg, Data: d})
}

// actionFailed shows a refused action on the letter page itself, so the member sees why
// (the gate's reasons) next to what the letter needs; other errors get the error page.
func (h *Handler) actionFailed(w http.ResponseWriter, r *http.Request, err error) {
	status, msg := pageStatus(r, err)
	switch status {
	case http.StatusBadRequest, http.StatusForbidden, http.StatusConflict, http.StatusUnprocessableEntity, http.StatusRequestEntityTooLarge:
		if !errors.Is(err, errCSRF) {
			h.showLetter(w, r, status, msg)
			return
		}
	}
	h.fail(w, r, err)
}
