package cli_test

import (
	"context"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/cli"
	"github.com/chancery/chancery/internal/cosigned"
	"github.com/chancery/chancery/internal/store"
	"github.com/chancery/chancery/internal/translog"
	"github.com/chancery/chancery/internal/witness"
)

// TestVerifyOnlineWithAWitness: with a Chancery witness run in the test and a quorum of one,
// `chancery verify` online accepts the registry's answers as they are: the seal's checkpoint
// and the latest one the answer comes with both carry the witness's cosignature. A letter
// released, then another (so that the first one's kept seal is older than the log), then the
// first retracted: valid, valid, retracted.
func TestVerifyOnlineWithAWitness(t *testing.T) {
	ctx := context.Background()
	o := newOfficeWith(t, func(db *store.DB, lg *translog.Log) *cosigned.Heads {
		h, err := cosigned.Open(ctx, db, lg)
		if err != nil {
			t.Fatal(err)
		}
		runCtx, stop := context.WithCancel(ctx)
		done := make(chan struct{})
		go func() { defer close(done); h.Run(runCtx, nil, nil) }()
		t.Cleanup(func() { stop(); <-done })
		return h
	})
	wdir := t.TempDir()
	st, err := witness.OpenStore(ctx, wdir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	key, err := witness.LoadKey(wdir, "witness.cli.example")
	if err != nil {
		t.Fatal(err)
	}
	trust := o.reg.TrustRoot()
	if _, err := st.AddLog(ctx, trust.LogOrigin, trust.LogKey); err != nil {
		t.Fatal(err)
	}
	ws := httptest.NewServer(witness.NewServer(st, key, nil))
	t.Cleanup(ws.Close)
	if err := o.reg.AddWitness(ctx, o.actors["root"], "cli-witness", ws.URL, key.VerifierKey()); err != nil {
		t.Fatal(err)
	}
	if err := o.reg.SetWitnessQuorum(ctx, o.actors["root"], 1); err != nil {
		t.Fatal(err)
	}

	dir, ref, _, bare, trustFile := o.releasedForReplay(t)
	tb, err := o.reg.TrustRoot().Marshal()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(tb), key.VerifierKey()) {
		t.Fatalf("the trust root does not name the witness: %s", tb)
	}
	verify := func(want string, code int) {
		t.Helper()
		if got, out, errs := verifyAt(t, o.url, "--trust", trustFile, bare); got != code || !strings.HasPrefix(out, want+": ") {
			t.Fatalf("verify: %d %q %q, want %d %s", got, out, errs, code, want)
		}
	}
	verify("valid", cli.ExitOK)

	ref2 := o.letter("Second letter", "foreign-government", "# Second\n\nSir, ...\n")
	o.ready(ref2)
	if code, _, errs := o.run("otto", "release", ref2, "--out", filepath.Join(dir, "second")); code != cli.ExitOK {
		t.Fatalf("release: %s", errs)
	}
	verify("valid", cli.ExitOK)

	o.retract(ref, "Sent by mistake")
	verify("retracted", cli.ExitFailed)
}
