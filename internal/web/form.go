package web

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"

	"github.com/chancery/chancery/internal/registry"
)

// maxForm bounds the body of a form without a file.
const maxForm = 64 << 10

// form reads a url-encoded form of bounded size and checks its CSRF token.
func (h *Handler) form(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, maxForm)
	if err := r.ParseForm(); err != nil {
		return fmt.Errorf("%w: the form could not be read", errBadRequest)
	}
	return checkToken(r, r.PostForm.Get("csrf"))
}

// upload is a multipart form with at most one file.
type upload struct {
	fields url.Values
	file   registry.Upload
	has    bool
}

// readUpload reads a multipart form in memory, refusing a file over the upload limit before
// anything is stored, and checks its CSRF token. The form takes its room in the server's
// budget of upload memory first, as the API's uploads do: members sending many files at once
// are refused rather than holding memory without bound.
func (h *Handler) readUpload(w http.ResponseWriter, r *http.Request) (*upload, error) {
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
		v, err := io.ReadAll(io.LimitReader(p, maxForm))
		if err != nil {
			return nil, partError(err)
		}
		u.fields.Add(p.FormName(), string(v))
		if len(u.fields) > 32 {
			return nil, fmt.Errorf("%w: too many fields", errBadRequest)
		}
	}
	if err := checkToken(r, u.fields.Get("csrf")); err != nil {
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
