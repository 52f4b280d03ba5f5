package web

import (
	"context"
	"errors"
	"fmt"
	"mime"
	"net/http"

	"github.com/chancery/chancery/internal/pdf"
	"github.com/chancery/chancery/internal/registry"
	"github.com/chancery/chancery/internal/store"
	"github.com/chancery/chancery/internal/textdiff"
	"github.com/chancery/chancery/internal/textract"
)

// letterData is the letter page.
type letterData struct {
	*registry.LetterView
	Latest registry.VersionView
	Text   string // the latest version's text, if it has one
	// Look says, when the latest version is a PDF, where Text may differ from what its pages
	// show.
	Look     pdfLook
	Diffs    []versionDiff
	Audit    []store.AuditEvent
	Rejected bool
	// What the member may do, by role; the registry decides again on each action.
	CanDecide, CanRevise, CanExport, CanRelease, Signer bool
	URL                                                 string // for the CLI commands shown
	Dispatch                                            *dispatchData
	Signing                                             *browserSigning // for the Sign button, when the member can sign
	// Pages is what the pages of the latest version, a PDF, show beside Text; nil for other
	// files and when this server does not read pages.
	Pages *pagesShown
}

// versionDiff compares version N with the one before, Before.
type versionDiff struct {
	N, Before int
	Ops       []textdiff.Op
	NoText    bool
	// Unreadable is set with NoText when a version's type carries text that could not be
	// read (an ODT whose text shows by a condition, a damaged file), not a type without text.
	Unreadable bool
	// Look says where the text of either version, a PDF, may differ from what its pages
	// show: the changes may hold words they do not show, or miss a change they show.
	Look pdfLook
}

// pdfLook says where the text of a PDF, its text layer, may differ from what its pages show.
type pdfLook struct {
	// Invisible: part of the text is drawn invisibly (rendering mode 3 or 7), so the text
	// holds words the pages do not show.
	Invisible bool
	// Elsewhere: the pages draw form XObjects or annotations, whose text the text layer
	// does not hold.
	Elsewhere bool
	// Concealed: part of the text is drawn where a reader cannot see it (in the colour of
	// what lies under it, a fraction of a point high, off the page or clipped away), so the
	// text holds words the pages do not show.
	Concealed bool
	// ConvertedConcealed: the PDF kept as a Word or OpenDocument version's conversion, whose
	// pages its previews, copies and release show, draws part of the text where a reader
	// cannot see it (as Concealed: white on the paper, squeezed to a sliver, in the colour
	// of its shading), so the text read from the file holds words the letter does not show.
	ConvertedConcealed bool
}

// or is what either look says.
func (l pdfLook) or(m pdfLook) pdfLook {
	return pdfLook{Invisible: l.Invisible || m.Invisible, Elsewhere: l.Elsewhere || m.Elsewhere, Concealed: l.Concealed || m.Concealed,
		ConvertedConcealed: l.ConvertedConcealed || m.ConvertedConcealed}
}

// letterFilesRead runs once the letter page has read the letter's files; tests set it.
var letterFilesRead = func() {}

// letter shows a letter to a member: versions and their differences, approvals, signatures,
// the release decision and its reasons, the audit trail and the actions the member's roles
// allow.
func (h *Handler) letter(w http.ResponseWriter, r *http.Request) {
	h.showLetter(w, r, http.StatusOK, "")
}

