package cli_test

import (
	"net"
	"net/http"
	"os"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
)

// TestServerScripts runs the scripts in testdata/server, which start 'chancery serve' in the
// background on a free port (in $ADDR, with CHANCERY_URL pointing at it) and talk to it.
// $ADDR2 is another free port.
func TestServerScripts(t *testing.T) {
	if testing.Short() {
		t.Skip("starts servers")
	}
	testscript.Run(t, testscript.Params{
		Dir:                 "testdata/server",
		RequireExplicitExec: true,
		Setup: func(env *testscript.Env) error {
			l, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				return err
			}
			addr := l.Addr().String()
			l.Close()
			env.Setenv("ADDR", addr)
			env.Setenv("CHANCERY_URL", "http://"+addr)
			// A second free port, for a second server (a witness).
			if l, err = net.Listen("tcp", "127.0.0.1:0"); err != nil {
				return err
			}
			env.Setenv("ADDR2", l.Addr().String())
			l.Close()
			return nil
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"exits":     exits,
			"waitready": waitready,
		},
	})
}

// waitready waits until the server at $CHANCERY_URL answers /readyz.
func waitready(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 0 {
		ts.Fatalf("usage: waitready")
	}
	url := ts.Getenv("CHANCERY_URL") + "/readyz"
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if resp, err := http.Get(url); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
	}
	ts.Fatalf("the server at %s did not become ready", os.Getenv("CHANCERY_URL"))
}
