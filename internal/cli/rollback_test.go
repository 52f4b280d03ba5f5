package cli_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/hex"
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
	"strconv"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/checkpoint"
	"github.com/chancery/chancery/internal/cli"
	"github.com/chancery/chancery/internal/dsse"
	"github.com/chancery/chancery/internal/seal"
	"golang.org/x/mod/sumdb/note"
)

// verifyAnswer is what POST /api/v1/verify answers now for file, as sent.
func (o *office) verifyAnswer(file string) []byte { return o.answer(file, false) }

// latestAnswer is what POST /api/v1/verify answers now for file as chancery verify asks,
// with the latest checkpoint and the log's signed status of the letter.
func (o *office) latestAnswer(file string) []byte { return o.answer(file, true) }

func (o *office) answer(file string, latest bool) []byte {
	o.t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		o.t.Fatal(err)
	}
	sum := sha256.Sum256(data)
	req := map[string]any{"digest": "sha256:" + hex.EncodeToString(sum[:])}
	if latest {
		req["latest"] = true
	}
	body, _ := json.Marshal(req)
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

// releasedForReplay releases a letter into a fresh directory dir, with verify's state in it,
// and returns its file, the same bytes without their seal beside them (bare: verify asks the
// registry by digest), and the office's trust root.
func (o *office) releasedForReplay(t *testing.T) (dir, ref, file, bare, trust string) {
	t.Helper()
	dir = t.TempDir()
	t.Setenv("CHANCERY_STATE_DIR", filepath.Join(dir, "state"))
	ref = o.letter("Coordination of force movements", "foreign-government", "# Coordination\n\nSir, ...\n")
	o.ready(ref)
	if code, _, errs := o.run("otto", "release", ref, "--out", dir); code != cli.ExitOK {
		t.Fatalf("release: %s", errs)
	}
	file = filepath.Join(dir, ref+".pdf")
	trust = filepath.Join(dir, "trust.json")
	tb, err := o.reg.TrustRoot().Marshal()
	if err != nil {
		t.Fatal(err)
	}
	bare = filepath.Join(dir, "bare", ref+".pdf")
	data, err := os.ReadFile(file)
	if err == nil {
		err = errors.Join(os.WriteFile(trust, tb, 0o644), os.Mkdir(filepath.Dir(bare), 0o755))
	}
	if err == nil {
		err = os.WriteFile(bare, data, 0o644)
	}
	if err != nil {
		t.Fatal(err)
	}
	return dir, ref, file, bare, trust
}

// releaseSecond releases a second letter into dir and returns its reference: the log grows,
// and the next answer about the first needs a consistency proof.
func (o *office) releaseSecond(dir string) string {
	o.t.Helper()
	ref := o.letter("Second letter", "foreign-government", "# Second\n\nSir, ...\n")
	o.ready(ref)
	if code, _, errs := o.run("otto", "release", ref, "--out", dir); code != cli.ExitOK {
		o.t.Fatalf("release: %s", errs)
	}
	return ref
}

// sealCheckpointOf returns the checkpoint of the seal beside file, opened with o's log key.
func sealCheckpointOf(t *testing.T, o *office, file string) checkpoint.Checkpoint {
	t.Helper()
	_, c := sealedCheckpoint(t, o, file)
	return c
}

// sealedCheckpoint returns the signed checkpoint of the seal beside file, as the seal holds
// it, and that checkpoint opened with o's log key.
func sealedCheckpoint(t *testing.T, o *office, file string) ([]byte, checkpoint.Checkpoint) {
	t.Helper()
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
	c, _, err := checkpoint.Open(s.Checkpoint, v)
	if err != nil {
		t.Fatal(err)
	}
	return s.Checkpoint, c
}

// appendTo appends an edit to file: its seal beside it now seals another file.
func appendTo(t *testing.T, file string) {
	t.Helper()
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
}

// keptAfterVerifying verifies file online at o's registry, which must find it valid, and
// returns the one file in which verify keeps the log's checkpoint (in dir's state).
func (o *office) keptAfterVerifying(t *testing.T, dir, trust, file string) string {
	t.Helper()
	if code, out, errs := verifyAt(t, o.url, "--trust", trust, file); code != cli.ExitOK {
		t.Fatalf("online verify of %s: %d %q %q", file, code, out, errs)
	}
	kept, err := filepath.Glob(filepath.Join(dir, "state", "*"))
	if err != nil || len(kept) != 1 {
		t.Fatalf("kept checkpoints: %v %v", kept, err)
	}
	return kept[0]
}

