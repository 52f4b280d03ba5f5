package cli

import (
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/datadir"
	"github.com/chancery/chancery/internal/office"
)

// TestWitnessAlertWebhook: an alert about a witness reaches the operator's webhook as JSON
// naming the log, the witness and the error.
func TestWitnessAlertWebhook(t *testing.T) {
	got := make(chan map[string]any, 1)
	recv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var m map[string]any
		b, _ := io.ReadAll(r.Body)
		if err := json.Unmarshal(b, &m); err != nil || r.Header.Get("Content-Type") != "application/json" {
			t.Errorf("alert body %q: %v", b, err)
		}
		got <- m
	}))
	defer recv.Close()
	st := &office.Stack{Dir: &datadir.Dir{Settings: datadir.Settings{Origin: "tfn.example/log"}}}
	alert := witnessOpts{alertWebhook: recv.URL}.alerter(st, slog.New(slog.DiscardHandler))
	alert("justice", errors.New("witness justice: refused the checkpoint"))
	select {
	case m := <-got:
		if m["event"] != "witness.alert" || m["log"] != "tfn.example/log" || m["witness"] != "justice" || m["error"] != "witness justice: refused the checkpoint" {
			t.Fatalf("alert %v", m)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("no alert reached the webhook")
	}
	if (witnessOpts{}).alerter(st, nil) != nil {
		t.Fatal("an alerter without a webhook")
	}
}
