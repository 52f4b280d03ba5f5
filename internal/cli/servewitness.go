package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"time"

	"github.com/chancery/chancery/internal/office"
	"github.com/chancery/chancery/internal/registry"
	"github.com/spf13/cobra"
)

// witnessOpts are serve's settings for the office's witnesses.
type witnessOpts struct {
	sealWait     time.Duration
	alertWebhook string
}

func addWitnessFlags(c *cobra.Command, o *witnessOpts) {
	c.Flags().DurationVar(&o.sealWait, "seal-wait", registry.DefaultSealWait,
		"how long a release's seal waits for the witness quorum to cosign (the release commits first; after the wait the seal is fetched later)")
	c.Flags().StringVar(&o.alertWebhook, "witness-alert-webhook", "",
		"POST a JSON alert here when a witness refuses the log's checkpoint, sends a bad cosignature, is ahead of the log or keeps failing (env CHANCERY_WITNESS_ALERT_WEBHOOK: a URL that holds a secret belongs there, not on the command line, where every account sees it)")
}

// run starts the witness client: it sends every checkpoint to the office's witnesses
// ('chancery witness add') and keeps their cosignatures. The returned function stops it.
func (o witnessOpts) run(ctx context.Context, st *office.Stack, logger *slog.Logger) func() {
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		st.Heads.Run(ctx, logger.With("component", "witness-client"), o.alerter(st, logger))
	}()
	return func() {
		cancel()
		<-done
	}
}

// alerter returns what tells the operator's webhook of a witness alert, nil without one. The
// alert names the witness and the error: nothing from any letter.
func (o witnessOpts) alerter(st *office.Stack, logger *slog.Logger) func(string, error) {
	u := o.alertWebhook
	if u == "" {
		u = os.Getenv("CHANCERY_WITNESS_ALERT_WEBHOOK")
	}
	if u == "" {
		return nil
	}
	hc := &http.Client{Timeout: 10 * time.Second}
	var host string
	if pu, err := url.Parse(u); err == nil {
		host = pu.Host
	}
	origin := st.Dir.Settings.Origin
	return func(name string, err error) {
		body, _ := json.Marshal(map[string]any{"event": "witness.alert", "log": origin, "witness": name,
			"error": err.Error(), "time": time.Now().UTC()})
		// The alert is sent from the witness's goroutine, which must not wait long on it.
		go func() {
			resp, err := hc.Post(u, "application/json", bytes.NewReader(body))
			if err != nil {
				// Not the URL, which net/http's error quotes: a webhook's path is often its
				// secret (Slack, Mattermost), and the log is read by more than the operator.
				var ue *url.Error
				if errors.As(err, &ue) {
					err = ue.Err
				}
				logger.Error("witness alert webhook", "host", host, "err", err)
				return
			}
			resp.Body.Close()
			if resp.StatusCode/100 != 2 {
				logger.Error("witness alert webhook", "status", resp.Status)
			}
		}()
	}
}
