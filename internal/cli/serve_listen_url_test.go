package cli

import "testing"

// TestListenURLDiffers: the registry's URL an earlier serve recorded differs from this serve's
// listen address when it was taken from a listen address (http://HOST:PORT, HOST an address
// or localhost) that this one does not answer; a URL with a name, https, or a path was given
// with --url, and is not compared.
func TestListenURLDiffers(t *testing.T) {
	for _, c := range []struct {
		recorded, addr string
		want           bool
	}{
		{"http://127.0.0.1:8080", "127.0.0.1:8080", false},
		{"http://127.0.0.1:8080/", "127.0.0.1:8080", false},
		{"http://127.0.0.1:8080", "127.0.0.1:9090", true},
		{"http://127.0.0.1:8080", "127.0.0.2:8080", true},
		{"http://127.0.0.1:8080", "0.0.0.0:8080", false},
		{"http://127.0.0.1:8080", "[::]:9090", true},
		{"http://[::1]:8080", "[::1]:8080", false},
		{"http://[::1]:8080", "127.0.0.1:8080", true},
		{"http://localhost:8080", "127.0.0.1:8080", false},
		{"http://localhost:8080", "192.0.2.1:8080", true},
		{"http://192.0.2.1:8080", "127.0.0.1:8080", true},
		{"https://127.0.0.1:8080", "127.0.0.1:9090", false},
		{"http://letters.example.org:8080", "127.0.0.1:9090", false},
		{"http://127.0.0.1:8080/registry", "127.0.0.1:9090", false},
		{"http://127.0.0.1", "127.0.0.1:9090", false},
		{"https://letters.example.org", "127.0.0.1:9090", false},
	} {
		if got := listenURLDiffers(c.recorded, c.addr); got != c.want {
			t.Errorf("listenURLDiffers(%q, %q) = %v, want %v", c.recorded, c.addr, got, c.want)
		}
	}
}
