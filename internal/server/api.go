package server

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/chancery/chancery/internal/accesslog"
	"github.com/chancery/chancery/internal/i18n"
	"github.com/chancery/chancery/internal/jsonbody"
	"github.com/chancery/chancery/internal/registry"
	"github.com/chancery/chancery/internal/store"
	"github.com/chancery/chancery/internal/translog"
	"github.com/chancery/chancery/internal/web"
)

// DefaultMaxUpload is the largest letter file accepted by default.
const DefaultMaxUpload = 50 << 20

// maxJSONBody bounds JSON request bodies.
const maxJSONBody = 1 << 20

type actorKey struct{}

// withActor authenticates the bearer token, if any, and puts the actor in the context. A bad
// token is refused outright rather than treated as anonymous, so a typo is not silently
// public.
func (s *Server) withActor(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		h := r.Header.Get("Authorization")
		if h == "" {
			next(w, r) // anonymous: actor reads nothing from the context
			return
		}
		tok, ok := web.BearerToken(r)
		if !ok {
			w.Header().Set("WWW-Authenticate", `Bearer realm="chancery"`)
			apiError(w, http.StatusUnauthorized, errors.New("the Authorization header must be 'Bearer <token>'"))
			return
		}
		m, err := s.cfg.Registry.Authenticate(r.Context(), tok)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		a := registry.Actor{Member: m, Remote: r.RemoteAddr}
		next(w, r.WithContext(context.WithValue(r.Context(), actorKey{}, a)))
	}
}

// needs wraps h, an API route for members, in withActor, and answers 401 to a request
// without a member and 403 to a member who holds none of roles (none given: no role at all)
// before h reads its body, query or reference. The registry checks again where it acts, but
// may judge a body or look a reference up first, and a caller who may not act must learn
// nothing of either: not what the route would refuse, nor whether a reference exists.
func (s *Server) needs(h http.HandlerFunc, roles ...string) http.HandlerFunc {
	return s.withActor(func(w http.ResponseWriter, r *http.Request) {
		if err := holds(actor(r), roles); err != nil {
			s.fail(w, r, err)
			return
		}
		h(w, r)
	})
}

// holds reports, as the registry does, whether a is a member holding one of roles, or with
// no roles given any role.
func holds(a registry.Actor, roles []string) error {
	if a.Member == nil {
		return registry.ErrUnauthenticated
	}
	if len(roles) == 0 {
		if len(a.Member.Roles) == 0 {
			return i18n.Errorf(registry.ErrForbidden, "%s has no role: the office's letters are for members with a role", a.Member.Name)
		}
		return nil
	}
	for _, role := range roles {
		if a.Member.HasRole(role) {
			return nil
		}
	}
	return i18n.Errorf(registry.ErrForbidden, "%s needs the %s role", a.Member.Name, strings.Join(roles, " or "))
}

// actor is the request's actor as withActor found it: anonymous, from RemoteAddr, when it put
// none in the context (a request without a token, which is not worth a copy of the request).
func actor(r *http.Request) registry.Actor {
	if a, ok := r.Context().Value(actorKey{}).(registry.Actor); ok {
		return a
	}
	return registry.Actor{Remote: r.RemoteAddr}
}

