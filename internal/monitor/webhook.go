package monitor

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"
)

// Webhook POSTs reports as JSON to a URL. A report carries only what the log shows anyone
// (see Entry), so a webhook may point outside the office.
type Webhook struct {
	URL string
	// HTTP is the client (default: http.DefaultClient); Timeout bounds each attempt (default
	// 10 s).
	HTTP    *http.Client
	Timeout time.Duration
	// Attempts is how many times a report is sent before giving up (default 4); Backoff is
	// the wait before the second attempt, doubled before each later one (default 1 s).
	Attempts int
	Backoff  time.Duration
}

// CheckWebhookURL checks that u is an http or https URL.
func CheckWebhookURL(u string) error {
	p, err := url.Parse(u)
	if err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" {
		return fmt.Errorf("webhook URL %q is not an http or https URL", ShownURL(u))
	}
	return nil
}

// Send posts r, retrying after a transport error, a timeout, 408, 429 or a 5xx answer. Any
// other answer outside 2xx is final: the receiver refuses the report.
func (w *Webhook) Send(ctx context.Context, r Report) error {
	body, err := json.Marshal(r)
	if err != nil {
		return err
	}
	client, timeout, attempts, backoff := w.HTTP, w.Timeout, w.Attempts, w.Backoff
	if client == nil {
		client = http.DefaultClient
	}
	if timeout <= 0 {
		timeout = 10 * time.Second
	}
	if attempts <= 0 {
		attempts = 4
	}
	if backoff <= 0 {
		backoff = time.Second
	}
	var last error
	for i := range attempts {
		if i > 0 {
			t := time.NewTimer(backoff << (i - 1))
			select {
			case <-ctx.Done():
				t.Stop()
				return fmt.Errorf("monitor: webhook: %w (last: %v)", ctx.Err(), last)
			case <-t.C:
			}
		}
		retry, err := w.post(ctx, client, timeout, body)
		if err == nil {
			return nil
		}
		last = err
		if !retry {
			break
		}
	}
	return fmt.Errorf("monitor: webhook: %w", last)
}

func (w *Webhook) post(ctx context.Context, client *http.Client, timeout time.Duration, body []byte) (retry bool, err error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, w.URL, bytes.NewReader(body))
	if err != nil {
		return false, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", UserAgent)
	resp, err := client.Do(req)
	if err != nil {
		// The client's error names the URL with the user name in it.
		var ue *url.Error
		if errors.As(err, &ue) {
			return true, fmt.Errorf("POST %s: %w", ShownURL(w.URL), ue.Err)
		}
		return true, err
	}
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
	switch s := resp.StatusCode; {
	case s >= 200 && s < 300:
		return false, nil
	case s == http.StatusRequestTimeout || s == http.StatusTooManyRequests || s >= 500:
		return true, fmt.Errorf("POST %s: %s", ShownURL(w.URL), resp.Status)
	default:
		return false, fmt.Errorf("POST %s: %s", ShownURL(w.URL), resp.Status)
	}
}
