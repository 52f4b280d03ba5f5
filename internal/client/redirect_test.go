package client

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// TestRedirectKeepsTheTokenAtTheRegistry: a redirect to another scheme or port of the
// registry's host (a misconfigured proxy, or someone answering in the registry's place) is
// refused, so that the member's token and what is posted (a signature, a letter) go nowhere
// else; Go's client would send both there. A redirect within the registry's origin is
// followed.
func TestRedirectKeepsTheTokenAtTheRegistry(t *testing.T) {
	var mu sync.Mutex
	var leaked []string
	elsewhere := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		mu.Lock()
		if a := r.Header.Get("Authorization"); a != "" || len(body) > 0 {
			leaked = append(leaked, r.Method+" "+r.URL.Path+" "+a+" "+string(body))
		}
		mu.Unlock()
		w.Write([]byte("{}"))
	}))
	defer elsewhere.Close()
	redirect := func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/api/v1/letters/TFN-2026-000001" {
			http.Redirect(w, r, "/api/v1/letters/TFN-2026-000001/", http.StatusMovedPermanently)
			return
		}
		if strings.HasSuffix(r.URL.Path, "/") {
			w.Write([]byte(`{"reference":"TFN-2026-000001"}`))
			return
		}
		http.Redirect(w, r, elsewhere.URL+r.URL.Path, http.StatusTemporaryRedirect)
	}
	plain := httptest.NewServer(http.HandlerFunc(redirect))
	defer plain.Close()
	tls := httptest.NewTLSServer(http.HandlerFunc(redirect))
	defer tls.Close()
	for _, base := range []string{plain.URL, tls.URL} {
		c, err := New(base, "chy_secret")
		if err != nil {
			t.Fatal(err)
		}
		c.HTTP.Transport = tls.Client().Transport
		err = c.Sign(context.Background(), "TFN-2026-000002", "keyid", []byte("statement"), []byte("signature"))
		if !errors.Is(err, ErrRedirected) || errors.Is(err, ErrUnreachable) || !strings.Contains(err.Error(), elsewhere.URL) {
			t.Errorf("%s: a redirect to another port: %v; want ErrRedirected naming the address", base, err)
		}
		if v, err := c.Letter(context.Background(), "TFN-2026-000001"); err != nil || v.Reference != "TFN-2026-000001" {
			t.Errorf("%s: a redirect within the registry: %v", base, err)
		}
	}
	if len(leaked) != 0 {
		t.Fatalf("sent off the registry's origin:\n%q", leaked)
	}
}
