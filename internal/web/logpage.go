package web

import (
	"net/http"

	"github.com/chancery/chancery/internal/entry"
	"github.com/chancery/chancery/internal/translog"
	"golang.org/x/mod/sumdb/tlog"
)

type recentEntry struct {
	Index int64
	Kind  string
	Hash  tlog.Hash
}

// logPage shows the checkpoint the server hands out, its recent entries and how to audit it:
// with a witness quorum, the newest checkpoint the quorum cosigned, as /log/checkpoint serves
// it, and the entries it covers, not the log's own latest, which no witness may have seen.
func (h *Handler) logPage(w http.ResponseWriter, r *http.Request) {
	head := h.cfg.Log.Head()
	pending := false
	if h.cfg.Registry != nil {
		if hs := h.cfg.Registry.Heads(); hs != nil {
			if hd := hs.Head(); hd != nil {
				head = &hd.Head
			} else {
				head, pending = &translog.Head{}, true
			}
		}
	}
	data := struct {
		Origin     string
		Size       int64
		Root       tlog.Hash
		Checkpoint string
		Recent     []recentEntry
		// Pending: the quorum has cosigned no checkpoint yet.
		Pending bool
	}{Origin: h.cfg.Origin, Size: head.Size, Root: head.Root, Checkpoint: string(head.Checkpoint), Pending: pending}
	for i := head.Size - 1; i >= 0 && i >= head.Size-20; i-- {
		e, err := h.cfg.Log.Entry(r.Context(), i)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		kind := "" // the page says "not a Chancery entry" in its language
		if d, err := entry.Decode(e); err == nil {
			kind = string(d.Kind)
		}
		data.Recent = append(data.Recent, recentEntry{Index: i, Kind: kind, Hash: tlog.RecordHash(e)})
	}
	h.render(w, r, http.StatusOK, "log", page{Title: "Transparency log", Data: data})
}
