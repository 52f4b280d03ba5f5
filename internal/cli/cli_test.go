package cli_test

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"fmt"
	"github.com/chancery/chancery/internal/testbin"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/chancery/chancery/internal/cli"
	"github.com/chancery/chancery/internal/datadir"
	"github.com/chancery/chancery/internal/dsse"
	"github.com/chancery/chancery/internal/entry"
	"github.com/chancery/chancery/internal/store"
	"github.com/chancery/chancery/internal/translog"
	"github.com/rogpeppe/go-internal/testscript"
)

func TestMain(m *testing.M) {
	// verify keeps the newest checkpoint it has seen; never in the user's own directory.
	// Key files cheap to seal and open: the commands' own choice, age's default work factor,
	// is checked by package keys (TestDefaultWorkFactor).
	cli.SetKeyWorkFactor(10)
	state, err := os.MkdirTemp("", "chancery-state-")
	if err == nil {
		os.Setenv("CHANCERY_STATE_DIR", state)
	}
	testscript.Main(removingShared{m, state}, map[string]func(){
		"chancery": func() { os.Exit(cli.Main(os.Args[1:], os.Stdout, os.Stderr)) },
	})
}

// removingShared runs the tests, then removes the binaries they built with testbin.Shared and
// the state directory. (A command run by a script makes its state directory in the script's
// own temporary directory, removed with it.)
type removingShared struct {
	m     *testing.M
	state string
}

func (r removingShared) Run() int {
	defer testbin.RemoveShared()
	if r.state != "" {
		defer os.RemoveAll(r.state)
	}
	return r.m.Run()
}

func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir:                 "testdata",
		RequireExplicitExec: true,
		Setup: func(env *testscript.Env) error {
			env.Setenv("CHANCERY_STATE_DIR", env.WorkDir+"/.chancery-state")
			return nil
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"exits":  exits,
			"mklog":  mklog,
			"perm":   perm,
			"tamper": tamper,
		},
	})
}

// exits CODE PROG [ARGS...] runs PROG like exec and fails unless it exits with status CODE:
// the exit statuses are part of the command line's contract, and exec tells only zero from
// non-zero.
func exits(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: exits CODE PROG [ARGS...]")
	}
	want, err := strconv.Atoi(args[0])
	ts.Check(err)
	got := 0
	var exit *exec.ExitError
	if err := ts.Exec(args[1], args[2:]...); errors.As(err, &exit) {
		got = exit.ExitCode()
	} else {
		ts.Check(err)
	}
	if got != want {
		ts.Fatalf("%s exited with status %d, want %d", args[1], got, want)
	}
}

// mklog DIR N appends N well-formed entries, of every kind in turn, to the log of the
// initialized data directory DIR, creating the log if it does not exist yet. It stands in for
// a running server. The entries are signed by a new key on each call, so two logs made by
// mklog differ even at the same size.
func mklog(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: mklog DIR N")
	}
	n, err := strconv.Atoi(args[1])
	ts.Check(err)
	d, err := datadir.Open(ts.MkAbs(args[0]))
	ts.Check(err)
	_, key, err := ed25519.GenerateKey(rand.Reader)
	ts.Check(err)
	ctx := context.Background()
	db, err := store.OpenSQLite(ctx, d.Path)
	ts.Check(err)
	defer db.Close()
	lg, err := translog.Open(ctx, db, translog.Config{Origin: d.Settings.Origin, Signer: d.Signer(), Create: true})
	ts.Check(err)
	defer lg.Close()
	// Concurrent appends are batched by the sequencer: a few commits instead of N.
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			k := entry.Kinds[i%len(entry.Kinds)]
			payload := fmt.Appendf(nil, `{"reference":"TEST-%06d"}`, i)
			data, err := (&entry.Entry{Kind: k, Envelope: dsse.Sign(k.PayloadType(), payload, key)}).Encode()
			if err == nil {
				_, err = lg.Append(ctx, data)
			}
			errs[i] = err
		})
	}
	wg.Wait()
	ts.Check(errors.Join(errs...))
}

// perm MODE FILE checks FILE's permission bits, MODE in octal.
func perm(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 2 {
		ts.Fatalf("usage: perm MODE FILE")
	}
	want, err := strconv.ParseUint(args[0], 8, 32)
	ts.Check(err)
	fi, err := os.Stat(ts.MkAbs(args[1]))
	ts.Check(err)
	if got := fi.Mode().Perm(); (got == os.FileMode(want)) == neg {
		ts.Fatalf("%s has mode %#o", args[1], got)
	}
}

// tamper FILE adds one to the tree size of the signed checkpoint in FILE, keeping its
// signature: the edit a verifier must notice.
func tamper(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: tamper FILE")
	}
	lines := strings.SplitN(ts.ReadFile(args[0]), "\n", 3)
	if len(lines) != 3 {
		ts.Fatalf("%s is not a checkpoint", args[0])
	}
	size, err := strconv.ParseInt(lines[1], 10, 64)
	ts.Check(err)
	lines[1] = strconv.FormatInt(size+1, 10)
	ts.Check(os.WriteFile(ts.MkAbs(args[0]), []byte(strings.Join(lines, "\n")), 0o666))
}
