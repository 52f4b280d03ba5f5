package server

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/witness"
)

// startOfficeWitness runs a Chancery witness named name that knows the office's log, and adds
// it to the office. It returns the witness's server, which the test may close.
func (o *cosignedOffice) startOfficeWitness(t *testing.T, name string) *httptest.Server {
	t.Helper()
	ctx := context.Background()
	_, vkey := o.do(t, "GET", "/log/key", "", "", nil)
	logKey := strings.TrimSpace(string(vkey))
	origin, _, _ := strings.Cut(logKey, "+")
	dir := t.TempDir()
	st, err := witness.OpenStore(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	key, err := witness.LoadKey(dir, "witness."+name+".example")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.AddLog(ctx, origin, logKey); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(witness.NewServer(st, key, slog.New(slog.DiscardHandler)))
	t.Cleanup(srv.Close)
	if err := o.reg.AddWitness(ctx, o.actors["root"], name, srv.URL, key.VerifierKey()); err != nil {
		t.Fatal(err)
	}
	return srv
}

// addRefusingWitness adds a witness that answers every checkpoint with status and body, as one
// that claims to hold a larger tree (409) or refuses the log as a fork (422) does.
func (o *cosignedOffice) addRefusingWitness(t *testing.T, name string, status int, body string) {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if status == http.StatusConflict {
			w.Header().Set("Content-Type", "text/x.tlog.size")
		}
		w.WriteHeader(status)
		w.Write([]byte(body))
	}))
	t.Cleanup(srv.Close)
	wk, err := witness.LoadKey(t.TempDir(), "witness."+name+".example")
	if err != nil {
		t.Fatal(err)
	}
	if err := o.reg.AddWitness(context.Background(), o.actors["root"], name, srv.URL, wk.VerifierKey()); err != nil {
		t.Fatal(err)
	}
}

// TestReadyzWithOneWitnessRefusing: a witness that refuses the log (a claim of a larger tree
// in a 409, or a 422), while the other witnesses still meet the quorum, is a warning line of
// /readyz, not 503: reading and verifying go on, and a load balancer that checks /readyz would
// take every server of the office out for one witness's word. The line says that the server
// appends nothing meanwhile. With fewer witnesses left than the quorum, /readyz is 503.
func TestReadyzWithOneWitnessRefusing(t *testing.T) {
	for _, c := range []struct {
		name, body string
		status     int
	}{
		{"ahead", "999999\n", http.StatusConflict},
		{"fork", "inconsistent\n", http.StatusUnprocessableEntity},
	} {
		t.Run(c.name, func(t *testing.T) {
			ctx := context.Background()
			o := newCosignedOffice(t, "sam") // the signer's key is logged: the log is not empty
			o.startOfficeWitness(t, "justice")
			o.addRefusingWitness(t, "hostile", c.status, c.body)
			if err := o.reg.SetWitnessQuorum(ctx, o.actors["root"], 1); err != nil {
				t.Fatal(err)
			}
			hs := o.reg.Heads()
			for deadline := time.Now().Add(30 * time.Second); hs.Head() == nil || hs.Behind() == ""; time.Sleep(10 * time.Millisecond) {
				if time.Now().After(deadline) {
					t.Fatalf("no cosigned head (%v) or no refusal noticed (%q)", hs.Head() != nil, hs.Behind())
				}
			}
			status, body := o.do(t, "GET", "/readyz", "", "", nil)
			if status != http.StatusOK || !strings.Contains(string(body), "warning: witness hostile") {
				t.Errorf("quorum 1 met by justice, hostile refusing: /readyz %d %q, want 200 with a warning naming hostile", status, body)
			}
			// Reading and verifying go on; appending would sign a fork if the witness is right.
			if !strings.Contains(string(body), "this server appends nothing") {
				t.Errorf("/readyz does not say that the log's appends are halted: %q", body)
			}
			if err := o.reg.SetWitnessQuorum(ctx, o.actors["root"], 2); err != nil {
				t.Fatal(err)
			}
			// The refusal is learned again by the pool that the change of quorum starts.
			for deadline := time.Now().Add(30 * time.Second); hs.Quorum() != 2 || hs.Behind() == ""; time.Sleep(10 * time.Millisecond) {
				if time.Now().After(deadline) {
					t.Fatalf("quorum %d, behind %q", hs.Quorum(), hs.Behind())
				}
			}
			status, body = o.do(t, "GET", "/readyz", "", "", nil)
			if status != http.StatusServiceUnavailable || !strings.Contains(string(body), "witness hostile") {
				t.Errorf("quorum 2, hostile refusing: /readyz %d %q, want 503 naming hostile", status, body)
			}
		})
	}
}

// TestWitnessRefusalNamesTheWitnessOnce: the reason a witness that holds a larger tree gives,
// as /readyz and seals that wait say it, names the witness once ("witness hostile: witness
// hostile: witness holds …" before).
func TestWitnessRefusalNamesTheWitnessOnce(t *testing.T) {
	ctx := context.Background()
	o := newCosignedOffice(t, "sam")
	o.addRefusingWitness(t, "hostile", http.StatusConflict, "999999\n")
	if err := o.reg.SetWitnessQuorum(ctx, o.actors["root"], 1); err != nil {
		t.Fatal(err)
	}
	hs := o.reg.Heads()
	for deadline := time.Now().Add(30 * time.Second); hs.Behind() == ""; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the refusal was never noticed")
		}
	}
	_, body := o.do(t, "GET", "/readyz", "", "", nil)
	if n := strings.Count(string(body), "witness hostile"); n != 1 || !strings.Contains(string(body), "it cosigned size 999999") {
		t.Errorf("/readyz names the witness %d times: %q", n, body)
	}
}
