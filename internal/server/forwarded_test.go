package server

import (
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
)

// TestClientBehindTrustedProxyHasItsOwnLimits: behind the reverse proxy the shipped unit
// expects (the server on 127.0.0.1), every request came from the proxy's address, so one
// client that spent the wrong check codes (10) locked every holder out of the QR code's page,
// and one that spent the public limit stopped everyone's verification. With the proxy
// trusted, each client is limited by the address the proxy saw; what a client writes in
// X-Forwarded-For itself does not move it to another bucket, and a peer that is not a trusted
// proxy is limited by its own address whatever the header says.
func TestClientBehindTrustedProxyHasItsOwnLimits(t *testing.T) {
	cfg := newRegistryConfig(t)
	proxies, err := ParseTrustedProxies([]string{"127.0.0.1", "10.1.0.0/16"})
	if err != nil {
		t.Fatal(err)
	}
	cfg.TrustedProxies = proxies
	s := New(cfg)
	get := func(path, peer string, xff ...string) int {
		r := httptest.NewRequest("GET", path, nil)
		r.RemoteAddr = peer
		for _, v := range xff {
			r.Header.Add("X-Forwarded-For", v)
		}
		w := httptest.NewRecorder()
		s.ServeHTTP(w, r)
		return w.Code
	}
	const wrong = "/v/API-2026-000001/0123456789abcdef0123456789abcdef"
	// The attacker spends its wrong codes, naming a new client of its own each time: the
	// proxy appends the address it saw, which is what counts.
	limited := false
	for i := range CodeBurst + 5 {
		if get(wrong, "127.0.0.1:5555", "192.0.2."+string(rune('1'+i%9)), "198.51.100.7") == http.StatusTooManyRequests {
			limited = true
			break
		}
	}
	if !limited {
		t.Fatalf("%d wrong codes from one client behind the proxy were not limited", CodeBurst+5)
	}
	if code := get(wrong, "127.0.0.1:5555", "203.0.113.9, 198.51.100.7"); code != http.StatusTooManyRequests {
		t.Errorf("the limited client escaped its limit with an address of its own in X-Forwarded-For: %d", code)
	}
	// Another holder, through the same proxy, or through two trusted proxies.
	if code := get(wrong, "127.0.0.1:5556", "203.0.113.9"); code != http.StatusOK {
		t.Errorf("another client behind the proxy: %d, want 200 (one client locked out everyone)", code)
	}
	if code := get(wrong, "127.0.0.1:5557", "203.0.113.10, 10.1.2.3"); code != http.StatusOK {
		t.Errorf("another client behind two proxies: %d, want 200", code)
	}
	// A peer that is not a trusted proxy is its own client: its header is not believed.
	for range CodeBurst + 1 {
		get(wrong, "192.0.2.200:4000", "203.0.113.50")
	}
	if code := get(wrong, "192.0.2.200:4000", "203.0.113.51"); code != http.StatusTooManyRequests {
		t.Errorf("an untrusted peer escaped its limit with X-Forwarded-For: %d", code)
	}
	if code := get(wrong, "127.0.0.1:5558", "203.0.113.50"); code != http.StatusOK {
		t.Errorf("the address an untrusted peer named was charged: %d", code)
	}
}

// Without trusted proxies the header is ignored: the peer is the client.
func TestForwardedForIgnoredWithoutTrustedProxies(t *testing.T) {
	cfg := newRegistryConfig(t)
	noRefill(&cfg)
	s := New(cfg)
	for i := range DefaultRateBurst + 10 {
		r := httptest.NewRequest("GET", "/v/API-2026-000001", nil)
		r.RemoteAddr = "192.0.2.7:4000"
		r.Header.Set("X-Forwarded-For", "198.51.100."+strings.Repeat("1", 1+i%3))
		w := httptest.NewRecorder()
		s.ServeHTTP(w, r)
		if w.Code == http.StatusTooManyRequests {
			return
		}
	}
	t.Fatal("X-Forwarded-For moved a client to other buckets without any trusted proxy")
}

