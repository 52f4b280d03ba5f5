package cli

import (
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/datadir"
	"github.com/chancery/chancery/internal/office"
	"github.com/chancery/chancery/internal/syncbuf"
)

// TestWitnessAlertWebhookFailureKeepsItsSecret: an alert that could not be sent was logged
// with net/http's error, which quotes the webhook's URL whole: the secret in a chat
// service's webhook path went to the server's log. The log names the host and the cause.
func TestWitnessAlertWebhookFailureKeepsItsSecret(t *testing.T) {
	var log syncbuf.Buffer
	st := &office.Stack{Dir: &datadir.Dir{Settings: datadir.Settings{Origin: "tfn.example/log"}}}
	alert := witnessOpts{alertWebhook: "http://127.0.0.1:1/hooks/T000/B000/HOOKSECRET"}.alerter(st, slog.New(slog.NewTextHandler(&log, nil)))
	alert("justice", errors.New("witness justice: refused the checkpoint"))
	deadline := time.Now().Add(30 * time.Second)
	for !strings.Contains(log.String(), "witness alert webhook") && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	got := log.String()
	if !strings.Contains(got, "witness alert webhook") || !strings.Contains(got, "127.0.0.1:1") {
		t.Fatalf("the failed alert was logged as %q, want its host and cause", got)
	}
	if strings.Contains(got, "HOOKSECRET") {
		t.Errorf("the failed alert's log line shows the webhook's secret path: %s", got)
	}
}
