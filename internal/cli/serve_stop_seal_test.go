package cli_test

import (
	"bufio"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/datadir"
	"github.com/chancery/chancery/internal/dsse"
	officepkg "github.com/chancery/chancery/internal/office"
	"github.com/chancery/chancery/internal/registry"
	"github.com/chancery/chancery/internal/seal"
	"github.com/chancery/chancery/internal/testbin"
	"github.com/chancery/chancery/internal/witness"
)

// TestServeStoppedDuringASealWaitAnswersTheRelease: a server stopped (SIGTERM, systemctl
// stop) while a release waits for its seal finishes that request, as docs/operations.md
// says, even when --seal-wait is longer than the ten seconds serve gave its requests: the
// release had committed, and its client got a closed connection ("registry unreachable").
func TestServeStoppedDuringASealWaitAnswersTheRelease(t *testing.T) {
	// A witness that is down: the release's seal waits its whole wait.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	down := "http://" + ln.Addr().String()
	ln.Close()
	wk, err := witness.LoadKey(t.TempDir(), "witness.down.example")
	if err != nil {
		t.Fatal(err)
	}
	status, body := releaseStoppedDuringSealWait(t, func(*datadir.Dir) (string, string, func()) { return down, wk.VerifierKey(), nil }, 2*time.Second)
	if status != http.StatusCreated || !strings.Contains(body, `"seal_pending"`) {
		t.Fatalf("release: %d %s, want 201 with the seal pending", status, body)
	}
}

// TestServeStoppedWhileAWitnessCosignsSealsTheRelease: a server stopped while a release
// waits for a witness that is cosigning it keeps its witness client until the requests under
// way are answered, so the release gets its seal; the client stopped with the signal, and
// the release waited its whole seal wait for a cosignature nobody asked for any more, then
// answered "seal pending".
func TestServeStoppedWhileAWitnessCosignsSealsTheRelease(t *testing.T) {
	ctx := context.Background()
	var slow atomic.Bool
	// A witness that, once the log as served is cosigned, takes 3 s for each checkpoint.
	slowWitness := func(d *datadir.Dir) (string, string, func()) {
		wdir := t.TempDir()
		wst, err := witness.OpenStore(ctx, wdir)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { wst.Close() })
		wk, err := witness.LoadKey(wdir, "witness.slow.example")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := wst.AddLog(ctx, d.Settings.Origin, d.VerifierKey()); err != nil {
			t.Fatal(err)
		}
		ws := witness.NewServer(wst, wk, slog.New(slog.NewTextHandler(io.Discard, nil)))
		wsrv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if slow.Load() {
				time.Sleep(3 * time.Second)
			}
			ws.ServeHTTP(w, r)
		}))
		t.Cleanup(wsrv.Close)
		return wsrv.URL, wk.VerifierKey(), func() {
			time.Sleep(3 * time.Second)
			slow.Store(true)
		}
	}
	status, body := releaseStoppedDuringSealWait(t, slowWitness, time.Second)
	if status != http.StatusCreated || strings.Contains(body, `"seal_pending"`) {
		t.Fatalf("release: %d %.300s, want 201 with its seal", status, body)
	}
}

// releaseStoppedDuringSealWait makes an office with a letter ready to release and a witness
// required by a quorum of one (witnessAt gives its URL and key for the office's directory,
// and what to do once the server serves, if anything), serves it with --seal-wait 14s, asks
// for the release, stops the server with SIGTERM after, and returns the release's answer.
func releaseStoppedDuringSealWait(t *testing.T, witnessAt func(*datadir.Dir) (url, vkey string, served func()), after time.Duration) (int, string) {
	t.Helper()
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "office")
	_, tok, err := officepkg.Init(ctx, dir, datadir.Settings{Office: "Stop Office", Prefix: "STP", Origin: "stop.example/log", URL: "https://stop.example"},
		"admin", nil, officepkg.Options{})
	if err != nil {
		t.Fatal(err)
	}
	d, err := datadir.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := d.Finish(); err != nil {
		t.Fatal(err)
	}
	st, err := officepkg.Open(ctx, d)
	if err != nil {
		t.Fatal(err)
	}
	reg := st.Registry
	actor := func(tok string) registry.Actor {
		m, err := reg.Authenticate(ctx, tok)
		if err != nil {
			t.Fatal(err)
		}
		return registry.Actor{Member: m}
	}
	admin := actor(tok)
	tokens := map[string]string{}
	for name, role := range map[string]string{"dana": registry.RoleDrafter, "rita": registry.RoleReviewer, "sam": registry.RoleSigner, "otto": registry.RoleRelease} {
		if tokens[name], err = reg.AddMember(ctx, admin, name, []string{role}); err != nil {
			t.Fatal(err)
		}
	}
	_, key, _ := ed25519.GenerateKey(rand.Reader)
	keyID, _, err := reg.RegisterKey(ctx, actor(tokens["sam"]), key.Public().(ed25519.PublicKey))
	if err != nil {
		t.Fatal(err)
	}
	ref, err := reg.CreateLetter(ctx, actor(tokens["dana"]), registry.NewLetter{Subject: "Stop", Class: "internal",
		Addressees: []string{"Ministry"}, File: registry.Upload{Name: "l.txt", Data: []byte("Dear Minister, a letter.")}})
	if err != nil {
		t.Fatal(err)
	}
	if err := reg.Approve(ctx, actor(tokens["rita"]), ref, "", ""); err != nil {
		t.Fatal(err)
	}
	stmt, err := reg.SigningStatement(ctx, actor(tokens["sam"]), ref)
	if err != nil {
		t.Fatal(err)
	}
	if err := reg.Sign(ctx, actor(tokens["sam"]), ref, keyID, stmt, ed25519.Sign(key, dsse.PAE(seal.SigningPayloadType, stmt))); err != nil {
		t.Fatal(err)
	}
	wurl, vkey, served := witnessAt(d)
	if err := reg.AddWitness(ctx, admin, "witness", wurl, vkey); err != nil {
		t.Fatal(err)
	}
	if err := reg.SetWitnessQuorum(ctx, admin, 1); err != nil {
		t.Fatal(err)
	}
	st.Close()

	bin := testbin.Shared(t, "./cmd/chancery")
	cmd := exec.Command(bin, "serve", "--data", dir, "--listen", "127.0.0.1:0", "--seal-wait", "14s")
	stdout, err := cmd.StdoutPipe()
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
	var url string
	sc := bufio.NewScanner(stdout)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "chancery: serving "); ok {
			url = strings.Fields(rest)[0]
			break
		}
	}
	if url == "" {
		t.Fatal("serve did not start")
	}
	go io.Copy(io.Discard, stdout)
	if served != nil {
		served()
	}

	type answer struct {
		status int
		body   string
		err    error
	}
	done := make(chan answer, 1)
	go func() {
		req, _ := http.NewRequest("POST", url+"/api/v1/letters/"+ref+"/release", strings.NewReader(`{}`))
		req.Header.Set("Authorization", "Bearer "+tokens["otto"])
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			done <- answer{err: err}
			return
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		done <- answer{resp.StatusCode, string(b), err}
	}()
	time.Sleep(after) // the release has committed and waits for its seal
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case a := <-done:
		if a.err != nil {
			t.Fatalf("the server stopped under a release waiting for its seal: %v", a.err)
		}
		return a.status, a.body
	case <-time.After(40 * time.Second):
		t.Fatal("no answer to the release within 40 s")
	}
	return 0, ""
}
