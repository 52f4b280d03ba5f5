package witness

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"errors"
	"go/build"
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

	"golang.org/x/mod/sumdb/tlog"

	"github.com/chancery/chancery/internal/syncbuf"
)

// The interop tests run filippo.io/torchwood v0.6.1's litewitness as a real process, with its
// key in an ssh-agent of their own, as its README describes. scripts/test installs it.
//
// witnessctl (same module) cannot be built here: its sigsum.org/sigsum-go dependency is not
// served by the module proxy. The tests configure litewitness's database with the two
// statements that 'witnessctl add-log' and 'witnessctl add-key' run.

// tool finds a program the interop tests need: on PATH, or in the Go bin directory where
// 'go install' puts it. Missing, it fails the test when CHANCERY_REQUIRE_TOOLS=1 (the test
// script sets it), and skips it otherwise.
func tool(t testing.TB, name string) string {
	t.Helper()
	if p, err := exec.LookPath(name); err == nil {
		return p
	}
	for _, dir := range []string{os.Getenv("GOBIN"), filepath.Join(build.Default.GOPATH, "bin")} {
		if p := filepath.Join(dir, name); dir != "" {
			if _, err := os.Stat(p); err == nil {
				return p
			}
		}
	}
	if os.Getenv("CHANCERY_REQUIRE_TOOLS") == "1" {
		t.Fatalf("%s is required (CHANCERY_REQUIRE_TOOLS=1): not on PATH nor in the Go bin directory", name)
	}
	t.Skipf("no %s: skipping the litewitness interop test", name)
	return ""
}

// litewitness is a running litewitness process and the ssh-agent holding its key.
type litewitness struct {
	t      testing.TB
	bin    string
	dir    string
	sock   string
	fpr    string // the key's SSH fingerprint, litewitness's -key
	db     string
	addr   string
	url    string
	vkey   string
	cmd    *exec.Cmd
	exited chan struct{} // closed once cmd has exited
	stderr *syncbuf.Buffer
}

const litewitnessName = "witness.test.example/litewitness"

// startLitewitness starts an ssh-agent with a new Ed25519 key and a litewitness using it, on a
// free loopback port with a new database, knowing the logs whose verifier keys are given.
func startLitewitness(t testing.TB, logKeys ...string) *litewitness {
	t.Helper()
	bin := tool(t, "litewitness")
	agent, keygen, add := tool(t, "ssh-agent"), tool(t, "ssh-keygen"), tool(t, "ssh-add")
	// A short directory: the agent's socket path must fit in a sockaddr_un.
	dir, err := os.MkdirTemp("", "lw")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	w := &litewitness{t: t, bin: bin, dir: dir, sock: filepath.Join(dir, "agent.sock"), db: filepath.Join(dir, "litewitness.db")}

	keyFile := filepath.Join(dir, "witness_key")
	run(t, exec.Command(keygen, "-q", "-t", "ed25519", "-N", "", "-C", "litewitness-test", "-f", keyFile))
	fields := strings.Fields(run(t, exec.Command(keygen, "-l", "-f", keyFile+".pub")))
	if len(fields) < 2 || !strings.HasPrefix(fields[1], "SHA256:") {
		t.Fatalf("ssh-keygen -l: %q", fields)
	}
	w.fpr = fields[1]

	ag := exec.Command(agent, "-D", "-a", w.sock)
	if err := ag.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ag.Process.Kill(); ag.Wait() })
	// The socket's file exists from bind(2), connections are taken from listen(2): a loaded
	// machine ran ssh-add between the two ("Connection refused").
	waitFor(t, "ssh-agent's socket", func() bool {
		c, err := net.Dial("unix", w.sock)
		if err != nil {
			return false
		}
		c.Close()
		return true
	})
	addCmd := exec.Command(add, keyFile)
	addCmd.Env = append(os.Environ(), "SSH_AUTH_SOCK="+w.sock)
	run(t, addCmd)

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	w.addr = ln.Addr().String()
	ln.Close()
	w.url = "http://" + w.addr
	w.start()
	t.Cleanup(w.stop)
	m := regexp.MustCompile(`vkey=(\S+)`).FindStringSubmatch(w.stderr.String())
	if m == nil {
		t.Fatalf("litewitness printed no verifier key:\n%s", w.stderr)
	}
	w.vkey = m[1]
	for _, k := range logKeys {
		w.addLog(testOrigin, k)
	}
	return w
}

// start runs litewitness and waits until it accepts connections.
func (w *litewitness) start() {
	w.t.Helper()
	w.stderr = &syncbuf.Buffer{}
	w.cmd = exec.Command(w.bin, "-name", litewitnessName, "-db", w.db, "-ssh-agent", w.sock, "-key", w.fpr, "-listen", w.addr)
	w.cmd.Stderr = w.stderr
	if err := w.cmd.Start(); err != nil {
		w.t.Fatal(err)
	}
	w.exited = make(chan struct{})
	go func(cmd *exec.Cmd, exited chan struct{}) { cmd.Wait(); close(exited) }(w.cmd, w.exited)
	waitFor(w.t, "litewitness to listen", func() bool {
		select {
		case <-w.exited:
			w.t.Fatalf("litewitness exited:\n%s", w.stderr)
		default:
		}
		c, err := net.Dial("tcp", w.addr)
		if err == nil {
			c.Close()
		}
		return err == nil
	})
}

