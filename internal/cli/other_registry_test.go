package cli_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/chancery/chancery/internal/cli"
)

// TestVerifyRefusesAnotherOfficesRegistry: CHANCERY_URL, which a member sets for the
// commands of their own office, takes precedence over the trust root's base_url, so a member
// of one office who verified a letter of another, with that office's trust root, asked their
// own registry: a genuine letter whose seal verifies was called invalid ("the registry does
// not know the letter"), where chancery-verify --offline says valid, and a file without its
// seal was unknown, its text sent to the wrong registry to be identified. An answer for
// another office than the trust root's is not an answer about the letter: verify says it
// could not verify, and asks that registry nothing more.
func TestVerifyRefusesAnotherOfficesRegistry(t *testing.T) {
	o := newOffice(t)
	_, _, file, bare, trust := o.releasedForReplay(t)
	other := newOfficeNamed(t, "Other Office", nil)
	var identified atomic.Int32
	other.before = func(r *http.Request) {
		if r.URL.Path == "/api/v1/identify" {
			identified.Add(1)
		}
	}
	for _, f := range []string{file, bare} {
		code, out, errs := verifyAt(t, other.url, "--json", "--trust", trust, f)
		var res cli.VerifyResult
		if err := json.Unmarshal([]byte(out), &res); err != nil {
			t.Fatalf("%s: %v: %s%s", f, err, out, errs)
		}
		if code != cli.ExitError || res.Outcome != "error" || !strings.Contains(res.Message, "Other Office") {
			t.Errorf("%s: exit %d, %s: %s; want exit %d, error, naming the other office", f, code, res.Outcome, res.Message, cli.ExitError)
		}
	}
	if n := identified.Load(); n != 0 {
		t.Errorf("the letter's text was sent %d times to another office's registry", n)
	}
	if code, out, errs := verifyAt(t, o.url, "--trust", trust, bare); code != cli.ExitOK || !strings.HasPrefix(out, "valid: ") {
		t.Errorf("the office's own registry: %d %q %q", code, out, errs)
	}
}
