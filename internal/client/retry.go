package client

import (
	"context"
	"errors"
	"io"
	"math"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// How the client waits out 429 Too Many Requests: the public endpoints are rate limited per
// address, and a folder of letters verified online asks faster than the limit allows.
const (
	// MaxRetries bounds how many times one request is sent again after a 429.
	MaxRetries = 10
	// MaxRetryWait bounds how long one request waits, in all, from its first 429: past it the
	// 429 is returned as an APIError.
	MaxRetryWait = time.Minute
)

// retryGate queues the retries of requests the server refused with 429, so that concurrent
// callers of one Client take turns instead of retrying all at once and being refused again.
// A turn is taken within the caller's context: it may be held for a Retry-After and a retry.
type retryGate struct {
	once  sync.Once
	turn  chan struct{} // holds a token while a request retries
	mu    sync.Mutex    // guards until
	until time.Time     // the server's Retry-After: no request before then
}

// take waits for the turn, within ctx; release gives it back.
func (g *retryGate) take(ctx context.Context) error {
	g.once.Do(func() { g.turn = make(chan struct{}, 1) })
	select {
	case g.turn <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (g *retryGate) release() { <-g.turn }

func (g *retryGate) notBefore() time.Time {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.until
}

func (g *retryGate) setNotBefore(t time.Time) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.until = t
}

// send sends req, waiting out 429 Too Many Requests as the server's Retry-After asks, within
// MaxRetries and MaxRetryWait. A request whose body cannot be sent again is not retried.
func (c *Client) send(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	if err := c.gate.wait(ctx); err != nil {
		return nil, err
	}
	resp, err := c.HTTP.Do(req)
	start := time.Now()
	for attempt := 0; err == nil && resp.StatusCode == http.StatusTooManyRequests; attempt++ {
		wait := retryAfter(resp.Header.Get("Retry-After"), time.Now())
		// Compared without adding to wait: a Retry-After far ahead is near the largest
		// Duration, and a sum would wrap below the bound.
		if attempt == MaxRetries || wait > MaxRetryWait-time.Since(start) || (req.Body != nil && req.GetBody == nil) {
			return resp, nil
		}
		io.Copy(io.Discard, io.LimitReader(resp.Body, 4<<10))
		resp.Body.Close()
		resp, err = c.retry(req, time.Now().Add(wait))
	}
	return resp, err
}

// retry sends req again once its turn comes and notBefore has passed, and records the
// server's next Retry-After if it is refused again.
func (c *Client) retry(req *http.Request, notBefore time.Time) (*http.Response, error) {
	g := &c.gate
	if err := g.take(req.Context()); err != nil {
		return nil, err
	}
	defer g.release()
	if notBefore.After(g.notBefore()) {
		g.setNotBefore(notBefore)
	}
	if err := sleepUntil(req.Context(), g.notBefore()); err != nil {
		return nil, err
	}
	again := req.Clone(req.Context())
	if req.GetBody != nil {
		body, err := req.GetBody()
		if err != nil {
			return nil, err
		}
		again.Body = body
	}
	resp, err := c.HTTP.Do(again)
	// A wait past MaxRetryWait makes this request give up (send), and is not kept: the
	// client's later requests would wait for it before asking at all.
	if err == nil && resp.StatusCode == http.StatusTooManyRequests {
		if wait := retryAfter(resp.Header.Get("Retry-After"), time.Now()); wait <= MaxRetryWait {
			g.setNotBefore(time.Now().Add(wait))
		}
	}
	return resp, err
}

// wait waits, before a first attempt, for any retry under way (the server refused the last
// requests) and until the server's last Retry-After has passed, within ctx.
func (g *retryGate) wait(ctx context.Context) error {
	if err := g.take(ctx); err != nil {
		return err
	}
	g.release()
	return sleepUntil(ctx, g.notBefore())
}

func sleepUntil(ctx context.Context, t time.Time) error {
	d := time.Until(t)
	if d <= 0 {
		return nil
	}
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-timer.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// retryAfter reads a Retry-After header (RFC 9110: seconds, or an HTTP date); without a
// usable one it waits a second. Seconds past what a Duration holds, however many digits, are
// the longest wait, past MaxRetryWait.
func retryAfter(h string, now time.Time) time.Duration {
	const longest = math.MaxInt64 / int64(time.Second)
	s, err := strconv.ParseInt(h, 10, 64)
	if errors.Is(err, strconv.ErrRange) && h != "" && strings.Trim(h, "0123456789") == "" {
		s, err = longest, nil // delay-seconds is 1*DIGIT: too many for an int64
	}
	if err == nil && s >= 0 {
		// More seconds than a Duration holds would wrap, to a wait within any bound.
		return time.Duration(min(s, longest)) * time.Second
	}
	if t, err := http.ParseTime(h); err == nil {
		return max(t.Sub(now), 0)
	}
	return time.Second
}
