package cli_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/cli"
	"github.com/chancery/chancery/internal/dsse"
	"github.com/chancery/chancery/internal/seal"
	"golang.org/x/mod/sumdb/note"
)

// testCosigner signs C2SP tlog-cosignature/v1 cosignatures, as a witness does.
type testCosigner struct {
	name string
	key  ed25519.PrivateKey
	hash uint32
	vkey string
	// at is the time its cosignatures carry; zero, the time of signing.
	at time.Time
}

func newTestCosigner(t *testing.T, name string) *testCosigner {
	t.Helper()
	_, k, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	pub := append([]byte{0x04}, k.Public().(ed25519.PublicKey)...)
	h := sha256.Sum256(append([]byte(name+"\n"), pub...))
	c := &testCosigner{name: name, key: k, hash: binary.BigEndian.Uint32(h[:4])}
	c.vkey = fmt.Sprintf("%s+%08x+%s", name, c.hash, base64.StdEncoding.EncodeToString(pub))
	return c
}

func (c *testCosigner) Name() string    { return c.name }
func (c *testCosigner) KeyHash() uint32 { return c.hash }
func (c *testCosigner) Sign(msg []byte) ([]byte, error) {
	now := uint64(time.Now().Unix())
	if !c.at.IsZero() {
		now = uint64(c.at.Unix())
	}
	m := fmt.Sprintf("cosignature/v1\ntime %d\n%s", now, msg)
	return append(binary.BigEndian.AppendUint64(nil, now), ed25519.Sign(c.key, []byte(m))...), nil
}

