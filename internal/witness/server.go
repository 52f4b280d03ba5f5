package witness

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"

	"github.com/chancery/chancery/internal/checkpoint"
	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// Server is a C2SP tlog-witness: its handler serves POST /add-checkpoint under the witness's
// submission prefix (mount it at the prefix with http.StripPrefix, or at the root). It cosigns
// a checkpoint of a log it knows only once the checkpoint is proved consistent with the last
// one it cosigned for that log, and only after recording the new size and root durably.
type Server struct {
	st  *Store
	key *Key
	log *slog.Logger
	mux *http.ServeMux
}

// NewServer returns the witness served with st's logs and key's signature. logger nil discards
// the server's log lines.
func NewServer(st *Store, key *Key, logger *slog.Logger) *Server {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	s := &Server{st: st, key: key, log: logger, mux: http.NewServeMux()}
	s.mux.HandleFunc("POST /add-checkpoint", s.addCheckpoint)
	return s
}

// VerifierKey returns the witness's verifier key.
func (s *Server) VerifierKey() string { return s.key.VerifierKey() }

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.mux.ServeHTTP(w, r) }

// refusal is an answer other than a cosignature: an HTTP status and its reason.
type refusal struct {
	status int
	msg    string
	size   int64 // for 409: the size the witness holds
}

func (e *refusal) Error() string { return e.msg }

func refuse(status int, format string, args ...any) *refusal {
	return &refusal{status: status, msg: fmt.Sprintf(format, args...)}
}

func (s *Server) addCheckpoint(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxRequestSize))
	if err != nil {
		var mb *http.MaxBytesError
		if errors.As(err, &mb) {
			http.Error(w, fmt.Sprintf("request larger than %d bytes", MaxRequestSize), http.StatusRequestEntityTooLarge)
			return
		}
		http.Error(w, "reading the request failed", http.StatusBadRequest)
		return
	}
	sigs, err := s.cosign(r, body)
	var ref *refusal
	switch {
	case errors.As(err, &ref) && ref.status == http.StatusConflict:
		w.Header().Set("Content-Type", sizeContentType)
		w.WriteHeader(http.StatusConflict)
		fmt.Fprintf(w, "%d\n", ref.size)
	case errors.As(err, &ref):
		http.Error(w, ref.msg, ref.status)
	case err != nil:
		s.log.ErrorContext(r.Context(), "witness: add-checkpoint failed", "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
	default:
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Write(sigs)
	}
}

// cosign checks an add-checkpoint request, records the new state and returns the cosignature
// lines, or a *refusal saying which answer the spec requires.
func (s *Server) cosign(r *http.Request, body []byte) ([]byte, error) {
	ctx := r.Context()
	req, err := parseRequest(body)
	if err != nil {
		return nil, refuse(http.StatusBadRequest, "malformed request: %v", err)
	}
	origin, _, _ := bytes.Cut(req.checkpoint, []byte("\n"))
	keys, err := s.st.keys(ctx, string(origin))
	if err != nil {
		return nil, err
	}
	if len(keys) == 0 {
		return nil, refuse(http.StatusNotFound, "unknown log")
	}
	vs := make([]note.Verifier, 0, len(keys))
	for _, k := range keys {
		v, err := note.NewVerifier(k)
		if err != nil {
			return nil, fmt.Errorf("key of %q in the database: %w", origin, err)
		}
		vs = append(vs, v)
	}
	n, err := checkpoint.OpenNote(req.checkpoint, note.VerifierList(vs...))
	if err != nil {
		var unverified *note.UnverifiedNoteError
		var invalid *note.InvalidSignatureError
		if errors.As(err, &unverified) || errors.As(err, &invalid) {
			return nil, refuse(http.StatusForbidden, "no valid signature by a key of this log")
		}
		return nil, refuse(http.StatusBadRequest, "malformed checkpoint: %v", err)
	}
	c, err := checkpoint.Parse([]byte(n.Text))
	if err != nil {
		return nil, refuse(http.StatusBadRequest, "%v", err)
	}
	if req.oldSize > c.Size {
		return nil, refuse(http.StatusBadRequest, "old size %d is larger than the checkpoint's size %d", req.oldSize, c.Size)
	}
	evidence := notEvidence
	var sigs []byte
	kept, err := s.st.advance(ctx, c.Origin, c.Size, c.Root, func(heldSize int64, heldRoot tlog.Hash) (evidenceKind, error) {
		var err error
		if evidence, err = check(req, c, heldSize, heldRoot); err != nil {
			return evidence, err
		}
		// Signed under the write lock: a cosignature says that at its time this tree is the
		// largest the witness has seen of the log (C2SP tlog-cosignature), and signed after
		// the lock, another request could record a larger tree first.
		sigs, err = s.sign(n.Text)
		return notEvidence, err
	}, body, []byte(n.Text))
	if errors.Is(err, errNoLog) {
		return nil, refuse(http.StatusNotFound, "unknown log")
	}
	// Warned once per checkpoint, as it is kept once: anyone may send a public checkpoint
	// again with a wrong proof.
	switch {
	case kept:
		s.log.WarnContext(ctx, "witness: refused an inconsistent checkpoint, kept as evidence",
			"origin", c.Origin, "old", req.oldSize, "size", c.Size, "proven", evidence == proven, "err", err)
	case evidence != notEvidence:
		s.log.DebugContext(ctx, "witness: refused an inconsistent checkpoint, already kept as evidence (or the log's evidence is full)",
			"origin", c.Origin, "old", req.oldSize, "size", c.Size, "proven", evidence == proven, "err", err)
	}
	if err != nil {
		return nil, err
	}
	s.log.DebugContext(ctx, "witness: cosigned", "origin", c.Origin, "old", req.oldSize, "size", c.Size)
	return sigs, nil
}

