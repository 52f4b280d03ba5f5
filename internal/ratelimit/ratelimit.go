// Package ratelimit limits requests per client address with token buckets, for the public
// endpoints anyone can call (verification, identification) so that one client cannot starve
// the others.
package ratelimit

import (
	"crypto/sha256"
	"math"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"time"
)

// MaxKeys bounds the clients a Limiter remembers at once. A client is forgotten once its
// bucket has refilled, at the next sweep (one a minute); between sweeps, a client holding
// many addresses (an IPv6 network wider than a /64, a botnet) or typing many account names
// would otherwise grow the map without bound. A client is some 150 bytes, so a limiter
// holds some 20 MB at most; a verify page visited by a million people an hour has a few
// tens of thousands of clients at once.
const MaxKeys = 1 << 17

// maxKeyLen bounds the bytes of a key kept: a longer key (an account name as a form sends
// it) is kept as its SHA-256.
const maxKeyLen = 64

// NetworkShare is how many clients' limits the IPv6 /64 networks of one /48 share. A site
// is given a /48 (a tunnel broker gives one to anyone who asks), which holds 65536 /64s:
// limited by /64 alone, one such client made 65536 times the requests of a client with one
// address. Each /64 keeps its own limit within the share, so a client of a busy site is
// limited as before until the site as a whole makes NetworkShare clients' requests.
const NetworkShare = 16

// forgetSample is how many buckets are looked at to choose the one to forget when the
// limiter is full.
const forgetSample = 64

// Limiter allows each key Rate requests per second on average, in bursts of up to Burst,
// remembering at most MaxKeys keys; the IPv6 /64 keys of one /48 (as Key gives them) share
// NetworkShare times that besides. It is safe for concurrent use.
type Limiter struct {
	rate  float64
	burst float64
	now   func() time.Time

	mu      sync.Mutex
	buckets map[string]*bucket
	swept   time.Time
}

type bucket struct {
	tokens float64
	last   time.Time
	share  float64 // the limits it holds: 1 for a key, NetworkShare for an IPv6 /48
}

// New returns a limiter of rate requests per second with bursts of burst (at least 1).
func New(rate float64, burst int) *Limiter {
	return &Limiter{rate: rate, burst: math.Max(1, float64(burst)), now: time.Now, buckets: map[string]*bucket{}}
}

// Allow takes one token from key's bucket (and from its /48's, for an IPv6 /64). If there is
// none, it takes nothing and returns false and how long until there will be one.
func (l *Limiter) Allow(key string) (bool, time.Duration) {
	site := siteOf(key)
	key = shortKey(key)
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	l.sweep(now)
	b := l.bucket(key, 1, now)
	ok, wait := l.refill(b, now)
	var s *bucket
	if site != "" {
		s = l.bucket(site, NetworkShare, now)
		sok, swait := l.refill(s, now)
		ok, wait = ok && sok, max(wait, swait)
	}
	if !ok {
		return false, wait
	}
	b.tokens--
	if s != nil {
		s.tokens--
	}
	return true, 0
}

// Check reports whether key's bucket (and its /48's, for an IPv6 /64) holds a token, without
// taking it, and if not how long until it will. It serves limits on failures: check before
// an attempt, Allow after a failed one, so that a client out of tokens is refused before its
// attempt is judged.
func (l *Limiter) Check(key string) (bool, time.Duration) {
	site := siteOf(key)
	key = shortKey(key)
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	ok, wait := l.peek(key, now)
	if site != "" {
		sok, swait := l.peek(site, now)
		ok, wait = ok && sok, max(wait, swait)
	}
	return ok, wait
}

// bucket returns key's bucket, a full one of share limits if key has none.
func (l *Limiter) bucket(key string, share float64, now time.Time) *bucket {
	b, ok := l.buckets[key]
	if !ok {
		if len(l.buckets) >= MaxKeys {
			l.forget()
		}
		b = &bucket{tokens: l.burst * share, last: now, share: share}
		l.buckets[key] = b
	}
	return b
}

// refill adds to b the tokens earned since it was last seen, and reports whether it holds
// one, and if not how long until it will.
func (l *Limiter) refill(b *bucket, now time.Time) (bool, time.Duration) {
	b.tokens = l.tokens(b, now)
	b.last = now
	return l.ready(b.tokens, b.share)
}

// peek is refill for key's bucket, without changing it; a key without one has a token.
func (l *Limiter) peek(key string, now time.Time) (bool, time.Duration) {
	b, ok := l.buckets[key]
	if !ok {
		return true, 0
	}
	return l.ready(l.tokens(b, now), b.share)
}

