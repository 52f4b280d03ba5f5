package server

import (
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"

	"github.com/chancery/chancery/internal/accesslog"
	"github.com/chancery/chancery/internal/ocr"
	"github.com/chancery/chancery/internal/store"
	"github.com/chancery/chancery/internal/translog"
	"golang.org/x/mod/sumdb/tlog"
)

// Cache lifetimes. Tiles, partial ones included, never change once served; the checkpoint
// changes with every batch.
const (
	immutable       = "public, max-age=31536000, immutable"
	checkpointCache = "public, max-age=2, must-revalidate"
)

// logRoutes are the transparency log's routes, by pattern: what a witness or a monitor asks
// for, whose errors are {"error": …} (docs/log-format.md). NewStarting answers them in kind.
func (s *Server) logRoutes() map[string]http.HandlerFunc {
	return map[string]http.HandlerFunc{
		"GET /log/checkpoint":        s.checkpoint,
		"GET /log/key":               s.key,
		"GET /log/tile/":             s.tile,
		"GET /log/proof/inclusion":   s.inclusionProof,
		"GET /log/proof/consistency": s.consistencyProof,
	}
}

func (s *Server) checkpoint(w http.ResponseWriter, r *http.Request) {
	head, err := s.servedHead()
	if err != nil {
		w.Header().Set("Retry-After", "5")
		httpError(w, http.StatusServiceUnavailable, err)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", checkpointCache)
	w.Write(head.Checkpoint)
}

// servedHead returns the checkpoint the server hands out: with witnesses configured, the
// newest one that their quorum cosigned, with the cosignature lines; else the log's latest.
func (s *Server) servedHead() (*translog.Head, error) {
	if s.cfg.Registry != nil {
		if hs := s.cfg.Registry.Heads(); hs != nil {
			h := hs.Head()
			if h == nil {
				why := "no checkpoint of this log has been cosigned by the witness quorum yet"
				if b := hs.Behind(); b != "" {
					why += ": " + b
				}
				return nil, errors.New(why)
			}
			return &h.Head, nil
		}
	}
	return s.cfg.Log.Head(), nil
}

// proofHead returns the served head and the largest size a proof may be asked for: the log's
// own latest, which may be ahead of the cosigned one.
func (s *Server) proofHead(w http.ResponseWriter) (*translog.Head, int64, bool) {
	head, err := s.servedHead()
	if err != nil {
		w.Header().Set("Retry-After", "5")
		httpError(w, http.StatusServiceUnavailable, err)
		return nil, 0, false
	}
	return head, max(head.Size, s.cfg.Log.Head().Size), true
}

func (s *Server) key(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=3600")
	fmt.Fprintln(w, s.cfg.VerifierKey)
}

// tile serves /log/tile/<L>/<N>[.p/<W>] and /log/tile/entries/<N>[.p/<W>].
func (s *Server) tile(w http.ResponseWriter, r *http.Request) {
	t, err := translog.ParseTilePath(r.URL.Path[len("/log/"):])
	if err != nil {
		httpError(w, http.StatusBadRequest, err)
		return
	}
	before := s.cfg.Log.Head().Size
	data, err := s.cfg.Log.ReadTile(r.Context(), t)
	if errors.Is(err, translog.ErrOutOfRange) && s.followLog(r, before) {
		data, err = s.cfg.Log.ReadTile(r.Context(), t)
	}
	if errors.Is(err, translog.ErrOutOfRange) || errors.Is(err, store.ErrNotFound) {
		httpError(w, http.StatusNotFound, err)
		return
	}
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Cache-Control", immutable)
	w.Write(data)
}

// InclusionProof is the JSON answer of GET /log/proof/inclusion.
type InclusionProof struct {
	Index    int64       `json:"index"`
	Size     int64       `json:"size"`
	LeafHash tlog.Hash   `json:"leaf_hash"`
	Proof    []tlog.Hash `json:"proof"`
	// Checkpoint is the signed checkpoint of Size, when it is the latest one.
	Checkpoint string `json:"checkpoint,omitempty"`
}

// ConsistencyProof is the JSON answer of GET /log/proof/consistency.
type ConsistencyProof struct {
	Old        int64       `json:"old"`
	Size       int64       `json:"size"`
	Proof      []tlog.Hash `json:"proof"`
	Checkpoint string      `json:"checkpoint,omitempty"`
}

// inclusionProof answers ?index=N or ?hash=H (hex or base64 leaf hash), with an optional
// &size=S (default: the latest checkpoint's size).
func (s *Server) inclusionProof(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if size, err := strconv.ParseInt(q.Get("size"), 10, 64); err == nil && size > s.cfg.Log.Head().Size {
		s.followLog(r, 0)
	} else if idx, err := strconv.ParseInt(q.Get("index"), 10, 64); err == nil && idx >= s.cfg.Log.Head().Size {
		s.followLog(r, 0)
	}
	head, most, ok := s.proofHead(w)
	if !ok {
		return
	}
	size, err := sizeParam(q.Get("size"), head.Size, most)
	if err != nil {
		paramError(w, err)
		return
	}
	var idx int64
	switch {
	case q.Has("index") && q.Has("hash"):
		httpError(w, http.StatusBadRequest, errors.New("give index or hash, not both"))
		return
	case q.Has("index"):
		idx, err = strconv.ParseInt(q.Get("index"), 10, 64)
		if err != nil || idx < 0 {
			httpError(w, http.StatusBadRequest, fmt.Errorf("index %q is not a non-negative integer", q.Get("index")))
			return
		}
	case q.Has("hash"):
		h, err := parseHash(q.Get("hash"))
		if err != nil {
			httpError(w, http.StatusBadRequest, err)
			return
		}
		before := s.cfg.Log.Head().Size
		idx, err = s.cfg.Log.LeafIndex(r.Context(), h)
		if (errors.Is(err, store.ErrNotFound) || errors.Is(err, translog.ErrOutOfRange)) && s.followLog(r, before) {
			if head, most, ok = s.proofHead(w); !ok {
				return
			}
			if size, err = sizeParam(q.Get("size"), head.Size, most); err != nil {
				paramError(w, err)
				return
			}
			idx, err = s.cfg.Log.LeafIndex(r.Context(), h)
		}
		if errors.Is(err, store.ErrNotFound) || errors.Is(err, translog.ErrOutOfRange) {
			httpError(w, http.StatusNotFound, errors.New("no entry with that leaf hash"))
			return
		}
		if err != nil {
			s.internalError(w, r, err)
			return
		}
	default:
		httpError(w, http.StatusBadRequest, errors.New("missing index or hash parameter"))
		return
	}
	if idx >= size {
		httpError(w, http.StatusNotFound, fmt.Errorf("entry %d is not in the tree of size %d", idx, size))
		return
	}
	p, err := s.cfg.Log.InclusionProof(r.Context(), idx, size)
	if err != nil {
		s.proofError(w, r, err)
		return
	}
	leaf, err := s.cfg.Log.TreeHashAt(r.Context(), idx)
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	out := InclusionProof{Index: idx, Size: size, LeafHash: leaf, Proof: p}
	if size == head.Size {
		out.Checkpoint = string(head.Checkpoint)
	}
	writeJSON(w, out)
}

// consistencyProof answers ?old=A[&size=B].
func (s *Server) consistencyProof(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	size, _ := strconv.ParseInt(q.Get("size"), 10, 64)
	if old, _ := strconv.ParseInt(q.Get("old"), 10, 64); max(size, old) > s.cfg.Log.Head().Size {
		s.followLog(r, 0)
	}
	head, most, ok := s.proofHead(w)
	if !ok {
		return
	}
	size, err := sizeParam(q.Get("size"), head.Size, most)
	if err != nil {
		paramError(w, err)
		return
	}
	old, err := strconv.ParseInt(q.Get("old"), 10, 64)
	switch {
	case err == nil && old > most:
		httpError(w, http.StatusNotFound, fmt.Errorf("old %d is beyond the latest checkpoint's size %d", old, most))
		return
	case err != nil || old < 1 || old > size:
		httpError(w, http.StatusBadRequest, fmt.Errorf("old %q must be an integer from 1 to the size %d", q.Get("old"), size))
		return
	}
	p, err := s.cfg.Log.ConsistencyProof(r.Context(), old, size)
	if err != nil {
		s.proofError(w, r, err)
		return
	}
	out := ConsistencyProof{Old: old, Size: size, Proof: p}
	if size == head.Size {
		out.Checkpoint = string(head.Checkpoint)
	}
	writeJSON(w, out)
}

// followLog reads at once the log's head that the other servers of the office stored
// (translog.Log.Refresh), for a request that names a tree, an entry or a tile beyond the tree
// this server's log has read: its client had the checkpoint from another server, which just
// appended, and this server's log looks at the stored head only every 100 ms. Without it a
// client behind a load balancer that took the checkpoint from one server and the proof or
// tiles from another was answered 404 ("beyond the latest checkpoint") after nearly every
// append (found by audit, sixtieth session). It reports whether the tree grew. It waits for a
// read of the stored head that the requests meanwhile share, made at most every 10 ms
// (Refresh), and does nothing on SQLite; when the read fails the answer is the one before.
// before is the tree's size the caller's first look was made against, read before that look:
// a head this server's own follower read between the look and this call counts as grown too.
func (s *Server) followLog(r *http.Request, before int64) bool {
	if err := s.cfg.Log.Refresh(r.Context()); err != nil {
		return false
	}
	return s.cfg.Log.Head().Size > before
}

// errBeyond is a well-formed size or index beyond the latest checkpoint: 404, as
// docs/log-format.md says, where a malformed parameter is 400.
var errBeyond = errors.New("beyond the latest checkpoint")

// sizeParam reads a proof's tree size: def when absent, at most most (errBeyond).
func sizeParam(v string, def, most int64) (int64, error) {
	if v == "" {
		return def, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 1 {
		return 0, fmt.Errorf("size %q is not a positive integer", v)
	}
	if n > most {
		return 0, fmt.Errorf("size %d is %w's size %d", n, errBeyond, most)
	}
	return n, nil
}

// paramError answers a proof parameter's error: 404 beyond the tree, else 400.
func paramError(w http.ResponseWriter, err error) {
	if errors.Is(err, errBeyond) {
		httpError(w, http.StatusNotFound, err)
		return
	}
	httpError(w, http.StatusBadRequest, err)
}

func parseHash(v string) (tlog.Hash, error) {
	var h tlog.Hash
	b, err := hex.DecodeString(v)
	if err != nil || len(b) != len(h) {
		b, err = base64.StdEncoding.DecodeString(v)
	}
	if err != nil || len(b) != len(h) {
		return h, fmt.Errorf("hash %q is not a 32-byte hash in hex or base64", v)
	}
	copy(h[:], b)
	return h, nil
}

func (s *Server) proofError(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, translog.ErrOutOfRange) {
		httpError(w, http.StatusNotFound, err)
		return
	}
	s.internalError(w, r, err)
}

func (s *Server) internalError(w http.ResponseWriter, r *http.Request, err error) {
	attrs := []any{"method", accesslog.Method(r.Method), "path", accesslog.RedactPath(r.URL.Path), "err", s.loggedText(r, err.Error())}
	// A program OCR runs says why it failed on its standard error, and how it could not be
	// started in its error, neither of which its error's text holds.
	var child *ocr.ChildError
	if errors.As(err, &child) {
		attrs = append(attrs, "program", child.Program, "cause", s.loggedText(r, child.Err.Error()), "stderr", s.loggedText(r, child.Stderr))
	}
	s.cfg.Logger.ErrorContext(r.Context(), "request failed", attrs...)
	httpError(w, http.StatusInternalServerError, errors.New("internal error"))
}

// httpError writes {"error": "..."} with the status.
func httpError(w http.ResponseWriter, status int, err error) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]string{"error": err.Error()})
}

func writeJSON(w http.ResponseWriter, v any) { writeJSONStatus(w, http.StatusOK, v) }

func jsonEncode(w io.Writer, v any) error { return json.NewEncoder(w).Encode(v) }
