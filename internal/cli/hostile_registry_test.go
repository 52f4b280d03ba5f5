package cli_test

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/chancery/chancery/internal/cli"
)

// tokenSpy is a registry that passes every request on to the registry at base and records
// the Authorization headers it was sent.
type tokenSpy struct {
	*httptest.Server
	mu   sync.Mutex
	auth []string
}

func newTokenSpy(t *testing.T, base string) *tokenSpy {
	t.Helper()
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	proxy := httputil.NewSingleHostReverseProxy(u)
	s := &tokenSpy{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if a := r.Header.Get("Authorization"); a != "" {
			s.mu.Lock()
			s.auth = append(s.auth, r.Method+" "+r.URL.Path+": "+a)
			s.mu.Unlock()
		}
		proxy.ServeHTTP(w, r)
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *tokenSpy) sent() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.auth...)
}

// TestTrustRootURLGetsNoMemberToken: verify and seal refresh go to the address a trust root
// names when CHANCERY_URL and --url are not given. Trust roots are handed around (a
// journalist's, another office's), and CHANCERY_TOKEN is the member's token for the registry
// at CHANCERY_URL: sent to the trust root's address, it went to whoever wrote the trust root.
func TestTrustRootURLGetsNoMemberToken(t *testing.T) {
	o := newOffice(t)
	dir, _, file, bare, _ := o.releasedForReplay(t)
	spy := newTokenSpy(t, o.url)
	root := o.reg.TrustRoot()
	root.BaseURL = spy.URL // another office's trust root, naming its own registry
	tb, err := root.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	trust := filepath.Join(dir, "other-trust.json")
	if err := os.WriteFile(trust, tb, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("CHANCERY_URL", "")
	t.Setenv("CHANCERY_TOKEN", o.tokens["dana"])
	for _, args := range [][]string{
		{"verify", bare, "--trust", trust},
		{"seal", "refresh", file + ".seal", "--trust", trust},
	} {
		var stdout, stderr bytes.Buffer
		code := cli.Main(args, &stdout, &stderr)
		if code != cli.ExitOK {
			t.Fatalf("%v: exit %d\n%s%s", args, code, stdout.String(), stderr.String())
		}
	}
	if got := spy.sent(); len(got) != 0 {
		t.Fatalf("the member's token went to the trust root's address:\n%q", got)
	}
}
