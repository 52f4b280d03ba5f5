package ratelimit

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestLimiter(t *testing.T) {
	now := time.Unix(0, 0)
	l := New(2, 3)
	l.now = func() time.Time { return now }
	for i := range 3 {
		if ok, _ := l.Allow("a"); !ok {
			t.Fatalf("request %d of a burst of 3 refused", i+1)
		}
	}
	ok, wait := l.Allow("a")
	if ok || wait != 500*time.Millisecond {
		t.Fatalf("fourth request: %v, wait %v; want refused for 500ms", ok, wait)
	}
	if ok, _ := l.Allow("b"); !ok {
		t.Fatal("another client was refused")
	}
	now = now.Add(500 * time.Millisecond)
	if ok, _ := l.Allow("a"); !ok {
		t.Fatal("refused after refilling")
	}
	now = now.Add(time.Hour)
	l.Allow("c")
	if len(l.buckets) != 1 {
		t.Errorf("%d buckets after a sweep, want 1", len(l.buckets))
	}
}

func TestHandler(t *testing.T) {
	h := New(1, 1).Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	get := func() *httptest.ResponseRecorder {
		w := httptest.NewRecorder()
		r := httptest.NewRequest("GET", "/verify", nil)
		r.RemoteAddr = "192.0.2.7:4321"
		h.ServeHTTP(w, r)
		return w
	}
	if w := get(); w.Code != 200 {
		t.Fatalf("first request: %d", w.Code)
	}
	w := get()
	if w.Code != http.StatusTooManyRequests || w.Header().Get("Retry-After") != "1" {
		t.Fatalf("second request: %d, Retry-After %q", w.Code, w.Header().Get("Retry-After"))
	}
}

func TestCheck(t *testing.T) {
	now := time.Unix(0, 0)
	l := New(1, 2)
	l.now = func() time.Time { return now }
	if ok, _ := l.Check("a"); !ok {
		t.Fatal("a new client is refused")
	}
	l.Allow("a")
	l.Allow("a")
	for range 3 { // checking takes nothing
		if ok, wait := l.Check("a"); ok || wait != time.Second {
			t.Fatalf("after its burst: %v, wait %v; want refused for 1s", ok, wait)
		}
	}
	now = now.Add(time.Second)
	if ok, _ := l.Check("a"); !ok {
		t.Fatal("refused after refilling")
	}
	if ok, _ := l.Allow("a"); !ok {
		t.Fatal("the token Check saw was not there")
	}
}

// TestKeyIsTheClientsNetwork: IPv4 clients are told apart by address, IPv6 clients by /64,
// whatever their port; an IPv4 address written as IPv6 is the IPv4 address.
func TestKeyIsTheClientsNetwork(t *testing.T) {
	for _, c := range []struct{ remote, want string }{
		{"192.0.2.7:1234", "192.0.2.7"},
		{"[::ffff:192.0.2.7]:1234", "192.0.2.7"},
		{"[2001:db8:1:2::1]:1234", "2001:db8:1:2::/64"},
		{"[2001:db8:1:2:ffff:ee:dd:cc]:9", "2001:db8:1:2::/64"},
		{"[2001:db8:1:3::1]:1234", "2001:db8:1:3::/64"},
		{"[fe80::1%eth0]:1234", "fe80::/64"},
		{"not an address", "not an address"},
	} {
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = c.remote
		if got := Key(r); got != c.want {
			t.Errorf("Key(%q) = %q, want %q", c.remote, got, c.want)
		}
	}
}

// TestLimiterMemoryIsBounded: a limiter remembers at most MaxKeys clients, and no more than
// maxKeyLen bytes of each key, however many distinct keys arrive before a sweep and however
// long they are (a sign-in's account name is whatever the form says: 64 KB). When full, the
// client seen longest ago is forgotten first, never the one just limited.
func TestLimiterMemoryIsBounded(t *testing.T) {
	now := time.Unix(0, 0)
	l := New(1, 2)
	l.now = func() time.Time { return now }
	l.Allow("victim")
	l.Allow("victim")
	for i := range MaxKeys + 1000 {
		now = now.Add(time.Microsecond) // all within one sweep's minute
		l.Allow(fmt.Sprintf("%d-%s", i, strings.Repeat("x", 1000)))
		if i%1000 == 0 {
			l.Allow("victim") // limited, and seen again
		}
	}
	bytes := 0
	for k := range l.buckets {
		bytes += len(k)
	}
	if len(l.buckets) > MaxKeys || bytes > MaxKeys*maxKeyLen {
		t.Errorf("%d buckets of %d bytes of keys; want at most %d of %d", len(l.buckets), bytes, MaxKeys, MaxKeys*maxKeyLen)
	}
	if ok, _ := l.Allow("victim"); ok {
		t.Error("a limited client was forgotten while it kept asking")
	}
	long := strings.Repeat("y", 64<<10)
	l.Allow(long)
	if ok, _ := l.Allow(long); !ok {
		t.Fatal("burst of 2 refused")
	}
	if ok, _ := l.Allow(long); ok {
		t.Error("a long key is not limited")
	}
	if ok, _ := l.Allow(long[:len(long)-1] + "z"); !ok {
		t.Error("two long keys that differ only at their end share a bucket")
	}
}

// TestIPv6SiteSharesALimit: an IPv6 site is given a /48 (a tunnel broker gives one to anyone),
// which holds 65536 /64 networks: keyed by /64 alone, one client of such a site made 65536
// times the requests of a client with one address, and filled the limiter with its networks.
// The /64s of a /48 share NetworkShare times a client's limit; another site keeps its own.
func TestIPv6SiteSharesALimit(t *testing.T) {
	now := time.Unix(0, 0)
	l := New(1, 2)
	l.now = func() time.Time { return now }
	allowed := 0
	for i := range 1 << 16 {
		if ok, _ := l.Allow(fmt.Sprintf("2001:db8:1:%x::/64", i)); ok {
			allowed++
		}
	}
	if want := NetworkShare * 2; allowed != want {
		t.Errorf("one /48 made %d requests in a burst, want %d", allowed, want)
	}
	if ok, wait := l.Check("2001:db8:1:ffff::/64"); ok || wait != time.Second/NetworkShare {
		t.Errorf("a spent /48's network checked: %v, wait %v; want refused for %v", ok, wait, time.Second/NetworkShare)
	}
	if ok, _ := l.Allow("2001:db8:2::/64"); !ok {
		t.Error("another /48 was refused")
	}
	if ok, _ := l.Allow("192.0.2.7"); !ok {
		t.Error("an IPv4 client was refused")
	}
	now = now.Add(time.Second)
	if ok, _ := l.Allow("2001:db8:1:ffff::/64"); !ok {
		t.Error("refused after the /48 refilled")
	}
}
