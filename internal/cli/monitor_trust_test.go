package cli_test

import (
	"crypto/ed25519"
	"crypto/rand"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/cli"
	"github.com/chancery/chancery/internal/monitor"
	"github.com/chancery/chancery/internal/seal"
)

// serveMonitoredCheckpoint makes the log serve signed as its checkpoint.
func (ls *monitoredLog) serveCheckpoint(signed []byte) {
	ls.setServe(func(w http.ResponseWriter, r *http.Request, h http.Handler) {
		if r.URL.Path == "/log/checkpoint" {
			w.Write(signed)
			return
		}
		h.ServeHTTP(w, r)
	})
}

// TestMonitorTrust: --trust gives the monitor the log's witnesses and quorum, as 'chancery
// verify --trust' takes them, and alone names the log to follow; a checkpoint without the
// quorum's cosignatures is then a finding (status 1), where the log key alone passed it.
func TestMonitorTrust(t *testing.T) {
	ls := newMonitoredLog(t)
	ls.add("Office A", 3)
	w := newTestCosigner(t, "witness.example")
	dir := t.TempDir()
	pub, _, _ := ed25519.GenerateKey(rand.Reader)
	root := seal.TrustRoot{Office: "Office A", BaseURL: ls.url, LogOrigin: ls.origin, LogKey: ls.vkey,
		OfficeKeys: []seal.OfficeKey{seal.NewOfficeKey(pub)}, Witnesses: []string{w.vkey}, WitnessQuorum: 1}
	b, err := root.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	trust := filepath.Join(dir, "trust.json")
	os.WriteFile(trust, b, 0o600)
	state := filepath.Join(dir, "monitor.json")

	ls.serveCheckpoint(w.cosign(t, ls.vkey, ls.lg.Head().Checkpoint))
	code, out, errs := runMonitor(t, "--trust", trust, "--state", state, "--once", "--json")
	if code != cli.ExitOK {
		t.Fatalf("--trust alone: exit %d, %s", code, errs)
	}
	if rs := monitorReports(t, out); len(rs) != 4 || rs[3].Type != monitor.TypeCheckpoint || rs[3].Size != 3 || rs[3].Log != ls.origin {
		t.Fatalf("reports: %s", out)
	}

	ls.add("Office A", 1)
	ls.setServe(nil) // the log's own checkpoint, without cosignature
	if code, _, errs := runMonitor(t, "--url", ls.url, "--key", ls.vkey, "--state", filepath.Join(dir, "keyonly.json"), "--once"); code != cli.ExitOK {
		t.Fatalf("the log key alone: exit %d, %s", code, errs)
	}
	code, _, errs = runMonitor(t, "--url", ls.url, "--key", ls.vkey, "--trust", trust, "--state", state, "--once")
	if code != cli.ExitFailed || !strings.Contains(errs, "chancery: ALERT: "+ls.origin+": quorum-not-met") {
		t.Fatalf("no cosignature: exit %d, %s", code, errs)
	}

	// A trust root that is not one, or given twice for a log, is a usage error.
	bad := filepath.Join(dir, "bad.json")
	os.WriteFile(bad, []byte("{}"), 0o600)
	for _, args := range [][]string{
		{"--trust", bad, "--once"},
		{"--trust", filepath.Join(dir, "missing.json"), "--once"},
		{"--trust", trust, "--trust", trust, "--once"},
		{"--once"},
	} {
		if code, _, errs := runMonitor(t, args...); code != cli.ExitError || !strings.Contains(errs, "chancery: error:") || !strings.Contains(errs, "hint:") {
			t.Errorf("%q: exit %d, %s", args, code, errs)
		}
	}
}

// TestMonitorMaxEntries: a pass checks at most --max-entries entries of a log; an unfinished
// --once run says so (status 2, with a hint to run again) and the next continues from its
// state.
func TestMonitorMaxEntries(t *testing.T) {
	ls := newMonitoredLog(t)
	ls.add("Office A", 300)
	state := filepath.Join(t.TempDir(), "monitor.json")
	code, out, errs := runMonitor(t, "--url", ls.url, "--key", ls.vkey, "--state", state, "--once", "--json", "--max-entries", "256")
	if code != cli.ExitError || !strings.Contains(errs, "not finished") || !strings.Contains(errs, "run again") {
		t.Fatalf("first run: exit %d, %s", code, errs)
	}
	first := monitorReports(t, out)
	code, out, errs = runMonitor(t, "--url", ls.url, "--key", ls.vkey, "--state", state, "--once", "--json", "--max-entries", "256")
	if code != cli.ExitOK {
		t.Fatalf("second run: exit %d, %s", code, errs)
	}
	second := monitorReports(t, out)
	if len(first) != 256 || len(second) != 45 || second[0].Index != 256 || second[44].Type != monitor.TypeCheckpoint {
		t.Fatalf("reported %d then %d", len(first), len(second))
	}
	if code, _, errs := runMonitor(t, "--url", ls.url, "--key", ls.vkey, "--once", "--max-entries", "0"); code != cli.ExitError || !strings.Contains(errs, "--max-entries") {
		t.Fatalf("--max-entries 0: exit %d, %s", code, errs)
	}
}
