package cli_test

import (
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/dsse"
	"github.com/chancery/chancery/internal/registry"
	"github.com/chancery/chancery/internal/seal"
	"github.com/chancery/chancery/internal/store/storetest"
	"github.com/chancery/chancery/internal/syncbuf"
	"github.com/chancery/chancery/internal/testbin"
	"github.com/chancery/chancery/internal/witness"
)

// startLitewitness runs filippo.io/torchwood's litewitness on a free loopback port, with a key
// of its own in an ssh-agent and a new database that knows the log of origin and verifier key
// logKey (the statements 'witnessctl add-log' and 'add-key' run), and returns its URL and
// verifier key. Both are stopped when the test ends.
func startLitewitness(t *testing.T, origin, logKey string) (url, vkey string) {
	t.Helper()
	bin := lookTool(t, "litewitness")
	agent, keygen, add := lookTool(t, "ssh-agent"), lookTool(t, "ssh-keygen"), lookTool(t, "ssh-add")
	dir, err := os.MkdirTemp("", "lw") // short: the agent's socket path must fit in a sockaddr_un
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	sock, db, key := filepath.Join(dir, "agent.sock"), filepath.Join(dir, "lw.db"), filepath.Join(dir, "key")
	if out, err := exec.Command(keygen, "-q", "-t", "ed25519", "-N", "", "-f", key).CombinedOutput(); err != nil {
		t.Fatalf("ssh-keygen: %v\n%s", err, out)
	}
	out, err := exec.Command(keygen, "-l", "-f", key+".pub").Output()
	if err != nil {
		t.Fatal(err)
	}
	fpr := strings.Fields(string(out))[1]
	ag := exec.Command(agent, "-D", "-a", sock)
	if err := ag.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ag.Process.Kill(); ag.Wait() })
	waitUntil(t, func() bool { _, err := os.Stat(sock); return err == nil })
	addCmd := exec.Command(add, key)
	addCmd.Env = append(os.Environ(), "SSH_AUTH_SOCK="+sock)
	if out, err := addCmd.CombinedOutput(); err != nil {
		t.Fatalf("ssh-add: %v\n%s", err, out)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	var stderr syncbuf.Buffer
	lw := exec.Command(bin, "-name", "witness.test.example/lw", "-db", db, "-ssh-agent", sock, "-key", fpr, "-listen", addr)
	lw.Stderr = &stderr
	if err := lw.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { lw.Process.Kill(); lw.Wait() })
	waitUntil(t, func() bool {
		c, err := net.Dial("tcp", addr)
		if err == nil {
			c.Close()
		}
		return err == nil
	})
	m := regexp.MustCompile(`vkey=(\S+)`).FindStringSubmatch(stderr.String())
	if m == nil {
		t.Fatalf("litewitness printed no verifier key:\n%s", stderr.String())
	}
	sdb, err := sql.Open("sqlite", "file:"+db+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	defer sdb.Close()
	empty := sha256.Sum256(nil)
	if _, err := sdb.Exec("INSERT INTO log (origin, tree_size, tree_hash) VALUES (?, 0, ?)", origin, base64.StdEncoding.EncodeToString(empty[:])); err != nil {
		t.Fatalf("add-log: %v", err)
	}
	if _, err := sdb.Exec("INSERT INTO key (origin, key) VALUES (?, ?)", origin, logKey); err != nil {
		t.Fatalf("add-key: %v", err)
	}
	return "http://" + addr, m[1]
}

// lookTool finds a program on PATH or in the Go bin directory, skipping the test without it
// (failing under CHANCERY_REQUIRE_TOOLS=1).
func lookTool(t *testing.T, name string) string {
	t.Helper()
	if p, err := exec.LookPath(name); err == nil {
		return p
	}
	if home, err := os.UserHomeDir(); err == nil {
		if p := filepath.Join(home, "go", "bin", name); fileExists(p) {
			return p
		}
	}
	if os.Getenv("CHANCERY_REQUIRE_TOOLS") == "1" {
		t.Fatalf("%s is required (CHANCERY_REQUIRE_TOOLS=1)", name)
	}
	t.Skipf("no %s: skipping", name)
	return ""
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// waitUntil polls cond for up to a minute.
func waitUntil(t *testing.T, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(time.Minute); !cond(); time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("gave up waiting")
		}
	}
}