// keepSigned writes c, signed by o's log key, into the kept checkpoint's file kept, and
// returns what it wrote.
func (o *office) keepSigned(t *testing.T, kept string, c checkpoint.Checkpoint) []byte {
	t.Helper()
	b, err := note.Sign(&note.Note{Text: string(c.Marshal())}, o.logSigner)
	if err == nil {
		err = os.WriteFile(kept, b, 0o600)
	}
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// forkedLine is verify's line for a seal's checkpoint sc beside a kept one, in the file
// kept, of the same size with another root.
func forkedLine(sc, other checkpoint.Checkpoint, kept string) string {
	return "invalid: two checkpoints of size " + strconv.FormatInt(sc.Size, 10) + " signed by the log key have different roots (this seal's, " +
		sc.Root.String() + ", and the one kept in " + kept + ", " + other.Root.String() + "): the log was forked; report this to the office\n"
}

// refuseRequests fails the test on any request o's registry gets: verify --offline sends none.
func (o *office) refuseRequests(t *testing.T) {
	o.before = func(r *http.Request) { t.Errorf("verify --offline asked the registry: %s %s", r.Method, r.URL) }
}

// proxyTo is a reverse proxy to the registry at base.
func proxyTo(t *testing.T, base string) *httputil.ReverseProxy {
	t.Helper()
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	return httputil.NewSingleHostReverseProxy(u)
}

// replayServer answers POST /api/v1/verify with answer, as a registry replaying it would,
// and passes every other request (the log's public endpoints) on to the registry at base.
func replayServer(t *testing.T, base string, answer []byte) *httptest.Server {
	t.Helper()
	proxy := proxyTo(t, base)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/api/v1/verify" {
			w.Header().Set("Content-Type", "application/json")
			w.Write(answer)
			return
		}
		proxy.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// consistencyProof is the registry's public consistency proof from tree size old to size.
func consistencyProof(t *testing.T, base string, old, size int64) json.RawMessage {
	t.Helper()
	resp, err := http.Get(fmt.Sprintf("%s/log/proof/consistency?old=%d&size=%d", base, old, size))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var cons struct {
		Proof json.RawMessage `json:"proof"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&cons); err != nil || resp.StatusCode != 200 {
		t.Fatalf("consistency proof from %d to %d: %d %v", old, size, resp.StatusCode, err)
	}
	return cons.Proof
}

// TestVerifyRefusesRolledBackAnswer is issue 12 item 4: an answer of the registry saved before
// a retraction and replayed afterwards (by a fake registry) must not make verify say valid
// once a newer checkpoint was seen, either in an earlier run or in the seal beside the file.
func TestVerifyRefusesRolledBackAnswer(t *testing.T) {
	o := newOffice(t)
	dir, ref, file, bare, trust := o.releasedForReplay(t)

	old := o.verifyAnswer(file) // valid, proved against the tree before the retraction
	if code, out, errs := verifyAt(t, o.url, "--trust", trust, bare); code != cli.ExitOK || !strings.HasPrefix(out, "valid: ") {
		t.Fatalf("before the retraction: %d %q %q", code, out, errs)
	}
	o.retract(ref, "sent in error")
	// Another letter released since: the next answer needs a consistency proof.
	o.releaseSecond(dir)
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

// TestVerifyRefusesReplayWithFreshLatest: an answer saved before a retraction, replayed with a
// fresh "latest" built from the log's public endpoints (its newest checkpoint, and the
// consistency proof to it from the seal's), must not make verify say valid: only the log's
// signed status of the letter in that tree makes an answer current, and a replayer cannot
// sign one. (Found by audit, twenty-second session: before, verify said valid.)
func TestVerifyRefusesReplayWithFreshLatest(t *testing.T) {
	o := newOffice(t)
	dir, ref, file, bare, trust := o.releasedForReplay(t)

	old := o.verifyAnswer(file) // valid, before the retraction
	o.retract(ref, "sent in error")
	ref2 := o.releaseSecond(dir)
	// The client learns of the retraction: it now holds a checkpoint that includes it.
	if code, out, errs := verifyAt(t, o.url, "--trust", trust, bare); code != cli.ExitFailed || !strings.HasPrefix(out, "retracted: ") {
		t.Fatalf("after the retraction: %d %q %q", code, out, errs)
	}
	var ans map[string]json.RawMessage
	if err := json.Unmarshal(old, &ans); err != nil {
		t.Fatal(err)
	}
	s, err := seal.Parse(ans["seal"])
	if err != nil {
		t.Fatal(err)
	}
	oldSize, err := checkpoint.Size(s.Checkpoint)
	if err != nil {
		t.Fatal(err)
	}
	get := func(path string) []byte {
		resp, err := http.Get(o.url + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 200 {
			t.Fatalf("%s: %d %s", path, resp.StatusCode, b)
		}
		return b
	}
	cp := get("/log/checkpoint")
	newSize, err := checkpoint.Size(cp)
	if err != nil || newSize <= oldSize {
		t.Fatalf("the log did not grow: %d to %d, %v", oldSize, newSize, err)
	}
	// The second letter's answer carries a genuine status, of another release: it does not
	// make the first letter's answer current either.
	var other struct {
		Latest struct {
			Status string `json:"status"`
		} `json:"latest"`
	}
	if b := latestAnswer(t, o.url, filepath.Join(dir, ref2+".pdf")); json.Unmarshal(b, &other) != nil || other.Latest.Status == "" {
		t.Fatalf("the second letter's answer has no signed status: %s", b)
	}
	// Nor does the letter's own, genuine and current: it says retracted.
	var own struct {
		Latest struct {
			Status string `json:"status"`
		} `json:"latest"`
	}
	if b := latestAnswer(t, o.url, file); json.Unmarshal(b, &own) != nil || !strings.Contains(own.Latest.Status, "\nretracted\n") {
		t.Fatalf("the letter's own answer has no signed status of its retraction: %s", b)
	}
	for _, status := range []string{"", other.Latest.Status, own.Latest.Status} {
		latest, _ := json.Marshal(map[string]any{"checkpoint": string(cp), "proof": consistencyProof(t, o.url, oldSize, newSize), "status": status})
		ans["latest"] = latest
		forged, _ := json.Marshal(ans)
		code, out, errs := verifyAt(t, replayServer(t, o.url, forged).URL, "--trust", trust, bare)
		if code != cli.ExitFailed || !strings.HasPrefix(out, "invalid: ") || !strings.Contains(out, "signed status") {
			t.Errorf("a retracted letter's old answer with a fresh latest (status %q): %d %q %q", status, code, out, errs)
		}
	}
	// The registry itself answers with the status, and verify accepts it.
	if code, out, errs := verifyAt(t, o.url, "--trust", trust, bare); code != cli.ExitFailed || !strings.HasPrefix(out, "retracted: ") {
		t.Errorf("the registry's own answer: %d %q %q", code, out, errs)
	}
}

// latestAnswer is what POST /api/v1/verify answers for file with "latest": true.
func latestAnswer(t *testing.T, base, file string) []byte {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(data)
	body, _ := json.Marshal(map[string]any{"digest": "sha256:" + hex.EncodeToString(sum[:]), "latest": true})
	resp, err := http.Post(base+"/api/v1/verify", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("verify answered %d %s", resp.StatusCode, b)
	}
	return b
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
	o.releaseSecond(dir)
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

// TestVerifyRefusesReplayHidingRevocation: an answer saved before a signer key's revocation,
// replayed with a fresh latest and the letter's own genuine, current status (valid: a
// revocation after the release leaves the letter valid), must not pass for current: the
// status counts the revocation, which the old answer leaves out.
func TestVerifyRefusesReplayHidingRevocation(t *testing.T) {
	o := newOffice(t)
	_, _, file, bare, trust := o.releasedForReplay(t)
	old := latestAnswer(t, o.url, file) // valid, its signer's key in force
	if _, err := o.reg.RevokeKey(context.Background(), o.actors["sam"], o.keyID, "laptop lost"); err != nil {
		t.Fatal(err)
	}
	if code, out, errs := verifyAt(t, o.url, "--trust", trust, bare); code != cli.ExitOK || !strings.Contains(out, "sam's key was revoked") {
		t.Fatalf("after the revocation: %d %q %q", code, out, errs)
	}
	var fresh struct {
		Latest struct {
			Checkpoint string `json:"checkpoint"`
			Status     string `json:"status"`
		} `json:"latest"`
	}
	if err := json.Unmarshal(latestAnswer(t, o.url, file), &fresh); err != nil || !strings.Contains(fresh.Latest.Status, "\nvalid\n1\n") {
		t.Fatalf("the current answer has no status of a valid letter with one revocation: %v %q", err, fresh.Latest.Status)
	}
	var ans map[string]json.RawMessage
	if err := json.Unmarshal(old, &ans); err != nil {
		t.Fatal(err)
	}
	var oldLatest struct {
		Checkpoint string `json:"checkpoint"`
	}
	if err := json.Unmarshal(ans["latest"], &oldLatest); err != nil {
		t.Fatal(err)
	}
	oldSize, _ := checkpoint.Size([]byte(oldLatest.Checkpoint))
	newSize, _ := checkpoint.Size([]byte(fresh.Latest.Checkpoint))
	if newSize <= oldSize {
		t.Fatalf("the log did not grow: %d to %d", oldSize, newSize)
	}
	ans["latest"], _ = json.Marshal(map[string]any{"checkpoint": fresh.Latest.Checkpoint, "proof": consistencyProof(t, o.url, oldSize, newSize), "status": fresh.Latest.Status})
	forged, _ := json.Marshal(ans)
	code, out, errs := verifyAt(t, replayServer(t, o.url, forged).URL, "--trust", trust, bare)
	if code != cli.ExitFailed || !strings.HasPrefix(out, "invalid: ") || !strings.Contains(out, "revocations") {
		t.Errorf("an answer from before the revocation with the current latest: %d %q %q", code, out, errs)
	}
}

// TestVerifyAsksAgainAServerBehind: servers of one office behind one address each follow the
// stored log, and one may answer a moment behind another; an office that raises its witness
// quorum serves an older cosigned checkpoint until its witnesses cosign a newer one. An
// answer on an older tree than one seen was called a replay at once ("invalid", audit,
// forty-seventh session); verify asks again, and the server caught up answers valid.
func TestVerifyAsksAgainAServerBehind(t *testing.T) {
	o := newOffice(t)
	dir, _, file, bare, trust := o.releasedForReplay(t)
	behind := o.latestAnswer(file) // the answer on the tree of the release
	o.releaseSecond(dir)
	// This client has seen the newer tree.
	if code, out, errs := verifyAt(t, o.url, "--trust", trust, bare); code != cli.ExitOK || !strings.HasPrefix(out, "valid: ") {
		t.Fatalf("on the newer tree: %d %q %q", code, out, errs)
	}
	for _, c := range []struct {
		name   string
		behind int // answers given from the older tree before the server catches up
		code   int
		prefix string
	}{
		{"behind once", 1, cli.ExitOK, "valid: "},
		{"behind twice", 2, cli.ExitOK, "valid: "},
		{"never caught up", 1 << 30, cli.ExitFailed, "invalid: "},
	} {
		u, err := url.Parse(o.url)
		if err != nil {
			t.Fatal(err)
		}
		proxy := httputil.NewSingleHostReverseProxy(u)
		asked := 0
		lagging := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/api/v1/verify" {
				if asked++; asked <= c.behind {
					w.Header().Set("Content-Type", "application/json")
					w.Write(behind)
					return
				}
			}
			proxy.ServeHTTP(w, r)
		}))
		code, out, errs := verifyAt(t, lagging.URL, "--trust", trust, bare)
		lagging.Close()
		if code != c.code || !strings.HasPrefix(out, c.prefix) {
			t.Errorf("%s: %d %q %q, want %d %q", c.name, code, out, errs, c.code, c.prefix)
		}
		if c.code == cli.ExitFailed && !strings.Contains(out, "older log than it showed before") {
			t.Errorf("%s: %q does not say why", c.name, out)
		}
		if want := min(c.behind+1, 3); asked != want {
			t.Errorf("%s: asked %d times, want %d", c.name, asked, want)
		}
	}
}
