package cli_test

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/chancery/chancery/internal/checkpoint"
	"github.com/chancery/chancery/internal/cli"
	"golang.org/x/mod/sumdb/tlog"
)

// TestOnlineVerifyRelatesAnOlderSealOfAnotherFileToTheKept: online, the checkpoint of a seal
// sound but for the file beside it is compared with the one kept (item 1013), but one older
// than the kept tree, the usual case since the kept tree grows with every run, was left
// unrelated to it: a valid seal's is related through its answer's consistency proof, and the
// answer for an edited copy ("altered", from its text) carries none. A kept tree the log's
// proof does not extend the seal's tree to is a fork, said as for a newer seal's; one it
// extends it to leaves the registry's answer, asked once for the run's files of that seal.
// (Found by review of 3abd43e, sixtieth session.)
func TestOnlineVerifyRelatesAnOlderSealOfAnotherFileToTheKept(t *testing.T) {
	o := newOffice(t)
	dir, _, file, _, trust := o.releasedForReplay(t)
	kept := o.keptAfterVerifying(t, dir, trust, file)
	sc := sealCheckpointOf(t, o, file)
	// The kept tree grows past the seal's: a later letter verified.
	second := filepath.Join(dir, o.releaseSecond(dir)+".pdf")
	if code, out, errs := verifyAt(t, o.url, "--trust", trust, second); code != cli.ExitOK {
		t.Fatalf("online verify of a later letter: %d %q %q", code, out, errs)
	}
	held, err := os.ReadFile(kept)
	if err != nil {
		t.Fatal(err)
	}
	keptCP := sealCheckpointOf(t, o, second)
	if keptCP.Size <= sc.Size {
		t.Fatalf("the kept tree has size %d, the seal's %d", keptCP.Size, sc.Size)
	}
	// The registry, through a proxy that counts the consistency proofs from the seal's tree,
	// and fails them when told to.
	proxy := proxyTo(t, o.url)
	var asked atomic.Int32
	var fail atomic.Bool
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/log/proof/consistency" && r.URL.Query().Get("old") == strconv.FormatInt(sc.Size, 10) {
			asked.Add(1)
			if fail.Load() {
				http.Error(w, "bad gateway", http.StatusBadGateway)
				return
			}
		}
		proxy.ServeHTTP(w, r)
	}))
	defer srv.Close()
	// Two edited copies beside the letter's seal, in one folder.
	folder := filepath.Join(dir, "held")
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	sealData, err := os.ReadFile(file + ".seal")
	if err != nil {
		t.Fatal(err)
	}
	var copies []string
	for _, name := range []string{"a.pdf", "b.pdf"} {
		c := filepath.Join(folder, name)
		write(t, c, data)
		appendTo(t, c)
		write(t, c+".seal", sealData)
		copies = append(copies, c)
	}
	// The log as the registry serves it extends the seal's tree to the kept one: the edited
	// copies are what the registry says of their text, the proof asked once.
	code, out, errs := verifyAt(t, srv.URL, "--trust", trust, folder)
	if code != cli.ExitFailed || strings.Count(out, ": altered: ") != 2 || strings.Contains(errs, "warning") || asked.Load() != 1 {
		t.Errorf("online, edited copies beside their letter's older seal: %d %q %q, %d proofs asked, want altered twice, one proof", code, out, errs, asked.Load())
	}
	// A proof that cannot be fetched leaves the registry's answer, with the warning.
	fail.Store(true)
	code, out, errs = verifyAt(t, srv.URL, "--trust", trust, copies[0])
	if code != cli.ExitFailed || !strings.HasPrefix(out, "altered: ") ||
		!strings.Contains(errs, "chancery: warning: "+copies[0]+": the checkpoint of the seal "+copies[0]+".seal, which is not this file's, could not be compared with the newest one kept of the log: consistency proof from tree size "+strconv.FormatInt(sc.Size, 10)+" to "+strconv.FormatInt(keptCP.Size, 10)) {
		t.Errorf("online, the proof failing: %d %q %q, want altered and the warning", code, out, errs)
	}
	// A folder, with --json: each worker's warning is among the run's, whole.
	code, out, errs = verifyAt(t, srv.URL, "--trust", trust, "--json", folder)
	if code != cli.ExitFailed || strings.Count(out, `"outcome":"altered"`) != 2 || strings.Count(errs, "chancery: warning: ") != 2 ||
		!strings.Contains(errs, "chancery: warning: "+copies[1]+": the checkpoint of the seal "+copies[1]+".seal, which is not this file's") {
		t.Errorf("online --json, a folder, the proof failing: %d %q %q, want altered twice and two warnings", code, out, errs)
	}
	if b, err := os.ReadFile(kept); err != nil || string(b) != string(held) {
		t.Errorf("the kept checkpoint changed: %q %v", b, err)
	}

	// A kept tree one larger than the seal's, signed by the log key, that the log's proof
	// does not extend the seal's tree to: this computer was shown another history.
	forkedCP := checkpoint.Checkpoint{Origin: sc.Origin, Size: sc.Size + 1, Root: tlog.Hash{1}}
	forked := o.keepSigned(t, kept, forkedCP)
	// The letter's own seal, valid, is related to it through the answer's proof: a fork.
	code, out, errs = verifyAt(t, o.url, "--trust", trust, file)
	if code != cli.ExitFailed || !strings.HasPrefix(out, "invalid: the registry's log is not an extension of the log it showed before") {
		t.Fatalf("online, the letter beside its own seal: %d %q %q, want invalid, a fork", code, out, errs)
	}
	for _, args := range [][]string{{copies[0]}, {folder}} {
		code, out, errs = verifyAt(t, o.url, append([]string{"--trust", trust}, args...)...)
		if code != cli.ExitFailed || strings.Contains(out, "altered") || !strings.Contains(out, "invalid: the registry's log is not an extension of the log it showed before") ||
			!strings.Contains(out, "does not check") {
			t.Errorf("online, %v, an edited copy whose seal's tree the kept one does not extend: %d %q %q, want invalid, a fork", args, code, out, errs)
		}
	}
	if b, err := os.ReadFile(kept); err != nil || string(b) != string(forked) {
		t.Errorf("the kept checkpoint changed: %q %v", b, err)
	}
}