// sign returns the witness's cosignature lines of a checkpoint's text.
func (s *Server) sign(text string) ([]byte, error) {
	signed, err := note.Sign(&note.Note{Text: text}, s.key.signer)
	if err != nil {
		return nil, fmt.Errorf("cosign: %w", err)
	}
	_, sigs, err := splitNote(signed)
	if err != nil {
		return nil, fmt.Errorf("cosign: %w", err)
	}
	return sigs, nil
}

// check decides a request against the size and root the witness holds for the log, per C2SP
// tlog-witness. It says whether a refusal is evidence worth keeping, and of which kind.
func check(req request, c checkpoint.Checkpoint, heldSize int64, heldRoot tlog.Hash) (evidenceKind, error) {
	if c.Size == 0 && c.Root != emptyRoot {
		// The tree of size 0 has one root (RFC 6962): a log that signs another signed an
		// invalid checkpoint, which is worth keeping.
		return proven, refuse(http.StatusBadRequest, "a checkpoint of size 0 must have the empty tree's root")
	}
	if req.oldSize != heldSize {
		return notEvidence, &refusal{status: http.StatusConflict, msg: "old size is not the size held", size: heldSize}
	}
	// The size held is compared first, old size 0 included: a witness holding a tree of some
	// size cosigns no other tree of that size.
	switch {
	case req.oldSize == c.Size && c.Root != heldRoot && len(req.proof) != 0:
		// Another tree of the size already cosigned, proven by itself whatever proof comes
		// with it; the proof, which between equal sizes is empty, does not verify (422).
		return proven, refuse(http.StatusUnprocessableEntity, "a consistency proof between equal sizes is empty")
	case req.oldSize == c.Size && c.Root != heldRoot:
		// Another tree of the size already cosigned: a split view.
		return proven, &refusal{status: http.StatusConflict, msg: "another root at the size held", size: heldSize}
	case req.oldSize == c.Size && len(req.proof) != 0:
		return notEvidence, refuse(http.StatusUnprocessableEntity, "a consistency proof between equal sizes is empty")
	case req.oldSize == c.Size:
		return notEvidence, nil
	case req.oldSize == 0:
		// The first checkpoint of this log, trusted on first use (the request has no proof).
		return notEvidence, nil
	}
	if err := tlog.CheckTree(req.proof, c.Size, c.Root, req.oldSize, heldRoot); err != nil {
		return unproven, refuse(http.StatusUnprocessableEntity, "the consistency proof does not verify")
	}
	return notEvidence, nil
}
