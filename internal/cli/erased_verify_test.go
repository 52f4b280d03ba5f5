package cli_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/cli"
)

// TestVerifyErasedLetterIsNotCalledInvalid: the registry answers for an erased letter
// "valid, content erased" without a seal (its opening is gone), and the letter's own seal
// still verifies offline; online verify called the genuine letter invalid (exit 1) because
// the answer had no seal. It cannot prove the registry's answer either, so it says that it
// could not verify, as for an out-of-date trust root.
func TestVerifyErasedLetterIsNotCalledInvalid(t *testing.T) {
	o := newOffice(t)
	_, ref, file, bare, trust := o.releasedForReplay(t)
	if err := o.reg.Erase(context.Background(), o.actors["root"], ref, "personal data"); err != nil {
		t.Fatal(err)
	}
	if code, out, errs := verifyAt(t, o.url, "--offline", "--trust", trust, file); code != cli.ExitOK {
		t.Fatalf("offline: exit %d: %s%s", code, out, errs)
	}
	for _, f := range []string{file, bare} {
		code, out, errs := verifyAt(t, o.url, "--json", "--trust", trust, f)
		var res cli.VerifyResult
		if err := json.Unmarshal([]byte(out), &res); err != nil {
			t.Fatalf("%s: %v: %s%s", f, err, out, errs)
		}
		if code != cli.ExitError || res.Outcome != "error" || !strings.Contains(res.Message, "erased") {
			t.Errorf("%s: exit %d, %s: %s, want exit %d, error, the content was erased", f, code, res.Outcome, res.Message, cli.ExitError)
		}
	}
}
