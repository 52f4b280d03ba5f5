package server

import (
	"errors"
	"fmt"
	"mime"
	"net/http"
	"path/filepath"
	"strings"

	"github.com/chancery/chancery/internal/textract"
)

// identify answers what a text is: {"text": "…"} as JSON, or a file (multipart/form-data with
// a file part) whose text is extracted here. Drafts show only to members with a role.
func (s *Server) identify(w http.ResponseWriter, r *http.Request) {
	var text string
	if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
		u, err := s.fileUpload(w, r, false)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		mt := u.file.MediaType
		if mt == "" {
			if mt = mime.TypeByExtension(filepath.Ext(u.file.Name)); mt == "" {
				mt = http.DetectContentType(u.file.Data)
			}
		}
		text, err = textract.Text(mt, u.file.Data)
		if errors.Is(err, textract.ErrNoText) {
			s.fail(w, r, fmt.Errorf("%w: %v: identification needs a PDF, Word (DOCX), Markdown or plain-text file", errBadRequest, err))
			return
		}
		if err != nil {
			s.fail(w, r, fmt.Errorf("%w: %v", errBadRequest, err))
			return
		}
	} else {
		var req struct {
			Text string `json:"text"`
		}
		if err := decodeJSON(w, r, &req); err != nil {
			s.fail(w, r, err)
			return
		}
		text = req.Text
	}
	id, err := s.cfg.Registry.Identify(r.Context(), actor(r), text)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, id)
}
