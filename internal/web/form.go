package web

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"

	"github.com/chancery/chancery/internal/i18n"
	"github.com/chancery/chancery/internal/registry"
)

// maxForm bounds the body of a form without a file, and the fields of a form with one (their
// names and values together).
const maxForm = 64 << 10

// maxFields bounds the values of a multipart form, whatever their names.
const maxFields = 32

// form reads a url-encoded form of bounded size, refuses one that gives a field more than
// once (but the lists: checkboxes), checks its CSRF token, and refuses a field other than
// csrf, the fields named and the lists.
func (h *Handler) form(w http.ResponseWriter, r *http.Request, lists []string, fields ...string) error {
	r.Body = http.MaxBytesReader(w, r.Body, maxForm)
	if err := r.ParseForm(); err != nil {
		return fmt.Errorf("%w: the form could not be read", errBadRequest)
	}
	if err := singleValued(r.PostForm, lists...); err != nil {
		return err
	}
	if err := checkToken(r, r.PostForm.Get("csrf")); err != nil {
		return err
	}
	return onlyFields(r.PostForm, slices.Concat([]string{"csrf"}, fields, lists)...)
}

// takesOnly refuses a form without a CSRF token that gives a field more than once or a field
// other than those named.
func takesOnly(form url.Values, fields ...string) error {
	if err := singleValued(form); err != nil {
		return err
	}
	return onlyFields(form, fields...)
}

// onlyFields refuses a form with a field other than those named: dropped, it would be a part
// of the request its sender meant to make (a misspelt name, the API's name for it).
func onlyFields(form url.Values, names ...string) error {
	for _, name := range sortedNames(form) {
		if !slices.Contains(names, name) {
			return formError{i18n.Msg("bad request: the form has a field %q, which it does not take", name)}
		}
	}
	return nil
}

// sortedNames returns the names of form in order, so that a refusal is the same for the
// same form.
func sortedNames(form url.Values) []string {
	names := make([]string, 0, len(form))
	for name := range form {
		names = append(names, name)
	}
	slices.Sort(names)
	return names
}

// formError is a form or a page's query refused as it was sent (errBadRequest), said in the
// page's language.
type formError struct{ i18n.Message }

func (e formError) Error() string { return e.Message.String() }
func (e formError) Unwrap() error { return errBadRequest }

// singleValued refuses a form that gives a field more than once, but those named in multi:
// handlers read the first value, while a proxy, a log or another reader may take the last,
// so such a form has two readings (the API refuses them too, for JSON and its forms).
func singleValued(form url.Values, multi ...string) error {
	for _, name := range sortedNames(form) {
		if n := len(form[name]); n > 1 && !slices.Contains(multi, name) {
			return formError{i18n.Msg("bad request: the form gives the field %q %d times: send it again from its page", name, n)}
		}
	}
	return nil
}

// singleQuery refuses a page's query that gives a parameter more than once, for the reason
// singleValued gives: no page takes a list in its query.
func singleQuery(q url.Values) error {
	for _, name := range sortedNames(q) {
		if n := len(q[name]); n > 1 {
			if !pageParameter(name) {
				// Not echoed: a link's author would choose the words the page shows.
				return formError{i18n.Msg("bad request: the address gives a parameter %d times: open the page again from its link", n)}
			}
			return formError{i18n.Msg("bad request: the address gives the parameter %q %d times: open the page again from its link", name, n)}
		}
	}
	return nil
}

// pageParameter reports whether name looks like a parameter the pages use (a short word of
// small letters and underscores), which a refusal may name.
func pageParameter(name string) bool {
	if name == "" || len(name) > 16 {
		return false
	}
	for i := 0; i < len(name); i++ {
		if c := name[i]; (c < 'a' || c > 'z') && c != '_' {
			return false
		}
	}
	return true
}

// upload is a multipart form with at most one file.
type upload struct {
	fields url.Values
	file   registry.Upload
	has    bool
}

