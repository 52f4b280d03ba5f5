// Package server is Chancery's HTTP face: the transparency log served as C2SP tlog-tiles under
// /log/, JSON proof endpoints, health checks and the web pages. Handlers are plain net/http
// with Go 1.22 method patterns; templates are embedded.
package server

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/chancery/chancery/internal/registry"
	"github.com/chancery/chancery/internal/store"
	"github.com/chancery/chancery/internal/translog"
)

// Config is what the server serves.
type Config struct {
	Log         *translog.Log
	DB          *store.DB
	VerifierKey string // the log's note verifier key
	Origin      string
	Logger      *slog.Logger
	// Registry is the letters' lifecycle; the API is served when it is set.
	Registry *registry.Registry
	// MaxUpload bounds uploaded files (default DefaultMaxUpload).
	MaxUpload int64
}

// Server is the HTTP handler.
type Server struct {
	cfg Config
	mux *http.ServeMux
}

// New returns the server's handler.
func New(cfg Config) *Server {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.MaxUpload <= 0 {
		cfg.MaxUpload = DefaultMaxUpload
	}
	s := &Server{cfg: cfg, mux: http.NewServeMux()}
	if cfg.Registry != nil {
		s.routesAPI()
	}
	s.mux.HandleFunc("GET /log/checkpoint", s.checkpoint)
	s.mux.HandleFunc("GET /log/key", s.key)
	s.mux.HandleFunc("GET /log/tile/", s.tile)
	s.mux.HandleFunc("GET /log/proof/inclusion", s.inclusionProof)
	s.mux.HandleFunc("GET /log/proof/consistency", s.consistencyProof)
	s.mux.HandleFunc("GET /healthz", s.healthz)
	s.mux.HandleFunc("GET /readyz", s.readyz)
	s.mux.HandleFunc("GET /{$}", s.home)
	s.mux.Handle("GET /static/", http.FileServerFS(staticFS))
	return s
}

// ServeHTTP adds the security headers every response carries and recovers from panics.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'self'; img-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Cross-Origin-Opener-Policy", "same-origin")
	defer func() {
		if p := recover(); p != nil {
			s.cfg.Logger.Error("panic", "path", r.URL.Path, "panic", p)
			http.Error(w, "internal error", http.StatusInternalServerError)
		}
	}()
	s.mux.ServeHTTP(w, r)
}

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Write([]byte("ok\n"))
}

// readyz answers 200 when the store answers a read within a second.
func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), time.Second)
	defer cancel()
	err := s.cfg.DB.View(ctx, func(tx *store.Tx) error {
		_, err := tx.LogHead(ctx)
		return err
	})
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	if err != nil {
		w.WriteHeader(http.StatusServiceUnavailable)
		w.Write([]byte("not ready: store unavailable\n"))
		return
	}
	w.Write([]byte("ready\n"))
}
