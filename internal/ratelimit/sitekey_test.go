package ratelimit

import (
	"net/http"
	"testing"
)

// TestSiteKey: an IPv6 client is its /48, an IPv4 client its address.
func TestSiteKey(t *testing.T) {
	for addr, want := range map[string]string{
		"[2001:db8:1:2:3:4:5:6]:443": "2001:db8:1::/48",
		"[2001:db8:1:ffff::1]:443":   "2001:db8:1::/48",
		"192.0.2.7:443":              "192.0.2.7",
		"[::ffff:192.0.2.7]:443":     "192.0.2.7",
	} {
		if got := SiteKey(&http.Request{RemoteAddr: addr}); got != want {
			t.Errorf("%s: %q, want %q", addr, got, want)
		}
	}
}