// readUpload reads a multipart form in memory, refusing a file over the upload limit before
// anything is stored and a field given twice, checks its CSRF token, and refuses a field other
// than csrf, file and names, in the order form checks them. The form takes its room in the
// server's budget of upload memory first, as the API's uploads do: members sending many
// files at once are refused rather than holding memory without bound.
func (h *Handler) readUpload(w http.ResponseWriter, r *http.Request, names ...string) (*upload, error) {
	if h.cfg.ReserveUpload != nil {
		if err := h.cfg.ReserveUpload(r, h.cfg.MaxUpload+maxForm); err != nil {
			return nil, fmt.Errorf("%w: %v", errUploadsBusy, err)
		}
	}
	r.Body = http.MaxBytesReader(w, r.Body, h.cfg.MaxUpload+maxForm)
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, fmt.Errorf("%w: expected a multipart form", errBadRequest)
	}
	u := &upload{fields: url.Values{}}
	room, values := int64(maxForm), 0 // what the fields' names and values may still take; their count
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, partError(err)
		}
		if p.FileName() != "" {
			if u.has {
				return nil, fmt.Errorf("%w: more than one file", errBadRequest)
			}
			var b bytes.Buffer
			n, err := io.Copy(&b, io.LimitReader(p, h.cfg.MaxUpload+1))
			if err != nil {
				return nil, partError(err)
			}
			if n > h.cfg.MaxUpload {
				return nil, errTooLarge
			}
			u.file = registry.Upload{Name: p.FileName(), MediaType: p.Header.Get("Content-Type"), Data: b.Bytes()}
			if u.file.MediaType == "application/octet-stream" {
				u.file.MediaType = ""
			}
			u.has = true
			continue
		}
		// A value is read whole or refused: one cut at the bound would be a field the member
		// did not send.
		room -= int64(len(p.FormName()))
		v, err := io.ReadAll(io.LimitReader(p, max(room, 0)+1))
		if err != nil {
			return nil, partError(err)
		}
		if room -= int64(len(v)); room < 0 {
			return nil, formError{i18n.Msg("bad request: the form's fields hold more than %d bytes", maxForm)}
		}
		u.fields.Add(p.FormName(), string(v))
		if values++; values > maxFields {
			return nil, fmt.Errorf("%w: too many fields", errBadRequest)
		}
	}
	// What the form named stays out of the lines its failure logs (loggedErr).
	if s, ok := r.Context().Value(sessionKey{}).(*sess); ok {
		for _, vs := range u.fields {
			s.logWords = append(s.logWords, vs...)
		}
		s.logWords = append(s.logWords, u.file.Name)
	}
	if err := singleValued(u.fields); err != nil {
		return nil, err
	}
	if err := checkToken(r, u.fields.Get("csrf")); err != nil {
		return nil, err
	}
	// A field it does not take is refused after the token is checked, as form refuses one, so
	// that a forged post is refused as forged whatever its fields. Dropped, such a field would
	// be a part of the letter the member meant to give (the API's "tag" for the form's "tags").
	if err := onlyFields(u.fields, slices.Concat([]string{"csrf", "file"}, names)...); err != nil { // "file": a file input left empty
		return nil, err
	}
	if !u.has || len(u.file.Data) == 0 {
		return nil, fmt.Errorf("%w: choose a file", registry.ErrInvalid)
	}
	return u, nil
}

func partError(err error) error {
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return errTooLarge
	}
	return fmt.Errorf("%w: the form could not be read", errBadRequest)
}

// newOnce returns a new one-use value for a form of the members page: 16 random bytes.
func newOnce() string {
	b := make([]byte, 16)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// formOnce is form for the members page's forms that change something, which also take the
// one-use value the page gave the form (once). The handler spends it (spendOnce) when it asks
// the registry for the change, not here: a form refused before (a wrong password, the
// sign-in's limit, a member or change not found) has done nothing, and may be sent again
// as it is (from the page kept in the history, or by a reload after "try again").
func (h *Handler) formOnce(w http.ResponseWriter, r *http.Request, lists []string, fields ...string) error {
	return h.form(w, r, lists, append(slices.Clip(fields), "once")...)
}

// spendOnce records the one-use value of the members page form r posts, and refuses the form
// (errFormSent) if it was posted before: a browser without JavaScript posts the form again
// when the page that answered it is reloaded (members.js replaces that history entry where
// scripts run), which would give a second new token, the one just shown no longer working, or
// answer a second approval "carried out already". Nothing is carried out then. The handler
// calls it just before it asks the registry for the change, once the form's other checks
// (the admin's password) passed, so that of two posts at once one is refused and a form
// refused for another reason can be sent again. A form without one (a page of an earlier
// build, a client of its own) is carried out as before.
func (h *Handler) spendOnce(r *http.Request) error {
	once := r.PostForm.Get("once")
	if once == "" {
		return nil
	}
	if len(once) > 64 {
		return errCSRF // not one the page gave
	}
	used, err := h.cfg.Registry.SpendForm(r.Context(), once, h.cfg.Sessions.Lifetime)
	if err != nil {
		return err
	}
	if used {
		return errFormSent
	}
	return nil
}

// giveOnceBack gives back the one-use value of the members page form r posts, spent by
// spendOnce, when the registry refused or failed the change it asked for (err): nothing was
// done, and the same form sent again once the cause is gone (a reload of "try again", the
// page kept in the history) is carried out rather than refused as sent. A change proposed
// to a second admin (two_admins) was done: its value stays spent. Where a change failed after
// its commit (its signer keys not yet revoked), sending it again is refused by the registry
// as done already. A failure to give it back is logged: the form is then refused as sent.
func (h *Handler) giveOnceBack(r *http.Request, err error) {
	once := r.PostForm.Get("once")
	if once == "" || registry.Proposed(err) != nil {
		return
	}
	if err := h.cfg.Registry.GiveFormBack(context.WithoutCancel(r.Context()), once); err != nil {
		h.cfg.Logger.WarnContext(r.Context(), "a members page form's one-use value was not given back", "err", err)
	}
}
