package cli_test

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"io"
	"io/fs"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/cli"
	"github.com/chancery/chancery/internal/seal"
	"github.com/chancery/chancery/internal/store"
	"github.com/chancery/chancery/internal/testbin"
)

// serve --demo binds its port first: a busy port fails at once, before any demo is built, and
// leaves no data directory behind.
func TestServeBusyPort(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	data := t.TempDir() + "/reg"
	var stdout, stderr bytes.Buffer
	code := cli.Main([]string{"serve", "--demo", "--data", data, "--listen", ln.Addr().String()}, &stdout, &stderr)
	if code != cli.ExitError || !strings.Contains(stderr.String(), "address already in use") || !strings.Contains(stderr.String(), "chancery: hint: ") {
		t.Fatalf("exit %d, stderr:\n%s", code, stderr.String())
	}
	if strings.Contains(stderr.String(), "initialized") || strings.Contains(stderr.String(), "demo office") {
		t.Errorf("the demo was built before the port was bound:\n%s", stderr.String())
	}
}

// serve loads the letter fonts as it starts, before any letter asks for them: the first
// letter created after a start would otherwise wait for them (a third of a second here).
func TestServeLoadsFonts(t *testing.T) {
	if out := serveLogs(t, "letter fonts loaded", "--data", t.TempDir()+"/reg", "--listen", "127.0.0.1:0"); out != "" {
		t.Fatalf("serve exited without loading the letter fonts; it wrote:\n%s", out)
	}
}

// serveLogs runs chancery serve with args until it logs a line holding want, and returns ""
// then, or what it wrote if it exited first; it fails the test after 60 s.
func serveLogs(t *testing.T, want string, args ...string) string {
	t.Helper()
	bin := testbin.Shared(t, "./cmd/chancery")
	cmd := exec.Command(bin, append([]string{"serve"}, args...)...)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		cmd.Process.Kill()
		cmd.Wait()
	}()
	// The reader sends nil when it sees the line, and what it read when serve's output ends.
	found := make(chan *string, 1)
	go func() {
		var seen strings.Builder
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			seen.WriteString(sc.Text() + "\n")
			if strings.Contains(sc.Text(), want) {
				found <- nil
				return
			}
		}
		out := seen.String()
		found <- &out
	}()
	select {
	case out := <-found:
		if out != nil {
			return *out
		}
		return ""
	case <-time.After(60 * time.Second):
		t.Fatalf("serve did not log %q within 60s", want)
		return ""
	}
}

