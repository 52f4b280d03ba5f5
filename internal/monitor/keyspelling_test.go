package monitor_test

import (
	"context"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/monitor"
	"github.com/chancery/chancery/internal/monitor/public"
)

// TestLogKeySpellingKeepsState: the monitor keeps what it holds of a log under the --key
// string (State.Logs[l.Key]). note.NewVerifier also takes the key hash in capitals, so the
// same log key spelt "ORIGIN+ABCDEF01+KEY" instead of "ORIGIN+abcdef01+KEY" started from
// nothing: a forked history was then taken as the first one seen, without an alert (the
// defect item 369 fixed for trust roots only; audit, forty-ninth session). The state is kept
// under the key's one spelling now.
func TestLogKeySpellingKeepsState(t *testing.T) {
	var keys logKeys
	for {
		keys = newLogKeys(t, "spelling.example/log")
		if hash := strings.Split(keys.vkey, "+")[1]; strings.ToUpper(hash) != hash {
			break
		}
	}
	o := newOffice(t, keys)
	o.release(1)
	dir := t.TempDir()
	m, c := newMonitor(t, o.url, keys, dir, public.Filter{})
	pass(t, m)
	c.take()

	other := newOffice(t, keys) // another history under the same key
	other.appendKeys(int(o.size()) + 5)
	o.setServe(func(w http.ResponseWriter, r *http.Request, _ http.Handler) {
		http.Redirect(w, r, other.url+r.URL.Path, http.StatusFound)
	})

	parts := strings.SplitN(keys.vkey, "+", 3)
	respelt := parts[0] + "+" + strings.ToUpper(parts[1]) + "+" + parts[2]
	c2 := &collector{}
	m2, err := monitor.New(monitor.Config{
		Logs:      []monitor.Log{{URL: o.url, Key: respelt}},
		StatePath: filepath.Join(dir, "state.json"),
		Report:    c2.report,
	})
	if err != nil {
		t.Logf("the respelt key is refused (fine): %v", err)
		return
	}
	err = m2.Pass(context.Background())
	if err == nil {
		t.Fatalf("the monitor, given the same log key spelt with a capital key hash, followed a forked history of the log it held without an alert (reports: %d)", len(c2.take()))
	}
}