// cosign adds c's cosignature to a checkpoint signed by the log key logKey.
func (c *testCosigner) cosign(t *testing.T, logKey string, signed []byte) []byte {
	t.Helper()
	v, err := note.NewVerifier(logKey)
	if err != nil {
		t.Fatal(err)
	}
	n, err := note.Open(signed, note.VerifierList(v))
	if err != nil {
		t.Fatal(err)
	}
	b, err := note.Sign(n, c)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// witnessedTrust writes in dir a trust root of o's office that requires w's cosignature, and
// returns it with its path.
func witnessedTrust(t *testing.T, o *office, dir string, w *testCosigner) (seal.TrustRoot, string) {
	t.Helper()
	root := *o.reg.TrustRoot()
	root.Witnesses, root.WitnessQuorum = []string{w.vkey}, 1
	tb, err := root.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	trust := filepath.Join(dir, "witnessed-trust.json")
	if err := os.WriteFile(trust, tb, 0o644); err != nil {
		t.Fatal(err)
	}
	return root, trust
}

// cosignedRegistry serves o's registry as it would answer behind a witness: in the answers of
// /api/v1/verify, sealBy cosigns the seal's checkpoint and latestBy the latest checkpoint
// (nil: left as the log key alone signed it); every other request goes to o's registry.
func cosignedRegistry(t *testing.T, o *office, logKey string, sealBy, latestBy *testCosigner) *httptest.Server {
	t.Helper()
	return rewritingRegistry(t, o, func(ans map[string]json.RawMessage) error {
		var latest map[string]json.RawMessage
		if err := json.Unmarshal(ans["latest"], &latest); err != nil || latest["status"] == nil {
			return errors.New("answer without latest")
		}
		s, err := seal.Parse(ans["seal"])
		if err != nil {
			return fmt.Errorf("answer's seal: %w", err)
		}
		s.Checkpoint = sealBy.cosign(t, logKey, s.Checkpoint)
		ans["seal"] = s.Marshal()
		if latestBy != nil {
			var cp string
			json.Unmarshal(latest["checkpoint"], &cp)
			latest["checkpoint"], _ = json.Marshal(string(latestBy.cosign(t, logKey, []byte(cp))))
			ans["latest"], _ = json.Marshal(latest)
		}
		return nil
	})
}

// rewritingRegistry serves o's registry with the answers of /api/v1/verify as rewrite leaves
// them; every other request goes to o's registry.
func rewritingRegistry(t *testing.T, o *office, rewrite func(ans map[string]json.RawMessage) error) *httptest.Server {
	t.Helper()
	u, err := url.Parse(o.url)
	if err != nil {
		t.Fatal(err)
	}
	proxy := httputil.NewSingleHostReverseProxy(u)
	srv := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/api/v1/verify" {
			proxy.ServeHTTP(rw, r)
			return
		}
		body, _ := io.ReadAll(r.Body)
		resp, err := http.Post(o.url+r.URL.Path, r.Header.Get("Content-Type"), bytes.NewReader(body))
		if err != nil {
			t.Error(err)
			return
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		var ans map[string]json.RawMessage
		if err := json.Unmarshal(b, &ans); err != nil {
			t.Errorf("answer %s: %v", b, err)
			return
		}
		if err := rewrite(ans); err != nil {
			t.Errorf("answer %s: %v", b, err)
			return
		}
		rw.Header().Set("Content-Type", "application/json")
		out, _ := json.Marshal(ans)
		rw.Write(out)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// TestVerifyRefusesLatestCheckpointWithoutWitnesses: the latest checkpoint an answer comes
// with must meet the trust root's witness quorum, as a seal's checkpoint must. verify judges
// the answer against it and keeps it for every later answer; one the log key alone signed may
// be a tree that no witness saw, shown to this client only, which leaves out a withdrawal.
// (Found by audit, twenty-fifth session: verify took the log key's signature alone, and said
// valid.)
func TestVerifyRefusesLatestCheckpointWithoutWitnesses(t *testing.T) {
	o := newOffice(t)
	dir, _, _, bare, _ := o.releasedForReplay(t)
	// Another release: the kept seal's checkpoint is now older than the latest.
	o.releaseSecond(dir)
	w := newTestCosigner(t, "witness.cli.example")
	root, trust := witnessedTrust(t, o, dir, w)

	t.Setenv("CHANCERY_STATE_DIR", filepath.Join(dir, "state-unwitnessed"))
	code, out, errs := verifyAt(t, cosignedRegistry(t, o, root.LogKey, w, nil).URL, "--trust", trust, bare)
	if code != cli.ExitFailed || !strings.HasPrefix(out, "invalid: ") || !strings.Contains(out, "latest checkpoint") {
		t.Errorf("a latest checkpoint without the witness quorum: %d %q %q", code, out, errs)
	}
	t.Setenv("CHANCERY_STATE_DIR", filepath.Join(dir, "state-witnessed"))
	if code, out, errs := verifyAt(t, cosignedRegistry(t, o, root.LogKey, w, w).URL, "--trust", trust, bare); code != cli.ExitOK || !strings.HasPrefix(out, "valid: ") {
		t.Errorf("a latest checkpoint the witness cosigned: %d %q %q", code, out, errs)
	}
}

// TestVerifyRefusesValidAnswerWithSealPastTheRetraction: whoever answers in the registry's
// place can prove the letter's seal against the latest checkpoint themselves (the seal is
// given to whoever holds the file, the inclusion proofs and checkpoints are public), and
// answer `valid` with it: no checkpoint newer than the seal's to be rolled back from, so the
// signed status was never asked for, and verify said valid for a retracted letter (found by
// audit, twenty-fifth session). An answer is current only by the log's signed status of the
// letter in its tree, whatever the sizes.
func TestVerifyRefusesValidAnswerWithSealPastTheRetraction(t *testing.T) {
	o := newOffice(t)
	_, ref, file, bare, trust := o.releasedForReplay(t)
	old := o.verifyAnswer(file) // valid, before the retraction
	o.retract(ref, "sent in error")
	if code, out, errs := verifyAt(t, o.url, "--trust", trust, bare); code != cli.ExitFailed || !strings.HasPrefix(out, "retracted: ") {
		t.Fatalf("after the retraction: %d %q %q", code, out, errs)
	}
	// The retracted letter's seal, proved against the checkpoint that holds the retraction:
	// what anyone can build from the letter's seal and the log's public endpoints.
	var fresh map[string]json.RawMessage
	if err := json.Unmarshal(latestAnswer(t, o.url, file), &fresh); err != nil {
		t.Fatal(err)
	}
	var latest struct {
		Checkpoint string `json:"checkpoint"`
	}
	if err := json.Unmarshal(fresh["latest"], &latest); err != nil {
		t.Fatal(err)
	}
	s, err := seal.Parse(fresh["seal"])
	if err != nil {
		t.Fatal(err)
	}
	if string(s.Checkpoint) != latest.Checkpoint {
		t.Fatalf("the retracted letter's seal is not proved against the latest checkpoint")
	}
	var ans map[string]json.RawMessage
	if err := json.Unmarshal(old, &ans); err != nil {
		t.Fatal(err)
	}
	ans["seal"] = fresh["seal"]
	for _, withLatest := range []bool{false, true} {
		delete(ans, "latest")
		if withLatest {
			ans["latest"], _ = json.Marshal(map[string]any{"checkpoint": latest.Checkpoint, "proof": []string{}, "status": ""})
		}
		forged, _ := json.Marshal(ans)
		code, out, errs := verifyAt(t, replayServer(t, o.url, forged).URL, "--trust", trust, bare)
		if code != cli.ExitFailed || !strings.HasPrefix(out, "invalid: ") || !strings.Contains(out, "signed status") {
			t.Errorf("valid with a seal proved past the retraction (latest %v): %d %q %q", withLatest, code, out, errs)
		}
	}
	// The registry's own answer still verifies.
	if code, out, errs := verifyAt(t, o.url, "--trust", trust, bare); code != cli.ExitFailed || !strings.HasPrefix(out, "retracted: ") {
		t.Errorf("the registry's own answer: %d %q %q", code, out, errs)
	}
}

// TestVerifyRefusesARevocationGivenTwice: the log's signed status counts the revocations of
// the letter's signer keys, and verify checked each revocation given, but not that they were
// different: whoever answers in the registry's place could give one key's revocation twice
// in place of another's, and hide that other (a revocation before the release makes the
// letter invalid; after it, the answer names it). (Found by audit, twenty-fifth session.)
func TestVerifyRefusesARevocationGivenTwice(t *testing.T) {
	o := newOffice(t)
	ctx := context.Background()
	dir := t.TempDir()
	t.Setenv("CHANCERY_STATE_DIR", filepath.Join(dir, "state"))
	// sam signs with two keys: both signatures are in the statement, under one name.
	_, key2, _ := ed25519.GenerateKey(rand.Reader)
	keyID2, _, err := o.reg.RegisterKey(ctx, o.actors["sam"], key2.Public().(ed25519.PublicKey))
	if err != nil {
		t.Fatal(err)
	}
	ref := o.letter("Two keys", "foreign-government", "# Two\n\nSir, ...\n")
	o.ready(ref)
	st, err := o.reg.SigningStatement(ctx, o.actors["sam"], ref)
	if err != nil {
		t.Fatal(err)
	}
	if err := o.reg.Sign(ctx, o.actors["sam"], ref, keyID2, st, ed25519.Sign(key2, dsse.PAE(seal.SigningPayloadType, st))); err != nil {
		t.Fatal(err)
	}
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
	if _, err := o.reg.RevokeKey(ctx, o.actors["sam"], o.keyID, "laptop lost"); err != nil {
		t.Fatal(err)
	}
	if _, err := o.reg.RevokeKey(ctx, o.actors["sam"], keyID2, "phone lost"); err != nil {
		t.Fatal(err)
	}
	code, out, errs := verifyAt(t, o.url, "--trust", trust, bare)
	if code != cli.ExitOK || strings.Count(out, "sam's key was revoked") != 2 {
		t.Fatalf("after both revocations: %d %q %q", code, out, errs)
	}
	var ans map[string]json.RawMessage
	if err := json.Unmarshal(latestAnswer(t, o.url, file), &ans); err != nil {
		t.Fatal(err)
	}
	var revs []json.RawMessage
	if err := json.Unmarshal(ans["revocations"], &revs); err != nil || len(revs) != 2 {
		t.Fatalf("the answer's revocations: %v %s", err, ans["revocations"])
	}
	for _, keep := range revs {
		ans["revocations"], _ = json.Marshal([]json.RawMessage{keep, keep})
		forged, _ := json.Marshal(ans)
		code, out, errs := verifyAt(t, replayServer(t, o.url, forged).URL, "--trust", trust, bare)
		if code != cli.ExitFailed || !strings.HasPrefix(out, "invalid: ") || !strings.Contains(out, "twice") {
			t.Errorf("one revocation given twice for the other: %d %q %q", code, out, errs)
		}
	}
}

// TestSealRefreshRefusesAWithdrawnLetter: a refreshed seal meets verify's --max-age again, and
// offline says nothing of withdrawals, so refreshing a retracted letter's seal made a file
// that read valid offline, "as of" a checkpoint holding the retraction (found by audit,
// twenty-fifth session). Refresh asks the registry first and leaves such a seal as it is.
func TestSealRefreshRefusesAWithdrawnLetter(t *testing.T) {
	o := newOffice(t)
	dir, ref, file, _, trust := o.releasedForReplay(t)
	o.retract(ref, "sent in error")
	before, err := os.ReadFile(file + ".seal")
	if err != nil {
		t.Fatal(err)
	}
	code, out, errs := o.run("otto", "seal", "refresh", file+".seal", "--trust", trust)
	if code == cli.ExitOK || !strings.Contains(errs, "the letter was retracted") {
		t.Errorf("refresh of a retracted letter's seal: %d %q %q", code, out, errs)
	}
	if after, _ := os.ReadFile(file + ".seal"); !bytes.Equal(after, before) {
		t.Errorf("the seal of a retracted letter was replaced")
	}
	// A letter that stands is refreshed.
	ref2 := o.releaseSecond(dir)
	file2 := filepath.Join(dir, ref2+".pdf")
	if code, out, errs := o.run("otto", "seal", "refresh", file2+".seal", "--trust", trust); code != cli.ExitOK || !strings.Contains(out, "proved against checkpoint") {
		t.Errorf("refresh of a standing letter's seal: %d %q %q", code, out, errs)
	}
}
