package cli_test

import (
	"bytes"
	"encoding/json"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/cli"
)

// TestOfflineVerifyReadsTheKeptCheckpoint: verify --offline compares a seal's checkpoint with
// the checkpoint it keeps of the log, and a tree of the same size with another root, both
// signed by the log key (a split view), is the log forked, as online; it never writes the
// kept checkpoint, and one of another size changes nothing offline. (Fifty-sixth session's
// not-fixed list, the lead's decision: offline read nothing kept, and said valid.)
func TestOfflineVerifyReadsTheKeptCheckpoint(t *testing.T) {
	o := newOffice(t)
	dir, _, file, _, trust := o.releasedForReplay(t)
	kept := o.keptAfterVerifying(t, dir, trust, file)
	sealed, sc := sealedCheckpoint(t, o, file)
	other := sc
	other.Root[0] ^= 1
	split := o.keepSigned(t, kept, other)
	// Offline sends nothing.
	o.refuseRequests(t)
	code, out, errs := verifyAt(t, o.url, "--offline", "--trust", trust, file)
	// Offline's own line, naming the evidence: no registry answered, nothing was replayed
	// (fifty-seventh session's not-fixed list, the lead's decision).
	wantOffline := forkedLine(sc, other, kept)
	if code != cli.ExitFailed || out != wantOffline {
		t.Errorf("offline, a seal whose tree of size %d the kept checkpoint has with another root: %d %q %q, want %q", sc.Size, code, out, errs, wantOffline)
	}
	code, out, _ = verifyAt(t, o.url, "--offline", "--json", "--trust", trust, file)
	var res cli.VerifyResult
	if err := json.Unmarshal([]byte(out), &res); err != nil || code != cli.ExitFailed || res.Outcome != "invalid" || res.Message+"\n" != wantOffline {
		t.Errorf("offline --json: %d %q %v", code, out, err)
	}
	for lang, words := range map[string]string{"fr": "le journal a bifurqué", "ar": "تشعّب السجل"} {
		code, out, _ = verifyAt(t, o.url, "--offline", "--lang", lang, "--trust", trust, file)
		if code != cli.ExitFailed || !strings.Contains(out, words) || !strings.Contains(out, kept) {
			t.Errorf("offline --lang %s: %d %q, want %q and the kept file", lang, code, out, words)
		}
	}
	want := "two trees of size " + strconv.FormatInt(sc.Size, 10) + " with different roots"
	if b, _ := os.ReadFile(kept); !bytes.Equal(b, split) {
		t.Errorf("verify --offline wrote the kept checkpoint:\n%s", b)
	}
	// Online answers the same.
	o.before = nil
	code, out, errs = verifyAt(t, o.url, "--trust", trust, file)
	if code != cli.ExitFailed || !strings.HasPrefix(out, "invalid: ") || !strings.Contains(out, want) {
		t.Errorf("online, the same split view: %d %q %q", code, out, errs)
	}

	// A kept checkpoint of another size says nothing offline, and stays as it is.
	o.refuseRequests(t)
	for _, size := range []int64{sc.Size + 1, sc.Size - 1} {
		c := other
		c.Size = size
		b := o.keepSigned(t, kept, c)
		if code, out, errs := verifyAt(t, o.url, "--offline", "--trust", trust, file); code != cli.ExitOK || !strings.HasPrefix(out, "valid: ") {
			t.Errorf("offline, a kept checkpoint of size %d beside a seal of size %d: %d %q %q, want valid", size, sc.Size, code, out, errs)
		}
		if got, _ := os.ReadFile(kept); !bytes.Equal(got, b) {
			t.Errorf("verify --offline replaced the kept checkpoint of size %d", size)
		}
	}
	// The seal's own tree kept: valid.
	if err := os.WriteFile(kept, sealed, 0o600); err != nil {
		t.Fatal(err)
	}
	if code, out, errs := verifyAt(t, o.url, "--offline", "--trust", trust, file); code != cli.ExitOK {
		t.Errorf("offline, the seal's own checkpoint kept: %d %q %q", code, out, errs)
	}
}

// TestOfflineVerifyComparesASealOfAnotherFileWithTheKept: offline, a seal sound but for the file
// beside it (the file edited) still carries a checkpoint the log key signed, compared with the
// kept one as a valid seal's is: a tree of the same size with another root is said as the log
// forked. (Found by audit, fifty-ninth session, beside the run's comparison of such seals: it
// was "this file is not the sealed letter", the fork unsaid.)
func TestOfflineVerifyComparesASealOfAnotherFileWithTheKept(t *testing.T) {
	o := newOffice(t)
	dir, _, file, _, trust := o.releasedForReplay(t)
	kept := o.keptAfterVerifying(t, dir, trust, file)
	sealed, sc := sealedCheckpoint(t, o, file)
	other := sc
	other.Root[0] ^= 1
	o.keepSigned(t, kept, other)
	appendTo(t, file)
	o.refuseRequests(t)
	code, out, errs := verifyAt(t, o.url, "--offline", "--trust", trust, file)
	want := forkedLine(sc, other, kept)
	if code != cli.ExitFailed || out != want {
		t.Errorf("offline, an edited file whose seal's tree the kept checkpoint has with another root: %d %q %q, want %q", code, out, errs, want)
	}
	// The seal's own tree kept: the file is what it was, not the sealed letter.
	if err := os.WriteFile(kept, sealed, 0o600); err != nil {
		t.Fatal(err)
	}
	if code, out, errs := verifyAt(t, o.url, "--offline", "--trust", trust, file); code != cli.ExitFailed || !strings.Contains(out, "this file is not the sealed letter") {
		t.Errorf("offline, the seal's own checkpoint kept: %d %q %q", code, out, errs)
	}
}