// stop stops litewitness, as a witness that goes down, and waits until it has exited.
func (w *litewitness) stop() {
	select {
	case <-w.exited:
		return
	default:
	}
	w.cmd.Process.Signal(os.Interrupt)
	select {
	case <-w.exited:
	case <-time.After(time.Minute):
		w.cmd.Process.Kill()
		<-w.exited
	}
}

// addLog does what 'witnessctl add-log' then 'witnessctl add-key' do, in the database
// litewitness is running on.
func (w *litewitness) addLog(origin, vkey string) {
	w.t.Helper()
	db, err := sql.Open("sqlite", "file:"+w.db+"?_pragma=busy_timeout(10000)")
	if err != nil {
		w.t.Fatal(err)
	}
	defer db.Close()
	empty := sha256.Sum256(nil)
	if _, err := db.Exec("INSERT INTO log (origin, tree_size, tree_hash) VALUES (?, 0, ?)", origin, base64.StdEncoding.EncodeToString(empty[:])); err != nil {
		w.t.Fatalf("add-log: %v", err)
	}
	if _, err := db.Exec("INSERT INTO key (origin, key) VALUES (?, ?)", origin, vkey); err != nil {
		w.t.Fatalf("add-key: %v", err)
	}
}

func run(t testing.TB, cmd *exec.Cmd) string {
	t.Helper()
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s: %v\n%s", strings.Join(cmd.Args, " "), err, out)
	}
	return string(out)
}

