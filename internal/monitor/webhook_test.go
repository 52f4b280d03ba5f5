package monitor_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/monitor"
	"github.com/chancery/chancery/internal/monitor/public"
)

// receiver is a webhook endpoint that refuses the first fail requests with status, then
// takes reports.
type receiver struct {
	mu       sync.Mutex
	fail     int
	status   int
	attempts int
	reports  []monitor.Report
	bodies   [][]byte
}

func (rc *receiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	rc.attempts++
	if r.Method != http.MethodPost || r.Header.Get("Content-Type") != "application/json" {
		http.Error(w, "want a JSON POST", http.StatusBadRequest)
		return
	}
	if rc.fail > 0 {
		rc.fail--
		w.WriteHeader(rc.status)
		return
	}
	b, _ := io.ReadAll(r.Body)
	var rep monitor.Report
	if err := json.Unmarshal(b, &rep); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	rc.reports = append(rc.reports, rep)
	rc.bodies = append(rc.bodies, b)
}

// The monitor's reports reach a real webhook receiver, through a failure it retries.
func TestWebhook(t *testing.T) {
	keys := newLogKeys(t, "webhook.example/log")
	o := newOffice(t, keys)
	_, rel := o.release(1)
	_, rev := o.revokeKey()
	rc := &receiver{fail: 1, status: http.StatusServiceUnavailable}
	srv := httptest.NewServer(rc)
	defer srv.Close()
	wh := &monitor.Webhook{URL: srv.URL, Backoff: time.Millisecond}
	m, err := monitor.New(monitor.Config{
		Logs:      []monitor.Log{{URL: o.url, Key: keys.vkey}},
		StatePath: filepath.Join(t.TempDir(), "state.json"),
		Filter:    public.Filter{Kinds: []string{"release"}},
		Report:    wh.Send,
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Pass(context.Background()); err != nil {
		t.Fatal(err)
	}
	rc.mu.Lock()
	defer rc.mu.Unlock()
	var got []int64
	for i, r := range rc.reports {
		checkConfidential(t, rc.bodies[i])
		if r.Type == monitor.TypeEntry {
			got = append(got, r.Index)
			if r.Log != keys.origin || r.Size != o.size() {
				t.Errorf("report %+v", r)
			}
		}
	}
	if len(got) != 2 || got[0] != rel || got[1] != rev {
		t.Fatalf("receiver got entries %v, want [%d %d]", got, rel, rev)
	}
	if rc.attempts != len(rc.reports)+1 {
		t.Fatalf("%d attempts for %d reports and one refusal", rc.attempts, len(rc.reports))
	}
}

// A refusal that will not change (4xx) is not retried; a receiver down for good fails the
// report after the attempts, and the pass does not advance.
func TestWebhookFailure(t *testing.T) {
	rc := &receiver{fail: 100, status: http.StatusForbidden}
	srv := httptest.NewServer(rc)
	defer srv.Close()
	wh := &monitor.Webhook{URL: srv.URL, Backoff: time.Millisecond, Attempts: 3}
	if err := wh.Send(context.Background(), monitor.Report{Type: monitor.TypeAlert}); err == nil {
		t.Fatal("a 403 was taken for delivery")
	}
	if rc.attempts != 1 {
		t.Fatalf("%d attempts after a 403", rc.attempts)
	}

	keys := newLogKeys(t, "webhook-down.example/log")
	o := newOffice(t, keys)
	down := &receiver{fail: 100, status: http.StatusBadGateway}
	dsrv := httptest.NewServer(down)
	defer dsrv.Close()
	dir := t.TempDir()
	m, err := monitor.New(monitor.Config{
		Logs:      []monitor.Log{{URL: o.url, Key: keys.vkey}},
		StatePath: filepath.Join(dir, "state.json"),
		Report:    (&monitor.Webhook{URL: dsrv.URL, Backoff: time.Millisecond, Attempts: 3}).Send,
	})
	if err != nil {
		t.Fatal(err)
	}
	err = m.Pass(context.Background())
	if err == nil || errors.Is(err, monitor.ErrConflict) || errors.Is(err, monitor.ErrUnsound) {
		t.Fatalf("pass with the webhook down: %v", err)
	}
	if down.attempts != 3 {
		t.Fatalf("%d attempts, want 3", down.attempts)
	}
	st, err := monitor.LoadState(filepath.Join(dir, "state.json"))
	if err != nil {
		t.Fatal(err)
	}
	if l := st.Logs[keys.vkey]; l != nil && l.Checkpoint != "" {
		t.Fatal("the state advanced past reports that were not delivered")
	}
}
