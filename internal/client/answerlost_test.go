package client

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"
)

// TestAnswerLostAfterTheRequest: a change whose request reached the registry and whose answer
// was lost (the connection closed after the request, as when a server is killed or a proxy
// times out while the release waits for its seal) was told apart from a registry that could
// not be reached by nothing: the command's hint asked whether 'chancery serve' was running,
// though the letter had been released. Such a failure wraps ErrAnswerLost; a request never
// sent, and a GET, do not.
func TestAnswerLostAfterTheRequest(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		conn, _, err := w.(http.Hijacker).Hijack()
		if err != nil {
			t.Error(err)
			return
		}
		conn.Close() // no answer
	}))
	defer srv.Close()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := "http://" + ln.Addr().String()
	ln.Close() // nothing listens: the request is never sent
	for _, tc := range []struct {
		base, method string
		lost         bool
	}{
		{srv.URL, http.MethodPost, true},
		{srv.URL, http.MethodPut, true},
		{srv.URL, http.MethodGet, false},
		{closed, http.MethodPost, false},
	} {
		c, err := New(tc.base, "chy_token")
		if err != nil {
			t.Fatal(err)
		}
		c.HTTP.Transport = &http.Transport{DisableKeepAlives: true} // no retry on a fresh connection
		var in any
		if tc.method != http.MethodGet {
			in = map[string]string{"reason": "x"}
		}
		err = c.json(context.Background(), tc.method, "/api/v1/letters/TFN-2026-000001/release", in, nil)
		if !errors.Is(err, ErrUnreachable) || errors.Is(err, ErrAnswerLost) != tc.lost {
			t.Errorf("%s %s: %v; want unreachable, answer lost %v", tc.method, tc.base, err, tc.lost)
		}
	}
}
