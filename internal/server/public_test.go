package server

import (
	"net/http"
	"net/url"
	"path"
	"testing"
)

// limitedRoutes are the routes that public reports: limited per client, refused to other
// sites' pages that embed them.
var limitedRoutes = map[string]bool{
	"GET /verify": true, "POST /verify": true, "POST /verify/text": true, "GET /verify/seal": true, "POST /verify/seal": true, "POST /api/v1/verify": true,
	"POST /api/v1/identify": true, "POST /api/v1/oidc/token": true, "GET /signin/oidc/callback": true,
	"GET /v/{ref}": true, "GET /v/{ref}/{code}": true, "GET /v/{ref}/{code}/file": true, "GET /v/{ref}/{code}/seal": true,
	"GET /receipt/{token}": true, "POST /receipt/{token}": true,
	"GET /api/v1/letters/{ref}/status": true, "GET /api/v1/letters/{ref}/file": true, "GET /api/v1/letters/{ref}/seal": true,
}

// FuzzPublicMatchesTheMux: whatever the path, as sent (escapes included), a request that the
// mux hands to a public route is one that public reports, so that no spelling of a path
// reaches a public route without its limit. (public decided by the unescaped path, where the
// mux reads "%2F" inside a segment: /api/v1/letters/X%2FY/status went unlimited.)
func FuzzPublicMatchesTheMux(f *testing.F) {
	for _, s := range []string{"/verify", "/v/R", "/v/R/C/file", "/receipt/T", "/api/v1/letters/R/status", "/api/v1/letters/X%2FY/status",
		"/api/v1/lett%65rs/R/seal", "/api/v1/letters/R/stat%75s", "/%76/R", "/api/v1/verify", "/verify%2Ftext", "/api/v1/letters/%2F/file"} {
		f.Add(s)
	}
	s := New(newRegistryConfig(f))
	f.Fuzz(func(t *testing.T, target string) {
		u, err := url.ParseRequestURI(target)
		if err != nil || u.Host != "" || u.Scheme != "" {
			return
		}
		// A path that is not clean is redirected to the clean one, which the mux reports as
		// the route's pattern: the route is not served, the redirect is.
		if c := path.Clean(u.Path); c != u.Path && c+"/" != u.Path {
			return
		}
		for _, method := range []string{"GET", "POST"} {
			r := &http.Request{Method: method, URL: u, Header: http.Header{}, Host: "example.com"}
			if _, pattern := s.mux.Handler(r); limitedRoutes[pattern] && !public(r) {
				t.Fatalf("%s %s goes to %q, which public does not report", method, target, pattern)
			}
		}
	})
}
