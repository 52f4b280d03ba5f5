package client

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/ratelimit"
)

// TestRetryTooManyRequests verifies many digests at once against a server that limits the
// rate as the public endpoints do: every request gets its answer in the end.
func TestRetryTooManyRequests(t *testing.T) {
	lim := ratelimit.New(10, 10)
	var refused atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if ok, wait := lim.Allow("one client"); !ok {
			refused.Add(1)
			ratelimit.TooMany(w, wait)
			return
		}
		var in struct{ Digest string }
		if err := json.NewDecoder(r.Body).Decode(&in); err != nil || in.Digest == "" {
			http.Error(w, "the body was not sent again", http.StatusBadRequest)
			return
		}
		json.NewEncoder(w).Encode(map[string]string{"outcome": "unknown", "message": in.Digest})
	}))
	defer srv.Close()
	c, err := New(srv.URL, "")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make([]error, 25)
	for i := range errs {
		wg.Go(func() {
			st, err := c.VerifyDigest(context.Background(), "sha256:x")
			if err == nil && st.Message != "sha256:x" {
				err = errors.New("wrong answer " + st.Message)
			}
			errs[i] = err
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	if refused.Load() == 0 {
		t.Fatal("the server refused nothing: the test does not test retries")
	}
}

// TestRetryGivesUp returns the 429 when the server asks to wait longer than MaxRetryWait.
func TestRetryGivesUp(t *testing.T) {
	var n atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		w.Header().Set("Retry-After", "3600")
		w.WriteHeader(http.StatusTooManyRequests)
	}))
	defer srv.Close()
	c, _ := New(srv.URL, "")
	_, err := c.VerifyDigest(context.Background(), "sha256:x")
	var ae *APIError
	if !errors.As(err, &ae) || ae.Status != http.StatusTooManyRequests {
		t.Fatalf("err = %v, want a 429 APIError", err)
	}
	if n.Load() != 1 {
		t.Fatalf("%d requests: it should give up at once, not wait", n.Load())
	}
}

// TestRetryGivesUpOnAnOverflowingRetryAfter: a Retry-After of more seconds than a Duration
// holds, or enough that adding it to the time waited so far overflows, is past MaxRetryWait
// too. It used to wrap to a wait within the bound, or past it unnoticed, and the client then
// slept, for every later request as well, until the context ended. More seconds than an int64
// holds were read as no Retry-After, and the request sent again every second, ten times
// (found by audit, fifty-ninth session).
func TestRetryGivesUpOnAnOverflowingRetryAfter(t *testing.T) {
	for _, h := range []string{"9223372036", "9223372037", "99999999999999999", "99999999999999999999", "Fri, 31 Dec 9999 23:59:59 GMT"} {
		var n atomic.Int64
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			n.Add(1)
			w.Header().Set("Retry-After", h)
			w.WriteHeader(http.StatusTooManyRequests)
		}))
		c, _ := New(srv.URL, "")
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		_, err := c.VerifyDigest(ctx, "sha256:x")
		cancel()
		srv.Close()
		var ae *APIError
		if !errors.As(err, &ae) || ae.Status != http.StatusTooManyRequests {
			t.Errorf("Retry-After %s: err = %v, want a 429 APIError at once", h, err)
		}
		if n.Load() != 1 {
			t.Errorf("Retry-After %s: %d requests, want 1", h, n.Load())
		}
	}
}

// TestRetryAfterBeyondTheBoundHoldsNoLaterRequest: a Retry-After past MaxRetryWait on a
// retried request makes it give up, and is not kept for the client's later requests, which
// would otherwise wait for it before their first attempt (until year 9999, for one server).
func TestRetryAfterBeyondTheBoundHoldsNoLaterRequest(t *testing.T) {
	var n atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) == 1 {
			w.Header().Set("Retry-After", "0")
		} else {
			w.Header().Set("Retry-After", "Fri, 31 Dec 9999 23:59:59 GMT")
		}
		w.WriteHeader(http.StatusTooManyRequests)
	}))
	defer srv.Close()
	c, _ := New(srv.URL, "")
	for i := range 2 {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		_, err := c.VerifyDigest(ctx, "sha256:x")
		cancel()
		var ae *APIError
		if !errors.As(err, &ae) || ae.Status != http.StatusTooManyRequests {
			t.Fatalf("request %d: err = %v, want a 429 APIError at once", i+1, err)
		}
	}
}

func TestRetryAfter(t *testing.T) {
	now := time.Date(2026, 3, 2, 14, 30, 0, 0, time.UTC)
	for h, want := range map[string]time.Duration{
		"":                              time.Second,
		"0":                             0,
		"7":                             7 * time.Second,
		"-1":                            time.Second,
		"99999999999999999999":          math.MaxInt64 / time.Second * time.Second,
		"-99999999999999999999":         time.Second,
		"soon":                          time.Second,
		"Mon, 02 Mar 2026 14:30:05 GMT": 5 * time.Second,
		"Mon, 02 Mar 2026 14:29:00 GMT": 0,
	} {
		if got := retryAfter(h, now); got != want {
			t.Errorf("retryAfter(%q) = %v, want %v", h, got, want)
		}
	}
}

// TestRetryTurnKeepsToTheContext: while one request waits out a Retry-After for its turn to
// retry, another request whose context ends returns then, not once the first is done. The
// gate's lock was held through the wait and the retry, and taken without regard to the
// context, so the second waited out the first's Retry-After (up to MaxRetryWait), then the
// retry itself (up to the client's 5-minute timeout), whatever its own deadline.
func TestRetryTurnKeepsToTheContext(t *testing.T) {
	var n atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) == 1 {
			w.Header().Set("Retry-After", "2")
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		json.NewEncoder(w).Encode(map[string]string{"outcome": "unknown"})
	}))
	defer srv.Close()
	c, _ := New(srv.URL, "")
	first := make(chan error, 1)
	go func() {
		_, err := c.VerifyDigest(context.Background(), "sha256:x")
		first <- err
	}()
	for n.Load() == 0 {
		time.Sleep(time.Millisecond)
	}
	time.Sleep(50 * time.Millisecond) // the first is now waiting for its retry
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := c.VerifyDigest(ctx, "sha256:x")
	if took := time.Since(start); err == nil || took > time.Second {
		t.Errorf("a request with 100 ms to live behind a retry: err = %v after %v, want its deadline at once", err, took.Round(time.Millisecond))
	}
	if err := <-first; err != nil {
		t.Errorf("the retried request: %v", err)
	}
}
