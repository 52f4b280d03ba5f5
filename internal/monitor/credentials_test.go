package monitor_test

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/monitor"
	"golang.org/x/mod/sumdb/tlog"
)

// TestCredentialsInURLsAreNeverShown: a log URL may carry a user name and password for a log
// behind HTTP basic authentication. They are sent to the log, and appear in none of what the
// monitor writes: reports (printed, or as --json), the webhook's bodies and errors, the
// evidence files, the state file, the errors of a pass or of a URL refused. Before, the URL
// was copied whole into reports, the webhook body, the alert record and the state, and the
// client's errors named the user.
func TestCredentialsInURLsAreNeverShown(t *testing.T) {
	const user, pass = "watcher-7c1e", "pw-5b0f9d2a"
	keys := newLogKeys(t, "credentials.example/log")
	o := newOffice(t, keys)
	o.release(1)
	var fork []byte
	o.setServe(func(w http.ResponseWriter, r *http.Request, h http.Handler) {
		if u, p, ok := r.BasicAuth(); !ok || u != user || p != pass {
			http.Error(w, "who are you?", http.StatusUnauthorized)
			return
		}
		if fork != nil {
			serveCheckpoint(fork)(w, r, h)
			return
		}
		h.ServeHTTP(w, r)
	})
	withCredentials := func(u string) string {
		return strings.Replace(u, "://", "://"+user+":"+pass+"@", 1)
	}
	rc := &receiver{}
	hook := httptest.NewServer(rc)
	defer hook.Close()
	wh := &monitor.Webhook{URL: withCredentials(hook.URL)}

	var written []string // all the monitor said or wrote
	c := &collector{}
	dir := t.TempDir()
	state := filepath.Join(dir, "state.json")
	m, err := monitor.New(monitor.Config{
		Logs:      []monitor.Log{{URL: withCredentials(o.url), Key: keys.vkey}},
		StatePath: state,
		Report: func(ctx context.Context, r monitor.Report) error {
			c.report(ctx, r)
			b, _ := json.Marshal(r) // as --json prints it
			written = append(written, string(b))
			return wh.Send(ctx, r)
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	pass1 := func() {
		t.Helper()
		if err := m.Pass(context.Background()); err != nil {
			written = append(written, err.Error())
		}
	}
	pass1()
	if cps := ofType(c.take(), monitor.TypeCheckpoint); len(cps) != 1 {
		t.Fatalf("with the credentials, checkpoints %+v; want one", cps)
	} else if cps[0].URL != o.url+"/log" {
		t.Errorf("the report's URL is %s, want %s/log", cps[0].URL, o.url)
	}
	fork = forged(t, keys, o.size(), tlog.Hash(sha256.Sum256([]byte("elsewhere"))))
	pass1()
	if alerts := ofType(c.take(), monitor.TypeAlert); len(alerts) != 1 || alerts[0].Problem != monitor.ProblemFork {
		t.Fatalf("alerts: %+v", alerts)
	}

	// Failures: an unreachable log, a webhook that refuses, URLs refused.
	gone := httptest.NewServer(http.NotFoundHandler())
	gone.Close()
	m2, err := monitor.New(monitor.Config{Logs: []monitor.Log{{URL: withCredentials(gone.URL), Key: keys.vkey}}, Report: c.report})
	if err != nil {
		t.Fatal(err)
	}
	if err := m2.Pass(context.Background()); err == nil {
		t.Fatal("a pass over an unreachable log succeeded")
	} else {
		written = append(written, err.Error())
	}
	rc.fail, rc.status = 1, http.StatusForbidden
	if err := wh.Send(context.Background(), monitor.Report{Type: monitor.TypeAlert}); err == nil {
		t.Fatal("a refused webhook succeeded")
	} else {
		written = append(written, err.Error())
	}
	down := &monitor.Webhook{URL: withCredentials(gone.URL), Attempts: 1}
	if err := down.Send(context.Background(), monitor.Report{Type: monitor.TypeAlert}); err == nil {
		t.Fatal("an unreachable webhook succeeded")
	} else {
		written = append(written, err.Error())
	}
	for _, bad := range []string{"ftp://" + user + ":" + pass + "@log.example", "https://" + user + ":" + pass + "@log.example/?q", "https://" + user + ":" + pass + "@log.example:bad%zz/"} {
		if _, err := monitor.NormalizeURL(bad); err == nil {
			t.Fatalf("log URL %q accepted", bad)
		} else {
			written = append(written, err.Error())
		}
		if _, err := monitor.New(monitor.Config{Logs: []monitor.Log{{URL: bad, Key: keys.vkey}}, Report: c.report}); err == nil {
			t.Fatalf("log URL %q accepted", bad)
		} else {
			written = append(written, err.Error())
		}
		if err := monitor.CheckWebhookURL(strings.Replace(bad, "ftp:", "gopher:", 1)); err != nil {
			written = append(written, err.Error())
		}
	}

	rc.mu.Lock()
	for _, b := range rc.bodies {
		written = append(written, string(b))
	}
	if len(rc.bodies) < 2 {
		t.Errorf("the webhook received %d reports, want the checkpoint and the alert", len(rc.bodies))
	}
	rc.mu.Unlock()
	files, _ := os.ReadDir(m.EvidenceDir())
	for _, f := range files {
		b, _ := os.ReadFile(filepath.Join(m.EvidenceDir(), f.Name()))
		written = append(written, f.Name(), string(b))
	}
	if len(files) != 3 {
		t.Errorf("evidence: %d files, want 3", len(files))
	}
	b, err := os.ReadFile(state)
	if err != nil {
		t.Fatal(err)
	}
	written = append(written, string(b))
	for _, s := range written {
		if strings.Contains(s, user) || strings.Contains(s, pass) {
			t.Errorf("credentials shown: %s", s)
		}
	}
	if !strings.Contains(string(b), `"url": "`+o.url+`/log"`) {
		t.Errorf("the state does not name the log's URL without credentials:\n%s", b)
	}

	// A state an earlier version wrote with the credentials is written again without them
	// when the monitor starts.
	st, err := monitor.LoadState(state)
	if err != nil {
		t.Fatal(err)
	}
	st.Logs[keys.vkey].URL = withCredentials(o.url) + "/log"
	if err := st.Save(state); err != nil {
		t.Fatal(err)
	}
	if _, err := monitor.New(monitor.Config{Logs: []monitor.Log{{URL: withCredentials(o.url), Key: keys.vkey}}, StatePath: state, Report: c.report}); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(state); strings.Contains(string(b), pass) || strings.Contains(string(b), user) {
		t.Errorf("the state still names the credentials:\n%s", b)
	}
}
