package cli_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/cli"
	"github.com/chancery/chancery/internal/seal"
	"github.com/chancery/chancery/internal/store"
)

// TestRevocationReasonNotInAnswers: the answer about a letter whose signer's key was revoked
// gives the key-revoked entry without its opening, whose statement holds the revocation's
// reason ("dismissed after the disciplinary hearing" reached every holder, and the public for
// a letter whose file digest is public); chancery verify still says when the key was revoked,
// from the entry's record, and still takes an answer that gives the opening, as registries
// before gave it.
func TestRevocationReasonNotInAnswers(t *testing.T) {
	o := newOffice(t)
	dir := t.TempDir()
	t.Setenv("CHANCERY_STATE_DIR", filepath.Join(dir, "state"))
	ref := o.letter("Coordination of force movements", "foreign-government", "# Coordination\n\nSir, ...\n")
	o.ready(ref)
	out := filepath.Join(dir, "out")
	if code, _, errs := o.run("otto", "release", ref, "--out", out); code != cli.ExitOK {
		t.Fatalf("release: %d %s", code, errs)
	}
	trust := filepath.Join(dir, "trust.json")
	if code, _, errs := o.run("rita", "trust", "export", "--out", trust); code != cli.ExitOK {
		t.Fatalf("trust export: %d %s", code, errs)
	}
	const reason = "dismissed after the disciplinary hearing"
	idx, err := o.reg.RevokeKey(context.Background(), o.actors["sam"], o.keyID, reason)
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(out, ref+".pdf")
	for _, latest := range []bool{false, true} {
		b := o.answer(file, latest)
		var ans struct {
			Revocations []seal.LoggedEntry `json:"revocations"`
		}
		if err := json.Unmarshal(b, &ans); err != nil {
			t.Fatal(err)
		}
		if len(ans.Revocations) != 1 || ans.Revocations[0].Index != idx {
			t.Fatalf("latest %v: revocations %+v, want the entry at %d", latest, ans.Revocations, idx)
		}
		if ans.Revocations[0].Opening != nil {
			t.Errorf("latest %v: the revocation is given with its opening, whose statement says %q", latest, ans.Revocations[0].Opening.Statement)
		}
		if bytes.Contains(b, []byte("disciplinary")) {
			t.Errorf("latest %v: the answer names the reason: %s", latest, b)
		}
	}
	code, got, errs := o.run("", "verify", "--trust", trust, file)
	if code != cli.ExitOK || !strings.Contains(got, "sam's key was revoked on ") || !strings.Contains(got, "after the release") {
		t.Fatalf("verify: %d %q %q", code, got, errs)
	}

	// An answer that gives the opening, as registries before gave it, is checked with it.
	var salt, statement []byte
	if err := o.db.View(context.Background(), func(tx *store.Tx) error {
		var err error
		salt, statement, err = tx.Opening(context.Background(), idx)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name      string
		statement []byte
		ok        bool
	}{
		{"its opening", statement, true},
		{"another statement", bytes.Replace(statement, []byte(reason), []byte("rotated"), 1), false},
	} {
		srv := revocationOpenings(t, o, &seal.Opening{Salt: salt, Statement: tc.statement})
		code, got, errs := verifyAt(t, srv.URL, "--trust", trust, file)
		if ok := code == cli.ExitOK && strings.Contains(got, "sam's key was revoked on "); ok != tc.ok {
			t.Errorf("%s: verify %d %q %q, want ok %v", tc.name, code, got, errs, tc.ok)
		}
	}
}

// revocationOpenings serves o's registry with op as the opening of every revocation its
// answers give.
func revocationOpenings(t *testing.T, o *office, op *seal.Opening) *httptest.Server {
	t.Helper()
	return rewritingRegistry(t, o, func(ans map[string]json.RawMessage) error {
		var revs []seal.LoggedEntry
		if err := json.Unmarshal(ans["revocations"], &revs); err != nil {
			return err
		}
		for i := range revs {
			revs[i].Opening = op
		}
		ans["revocations"], _ = json.Marshal(revs)
		return nil
	})
}
