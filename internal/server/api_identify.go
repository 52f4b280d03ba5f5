package server

import (
	"net/http"
	"strings"

	"github.com/chancery/chancery/internal/registry"
)

// identify answers what a text is: {"text": "…"} as JSON ({"text": "…", "scan": true} for
// text read from a scan), or a file (multipart/form-data with a file part) whose text is
// extracted here, or read by OCR for a scan. Drafts show only to members with a role.
func (s *Server) identify(w http.ResponseWriter, r *http.Request) {
	var text string
	var scan bool
	file := strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data")
	if file {
		u, err := s.fileUpload(w, r, false)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		text, scan, err = s.uploadText(r.Context(), u.file.Name, u.file.MediaType, u.file.Data)
		if err != nil {
			s.fail(w, r, err)
			return
		}
	} else {
		var req struct {
			Text string `json:"text"`
			// Scan says the text was read from a scan by OCR (as chancery identify does
			// with an image): its OCR noise is then forgiven.
			Scan bool `json:"scan"`
		}
		if err := decodeJSON(w, r, &req); err != nil {
			s.fail(w, r, err)
			return
		}
		text, scan = req.Text, req.Scan
	}
	identify := s.cfg.Registry.Identify
	if scan {
		identify = s.cfg.Registry.IdentifyScan
	}
	id, err := identify(r.Context(), actor(r), text)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if file && !scan && id.Reference != "" && id.Outcome != registry.Altered && id.Outcome != registry.Draft {
		// The file's text is the letter's, which says nothing of the file: its text layer may
		// differ from what its pages show, and its bytes from the released file's.
		id.Message += ". " + fileTextCaveat
	}
	writeJSON(w, id)
}

// fileTextCaveat ends the answer for a file identified by its text.
const fileTextCaveat = "Only the file's text was compared: that proves nothing of the file itself, whose pages may show other text; the released file has a known digest (POST /api/v1/verify) and a seal"