// TestStoppedServerAppendsNothingToALogItsWitnessOutgrew: two servers of one PostgreSQL
// office; B is stopped, A publishes more and the office's witness cosigns it; the database is
// restored from a dump taken between B's record and what A published. B's record is extended
// by the dump, so it passed its check and signed checkpoints of sizes A had already published,
// with other roots (a fork). It now asks the witness before appending, and appends nothing;
// on the database that holds what A published, B is ready without a warning.
func TestStoppedServerAppendsNothingToALogItsWitnessOutgrew(t *testing.T) {
	src := storetest.PostgresURL(t)
	dump, restore := pgTool(t, "pg_dump"), pgTool(t, "pg_restore")
	ctx := context.Background()
	tmp := t.TempDir()
	dirA, dirB := filepath.Join(tmp, "a"), filepath.Join(tmp, "b")
	o := openReleasingOffice(t, dirA, src)
	lwURL, lwKey := startLitewitness(t, o.st.Dir.Settings.Origin, o.st.Dir.VerifierKey())
	if err := o.st.Registry.AddWitness(ctx, o.admin, "lw", lwURL, lwKey); err != nil {
		t.Fatal(err)
	}
	if _, err := o.release(); err != nil {
		t.Fatal(err)
	}
	// B's data directory: a copy of A's, whose server stops here.
	if out, err := exec.Command("cp", "-a", dirA, dirB).CombinedOutput(); err != nil {
		t.Fatalf("cp: %v\n%s", err, out)
	}
	if _, err := o.release(); err != nil {
		t.Fatal(err)
	}
	// A letter signed and ready for release, and a release officer's token, both in the dump.
	tok, err := o.st.Registry.AddMember(ctx, o.admin, "rhea", []string{registry.RoleRelease})
	if err != nil {
		t.Fatal(err)
	}
	ref, err := o.st.Registry.CreateLetter(ctx, o.drafter, registry.NewLetter{Subject: "Ready", Class: "internal",
		Addressees: []string{"Ministry"}, File: registry.Upload{Name: "letter.bin", MediaType: "application/octet-stream",
			Data: []byte("Dear Minister,\n\nready for release.\n")}})
	if err != nil {
		t.Fatal(err)
	}
	if err := o.st.Registry.Approve(ctx, o.reviewer, ref, "", "ok"); err != nil {
		t.Fatal(err)
	}
	stmt, err := o.st.Registry.SigningStatement(ctx, o.signer, ref)
	if err != nil {
		t.Fatal(err)
	}
	if err := o.st.Registry.Sign(ctx, o.signer, ref, o.keyID, stmt, ed25519.Sign(o.key, dsse.PAE(seal.SigningPayloadType, stmt))); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(tmp, "office.dump")
	if out, err := exec.Command(dump, "--format=custom", "--file", file, "--dbname", src).CombinedOutput(); err != nil {
		t.Fatalf("pg_dump: %v\n%s", err, out)
	}
	dumped := o.st.Log.Head()
	// A goes on, and the witness cosigns what it published.
	for range 2 {
		if _, err := o.release(); err != nil {
			t.Fatal(err)
		}
	}
	published := o.st.Log.Head()
	c, err := witness.NewClient("lw", lwURL, lwKey, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.AddCheckpoint(ctx, 0, nil, published.Checkpoint); err != nil {
		t.Fatal(err)
	}
	if err := o.st.Dir.SetPublished(published.Checkpoint); err != nil {
		t.Fatal(err)
	}
	dst := storetest.PostgresURL(t)
	if out, err := exec.Command(restore, "--no-owner", "--exit-on-error", "--dbname", dst, file).CombinedOutput(); err != nil {
		t.Fatalf("pg_restore: %v\n%s", err, out)
	}

	bin := testbin.Shared(t, "./cmd/chancery")
	// At once, before the witness client's own requests could have found the witness ahead
	// (it waits 5 seconds for a log that may be a moment behind), B appends nothing.
	u := startServe(t, bin, "--data", dirB, "--database", dst, "--listen", "127.0.0.1:0")
	status, body := get(t, u+"/readyz")
	if !strings.Contains(body, "witness lw") || !strings.Contains(body, "appends nothing") {
		t.Fatalf("B on the dump of %d entries, the witness at %d: /readyz %d %q, want it to say that it appends nothing", dumped.Size, published.Size, status, body)
	}
	// The release would take index 3, which A published for another letter.
	req, err := http.NewRequest("POST", u+"/api/v1/letters/"+ref+"/release", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+tok)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	answer, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusServiceUnavailable || !strings.Contains(string(answer), "this server appends nothing: witness lw") {
		t.Fatalf("release on B: %d %s, want 503 saying that it appends nothing", resp.StatusCode, answer)
	}
	// On the database that holds what A published, B is merely behind, and appends.
	u = startServe(t, bin, "--data", dirB, "--database", src, "--listen", "127.0.0.1:0")
	if status, body := get(t, u+"/readyz"); status != http.StatusOK || strings.Contains(body, "warning") {
		t.Fatalf("B on the office's own database: /readyz %d %q", status, body)
	}
}

// get returns the status and body of a GET of u.
func get(t *testing.T, u string) (int, string) {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(b)
}