// waitFor polls cond until it holds, failing the test after a minute: the processes it
// waits for start in well under a second.
func waitFor(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Chancery's client gets cosignatures from litewitness for a real Chancery log, learns its
// size from a 409, and is refused a forked checkpoint.
func TestLitewitnessCosignsChanceryLog(t *testing.T) {
	ctx := context.Background()
	k := newLogKey(t)
	lg := newTestLog(t, k, "main")
	lw := startLitewitness(t, k.vkey)
	c := newClient(t, "litewitness", lw.url, lw.vkey)

	lg.grow(3)
	size, cp := lg.Latest()
	cos, err := c.AddCheckpoint(ctx, 0, nil, cp)
	if err != nil {
		t.Fatal(err)
	}
	verifyCosignature(t, lw.vkey, cp, cos.Line)
	if !strings.HasPrefix(string(cos.Line), "— "+litewitnessName+" ") {
		t.Errorf("cosignature line %q is not litewitness's", cos.Line)
	}

	lg.grow(4)
	size2, cp2 := lg.Latest()
	var conflict *ConflictError
	if _, err := c.AddCheckpoint(ctx, 0, nil, cp2); !errors.As(err, &conflict) || conflict.Size != size {
		t.Fatalf("stale old size: %v, want a conflict at %d", err, size)
	}
	cos2, err := c.AddCheckpoint(ctx, conflict.Size, lg.proof(size, size2), cp2)
	if err != nil {
		t.Fatal(err)
	}
	verifyCosignature(t, lw.vkey, cp2, cos2.Line)

	fork := newTestLog(t, k, "fork")
	fork.grow(int(size2))
	_, fcp := fork.Latest()
	if _, err := c.AddCheckpoint(ctx, size2, nil, fcp); !errors.Is(err, ErrRejected) {
		t.Fatalf("fork at the same size: %v, want ErrRejected", err)
	}
	fork.grow(3)
	fsize, fcp2 := fork.Latest()
	if _, err := c.AddCheckpoint(ctx, size2, fork.proof(size2, fsize), fcp2); !errors.Is(err, ErrRejected) {
		t.Fatalf("fork with a proof: %v, want ErrRejected", err)
	}
	// litewitness still follows the real log.
	lg.grow(1)
	size3, cp3 := lg.Latest()
	if _, err := c.AddCheckpoint(ctx, size2, lg.proof(size2, size3), cp3); err != nil {
		t.Fatal(err)
	}
}

// Chancery's witness answers as litewitness does: the same requests, in the same order, to
// both get the same status codes and content types, the same 409 bodies, and cosignatures
// that verify with each witness's key. Where litewitness v0.6.1 departs from C2SP
// tlog-witness, Chancery's witness follows the spec, and the test pins both answers.
func TestWitnessesAnswerAlike(t *testing.T) {
	k := newLogKey(t)
	lg := newTestLog(t, k, "main")
	lw := startLitewitness(t, k.vkey)
	cw := startChanceryWitness(t, "", "", k.vkey)
	fork := newTestLog(t, k, "fork")

	type answer struct {
		status      int
		contentType string
		body        string
	}
	post := func(url string, body []byte) answer {
		t.Helper()
		resp, err := http.Post(url+"/add-checkpoint", "", bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return answer{resp.StatusCode, resp.Header.Get("Content-Type"), string(b)}
	}
	// step sends body to both; want is the litewitness answer's status, and differs is the
	// status Chancery's witness gives where the spec asks for another than litewitness's.
	step := func(name string, body []byte, cp []byte, want, differs int) {
		t.Helper()
		l, c := post(lw.url, body), post(cw.url, body)
		if l.status != want {
			t.Fatalf("%s: litewitness answered %d %q, want %d", name, l.status, l.body, want)
		}
		if differs != 0 {
			if c.status != differs {
				t.Errorf("%s: Chancery's witness answered %d %q, want %d", name, c.status, c.body, differs)
			}
			return
		}
		if c.status != l.status || c.contentType != l.contentType {
			t.Errorf("%s: Chancery's witness answered %d %q, litewitness %d %q", name, c.status, c.contentType, l.status, l.contentType)
		}
		switch l.status {
		case http.StatusOK:
			verifyCosignature(t, lw.vkey, cp, []byte(l.body))
			verifyCosignature(t, cw.key.VerifierKey(), cp, []byte(c.body))
		case http.StatusConflict:
			if c.body != l.body {
				t.Errorf("%s: 409 bodies differ: Chancery %q, litewitness %q", name, c.body, l.body)
			}
		}
	}

	lg.grow(2)
	s1, cp1 := lg.Latest()
	step("first checkpoint", formatRequest(0, nil, cp1), cp1, 200, 0)
	step("the same again", formatRequest(s1, nil, cp1), cp1, 200, 0)
	lg.grow(3)
	s2, cp2 := lg.Latest()
	step("stale old size", formatRequest(0, nil, cp2), nil, 409, 0)
	step("old size larger than the checkpoint", formatRequest(s2+1, nil, cp2), nil, 400, 0)
	step("bad proof", formatRequest(s1, []tlog.Hash{{1}, {2}}, cp2), nil, 422, 0)
	step("grown", formatRequest(s1, lg.proof(s1, s2), cp2), cp2, 200, 0)
	step("rollback", formatRequest(s1, nil, cp1), nil, 409, 0)

	other := newLogKey(t)
	olog := newTestLog(t, other, "other")
	olog.grow(1)
	_, ocp := olog.Latest()
	step("signed by another key", formatRequest(s2, nil, ocp), nil, 403, 0)
	unknown := bytes.Replace(cp2, []byte(testOrigin), []byte("unknown.example/log"), 1)
	// The spec asks for 404; litewitness v0.6.1 answers 403.
	step("unknown origin", formatRequest(0, nil, unknown), nil, 403, 404)

	// Forks, signed with the log's own key: refused by both.
	fork.grow(int(s2))
	_, fcp := fork.Latest()
	// The spec asks for 409 (another root at the size held); litewitness v0.6.1 answers 422.
	step("fork at the same size", formatRequest(s2, nil, fcp), nil, 422, 409)
	step("fork at the same size with a proof", formatRequest(s2, []tlog.Hash{{1}}, fcp), nil, 422, 0)
	fork.grow(2)
	fs, fcp2 := fork.Latest()
	step("fork with a proof", formatRequest(s2, fork.proof(s2, fs), fcp2), nil, 422, 0)
	lg.grow(1)
	s3, cp3 := lg.Latest()
	step("the real log again", formatRequest(s2, lg.proof(s2, s3), cp3), cp3, 200, 0)
}

// A pool keeps litewitness and Chancery's witness up to date with a Chancery log; litewitness
// stopped, then started again on its database, catches up.
func TestPoolWithLitewitness(t *testing.T) {
	k := newLogKey(t)
	lg := newTestLog(t, k, "main")
	lw := startLitewitness(t, k.vkey)
	cw := startChanceryWitness(t, "", "", k.vkey)
	lc := newClient(t, "litewitness", lw.url, lw.vkey)
	cc := newClient(t, "chancery", cw.url, cw.key.VerifierKey())
	rec := newRecorder(t, lc, cc)
	p := NewPool(lg, []*Client{lc, cc}, rec.options())
	runPool(t, p)

	lg.grow(3)
	p.Notify()
	size, _ := lg.Latest()
	waitCosigned(t, p, "litewitness", size)
	waitCosigned(t, p, "chancery", size)

	lw.stop()
	lg.grow(4)
	p.Notify()
	size, _ = lg.Latest()
	waitCosigned(t, p, "chancery", size)
	waitFor(t, "a failed request to the stopped litewitness", func() bool { return status(p, "litewitness").Failures > 0 })
	lw.start()
	waitCosigned(t, p, "litewitness", size)
}