// showLetter renders the letter page, with errMsg when an action on it was refused.
func (h *Handler) showLetter(w http.ResponseWriter, r *http.Request, status int, errMsg string) {
	ctx, a, ref := r.Context(), session(r).actor(), r.PathValue("ref")
	gen := h.shown.generation() // before the files are read (pagesReader.shown)
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
	letterFilesRead()
	audit, err := h.cfg.Registry.Audit(ctx, a, ref)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	// A draft whose content was erased offers no action: every one is refused.
	m, draft := a.Member, v.State == "draft" && !v.DraftErased
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
	unreadable, looks := make([]bool, len(files)), make([]pdfLook, len(files))
	for i, f := range files {
		t, look, err := versionText(ctx, f)
		if err == nil {
			texts[i], looks[i] = &t, look
		} else if !errors.Is(err, textract.ErrNoText) {
			unreadable[i] = true
			h.cfg.Logger.WarnContext(ctx, "no text", "version", f.N, "err", h.loggedErr(r, err))
		}
	}
	if n := len(texts); n > 0 && texts[n-1] != nil {
		d.Text, d.Look = *texts[n-1], looks[n-1]
		if f := files[n-1]; f.N == d.Latest.N && isPDF(f.MediaType) {
			d.Pages = h.shown.shown(gen, d.Latest.Digest, f.Data, d.Text)
		}
	}
	for i := len(files) - 1; i > 0; i-- {
		vd := versionDiff{N: files[i].N, Before: files[i-1].N}
		if texts[i] == nil || texts[i-1] == nil {
			vd.NoText, vd.Unreadable = true, unreadable[i] || unreadable[i-1]
		} else {
			vd.Ops, vd.Look = textdiff.Words(*texts[i-1], *texts[i]), looks[i].or(looks[i-1])
		}
		d.Diffs = append(d.Diffs, vd)
	}
	h.render(w, r, status, "letter", page{Title: v.Reference, Notice: h.notice(r), Error: errMsg, Data: d})
}

// versionText is the text of a version's file for the letter page, and for a PDF where that
// text may differ from what its pages show. A PDF's text is its text layer, read from its
// pages' own content: it holds text drawn invisibly (a scanner's layer over its pictures, or
// a word a drafter hid from the page, as "NOT" in "we will NOT pay", which reviewers would
// read and the released letter would not show) or where it cannot be seen (white on the
// paper, a fraction of a point high, off the page), and lacks the text of the forms and
// annotations the pages draw (a "NOT" drawn in a form, which the letter would show and
// reviewers would not read). A Word or OpenDocument version's text is read from the file;
// once its conversion is kept (at its first preview, copy or release), the conversion's pages
// say whether the letter draws part of that text where it cannot be seen ("NOT" in white, or
// squeezed to a hundredth of its width), which the file's text does not tell.
func versionText(ctx context.Context, f registry.VersionFile) (string, pdfLook, error) {
	if !isPDF(f.MediaType) {
		t, err := textract.TextContext(ctx, f.MediaType, f.Data)
		if err != nil || f.Converted == nil {
			return t, pdfLook{}, err
		}
		layer, err := pdf.ReadTextLayer(ctx, f.Converted)
		if err != nil {
			return "", pdfLook{}, fmt.Errorf("read the conversion: %w", err)
		}
		concealed, err := layer.Concealed()
		if err != nil {
			return "", pdfLook{}, fmt.Errorf("read the conversion: %w", err)
		}
		return t, pdfLook{ConvertedConcealed: concealed > 0}, nil
	}
	t, layer, err := textract.PDFTextContext(ctx, f.Data)
	if err != nil {
		return "", pdfLook{}, err
	}
	_, hidden, err := layer.Shows()
	if err != nil {
		return "", pdfLook{}, fmt.Errorf("extract text: %w", err)
	}
	concealed, err := layer.Concealed()
	if err != nil {
		return "", pdfLook{}, fmt.Errorf("extract text: %w", err)
	}
	elsewhere, err := layer.Elsewhere()
	if err != nil {
		return "", pdfLook{}, fmt.Errorf("extract text: %w", err)
	}
	return t, pdfLook{Invisible: hidden > 0, Elsewhere: elsewhere, Concealed: concealed > 0}, nil
}

// isPDF reports whether mediaType names a PDF.
func isPDF(mediaType string) bool {
	mt, _, _ := mime.ParseMediaType(mediaType)
	return mt == "application/pdf"
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