// tokens is what b holds at now.
func (l *Limiter) tokens(b *bucket, now time.Time) float64 {
	return math.Min(l.burst*b.share, b.tokens+now.Sub(b.last).Seconds()*l.rate*b.share)
}

// ready reports whether a bucket of share limits holding tokens has one, and if not how
// long until it will.
func (l *Limiter) ready(tokens, share float64) (bool, time.Duration) {
	if tokens >= 1 {
		return true, 0
	}
	return false, time.Duration((1 - tokens) / (l.rate * share) * float64(time.Second))
}

// sweep forgets, at most once a minute, the buckets that have refilled: they are the same as
// new ones, so memory stays bounded by the clients of the last minutes.
func (l *Limiter) sweep(now time.Time) {
	if now.Sub(l.swept) < time.Minute {
		return
	}
	l.swept = now
	full := time.Duration(l.burst / l.rate * float64(time.Second))
	for k, b := range l.buckets {
		if now.Sub(b.last) > full {
			delete(l.buckets, k)
		}
	}
}

// forget removes, of forgetSample buckets (the map's order is random), the one seen longest
// ago: the clients asking now, the limited ones among them, stay. A client forgotten before
// its bucket refilled gets a full one, which a client with more than MaxKeys addresses has
// anyway.
func (l *Limiter) forget() {
	var oldest string
	var at time.Time
	n := 0
	for k, b := range l.buckets {
		if n == 0 || b.last.Before(at) {
			oldest, at = k, b.last
		}
		if n++; n == forgetSample {
			break
		}
	}
	delete(l.buckets, oldest)
}

// shortKey is key, or, for a key longer than maxKeyLen, a NUL byte and its SHA-256 (no key
// of a client address or account name holds a NUL).
func shortKey(key string) string {
	if len(key) <= maxKeyLen {
		return key
	}
	sum := sha256.Sum256([]byte(key))
	return "\x00" + string(sum[:])
}

// siteOf returns the /48 network of key when key is an IPv6 /64 network as Key gives it,
// else "".
func siteOf(key string) string {
	if !strings.HasSuffix(key, "/64") {
		return ""
	}
	p, err := netip.ParsePrefix(key)
	if err != nil || !p.Addr().Is6() || p.Bits() != 64 {
		return ""
	}
	site, _ := p.Addr().Prefix(48)
	return site.String()
}

// Key is the client address of r: its IPv4 address, or the /64 network of its IPv6
// address, without the port. An IPv6 client is given a /64 (or more) and can take a new
// address in it for each request, so the network is what identifies it; a Limiter also
// limits the /64s of one /48 together (NetworkShare). Behind a reverse proxy RemoteAddr is
// the client's only when the server trusts the proxy's X-Forwarded-For
// (server.Config.TrustedProxies); otherwise every request shares the proxy's address.
func Key(r *http.Request) string {
	ap, err := netip.ParseAddrPort(r.RemoteAddr)
	if err != nil {
		host, _, err := net.SplitHostPort(r.RemoteAddr)
		if err != nil {
			return r.RemoteAddr
		}
		return host
	}
	ip := ap.Addr().Unmap()
	if ip.Is4() {
		return ip.String()
	}
	p, _ := ip.WithZone("").Prefix(64)
	return p.String()
}

// SiteKey is Key, but the /48 network for an IPv6 client: the site a single party is given
// (a tunnel broker gives one to anyone who asks), for what a client may hold at once rather
// than how often it asks (the server's upload and identification budgets).
func SiteKey(r *http.Request) string {
	k := Key(r)
	if site := siteOf(k); site != "" {
		return site
	}
	return k
}

// Handler limits h per client address, answering 429 Too Many Requests with Retry-After.
func (l *Limiter) Handler(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if ok, wait := l.Allow(Key(r)); !ok {
			TooMany(w, wait)
			return
		}
		h.ServeHTTP(w, r)
	})
}

// TooMany answers 429 with a Retry-After of wait, rounded up to whole seconds.
func TooMany(w http.ResponseWriter, wait time.Duration) {
	TooManySaying(w, wait, "too many requests: try again in a moment")
}

// TooManySaying is TooMany with its text, msg (the web pages' in the reader's language).
func TooManySaying(w http.ResponseWriter, wait time.Duration, msg string) {
	w.Header().Set("Retry-After", RetryAfter(wait))
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(http.StatusTooManyRequests)
	w.Write([]byte(msg + "\n"))
}

// RetryAfter is a Retry-After header's value for wait: whole seconds, rounded up.
func RetryAfter(wait time.Duration) string { return strconv.Itoa(int(math.Ceil(wait.Seconds()))) }
