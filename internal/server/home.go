package server

import (
	"bytes"
	"embed"
	"html/template"
	"net/http"

	"github.com/chancery/chancery/internal/entry"
	"golang.org/x/mod/sumdb/tlog"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

var templates = template.Must(template.ParseFS(templateFS, "templates/*.html"))

type recentEntry struct {
	Index int64
	Kind  string
	Hash  tlog.Hash
}

// home shows the log's state and how to audit it.
func (s *Server) home(w http.ResponseWriter, r *http.Request) {
	head := s.cfg.Log.Head()
	data := struct {
		Origin     string
		Size       int64
		Root       tlog.Hash
		Checkpoint string
		Recent     []recentEntry
	}{Origin: s.cfg.Origin, Size: head.Size, Root: head.Root, Checkpoint: string(head.Checkpoint)}
	for i := head.Size - 1; i >= 0 && i >= head.Size-10; i-- {
		e, err := s.cfg.Log.Entry(r.Context(), i)
		if err != nil {
			s.internalError(w, r, err)
			return
		}
		kind := "(not a Chancery entry)"
		if d, err := entry.Decode(e); err == nil {
			kind = string(d.Kind)
		}
		data.Recent = append(data.Recent, recentEntry{Index: i, Kind: kind, Hash: tlog.RecordHash(e)})
	}
	var b bytes.Buffer
	if err := templates.ExecuteTemplate(&b, "home.html", data); err != nil {
		s.internalError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	w.Write(b.Bytes())
}
