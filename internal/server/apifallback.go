package server

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/chancery/chancery/internal/ratelimit"
	"github.com/chancery/chancery/internal/web"
)

// fallbackMethods are the methods routesFallback answers for under /api/. GET (and HEAD) is
// among them: the web's "GET /" would otherwise answer a GET for any /api/ path.
var fallbackMethods = []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete, http.MethodOptions}

// routesFallback answers the requests under /api/ that no API route takes, in the API's JSON
// error shape: 405 with an Allow header for a path that routes take with other methods, 404
// for any other path. Without it the mux answered a method a route does not take with a
// plain-text 405, and a POST to a path nothing serves the same 405 (the web's "GET /"
// matched its path), which told a script that the endpoint exists.
func (s *Server) routesFallback() {
	for _, m := range fallbackMethods {
		s.mux.HandleFunc(m+" /api/", s.noRoute)
		s.mux.HandleFunc(m+" /api", s.noRoute) // not redirected to /api/ by the mux
	}
}

// noRoute is routesFallback's handler.
func (s *Server) noRoute(w http.ResponseWriter, r *http.Request) {
	var allow []string
	for _, m := range fallbackMethods {
		if m == r.Method || m == http.MethodGet && r.Method == http.MethodHead {
			continue
		}
		probe := r.Clone(r.Context())
		probe.Method = m
		if _, pattern := s.mux.Handler(probe); pattern != "" && !strings.HasSuffix(pattern, " /api/") && !strings.HasSuffix(pattern, " /api") {
			allow = append(allow, m)
			if m == http.MethodGet {
				allow = append(allow, http.MethodHead) // as the mux answers a GET route
			}
		}
	}
	if len(allow) == 0 {
		apiError(w, http.StatusNotFound, errors.New("no such endpoint"))
		return
	}
	w.Header().Set("Allow", strings.Join(allow, ", "))
	apiError(w, http.StatusMethodNotAllowed, errors.New("this endpoint takes "+strings.Join(allow, " or ")+", not "+r.Method))
}

// isAPI reports whether r is for the JSON API, whose errors are JSON objects.
func isAPI(r *http.Request) bool { return strings.HasPrefix(r.URL.Path, "/api/") }

// refuse answers status with msg: for the API, as apiError does ({"error": msg}); for other
// paths, as plain text. Neither is kept by a cache.
func refuse(w http.ResponseWriter, r *http.Request, status int, msg string) {
	if isAPI(r) {
		apiError(w, status, errors.New(msg))
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write([]byte(msg + "\n"))
}

// tooMany answers 429 with a Retry-After of wait, as ratelimit.TooMany does, in the API's JSON
// shape for an /api/ path.
func tooMany(w http.ResponseWriter, r *http.Request, wait time.Duration) {
	if !isAPI(r) {
		web.TooMany(w, r, wait)
		return
	}
	w.Header().Set("Retry-After", ratelimit.RetryAfter(wait))
	apiError(w, http.StatusTooManyRequests, errors.New("too many requests: try again in a moment"))
}
