package dispatch

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/chancery/chancery/internal/registry"
)

// Sign returns the Standard Webhooks signature of body: "v1," and the base64 of
// HMAC-SHA256(key, id "." timestamp "." body), where key is the base64 after "whsec_" in
// secret.
func Sign(secret, id string, timestamp int64, body []byte) (string, error) {
	key, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(secret, "whsec_"))
	if err != nil || !strings.HasPrefix(secret, "whsec_") || len(key) == 0 {
		return "", errors.New("dispatch: webhook secret is not whsec_ and base64")
	}
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(id + "." + strconv.FormatInt(timestamp, 10) + "."))
	mac.Write(body)
	return "v1," + base64.StdEncoding.EncodeToString(mac.Sum(nil)), nil
}

// errPrivate is a connection refused because the endpoint's address is private.
var errPrivate = errors.New("refused: the endpoint resolves to a loopback, link-local or private address (--webhook-allow-private allows it)")

// WebhookClient returns the HTTP client webhooks are posted with. Unless allowPrivate, it
// refuses to connect to any address registry.DisallowedAddr refuses (which include those that
// reach one through NAT64 or 6to4): the check runs on the address actually dialled, after name
// resolution, so a host name that resolves (or is re-pointed) to an inside address is refused
// too. It uses no proxy and follows no redirect.
func WebhookClient(allowPrivate bool, timeout time.Duration) *http.Client {
	d := &net.Dialer{Timeout: timeout}
	if !allowPrivate {
		d.Control = refuseInside
	}
	return &http.Client{
		Timeout: timeout,
		Transport: &http.Transport{DialContext: d.DialContext, TLSHandshakeTimeout: timeout, MaxIdleConnsPerHost: 2,
			ResponseHeaderTimeout: timeout, DisableCompression: true},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// refuseInside is the webhook dialer's check of the address it is about to connect to.
func refuseInside(_, address string, _ syscall.RawConn) error {
	ap, err := netip.ParseAddrPort(address)
	if err != nil || registry.DisallowedAddr(ap.Addr()) {
		return fmt.Errorf("%s: %w", address, errPrivate)
	}
	return nil
}

// post delivers one webhook, signed with each of secrets (the endpoint's secret, then the
// previous one while it still signs: Standard Webhooks' space-separated signatures, which a
// receiver that knows either accepts): a 2xx answer is a delivery; anything else is recorded
// as the reply and tried again.
func post(ctx context.Context, cl *http.Client, url string, secrets []string, id string, body []byte, now time.Time) (string, error) {
	ts := now.Unix()
	sigs := make([]string, len(secrets))
	for i, secret := range secrets {
		var err error
		if sigs[i], err = Sign(secret, id, ts, body); err != nil {
			return "", err
		}
	}
	sig := strings.Join(sigs, " ")
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return "", err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "chancery-webhooks")
	req.Header.Set("webhook-id", id)
	req.Header.Set("webhook-timestamp", strconv.FormatInt(ts, 10))
	req.Header.Set("webhook-signature", sig)
	resp, err := cl.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 200))
	answer := printable(resp.Status+" "+string(b), 500)
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		e := &refusal{answer: answer, code: resp.StatusCode}
		if resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable {
			e.retryAfter = retryAfter(resp.Header.Get("Retry-After"), time.Now())
		}
		return answer, e
	}
	return answer, nil
}

// refusal is an endpoint's answer other than 2xx: its status code, and for 429 and 503 the
// wait its Retry-After asks for (0 if none).
type refusal struct {
	answer     string
	code       int
	retryAfter time.Duration
}

func (e *refusal) Error() string { return e.answer }

// retryAfter reads a Retry-After header (RFC 9110, 10.2.3): seconds, or an HTTP date, as the
// wait from now; 0 if it is absent, malformed or past. Seconds past what a Duration holds,
// however many digits, are the longest wait, which the caller caps at its backoff's maximum.
func retryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	const longest = math.MaxInt64 / time.Second
	n, err := strconv.ParseInt(v, 10, 64)
	if errors.Is(err, strconv.ErrRange) && strings.Trim(v, "0123456789") == "" {
		n, err = int64(longest), nil // delay-seconds is 1*DIGIT: too many for an int64
	}
	if err == nil {
		if n <= 0 {
			return 0
		}
		return time.Duration(min(n, int64(longest))) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}