// fail maps registry errors to HTTP statuses; anything unexpected is a logged 500.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	var gate *registry.GateError
	var tooBig *http.MaxBytesError
	var setBack *translog.RollbackError
	var halted *translog.HaltedError
	switch {
	case r.Context().Err() != nil && (errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)):
		// The request's own end stopped the work: its client hung up. A stop of the server
		// does not end it: http.Server.Shutdown, which serve calls, cancels no request's
		// context but waits for the requests under way (only Close, which serve's stop does
		// not call, would end them). Nothing failed that the operator should hear of. The
		// access log has the 503.
		w.Header().Set("Retry-After", "1")
		apiError(w, http.StatusServiceUnavailable, errors.New("the request ended before its answer: send it again"))
	case errors.Is(err, registry.ErrNotRecorded):
		// First, whatever the record's failure wraps: the erasure committed, and the admin
		// hears so and that its record failed; why it failed (a path, a disk) is the
		// operator's, in the server's log.
		s.cfg.Logger.ErrorContext(r.Context(), "request failed", "method", accesslog.Method(r.Method), "path", accesslog.RedactPath(r.URL.Path), "err", s.loggedText(r, err.Error()))
		apiError(w, http.StatusInternalServerError, registry.ErrNotRecorded)
	case registry.Proposed(err) != nil:
		proposed(w, err, registry.Proposed(err))
	case errors.As(err, &gate):
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnprocessableEntity)
		json.NewEncoder(w).Encode(map[string]any{"error": err.Error(), "decision": gate.Decision})
	case errors.Is(err, jsonbody.ErrTooLarge):
		apiError(w, http.StatusRequestEntityTooLarge, err)
	case errors.Is(err, jsonbody.ErrMediaType), errors.Is(err, http.ErrNotMultipart):
		apiError(w, http.StatusUnsupportedMediaType, err)
	case errors.As(err, &tooBig), errors.Is(err, errTooLarge):
		apiError(w, http.StatusRequestEntityTooLarge, fmt.Errorf("the upload is larger than the limit of %d bytes", s.cfg.MaxUpload))
	case errors.Is(err, errBusy):
		w.Header().Set("Retry-After", uploadRetryAfter)
		apiError(w, http.StatusServiceUnavailable, err)
	case errors.Is(err, registry.ErrUnauthenticated):
		w.Header().Set("WWW-Authenticate", `Bearer realm="chancery"`)
		apiError(w, http.StatusUnauthorized, errors.New("not signed in: send 'Authorization: Bearer <token>'"))
	case errors.Is(err, registry.ErrForbidden):
		apiError(w, http.StatusForbidden, err)
	case errors.Is(err, registry.ErrNotFound):
		apiError(w, http.StatusNotFound, err)
	case errors.Is(err, registry.ErrConflict):
		apiError(w, http.StatusConflict, err)
	case errors.Is(err, registry.ErrGone):
		apiError(w, http.StatusGone, err)
	case errors.Is(err, registry.ErrCatchingUp):
		w.Header().Set("Retry-After", "1")
		apiError(w, http.StatusServiceUnavailable, registry.ErrCatchingUp)
	case errors.Is(err, registry.ErrNotCosigned):
		// Committed and logged; the proof waits for the witnesses' cosignatures. Which log
		// entry waits, and why, is for members with a role: to anyone else the entry's index
		// would tie the reference (or text) asked about to its public log entry.
		w.Header().Set("Retry-After", "10")
		if a := actor(r); a.Member == nil || len(a.Member.Roles) == 0 {
			err = registry.ErrNotCosigned
		}
		apiError(w, http.StatusServiceUnavailable, err)
	case errors.Is(err, registry.ErrPDFCertificate):
		apiError(w, http.StatusServiceUnavailable, err)
	case errors.Is(err, registry.ErrSigningKey):
		// The office or log key's token cannot sign: nothing was logged. The key's URI and the
		// token's error are the operator's, in the server's log; the member hears what it
		// means.
		s.cfg.Logger.ErrorContext(r.Context(), "request failed", "method", accesslog.Method(r.Method), "path", accesslog.RedactPath(r.URL.Path), "err", s.loggedText(r, err.Error()))
		w.Header().Set("Retry-After", "10")
		apiError(w, http.StatusServiceUnavailable, errSigningKey)
	case errors.Is(err, store.ErrDeposed):
		// Another server took the sequencing over while this one's batch waited: nothing of
		// the batch was committed, and the same request sent again is sequenced afresh.
		w.Header().Set("Retry-After", "1")
		apiError(w, http.StatusServiceUnavailable, err)
	case errors.As(err, &setBack):
		// The database was set back under this server: nothing is appended until an
		// operator decides, and the release officer is told why.
		apiError(w, http.StatusServiceUnavailable, err)
	case errors.As(err, &halted):
		// A witness holds a tree of this log that the log does not extend: nothing is
		// appended until the log extends it again or an operator decides.
		apiError(w, http.StatusServiceUnavailable, err)
	case errors.Is(err, errOverTime):
		apiError(w, http.StatusUnprocessableEntity, err)
	case errors.Is(err, errNoOCR):
		apiError(w, http.StatusNotImplemented, err)
	case errors.Is(err, registry.ErrInvalid), errors.Is(err, errBadRequest):
		apiError(w, http.StatusBadRequest, err)
	default:
		s.internalError(w, r, err)
	}
}

// multipartError is the error of a request whose body r.MultipartReader refused (err): a body
// of another media type is unsupported (http.ErrNotMultipart, 415), a form without its
// boundary a bad request.
func multipartError(err error) error {
	if errors.Is(err, http.ErrNotMultipart) {
		return fmt.Errorf("expected a multipart/form-data body: %w", err)
	}
	return fmt.Errorf("%w: expected a multipart/form-data body: %v", errBadRequest, err)
}

