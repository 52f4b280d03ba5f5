package cli_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/checkpoint"
	"github.com/chancery/chancery/internal/cli"
	"github.com/chancery/chancery/internal/seal"
	"golang.org/x/mod/sumdb/note"
)

// TestOfflineVerifyReadsTheKeptCheckpoint: verify --offline compares a seal's checkpoint with
// the checkpoint it keeps of the log, and a tree of the same size with another root, both
// signed by the log key (a split view), is the log forked, as online; it never writes the
// kept checkpoint, and one of another size changes nothing offline. (Fifty-sixth session's
// not-fixed list, the lead's decision: offline read nothing kept, and said valid.)
func TestOfflineVerifyReadsTheKeptCheckpoint(t *testing.T) {
	o := newOffice(t)
	dir, _, file, _, trust := o.releasedForReplay(t)
	if code, out, errs := verifyAt(t, o.url, "--trust", trust, file); code != cli.ExitOK {
		t.Fatalf("online verify: %d %q %q", code, out, errs)
	}
	kept, err := filepath.Glob(filepath.Join(dir, "state", "*"))
	if err != nil || len(kept) != 1 {
		t.Fatalf("kept checkpoints: %v %v", kept, err)
	}
	sb, err := os.ReadFile(file + ".seal")
	if err != nil {
		t.Fatal(err)
	}
	s, err := seal.Parse(sb)
	if err != nil {
		t.Fatal(err)
	}
	v, err := note.NewVerifier(o.reg.TrustRoot().LogKey)
	if err != nil {
		t.Fatal(err)
	}
	sc, _, err := checkpoint.Open(s.Checkpoint, v)
	if err != nil {
		t.Fatal(err)
	}
	// signedTree is a checkpoint of the office's log signed by its log key.
	signedTree := func(c checkpoint.Checkpoint) []byte {
		b, err := note.Sign(&note.Note{Text: string(c.Marshal())}, o.logSigner)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	other := sc
	other.Root[0] ^= 1
	split := signedTree(other)
	if err := os.WriteFile(kept[0], split, 0o600); err != nil {
		t.Fatal(err)
	}
	// Offline sends nothing.
	o.before = func(r *http.Request) { t.Errorf("verify --offline asked the registry: %s %s", r.Method, r.URL) }
	code, out, errs := verifyAt(t, o.url, "--offline", "--trust", trust, file)
	// Offline's own line, naming the evidence: no registry answered, nothing was replayed
	// (fifty-seventh session's not-fixed list, the lead's decision).
	wantOffline := "invalid: two checkpoints of size " + strconv.FormatInt(sc.Size, 10) + " signed by the log key have different roots (this seal's, " +
		sc.Root.String() + ", and the one kept in " + kept[0] + ", " + other.Root.String() + "): the log was forked; report this to the office\n"
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
		if code != cli.ExitFailed || !strings.Contains(out, words) || !strings.Contains(out, kept[0]) {
			t.Errorf("offline --lang %s: %d %q, want %q and the kept file", lang, code, out, words)
		}
	}
	want := "two trees of size " + strconv.FormatInt(sc.Size, 10) + " with different roots"
	if b, _ := os.ReadFile(kept[0]); !bytes.Equal(b, split) {
		t.Errorf("verify --offline wrote the kept checkpoint:\n%s", b)
	}
	// Online answers the same.
	o.before = nil
	code, out, errs = verifyAt(t, o.url, "--trust", trust, file)
	if code != cli.ExitFailed || !strings.HasPrefix(out, "invalid: ") || !strings.Contains(out, want) {
		t.Errorf("online, the same split view: %d %q %q", code, out, errs)
	}

	// A kept checkpoint of another size says nothing offline, and stays as it is.
	o.before = func(r *http.Request) { t.Errorf("verify --offline asked the registry: %s %s", r.Method, r.URL) }
	for _, size := range []int64{sc.Size + 1, sc.Size - 1} {
		c := other
		c.Size = size
		b := signedTree(c)
		if err := os.WriteFile(kept[0], b, 0o600); err != nil {
			t.Fatal(err)
		}
		if code, out, errs := verifyAt(t, o.url, "--offline", "--trust", trust, file); code != cli.ExitOK || !strings.HasPrefix(out, "valid: ") {
			t.Errorf("offline, a kept checkpoint of size %d beside a seal of size %d: %d %q %q, want valid", size, sc.Size, code, out, errs)
		}
		if got, _ := os.ReadFile(kept[0]); !bytes.Equal(got, b) {
			t.Errorf("verify --offline replaced the kept checkpoint of size %d", size)
		}
	}
	// The seal's own tree kept: valid.
	if err := os.WriteFile(kept[0], s.Checkpoint, 0o600); err != nil {
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
	if code, out, errs := verifyAt(t, o.url, "--trust", trust, file); code != cli.ExitOK {
		t.Fatalf("online verify: %d %q %q", code, out, errs)
	}
	kept, err := filepath.Glob(filepath.Join(dir, "state", "*"))
	if err != nil || len(kept) != 1 {
		t.Fatalf("kept checkpoints: %v %v", kept, err)
	}
	sb, err := os.ReadFile(file + ".seal")
	if err != nil {
		t.Fatal(err)
	}
	s, err := seal.Parse(sb)
	if err != nil {
		t.Fatal(err)
	}
	v, err := note.NewVerifier(o.reg.TrustRoot().LogKey)
	if err != nil {
		t.Fatal(err)
	}
	sc, _, err := checkpoint.Open(s.Checkpoint, v)
	if err != nil {
		t.Fatal(err)
	}
	other := sc
	other.Root[0] ^= 1
	split, err := note.Sign(&note.Note{Text: string(other.Marshal())}, o.logSigner)
	if err == nil {
		err = os.WriteFile(kept[0], split, 0o600)
	}
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.OpenFile(file, os.O_APPEND|os.O_WRONLY, 0)
	if err == nil {
		_, err = f.WriteString("\n% edited\n")
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		t.Fatal(err)
	}
	o.before = func(r *http.Request) { t.Errorf("verify --offline asked the registry: %s %s", r.Method, r.URL) }
	code, out, errs := verifyAt(t, o.url, "--offline", "--trust", trust, file)
	want := "invalid: two checkpoints of size " + strconv.FormatInt(sc.Size, 10) + " signed by the log key have different roots (this seal's, " +
		sc.Root.String() + ", and the one kept in " + kept[0] + ", " + other.Root.String() + "): the log was forked; report this to the office\n"
	if code != cli.ExitFailed || out != want {
		t.Errorf("offline, an edited file whose seal's tree the kept checkpoint has with another root: %d %q %q, want %q", code, out, errs, want)
	}
	// The seal's own tree kept: the file is what it was, not the sealed letter.
	if err := os.WriteFile(kept[0], s.Checkpoint, 0o600); err != nil {
		t.Fatal(err)
	}
	if code, out, errs := verifyAt(t, o.url, "--offline", "--trust", trust, file); code != cli.ExitFailed || !strings.Contains(out, "this file is not the sealed letter") {
		t.Errorf("offline, the seal's own checkpoint kept: %d %q %q", code, out, errs)
	}
}
