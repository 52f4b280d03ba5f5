package dispatch

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/syncbuf"
)

// mailpit is a real SMTP server with an HTTP API, started for one test.
type mailpit struct {
	smtp, api string
}

// mailpitBin finds the mailpit binary: on PATH or where 'go install' puts it. Missing, the
// test fails when CHANCERY_REQUIRE_TOOLS=1 (scripts/test installs it) and is skipped
// otherwise.
func mailpitBin(t testing.TB) string {
	if p, err := exec.LookPath("mailpit"); err == nil {
		return p
	}
	gobin := os.Getenv("GOBIN")
	if gobin == "" {
		out, _ := exec.Command("go", "env", "GOPATH").Output()
		gobin = filepath.Join(strings.TrimSpace(string(out)), "bin")
	}
	if p := filepath.Join(gobin, "mailpit"); fileExists(p) {
		return p
	}
	if os.Getenv("CHANCERY_REQUIRE_TOOLS") == "1" {
		t.Fatal("mailpit is not installed (go install github.com/axllent/mailpit@v1.33.1)")
	}
	t.Skip("mailpit is not installed (go install github.com/axllent/mailpit@v1.33.1)")
	return ""
}

func fileExists(p string) bool { _, err := os.Stat(p); return err == nil }

func freePort(t testing.TB) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// startMailpit starts Mailpit on free loopback ports, with chaos enabled and extra flags. Its
// database is in memory (/dev/shm) when it can be, as if the mail server were another machine:
// its writes then do not queue behind the registry's fsyncs on the same disk.
//
// A free port can be taken by another test's server between freePort and Mailpit's bind;
// Mailpit then exits, and the test would talk to the other server. Each Mailpit is given a
// label of its own, checked through its API, and is started again on other ports when it
// exits before it is ready.
func startMailpit(t testing.TB, extra ...string) *mailpit {
	t.Helper()
	dbDir := t.TempDir()
	if d, err := os.MkdirTemp("/dev/shm", "mailpit-"); err == nil {
		dbDir = d
		t.Cleanup(func() { os.RemoveAll(d) })
	}
	bin := mailpitBin(t)
	for attempt := 1; ; attempt++ {
		m, err := tryMailpit(t, bin, filepath.Join(dbDir, fmt.Sprintf("mailpit-%d.db", attempt)), extra)
		if err == nil {
			return m
		}
		if attempt == 5 {
			t.Fatal(err)
		}
		t.Logf("mailpit, attempt %d: %v; again on other ports", attempt, err)
	}
}

// tryMailpit starts Mailpit once, and returns an error when it exits before it is ready.
func tryMailpit(t testing.TB, bin, db string, extra []string) (*mailpit, error) {
	m := &mailpit{smtp: freePort(t), api: freePort(t)}
	label := fmt.Sprintf("test-%d-%d", os.Getpid(), time.Now().UnixNano())
	args := []string{"--smtp", m.smtp, "--listen", m.api, "--database", db, "--label", label,
		"--smtp-auth-accept-any", "--enable-chaos", "--max", "0", "--quiet", "--disable-version-check"}
	if !slices.Contains(extra, "--smtp-tls-cert") {
		// Passwords without TLS; with a certificate, Mailpit takes them only over TLS.
		args = append(args, "--smtp-auth-allow-insecure")
	}
	args = append(args, extra...)
	cmd := exec.Command(bin, args...)
	log := new(syncbuf.Buffer)
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan struct{})
	go func() {
		cmd.Wait()
		close(exited)
	}()
	stop := func() {
		cmd.Process.Kill()
		<-exited
	}
	// ours tells whether the API on m.api is this Mailpit's.
	ours := func() bool {
		resp, err := http.Get("http://" + m.api + "/api/v1/webui")
		if err != nil {
			return false
		}
		defer resp.Body.Close()
		var info struct{ Label string }
		return json.NewDecoder(resp.Body).Decode(&info) == nil && info.Label == label
	}
	for i := 0; ; i++ {
		if ours() {
			if c, err := net.Dial("tcp", m.smtp); err == nil {
				c.Close()
				// Still running once its SMTP port answers: that port is its own.
				if ours() {
					break
				}
			}
		}
		select {
		case <-exited:
			return nil, fmt.Errorf("mailpit exited before it was ready: %s", log.String())
		default:
		}
		if i == 300 {
			stop()
			t.Fatalf("mailpit did not start:\n%s", log.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Cleanup(func() {
		stop()
		if t.Failed() {
			t.Logf("mailpit log:\n%s", log.String())
		}
	})
	return m, nil
}

func (m *mailpit) url() string { return "smtp://" + m.smtp }

func (m *mailpit) get(t testing.TB, path string, out any) []byte {
	t.Helper()
	resp, err := http.Get("http://" + m.api + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("mailpit %s: %s %s", path, resp.Status, b)
	}
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			t.Fatalf("mailpit %s: %v", path, err)
		}
	}
	return b
}

// chaos sets Mailpit's recipient trigger: every RCPT answered with code (0 turns it off).
func (m *mailpit) chaos(t testing.TB, code int) {
	t.Helper()
	prob := 100
	if code == 0 {
		code, prob = 451, 0
	}
	body := fmt.Sprintf(`{"Recipient":{"ErrorCode":%d,"Probability":%d}}`, code, prob)
	req, _ := http.NewRequest(http.MethodPut, "http://"+m.api+"/api/v1/chaos", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("mailpit chaos: %s", resp.Status)
	}
}

type mpAddress struct{ Address string }

type mpSummary struct {
	ID        string
	MessageID string
	To        []mpAddress
	Subject   string
}

type mpAttachment struct {
	PartID, FileName, ContentType string
}

type mpMessage struct {
	ID          string
	MessageID   string
	Subject     string
	Text        string
	To          []mpAddress
	Attachments []mpAttachment
}

// messages returns every message Mailpit holds, newest first.
func (m *mailpit) messages(t testing.TB) []mpSummary {
	var out struct {
		Total    int
		Messages []mpSummary
	}
	m.get(t, "/api/v1/messages?limit=100000", &out)
	return out.Messages
}

// count returns how many messages Mailpit holds.
func (m *mailpit) count(t testing.TB) int {
	var out struct{ Total int }
	m.get(t, "/api/v1/messages?limit=1", &out)
	return out.Total
}

func (m *mailpit) message(t testing.TB, id string) *mpMessage {
	var out mpMessage
	m.get(t, "/api/v1/message/"+id, &out)
	return &out
}

func (m *mailpit) part(t testing.TB, id, part string) []byte {
	return m.get(t, "/api/v1/message/"+id+"/part/"+part, nil)
}

func (m *mailpit) headers(t testing.TB, id string) map[string][]string {
	var out map[string][]string
	m.get(t, "/api/v1/message/"+id+"/headers", &out)
	return out
}

// waitFor polls cond until it holds; the test's own deadline bounds it. It asserts nothing
// about time: a slow machine only makes the test slower.
func waitFor(t testing.TB, what string, cond func() bool) {
	t.Helper()
	ctx := context.Background()
	if d, ok := t.(interface{ Deadline() (time.Time, bool) }); ok {
		if dl, ok := d.Deadline(); ok {
			var cancel context.CancelFunc
			ctx, cancel = context.WithDeadline(ctx, dl.Add(-5*time.Second))
			defer cancel()
		}
	}
	for !cond() {
		select {
		case <-ctx.Done():
			t.Fatalf("gave up waiting for %s", what)
		case <-time.After(20 * time.Millisecond):
		}
	}
}