var (
	// errSigningKey answers a request that the office or log key's token could not sign.
	errSigningKey = errors.New("the office's signing key cannot sign now (its token is unavailable): nothing was recorded; tell the office's operator, and try again once it is back")
	errBadRequest = errors.New("bad request")
	errTooLarge   = errors.New("upload too large")
)

func apiError(w http.ResponseWriter, status int, err error) { httpError(w, status, err) }

// decodeJSON reads a strict JSON body into v (jsonbody.Decode), of at most maxJSONBody bytes.
// A body of another media type, or a larger one, is refused as such (415, 413), any other as
// a bad request.
func decodeJSON(w http.ResponseWriter, r *http.Request, v any) error {
	err := jsonbody.Decode(w, r, maxJSONBody, v)
	if err == nil || errors.Is(err, jsonbody.ErrMediaType) || errors.Is(err, jsonbody.ErrTooLarge) {
		return err
	}
	return fmt.Errorf("%w: %w", errBadRequest, err)
}

// decodeOptionalJSON is decodeJSON for a body that may be left out, as it was before the
// endpoint took one: an empty body leaves v as it is.
func decodeOptionalJSON(w http.ResponseWriter, r *http.Request, v any) error {
	br := bufio.NewReader(r.Body)
	if _, err := br.Peek(1); err == io.EOF {
		return nil
	}
	r.Body = struct {
		io.Reader
		io.Closer
	}{br, r.Body}
	return decodeJSON(w, r, v)
}

// upload is a multipart form with one file part and text fields.
type upload struct {
	fields map[string][]string
	file   registry.Upload
	has    bool
}

// readUpload reads a multipart/form-data body without spilling to disk, refusing a file
// larger than the limit before anything is stored.
func (s *Server) readUpload(w http.ResponseWriter, r *http.Request) (*upload, error) {
	if err := s.uploads.reserve(r, s.cfg.MaxUpload+1<<20); err != nil {
		return nil, err
	}
	r.Body = http.MaxBytesReader(w, r.Body, s.cfg.MaxUpload+1<<20)
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, multipartError(err)
	}
	u := &upload{fields: map[string][]string{}}
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			var tooBig *http.MaxBytesError
			if errors.As(err, &tooBig) {
				return nil, errTooLarge
			}
			return nil, fmt.Errorf("%w: malformed multipart body: %v", errBadRequest, err)
		}
		name := p.FormName()
		if p.FileName() != "" || name == "file" {
			if u.has {
				return nil, fmt.Errorf("%w: more than one file", errBadRequest)
			}
			var b bytes.Buffer
			n, err := io.Copy(&b, io.LimitReader(p, s.cfg.MaxUpload+1))
			if err != nil {
				var tooBig *http.MaxBytesError
				if errors.As(err, &tooBig) {
					return nil, errTooLarge
				}
				return nil, fmt.Errorf("%w: reading the file: %v", errBadRequest, err)
			}
			if n > s.cfg.MaxUpload {
				return nil, errTooLarge
			}
			u.file = registry.Upload{Name: p.FileName(), MediaType: p.Header.Get("Content-Type"), Data: b.Bytes()}
			if u.file.MediaType == "application/octet-stream" {
				u.file.MediaType = ""
			}
			u.has = true
			continue
		}
		v, err := io.ReadAll(io.LimitReader(p, 64<<10))
		if err != nil {
			return nil, fmt.Errorf("%w: reading field %s: %v", errBadRequest, name, err)
		}
		u.fields[name] = append(u.fields[name], string(v))
		if len(u.fields) > 64 || len(u.fields[name]) > 256 {
			return nil, fmt.Errorf("%w: too many fields", errBadRequest)
		}
	}
	return u, nil
}

// fileUpload reads a multipart body that must hold a file.
func (s *Server) fileUpload(w http.ResponseWriter, r *http.Request) (*upload, error) {
	u, err := s.readUpload(w, r)
	if err != nil {
		return nil, err
	}
	if !u.has {
		return nil, fmt.Errorf("%w: no file part", errBadRequest)
	}
	return u, nil
}

func (u *upload) one(name string) string {
	if v := u.fields[name]; len(v) > 0 {
		return v[0]
	}
	return ""
}
