package cli_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/cli"
	"github.com/chancery/chancery/internal/dsse"
)

// verifyAnswer is what POST /api/v1/verify answers now for file, as sent.
func (o *office) verifyAnswer(file string) []byte {
	o.t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		o.t.Fatal(err)
	}
	sum := sha256.Sum256(data)
	body, _ := json.Marshal(map[string]string{"digest": "sha256:" + hex.EncodeToString(sum[:])})
	resp, err := http.Post(o.url+"/api/v1/verify", "application/json", bytes.NewReader(body))
	if err != nil {
		o.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		o.t.Fatalf("verify answered %d %s", resp.StatusCode, b)
	}
	return b
}

// retract retracts a released letter, signed by sam.
func (o *office) retract(ref, reason string) {
	o.t.Helper()
	ctx := context.Background()
	st, pt, op, err := o.reg.WithdrawalStatement(ctx, o.actors["sam"], ref, "", reason)
	if err != nil {
		o.t.Fatal(err)
	}
	if _, err := o.reg.Withdraw(ctx, o.actors["sam"], ref, "", o.keyID, st, op, ed25519.Sign(o.key, dsse.PAE(pt, st))); err != nil {
		o.t.Fatal(err)
	}
}

// verifyAt runs chancery verify against the registry at url.
func verifyAt(t *testing.T, url string, args ...string) (int, string, string) {
	t.Helper()
	t.Setenv("CHANCERY_URL", url)
	t.Setenv("CHANCERY_TOKEN", "")
	var stdout, stderr bytes.Buffer
	code := cli.Main(append([]string{"verify"}, args...), &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

// TestVerifyRefusesRolledBackAnswer is issue 12 item 4: an answer of the registry saved before
// a retraction and replayed afterwards (by a fake registry) must not make verify say valid
// once a newer checkpoint was seen, either in an earlier run or in the seal beside the file.
func TestVerifyRefusesRolledBackAnswer(t *testing.T) {
	o := newOffice(t)
	dir := t.TempDir()
	t.Setenv("CHANCERY_STATE_DIR", filepath.Join(dir, "state"))
	ref := o.letter("Coordination of force movements", "foreign-government", "# Coordination\n\nSir, ...\n")
	o.ready(ref)
	if code, _, errs := o.run("otto", "release", ref, "--out", dir); code != cli.ExitOK {
		t.Fatalf("release: %s", errs)
	}
	file := filepath.Join(dir, ref+".pdf")
	trust := filepath.Join(dir, "trust.json")
	tb, err := o.reg.TrustRoot().Marshal()
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(trust, tb, 0o644)
	// The letter without its seal: verify asks the registry by digest.
	bare := filepath.Join(dir, "bare", ref+".pdf")
	os.Mkdir(filepath.Dir(bare), 0o755)
	data, _ := os.ReadFile(file)
	os.WriteFile(bare, data, 0o644)

	old := o.verifyAnswer(file) // valid, proved against the tree before the retraction
	if code, out, errs := verifyAt(t, o.url, "--trust", trust, bare); code != cli.ExitOK || !strings.HasPrefix(out, "valid: ") {
		t.Fatalf("before the retraction: %d %q %q", code, out, errs)
	}
	o.retract(ref, "sent in error")
	// Another letter released since: the next answer needs a consistency proof.
	ref2 := o.letter("Second letter", "foreign-government", "# Second\n\nSir, ...\n")
	o.ready(ref2)
	if code, _, errs := o.run("otto", "release", ref2, "--out", dir); code != cli.ExitOK {
		t.Fatalf("release: %s", errs)
	}
	code, out, errs := verifyAt(t, o.url, "--trust", trust, bare)
	if code != cli.ExitFailed || !strings.HasPrefix(out, "retracted: ") {
		t.Fatalf("after the retraction: %d %q %q", code, out, errs)
	}
	fresh := o.verifyAnswer(file)

	replay := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write(old)
	}))
	defer replay.Close()

	// The checkpoint kept from the earlier run refuses the replay.
	code, out, errs = verifyAt(t, replay.URL, "--trust", trust, bare)
	if code != cli.ExitFailed || !strings.HasPrefix(out, "invalid: ") || !strings.Contains(out, "older log than it showed before") {
		t.Errorf("replayed answer, with a kept checkpoint: %d %q %q", code, out, errs)
	}
	code, out, _ = verifyAt(t, replay.URL, "--trust", trust, "--json", bare)
	if code != cli.ExitFailed || !strings.Contains(out, `"outcome":"invalid"`) {
		t.Errorf("replayed answer, --json: %d %q", code, out)
	}

	// A fresh client whose seal's checkpoint covers the retraction refuses it too.
	t.Setenv("CHANCERY_STATE_DIR", filepath.Join(dir, "state2"))
	var st struct {
		Seal json.RawMessage `json:"seal"`
	}
	if err := json.Unmarshal(fresh, &st); err != nil || len(st.Seal) == 0 {
		t.Fatalf("fresh answer has no seal: %v %s", err, fresh)
	}
	os.WriteFile(file+".seal", st.Seal, 0o644)
	code, out, errs = verifyAt(t, replay.URL, "--trust", trust, file)
	if code != cli.ExitFailed || !strings.Contains(out, "older log than it showed before") {
		t.Errorf("replayed answer, with a fresher seal: %d %q %q", code, out, errs)
	}
}

