package cli_test

import (
	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/cli"
)

// TestVerifyAsksAgainALogBehind: servers of one PostgreSQL office behind one address each
// follow the stored log, one up to 100 ms behind another. A letter released through one, or
// an answer given by one, names a tree the next server asked for the consistency proof has
// not read yet: its log answers 404, "size N is beyond the latest checkpoint's size N-1"
// (found live, three servers: `chancery verify` of a letter just released said "could not
// verify" two times in five). Verify asks again, as for an answer on an older tree (item
// 515), and says "could not verify" only when the log never catches up.
func TestVerifyAsksAgainALogBehind(t *testing.T) {
	o := newOffice(t)
	dir, _, _, bare, trust := o.releasedForReplay(t)
	u, err := url.Parse(o.url)
	if err != nil {
		t.Fatal(err)
	}
	proxy := httputil.NewSingleHostReverseProxy(u)
	for _, c := range []struct {
		name   string
		sealed bool // the file with its seal beside it, or bare (the registry's answer)
		behind int  // consistency proofs the log cannot give yet
		code   int
		prefix string
	}{
		{"sealed, behind once", true, 1, cli.ExitOK, "valid: "},
		{"sealed, behind twice", true, 2, cli.ExitOK, "valid: "},
		{"sealed, never caught up", true, 1 << 30, cli.ExitError, "could not verify: "},
		{"bare, behind once", false, 1, cli.ExitOK, "valid: "},
		{"bare, never caught up", false, 1 << 30, cli.ExitError, "could not verify: "},
	} {
		t.Run(c.name, func(t *testing.T) {
			// This client has verified the first letter: it holds the tree of its day.
			t.Setenv("CHANCERY_STATE_DIR", filepath.Join(t.TempDir(), "state"))
			if code, out, errs := verifyAt(t, o.url, "--trust", trust, bare); code != cli.ExitOK || !strings.HasPrefix(out, "valid: ") {
				t.Fatalf("first letter: %d %q %q", code, out, errs)
			}
			ref := o.releaseSecond(dir)
			file := filepath.Join(dir, ref+".pdf")
			if !c.sealed {
				file = filepath.Join(dir, "bare", ref+".pdf")
				data, err := os.ReadFile(filepath.Join(dir, ref+".pdf"))
				if err == nil {
					err = os.WriteFile(file, data, 0o644)
				}
				if err != nil {
					t.Fatal(err)
				}
			}
			asked := 0
			lagging := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Path == "/log/proof/consistency" {
					if asked++; asked <= c.behind {
						// As a server of the office answers before it has read the newest tree.
						size, _ := strconv.ParseInt(r.URL.Query().Get("size"), 10, 64)
						w.Header().Set("Content-Type", "application/json")
						w.WriteHeader(http.StatusNotFound)
						fmt.Fprintf(w, `{"error":"size %d is beyond the latest checkpoint's size %d"}`, size, size-1)
						return
					}
				}
				proxy.ServeHTTP(w, r)
			}))
			defer lagging.Close()
			code, out, errs := verifyAt(t, lagging.URL, "--trust", trust, file)
			if code != c.code || !strings.HasPrefix(out, c.prefix) {
				t.Errorf("%d %q %q, want %d %q", code, out, errs, c.code, c.prefix)
			}
			if want := min(c.behind+1, 3); asked != want {
				t.Errorf("consistency proof asked %d times, want %d", asked, want)
			}
		})
	}
}

// TestSealRefreshAsksAgainALogBehind: `seal refresh` takes the checkpoint from one server of
// the office and asks the proofs of whichever server the address leads to next; one that has
// not read that tree yet answers 404 (found live through a round-robin proxy before three
// servers: "refresh …: size 45 is beyond the latest checkpoint's size 44", exit status 2).
// Refresh asks again, and replaces the seal only once it has every proof.
func TestSealRefreshAsksAgainALogBehind(t *testing.T) {
	o := newOffice(t)
	dir, _, file, _, trust := o.releasedForReplay(t)
	u, err := url.Parse(o.url)
	if err != nil {
		t.Fatal(err)
	}
	proxy := httputil.NewSingleHostReverseProxy(u)
	for _, c := range []struct {
		name   string
		behind int
		code   int
	}{
		{"behind once", 1, cli.ExitOK},
		{"behind twice", 2, cli.ExitOK},
		{"never caught up", 1 << 30, cli.ExitError},
	} {
		t.Run(c.name, func(t *testing.T) {
			o.releaseSecond(dir) // the log grows past the seal's checkpoint
			before, err := os.ReadFile(file + ".seal")
			if err != nil {
				t.Fatal(err)
			}
			asked := 0
			lagging := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Path == "/log/proof/consistency" {
					if asked++; asked <= c.behind {
						size, _ := strconv.ParseInt(r.URL.Query().Get("size"), 10, 64)
						w.Header().Set("Content-Type", "application/json")
						w.WriteHeader(http.StatusNotFound)
						fmt.Fprintf(w, `{"error":"size %d is beyond the latest checkpoint's size %d"}`, size, size-1)
						return
					}
				}
				proxy.ServeHTTP(w, r)
			}))
			defer lagging.Close()
			t.Setenv("CHANCERY_URL", lagging.URL)
			t.Setenv("CHANCERY_TOKEN", "")
			var stdout, stderr bytes.Buffer
			code := cli.Main([]string{"seal", "refresh", file + ".seal", "--trust", trust}, &stdout, &stderr)
			if code != c.code {
				t.Errorf("%d %q %q, want %d", code, stdout.String(), stderr.String(), c.code)
			}
			after, _ := os.ReadFile(file + ".seal")
			if replaced := !bytes.Equal(after, before); replaced != (c.code == cli.ExitOK) {
				t.Errorf("seal replaced: %v, want %v", replaced, c.code == cli.ExitOK)
			}
			if want := min(c.behind+1, 3); asked != want {
				t.Errorf("consistency proof asked %d times, want %d", asked, want)
			}
		})
	}
}