func TestClientAddr(t *testing.T) {
	proxies, err := ParseTrustedProxies([]string{"127.0.0.1", "::1", "10.0.0.0/8"})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		remote string
		xff    []string
		want   string
	}{
		{"127.0.0.1:1", nil, "127.0.0.1:1"},
		{"127.0.0.1:1", []string{"198.51.100.7"}, "198.51.100.7:0"},
		{"[::1]:1", []string{"2001:db8::5"}, "[2001:db8::5]:0"},
		{"[::ffff:127.0.0.1]:1", []string{"::ffff:198.51.100.7"}, "198.51.100.7:0"},
		{"127.0.0.1:1", []string{"6.6.6.6, 198.51.100.7"}, "198.51.100.7:0"},
		{"127.0.0.1:1", []string{"6.6.6.6", "198.51.100.7, 10.2.3.4"}, "198.51.100.7:0"},
		{"127.0.0.1:1", []string{"10.9.9.9, 10.2.3.4"}, "10.9.9.9:0"},
		{"127.0.0.1:1", []string{"junk"}, "127.0.0.1:1"},
		{"127.0.0.1:1", []string{"junk, 10.2.3.4"}, "10.2.3.4:0"},
		{"127.0.0.1:1", []string{"fe80::1%eth0"}, "127.0.0.1:1"},
		{"192.0.2.1:1", []string{"198.51.100.7"}, "192.0.2.1:1"},
		{"not an address", []string{"198.51.100.7"}, "not an address"},
	} {
		if got := clientAddr(c.remote, c.xff, proxies); got != c.want {
			t.Errorf("clientAddr(%q, %q) = %q, want %q", c.remote, c.xff, got, c.want)
		}
	}
	for _, bad := range []string{"localhost", "10.0.0.0/33", "fe80::1%eth0"} {
		if _, err := ParseTrustedProxies([]string{bad}); err == nil {
			t.Errorf("ParseTrustedProxies(%q) accepted it", bad)
		}
	}
	if ps, err := ParseTrustedProxies([]string{"10.1.2.3/8", " ", "::ffff:127.0.0.1"}); err != nil || len(ps) != 2 ||
		ps[0] != netip.MustParsePrefix("10.0.0.0/8") || ps[1] != netip.MustParsePrefix("127.0.0.1/32") {
		t.Errorf("ParseTrustedProxies = %v, %v", ps, err)
	}
}

// FuzzClientAddr: whatever the X-Forwarded-For headers, clientAddr answers as a reference
// that reads the entries from the right, all headers' entries flattened first: the peer when
// it is no trusted proxy, else the rightmost entry that is not a trusted proxy (the last
// address read when an entry that is not one comes first, the peer when none was read).
func FuzzClientAddr(f *testing.F) {
	proxies, err := ParseTrustedProxies([]string{"127.0.0.1", "::1", "10.0.0.0/8"})
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range []string{"198.51.100.7", "6.6.6.6, 198.51.100.7", "10.9.9.9, 10.2.3.4", "junk, 10.2.3.4", "fe80::1%eth0", "::ffff:10.0.0.1", ",,", ""} {
		f.Add("127.0.0.1:1", s, "10.1.1.1")
		f.Add("192.0.2.1:1", s, "")
	}
	f.Fuzz(func(t *testing.T, remote, xff1, xff2 string) {
		var xff []string
		for _, h := range []string{xff1, xff2} {
			if h != "" {
				xff = append(xff, h)
			}
		}
		got := clientAddr(remote, xff, proxies)
		want := func() string {
			peer, err := netip.ParseAddrPort(remote)
			if err != nil || !trusted(peer.Addr(), proxies) {
				return remote
			}
			var entries []string
			for _, h := range xff {
				entries = append(entries, strings.Split(h, ",")...)
			}
			var last netip.Addr
			for i := len(entries) - 1; i >= 0; i-- {
				a, err := netip.ParseAddr(strings.TrimSpace(entries[i]))
				if err != nil || a.Zone() != "" {
					break
				}
				if last = a.Unmap(); !trusted(last, proxies) {
					break
				}
			}
			if !last.IsValid() {
				return remote
			}
			return netip.AddrPortFrom(last, 0).String()
		}()
		if got != want {
			t.Fatalf("clientAddr(%q, %q) = %q, want %q", remote, xff, got, want)
		}
	})
}