// TestVerifyRefusesForkedLog checks the other direction: a newer checkpoint is accepted only
// with a consistency proof from the one kept, and a registry that cannot prove it is refused.
func TestVerifyRefusesForkedLog(t *testing.T) {
	o := newOffice(t)
	dir := t.TempDir()
	t.Setenv("CHANCERY_STATE_DIR", filepath.Join(dir, "state"))
	ref := o.letter("First letter", "foreign-government", "# First\n\nSir, ...\n")
	o.ready(ref)
	if code, _, errs := o.run("otto", "release", ref, "--out", dir); code != cli.ExitOK {
		t.Fatalf("release: %s", errs)
	}
	file := filepath.Join(dir, ref+".pdf")
	trust := filepath.Join(dir, "trust.json")
	tb, _ := o.reg.TrustRoot().Marshal()
	os.WriteFile(trust, tb, 0o644)
	bare := filepath.Join(dir, "bare", ref+".pdf")
	os.Mkdir(filepath.Dir(bare), 0o755)
	data, _ := os.ReadFile(file)
	os.WriteFile(bare, data, 0o644)
	if code, out, errs := verifyAt(t, o.url, "--trust", trust, bare); code != cli.ExitOK {
		t.Fatalf("first verify: %d %q %q", code, out, errs)
	}
	ref2 := o.letter("Second letter", "foreign-government", "# Second\n\nSir, ...\n")
	o.ready(ref2)
	if code, _, errs := o.run("otto", "release", ref2, "--out", dir); code != cli.ExitOK {
		t.Fatalf("release: %s", errs)
	}
	// A registry that answers with the newer tree but a wrong consistency proof.
	bad := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/log/proof/consistency" {
			w.Header().Set("Content-Type", "application/json")
			q := r.URL.Query()
			io.WriteString(w, `{"old":`+q.Get("old")+`,"size":`+q.Get("size")+`,"proof":["`+strings.Repeat("A", 43)+`="]}`)
			return
		}
		resp, err := http.Post(o.url+r.URL.Path, r.Header.Get("Content-Type"), r.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		defer resp.Body.Close()
		w.WriteHeader(resp.StatusCode)
		io.Copy(w, resp.Body)
	}))
	defer bad.Close()
	code, out, errs := verifyAt(t, bad.URL, "--trust", trust, bare)
	if code != cli.ExitFailed || !strings.Contains(out, "not an extension of the log it showed before") {
		t.Errorf("newer tree with a bad consistency proof: %d %q %q", code, out, errs)
	}
	// The real registry proves it, and the newer checkpoint is kept.
	if code, out, errs := verifyAt(t, o.url, "--trust", trust, bare); code != cli.ExitOK {
		t.Errorf("newer tree with a good consistency proof: %d %q %q", code, out, errs)
	}
}
