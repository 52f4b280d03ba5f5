package registry

import "testing"

// TestPlainHTTPWebhook: which endpoint URLs are posted to in clear over the network.
func TestPlainHTTPWebhook(t *testing.T) {
	for s, want := range map[string]bool{
		"http://records.example.org/hooks": true,
		"HTTP://records.example.org/hooks": true,
		"http://10.0.0.5:8080/hooks":       true,
		"http://203.0.113.7/hooks":         true,
		"https://records.example.org":      false,
		"http://localhost:8080/hooks":      false,
		"http://a.localhost./hooks":        false,
		"http://127.0.0.1:9000/":           false,
		"http://[::1]:9000/":               false,
		"http://[::ffff:127.0.0.1]/":       false,
		"ftp://records.example.org":        false,
	} {
		if got := PlainHTTPWebhook(s); got != want {
			t.Errorf("PlainHTTPWebhook(%q) = %v, want %v", s, got, want)
		}
	}
}
