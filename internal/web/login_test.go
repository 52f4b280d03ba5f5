package web_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/cli"
)

// TestLogin runs 'chancery login' against the provider's device authorization grant: the
// test approves the code at the provider's own pages, as the user would on their phone; the
// token is saved with mode 0600 and the other commands use it when CHANCERY_TOKEN is unset.
func TestLogin(t *testing.T) {
	p := startProvider(t, map[string][]string{"olga": {"chancery-reviewers"}})
	o := p.office()
	cfg := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", cfg)
	t.Setenv("HOME", cfg)
	t.Setenv("CHANCERY_URL", o.srv.URL)
	t.Setenv("CHANCERY_TOKEN", "")
	t.Setenv("CHANCERY_TOKEN_FILE", "")
	t.Setenv("CHANCERY_OIDC_CLIENT_SECRET", "s3cret")

	// Before login, a command that needs a token says so.
	if code, _, stderr := runCLI("letter", "list"); code == 0 || !strings.Contains(stderr, "token") {
		t.Fatalf("letter list without a token: exit %d\n%s", code, stderr)
	}

	errR, errW := io.Pipe()
	var stdout bytes.Buffer
	done := make(chan int, 1)
	go func() {
		code := cli.Main([]string{"login", "--json"}, &stdout, errW)
		errW.Close()
		done <- code
	}()
	code := regexp.MustCompile(`enter the code (\S+)`)
	var userCode string
	var stderr strings.Builder
	sc := bufio.NewScanner(errR)
	for sc.Scan() {
		stderr.WriteString(sc.Text() + "\n")
		if m := code.FindStringSubmatch(sc.Text()); m != nil {
			userCode = m[1]
			break
		}
	}
	if userCode == "" {
		t.Fatalf("login printed no code:\n%s", stderr.String())
	}
	go io.Copy(io.Discard, errR)

	// The user approves at the provider: its device page, its login form, Allow.
	jar, _ := cookiejar.New(nil)
	hc := &http.Client{Jar: jar}
	resp, err := hc.PostForm(p.issuer+"device/login", url.Values{"user_code": {userCode}, "username": {"olga"}, "password": {opPassword}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	resp, err = hc.Get(p.issuer + "device/confirm?action=allowed")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(body), "allowed") {
		t.Fatalf("the provider did not take the approval: %s", body)
	}
	if c := <-done; c != 0 {
		t.Fatalf("login: exit %d\n%s", c, stdout.String())
	}
	var out struct {
		Name  string   `json:"name"`
		Roles []string `json:"roles"`
		File  string   `json:"file"`
	}
	if err := json.Unmarshal(stdout.Bytes(), &out); err != nil || out.Name != "olga" || len(out.Roles) != 1 || out.Roles[0] != "reviewer" {
		t.Fatalf("login printed %s (%v)", stdout.String(), err)
	}
	if want := filepath.Join(cfg, "chancery", "login.json"); out.File != want {
		t.Errorf("the token is in %s, want %s", out.File, want)
	}
	fi, err := os.Stat(out.File)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("the token file: %v, %v", fi.Mode(), err)
	}

	// Now the same command works with the saved token, as olga.
	if code, stdout, stderr := runCLI("letter", "list", "--json"); code != 0 {
		t.Fatalf("letter list with the saved token: exit %d\n%s%s", code, stdout, stderr)
	}
	// The saved token is for that server only.
	t.Setenv("CHANCERY_URL", "http://127.0.0.1:1")
	if code, _, stderr := runCLI("letter", "list"); code == 0 || !strings.Contains(stderr, "token") {
		t.Errorf("the saved token was offered to another server: exit %d\n%s", code, stderr)
	}
}

func runCLI(args ...string) (int, string, string) {
	var out, errb bytes.Buffer
	code := cli.Main(args, &out, &errb)
	return code, out.String(), errb.String()
}