// TestServeWithoutMailSaysWhatWaits: withdrawal notices are queued whatever the server runs
// with, and a server started without --smtp runs no worker: the notices of an office that
// sent letters once waited without a word (audit, forty-eighth session). It warns at its
// start when messages wait.
func TestServeWithoutMailSaysWhatWaits(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "office")
	o := openReleasingOffice(t, dir, "")
	rel, err := o.release()
	if err != nil {
		t.Fatal(err)
	}
	err = o.st.DB.Update(ctx, func(tx *store.Tx) error {
		rec := &store.Recipient{Name: "ministry", Emails: []string{"registry@ministry.example"}, CreatedAt: time.Now()}
		if err := tx.AddRecipient(ctx, rec); err != nil {
			return err
		}
		l, err := tx.LetterByRef(ctx, rel.Reference)
		if err != nil {
			return err
		}
		_, err = tx.Enqueue(ctx, &store.OutboxMessage{Key: "notice/1/0/registry@ministry.example", MessageID: "notice.1@backup.example",
			LetterID: l.ID, RecipientID: rec.ID, Email: rec.Emails[0], Kind: store.KindNotice, NextAt: time.Now(), CreatedAt: time.Now()})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	o.st.Close()
	if out := serveLogs(t, "messages wait in the outbox", "--data", dir, "--listen", "127.0.0.1:0"); out != "" {
		t.Fatalf("serve exited without saying that messages wait; it wrote:\n%s", out)
	}
}

// TestServeWithoutMailPostsWebhooks: a server without --smtp ran no delivery worker, so no
// webhook event was posted (audit, forty-eighth session); it now runs one for webhooks.
func TestServeWithoutMailPostsWebhooks(t *testing.T) {
	if out := serveLogs(t, "dispatch: posting webhook events; no mail", "--data", t.TempDir()+"/reg", "--listen", "127.0.0.1:0"); out != "" {
		t.Fatalf("serve without --smtp posts no webhook events; it wrote:\n%s", out)
	}
}

// TestServeRefusesTheDemoOnAPublicAddress: the demo's members (a signer, a release officer)
// sign in with a password printed in the source and on the terminal, so a demo served on an
// address others reach was an office anyone could act in, without a word said. It is refused
// before anything is built; on loopback it still starts (TestServeBusyPort binds 127.0.0.1).
func TestServeRefusesTheDemoOnAPublicAddress(t *testing.T) {
	for _, listen := range []string{"0.0.0.0:0", ":0"} {
		data := t.TempDir() + "/reg"
		var stdout, stderr bytes.Buffer
		done := make(chan int, 1)
		go func() {
			done <- cli.Main([]string{"serve", "--demo", "--data", data, "--listen", listen, "--url", "http://demo.example:8080"}, &stdout, &stderr)
		}()
		var code int
		select {
		case code = <-done:
		case <-time.After(30 * time.Second):
			t.Fatalf("--listen %s: the demo is being served:\n%s", listen, stderr.String())
		}
		if code != cli.ExitError || !strings.Contains(stderr.String(), "refusing to serve the demo") || !strings.Contains(stderr.String(), "chancery: hint: ") {
			t.Errorf("--listen %s: exit %d, stderr:\n%s", listen, code, stderr.String())
		}
		if strings.Contains(stderr.String(), "initialized") || strings.Contains(stderr.String(), "demo office") {
			t.Errorf("--listen %s: the demo was built:\n%s", listen, stderr.String())
		}
	}
}

// TestDemoFilesAreMadeNew: serve --demo wrote its files, the members' tokens among them,
// with os.WriteFile, following a name already in the data directory: a tokens.env planted
// there as a link sent the tokens to the link's target. The demo's directory and files are
// now made new, and a planted name stops the demo with an error, nothing written through it.
func TestDemoFilesAreMadeNew(t *testing.T) {
	bin := testbin.Shared(t, "./cmd/chancery")
	tmp := t.TempDir()
	data, target := filepath.Join(tmp, "reg"), filepath.Join(tmp, "elsewhere")
	if err := os.MkdirAll(filepath.Join(data, "demo"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(target, filepath.Join(data, "demo", "tokens.env")); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, bin, "serve", "--demo", "--data", data, "--listen", "127.0.0.1:0").CombinedOutput()
	if ctx.Err() != nil {
		t.Errorf("serve --demo served over a planted demo directory:\n%s", out)
	} else if err == nil || !strings.Contains(string(out), "chancery: error: demo:") {
		t.Errorf("serve --demo: %v, want an error saying the demo failed:\n%s", err, out)
	}
	if _, err := os.Lstat(target); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the demo wrote through the planted link: %v", err)
	}
}

// TestDemoPrintsTheTrustRootFingerprint: serve --demo writes demo/trust.json and prints
// commands that use it; it now prints its fingerprint in the same block, as 'chancery trust
// export' does, for the reader to see what is compared (fifty-seventh session's not-fixed
// list, the lead's decision: it printed none).
func TestDemoPrintsTheTrustRootFingerprint(t *testing.T) {
	bin := testbin.Shared(t, "./cmd/chancery")
	data := filepath.Join(t.TempDir(), "reg")
	cmd := exec.Command(bin, "serve", "--demo", "--data", data, "--listen", "127.0.0.1:0")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		cmd.Process.Kill()
		cmd.Wait()
	}()
	// The reader sends the block's lines once it has read its last, or what it read when
	// serve's output ends.
	block := make(chan string, 1)
	go func() {
		var seen strings.Builder
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			seen.WriteString(sc.Text() + "\n")
			if strings.Contains(sc.Text(), "the demo members' tokens are in") {
				break
			}
		}
		block <- seen.String()
		io.Copy(io.Discard, stderr)
	}()
	var out string
	select {
	case out = <-block:
	case <-time.After(60 * time.Second):
		t.Fatal("serve --demo printed no demo block within 60s")
	}
	trust := filepath.Join(data, "demo", "trust.json")
	b, err := os.ReadFile(trust)
	if err != nil {
		t.Fatalf("%v; serve wrote:\n%s", err, out)
	}
	want := "chancery: trust root fingerprint (SHA-256 of " + trust + "): " + seal.TrustRootFingerprint(b) + "\n"
	if !strings.Contains(out, "--trust "+trust) || !strings.Contains(out, want) {
		t.Errorf("serve --demo printed:\n%s\nwant the line %q", out, want)
	}
}
