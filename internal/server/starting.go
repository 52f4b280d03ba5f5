package server

import (
	"errors"
	"log/slog"
	"net/http"
	"sync/atomic"

	"github.com/chancery/chancery/internal/accesslog"
	"github.com/chancery/chancery/internal/web"
)

// startingRetryAfter is the Retry-After, in seconds, of the answers given while the server
// starts: the office of a large registry takes seconds to open (its identification index).
const startingRetryAfter = "5"

// errStarting is the API's error while the server starts.
var errStarting = errors.New("the server is starting: try again in a moment")

// NewStarting returns the handler that answers while serve opens the office, before New's
// handler can be made: reading the identification index of 100,000 letters takes seconds,
// and the listener, open already, left connections unanswered meanwhile. /healthz answers as
// it does for a live process, /readyz answers 503 with one line saying the server is
// starting, the site's static files are served, and every other request 503 with
// Retry-After: the API's and the transparency log's JSON error, or the web's error page in
// the visitor's language.
// cfg's Registry, Log and DB are not used; its Logger, TrustedProxies, Secure and AccessLog
// are, as New uses them. Nothing it answers depends on the office: it tells nobody more than
// that a server starts there.
func NewStarting(cfg Config) *Server {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	s := &Server{cfg: Config{Logger: cfg.Logger, TrustedProxies: cfg.TrustedProxies, Secure: cfg.Secure, AccessLog: cfg.AccessLog},
		mux: http.NewServeMux(), redact: accesslog.NewTextRedactor("")}
	s.web = web.New(web.Config{Logger: cfg.Logger, Secure: cfg.Secure})
	s.mux.HandleFunc("GET /healthz", s.healthz)
	s.mux.HandleFunc("GET /readyz", s.startingReadyz)
	for pattern := range s.logRoutes() {
		s.mux.HandleFunc(pattern, s.startingLog)
	}
	s.mux.Handle("GET /static/", http.FileServerFS(web.Static()))
	s.mux.HandleFunc("/", s.starting)
	return s
}

// startingReadyz is /readyz while the server starts.
func (s *Server) startingReadyz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Retry-After", startingRetryAfter)
	w.WriteHeader(http.StatusServiceUnavailable)
	w.Write([]byte("not ready: starting (opening the office: its database and its identification index)\n"))
}

// startingLog answers the transparency log's routes while the server starts: 503 with
// Retry-After, and the error as the log's other errors are written ({"error": …}), not the
// web's page, which a witness or a monitor does not read.
func (s *Server) startingLog(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Retry-After", startingRetryAfter)
	httpError(w, http.StatusServiceUnavailable, errStarting)
}

// starting answers every other request while the server starts.
func (s *Server) starting(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Retry-After", startingRetryAfter)
	if isAPI(r) || r.URL.Path == "/api" {
		apiError(w, http.StatusServiceUnavailable, errStarting)
		return
	}
	s.web.Starting(w, r)
}

// Handoff is the handler of a server that answers with one handler and then another: serve
// listens with NewStarting's, then hands over to New's once the office is open. Each
// request is served by the handler in place when it arrives.
type Handoff struct{ h atomic.Pointer[http.Handler] }

// NewHandoff returns a Handoff serving h.
func NewHandoff(h http.Handler) *Handoff {
	var o Handoff
	o.Set(h)
	return &o
}

// Set has the requests that arrive from now on served by h.
func (o *Handoff) Set(h http.Handler) { o.h.Store(&h) }

// ServeHTTP serves r with the handler in place.
func (o *Handoff) ServeHTTP(w http.ResponseWriter, r *http.Request) { (*o.h.Load()).ServeHTTP(w, r) }
