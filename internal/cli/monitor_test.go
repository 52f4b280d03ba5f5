package cli_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/checkpoint"
	"github.com/chancery/chancery/internal/cli"
	"github.com/chancery/chancery/internal/dsse"
	"github.com/chancery/chancery/internal/entry"
	"github.com/chancery/chancery/internal/monitor"
	"github.com/chancery/chancery/internal/seal"
	"github.com/chancery/chancery/internal/server"
	"github.com/chancery/chancery/internal/store"
	"github.com/chancery/chancery/internal/translog"
	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// monitoredLog is a Chancery server of a log alone, whose log key the test holds.
type monitoredLog struct {
	t      *testing.T
	origin string
	vkey   string
	signer note.Signer
	lg     *translog.Log
	url    string
	mu     sync.Mutex
	// serve, if set, answers instead of the server (which it may call); set it with setServe.
	serve func(w http.ResponseWriter, r *http.Request, h http.Handler)
}

func newMonitoredLog(t *testing.T) *monitoredLog {
	t.Helper()
	ctx := context.Background()
	db, err := store.OpenSQLite(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	const origin = "monitor-cli.example/log"
	skey, vkey, _ := note.GenerateKey(rand.Reader, origin)
	signer, _ := note.NewSigner(skey)
	lg, err := translog.Open(ctx, db, translog.Config{Origin: origin, Signer: signer, Create: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { lg.Close() })
	h := server.New(server.Config{Log: lg, DB: db, VerifierKey: vkey, Origin: origin, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	ls := &monitoredLog{t: t, origin: origin, vkey: vkey, signer: signer, lg: lg}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ls.mu.Lock()
		serve := ls.serve
		ls.mu.Unlock()
		if serve != nil {
			serve(w, r, h)
			return
		}
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	ls.url = srv.URL
	return ls
}

// add appends n version 1 key-added entries of office.
func (ls *monitoredLog) add(office string, n int) {
	ls.t.Helper()
	_, key, _ := ed25519.GenerateKey(rand.Reader)
	for i := range n {
		pub, _, _ := ed25519.GenerateKey(rand.Reader)
		st := seal.KeyStatement{Office: office, KeyID: dsse.KeyID(pub), PublicKey: pub, Member: "someone", Time: time.Unix(1_800_000_000+int64(i), 0).UTC()}
		data, err := (&entry.Entry{Kind: entry.KeyAdded, Envelope: dsse.Sign(entry.KeyAdded.PayloadType(), seal.Marshal(st), key)}).Encode()
		if err != nil {
			ls.t.Fatal(err)
		}
		if _, err := ls.lg.Append(context.Background(), data); err != nil {
			ls.t.Fatal(err)
		}
	}
}

func runMonitor(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := cli.Main(append([]string{"monitor"}, args...), &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

func monitorReports(t *testing.T, out string) []monitor.Report {
	t.Helper()
	var rs []monitor.Report
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		if line == "" {
			continue
		}
		var r monitor.Report
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			t.Fatalf("%v in %q", err, line)
		}
		rs = append(rs, r)
	}
	return rs
}

func TestMonitorOnce(t *testing.T) {
	ls := newMonitoredLog(t)
	ls.add("Office A", 3)
	ls.add("Office B", 2)
	dir := t.TempDir()
	keyFile := filepath.Join(dir, "log.vkey")
	os.WriteFile(keyFile, []byte(ls.vkey+"\n"), 0o600)
	state := filepath.Join(dir, "monitor.json")

	code, out, errs := runMonitor(t, "--url", ls.url, "--key", keyFile, "--state", state, "--once", "--json", "--office", "Office B")
	if code != cli.ExitOK {
		t.Fatalf("monitor: %d %s", code, errs)
	}
	rs := monitorReports(t, out)
	if len(rs) != 3 || rs[0].Index != 3 || rs[1].Index != 4 || rs[2].Type != monitor.TypeCheckpoint || rs[2].Size != 5 {
		t.Fatalf("reports: %s", out)
	}
	if rs[0].Type != monitor.TypeEntry || rs[0].Kind != "key-added" || rs[0].Office != "Office B" || rs[0].Log != ls.origin {
		t.Fatalf("entry report: %s", out)
	}
	if strings.Contains(out, "someone") {
		t.Fatalf("a report names the key's member: %s", out)
	}

	ls.add("Office B", 1)
	code, out, errs = runMonitor(t, "--url", ls.url+"/log/", "--key", ls.vkey, "--state", state, "--once")
	if code != cli.ExitOK {
		t.Fatalf("monitor: %d %s", code, errs)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 2 || !strings.Contains(lines[0], "#5 key-added (v1)") || !strings.Contains(lines[1], "checkpoint of size 6 checked (from size 5)") {
		t.Fatalf("text output:\n%s", out)
	}
}

func TestMonitorExitStatus(t *testing.T) {
	ls := newMonitoredLog(t)
	ls.add("Office A", 4)
	dir := t.TempDir()
	state := filepath.Join(dir, "monitor.json")
	if code, _, errs := runMonitor(t, "--url", ls.url, "--key", ls.vkey, "--state", state, "--once"); code != cli.ExitOK {
		t.Fatalf("monitor: %d %s", code, errs)
	}
	real := ls.lg.Head().Checkpoint

	// Split view: the same size, another root, signed with the log's own key.
	fork, err := note.Sign(&note.Note{Text: string(checkpoint.Checkpoint{Origin: ls.origin, Size: 4, Root: tlog.Hash(sha256.Sum256([]byte("fork")))}.Marshal())}, ls.signer)
	if err != nil {
		t.Fatal(err)
	}
	ls.setServe(func(w http.ResponseWriter, r *http.Request, h http.Handler) {
		if r.URL.Path == "/log/checkpoint" {
			w.Write(fork)
			return
		}
		h.ServeHTTP(w, r)
	})
	code, out, errs := runMonitor(t, "--url", ls.url, "--key", ls.vkey, "--state", state, "--once", "--json")
	if code != cli.ExitConflict {
		t.Fatalf("split view: exit %d, %s", code, errs)
	}
	rs := monitorReports(t, out)
	if len(rs) != 1 || rs[0].Type != monitor.TypeAlert || rs[0].Problem != monitor.ProblemFork || len(rs[0].Evidence) != 2 {
		t.Fatalf("split view reports: %s", out)
	}
	if !strings.Contains(errs, `"type":"alert"`) || !strings.Contains(errs, `"problem":"fork"`) {
		t.Fatalf("no alert on stderr: %s", errs)
	}
	for i, want := range [][]byte{real, fork} {
		if b, err := os.ReadFile(rs[0].Evidence[i]); err != nil || !bytes.Equal(b, want) {
			t.Fatalf("evidence %s: %q, %v", rs[0].Evidence[i], b, err)
		}
		if filepath.Dir(rs[0].Evidence[i]) != state+".evidence" {
			t.Fatalf("evidence kept in %s", rs[0].Evidence[i])
		}
	}
	// Still a conflict on the next run, though reported once.
	if code, _, _ := runMonitor(t, "--url", ls.url, "--key", ls.vkey, "--state", state, "--once"); code != cli.ExitConflict {
		t.Fatalf("split view again: exit %d", code)
	}

	// An entry that does not hash into the tree: the log is unsound.
	ls.add("Office A", 1)
	ls.setServe(func(w http.ResponseWriter, r *http.Request, h http.Handler) {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		b := rec.Body.Bytes()
		if strings.HasPrefix(r.URL.Path, "/log/tile/entries/") {
			b = bytes.Replace(b, []byte(`{"payload":"eyJ`), []byte(`{"payload":"fyJ`), 1)
		}
		w.Write(b)
	})
	code, _, errs = runMonitor(t, "--url", ls.url, "--key", ls.vkey, "--state", filepath.Join(dir, "fresh.json"), "--once")
	if code != cli.ExitFailed || !strings.Contains(errs, "chancery: ALERT: "+ls.origin+": bad-entry") {
		t.Fatalf("tampered entry: exit %d, %s", code, errs)
	}

	// An unreachable log, and usage errors, are status 2.
	ls.setServe(func(w http.ResponseWriter, r *http.Request, h http.Handler) {
		http.Error(w, "down", http.StatusServiceUnavailable)
	})
	code, _, errs = runMonitor(t, "--url", ls.url, "--key", ls.vkey, "--state", filepath.Join(dir, "other.json"), "--once")
	if code != cli.ExitError || !strings.Contains(errs, "503") {
		t.Fatalf("log down: exit %d, %s", code, errs)
	}
	for _, args := range [][]string{
		{"--url", ls.url, "--once"},
		{"--url", ls.url, "--url", ls.url, "--key", ls.vkey, "--once"},
		{"--url", ls.url, "--key", "not-a-key", "--once"},
		{"--url", ls.url, "--key", ls.vkey, "--kind", "draft", "--once"},
		{"--url", "ftp://x", "--key", ls.vkey, "--once"},
	} {
		if code, _, errs := runMonitor(t, args...); code != cli.ExitError || !strings.Contains(errs, "chancery: error:") {
			t.Errorf("%q: exit %d, %s", args, code, errs)
		}
	}
}

// --webhook delivers entry and alert reports to a real receiver.
func TestMonitorWebhook(t *testing.T) {
	ls := newMonitoredLog(t)
	ls.add("Office A", 2)
	var mu sync.Mutex
	var got []monitor.Report
	recv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var rep monitor.Report
		if err := json.NewDecoder(r.Body).Decode(&rep); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		mu.Lock()
		got = append(got, rep)
		mu.Unlock()
	}))
	defer recv.Close()
	code, _, errs := runMonitor(t, "--url", ls.url, "--key", ls.vkey, "--once", "--webhook", recv.URL, "--kind", "key")
	if code != cli.ExitOK {
		t.Fatalf("monitor: %d %s", code, errs)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(got) != 2 || got[0].Index != 0 || got[1].Index != 1 || got[0].Type != monitor.TypeEntry {
		t.Fatalf("webhook received %+v", got)
	}
}

// setServe sets (or with nil, removes) the handler answering in the server's place.
func (ls *monitoredLog) setServe(f func(w http.ResponseWriter, r *http.Request, h http.Handler)) {
	ls.mu.Lock()
	defer ls.mu.Unlock()
	ls.serve = f
}
