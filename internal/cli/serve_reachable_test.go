package cli

import (
	"net"
	"strings"
	"testing"
)

// TestOperatorListenerOffLoopbackWarns: the profiler and metrics listeners carry no
// authentication; bound to an address other machines may reach, serve says so in its log,
// and says nothing for a loopback one.
func TestOperatorListenerOffLoopbackWarns(t *testing.T) {
	for _, c := range []struct {
		addr string
		warn bool
	}{{"127.0.0.1:0", false}, {"[::1]:0", false}, {"0.0.0.0:0", true}, {":0", true}} {
		ln, err := net.Listen("tcp", c.addr)
		if err != nil {
			t.Logf("%s: %v (skipped)", c.addr, err)
			continue
		}
		warnings := appendReachable(nil, ln, "the profiler", "profiles")
		ln.Close()
		if got := len(warnings) == 1 && strings.HasPrefix(warnings[0], "the profiler listens on "); got != c.warn {
			t.Errorf("%s: warned %v (%q), want %v", c.addr, got, warnings, c.warn)
		}
	}
}
