package cli_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/cli"
	"github.com/chancery/chancery/internal/seal"
)

// TestVerifyMaxAgeBoundsTheAnswersCheckpointOnline: online, an answer is judged against the
// registry's latest checkpoint, but --max-age bounded only the cosignatures of the seal beside
// the file. So a bare file answered against a checkpoint the witnesses cosigned long ago (a
// replay of an old answer to a first-time client, or a registry whose witnesses stopped
// cosigning, either of which hides a withdrawal since) was valid despite the bound, and a
// file whose own seal is old was invalid however fresh the registry's answer: the same bytes
// got opposite answers with and without their seal. Online the bound is on the checkpoint
// the answer is judged against.
func TestVerifyMaxAgeBoundsTheAnswersCheckpointOnline(t *testing.T) {
	o := newOffice(t)
	dir, _, file, bare, _ := o.releasedForReplay(t)
	w := newTestCosigner(t, "witness.cli.example")
	root, trust := witnessedTrust(t, o, dir, w)
	// The seal beside the file, cosigned two days ago.
	old := recosignSeal(t, file, root.LogKey, w, time.Now().Add(-48*time.Hour))

	for i, c := range []struct {
		name             string
		file             string
		sealBy, latestBy *testCosigner
		code             int
		prefix           string
	}{
		{"bare file, latest checkpoint cosigned two days ago", bare, w, old, cli.ExitFailed, "invalid: "},
		{"bare file, latest checkpoint cosigned now", bare, old, w, cli.ExitOK, "valid: "},
		{"own seal cosigned two days ago, latest checkpoint cosigned now", file, w, w, cli.ExitOK, "valid: "},
		{"own seal and latest checkpoint cosigned two days ago", file, old, old, cli.ExitFailed, "invalid: "},
	} {
		t.Setenv("CHANCERY_STATE_DIR", filepath.Join(dir, "state", string(rune('a'+i))))
		code, out, errs := verifyAt(t, cosignedRegistry(t, o, root.LogKey, c.sealBy, c.latestBy).URL, "--trust", trust, "--max-age", "24h", c.file)
		if code != c.code || !strings.HasPrefix(out, c.prefix) {
			t.Errorf("%s: exit %d %q %q, want %d %q", c.name, code, out, errs, c.code, c.prefix)
		}
	}
}

// TestVerifyRefusesANegativeMaxAge: a negative --max-age (a sign typed by mistake) used to be
// taken as no bound at all, so every seal and answer passed whatever its age, silently.
func TestVerifyRefusesANegativeMaxAge(t *testing.T) {
	var stdout, stderr strings.Builder
	code := cli.Main([]string{"verify", "--offline", "--max-age", "-720h", "letter.pdf"}, &stdout, &stderr)
	if code != cli.ExitError || !strings.Contains(stderr.String(), "--max-age -720h0m0s is negative") {
		t.Errorf("verify --max-age -720h: exit %d\n%s%s", code, stdout.String(), stderr.String())
	}
}

// TestVerifyMaxAgeRefusesCosignaturesFromTheFuture: --max-age compared the witnesses' time
// with now, so cosignatures dated a year ahead (a witness whose clock was wrong) passed for a
// year and more: an answer or seal they cosigned could be replayed as fresh all that while.
// Cosignatures dated more than the servers' clock skew ahead have no known age.
func TestVerifyMaxAgeRefusesCosignaturesFromTheFuture(t *testing.T) {
	o := newOffice(t)
	dir, _, file, bare, _ := o.releasedForReplay(t)
	w := newTestCosigner(t, "witness.cli.example")
	root, trust := witnessedTrust(t, o, dir, w)
	ahead := recosignSeal(t, file, root.LogKey, w, time.Now().Add(365*24*time.Hour))
	t.Setenv("CHANCERY_STATE_DIR", filepath.Join(dir, "state", "online"))
	code, out, errs := verifyAt(t, cosignedRegistry(t, o, root.LogKey, ahead, ahead).URL, "--trust", trust, "--max-age", "24h", bare)
	if code != cli.ExitFailed || !strings.HasPrefix(out, "invalid: ") || !strings.Contains(out, "ahead") {
		t.Errorf("online, latest checkpoint cosigned a year ahead: exit %d %q %q", code, out, errs)
	}
	t.Setenv("CHANCERY_STATE_DIR", filepath.Join(dir, "state", "offline"))
	code, out, errs = verifyAt(t, "", "--offline", "--trust", trust, "--max-age", "24h", file)
	if code != cli.ExitFailed || !strings.HasPrefix(out, "invalid: ") || !strings.Contains(out, "ahead") {
		t.Errorf("offline, seal cosigned a year ahead: exit %d %q %q", code, out, errs)
	}
	// Without --max-age, their time does not matter.
	code, out, errs = verifyAt(t, "", "--offline", "--trust", trust, file)
	if code != cli.ExitOK {
		t.Errorf("offline without --max-age: exit %d %q %q", code, out, errs)
	}
}

// recosignSeal has witness w cosign the checkpoint of the seal beside file again, dated at,
// and returns w as it cosigns at that time.
func recosignSeal(t *testing.T, file, logKey string, w *testCosigner, at time.Time) *testCosigner {
	t.Helper()
	c := *w
	c.at = at
	data, err := os.ReadFile(file + ".seal")
	if err != nil {
		t.Fatal(err)
	}
	own, err := seal.Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	own.Checkpoint = c.cosign(t, logKey, own.Checkpoint)
	if err := os.WriteFile(file+".seal", own.Marshal(), 0o644); err != nil {
		t.Fatal(err)
	}
	return &c
}
