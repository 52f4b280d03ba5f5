package server

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestStartingLogAnswersAsTheLog: while serve opens the office, the transparency log's paths
// (the checkpoint, tiles and entry bundles, proofs, the key) got the web's HTML error page,
// where a witness or a monitor reads the log's errors as {"error": …} (docs/log-format.md;
// fifty-eighth session's not-fixed list, the lead's decision). They get a 503 with
// Retry-After and the log's JSON error; the web's log page keeps its HTML page.
func TestStartingLogAnswersAsTheLog(t *testing.T) {
	s := NewStarting(Config{})
	for _, path := range []string{"/log/checkpoint", "/log/key", "/log/tile/0/000", "/log/tile/entries/000.p/3",
		"/log/proof/inclusion?index=0", "/log/proof/consistency?old=1&size=2"} {
		for _, method := range []string{http.MethodGet, http.MethodHead} {
			w := httptest.NewRecorder()
			s.ServeHTTP(w, httptest.NewRequest(method, path, nil))
			var e struct{ Error string }
			ok := method == http.MethodHead || json.Unmarshal(w.Body.Bytes(), &e) == nil && strings.Contains(e.Error, "starting")
			if w.Code != http.StatusServiceUnavailable || w.Header().Get("Retry-After") == "" ||
				w.Header().Get("Content-Type") != "application/json" || !ok {
				t.Errorf("%s %s while serve starts: %d, Retry-After %q, %s, %q; want 503 with Retry-After and the log's JSON error",
					method, path, w.Code, w.Header().Get("Retry-After"), w.Header().Get("Content-Type"), w.Body)
			}
		}
	}
	for _, path := range []string{"/log", "/log/"} {
		w := httptest.NewRecorder()
		s.ServeHTTP(w, httptest.NewRequest(http.MethodGet, path, nil))
		if w.Code != http.StatusServiceUnavailable || !strings.HasPrefix(w.Header().Get("Content-Type"), "text/html") {
			t.Errorf("the log's page %s while serve starts: %d, %s; want 503 and the web's page", path, w.Code, w.Header().Get("Content-Type"))
		}
	}
}
