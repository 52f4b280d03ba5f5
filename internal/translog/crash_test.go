package translog_test

import (
	"bufio"
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	mathrand "math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/checkpoint"
	"github.com/chancery/chancery/internal/datadir"
	"github.com/chancery/chancery/internal/dsse"
	"github.com/chancery/chancery/internal/entry"
	"github.com/chancery/chancery/internal/store"
	"github.com/chancery/chancery/internal/store/storetest"
	"github.com/chancery/chancery/internal/testbin"
	"github.com/chancery/chancery/internal/translog"
	"golang.org/x/mod/sumdb/tlog"
)

// crashChildEnv names the data directory of the log the child process appends to; its
// presence is what makes TestCrashChild run.
const crashChildEnv = "CHANCERY_CRASH_CHILD"

// crashDatabaseEnv names the PostgreSQL database of that log; unset, it is SQLite in the
// data directory.
const crashDatabaseEnv = "CHANCERY_CRASH_DATABASE"

const (
	crashCycles  = 3
	crashWriters = 64
	// crashWatchdog stops a child that its parent failed to kill, so no test run leaves a
	// process behind.
	crashWatchdog = 60 * time.Second
)

// TestCrashRecovery SIGKILLs a process during concurrent appends, three times over on the
// same log, and after each kill checks that every append acknowledged before the kill is at
// its index with its content, that the tree recomputes from the stored entries, that the
// reopened log is consistent with every checkpoint published before, and that it takes more
// appends.
func TestCrashRecovery(t *testing.T) {
	crashRecovery(t, "")
}

// TestCrashRecoveryPostgres is TestCrashRecovery with the log in PostgreSQL.
func TestCrashRecoveryPostgres(t *testing.T) {
	if testing.Short() {
		t.Skip("kills and restarts child processes")
	}
	crashRecovery(t, storetest.PostgresURL(t))
}

// openStore opens the log's store: SQLite in dir, or the PostgreSQL database.
func openStore(ctx context.Context, database, dir string) (*store.DB, error) {
	if database == "" {
		return store.OpenSQLite(ctx, dir)
	}
	return store.OpenPostgres(ctx, database)
}

func crashRecovery(t *testing.T, database string) {
	if testing.Short() {
		t.Skip("kills and restarts child processes")
	}
	dir := filepath.Join(t.TempDir(), "data")
	d, err := datadir.Init(dir, datadir.Settings{Office: "Crash Test Office", Prefix: "CRASH", Origin: "crash.example/log", URL: "https://crash.example"})
	if err != nil {
		t.Fatal(err)
	}
	bin := testbin.Build(t)

	// acked maps every acknowledged index to the SHA-256 of its entry, over all cycles;
	// checkpoints holds every checkpoint published, in order.
	acked := map[int64][sha256.Size]byte{}
	var checkpoints [][]byte
	key := statementKey(t)
	for cycle := range crashCycles {
		run := runCrashChild(t, dir, database)
		for idx, h := range run.acks {
			if prev, ok := acked[idx]; ok && prev != h {
				t.Fatalf("cycle %d: index %d acknowledged for two different entries", cycle, idx)
			}
			acked[idx] = h
		}
		checkpoints = append(checkpoints, run.checkpoints...)
		t.Logf("cycle %d: killed after %d acknowledged appends and %d checkpoints", cycle, len(run.acks), len(run.checkpoints))

		db, l := reopen(t, d, database)
		last := checkpoints[len(checkpoints)-1]
		if c, _, err := checkpoint.Open(last, d.Verifier()); err != nil || l.Head().Size < c.Size {
			t.Fatalf("cycle %d: reopened at size %d, but a checkpoint of size %d was published (%v)", cycle, l.Head().Size, c.Size, err)
		}
		checkRecovered(t, d, db, l, acked, checkpoints)

		// The restarted log takes appends, and they are as sound as the rest.
		for idx, h := range appendSome(t, l, key, cycle) {
			acked[idx] = h
		}
		checkpoints = append(checkpoints, l.Head().Checkpoint)
		checkRecovered(t, d, db, l, acked, checkpoints)
		l.Close()
		db.Close()

		// The fsck agrees, from another process, on the log as the next child will find it.
		runLogVerify(t, bin, dir, database, checkpoints)
	}
}

// crashRun is what a child acknowledged before it was killed.
type crashRun struct {
	acks        map[int64][sha256.Size]byte
	checkpoints [][]byte
}

// runCrashChild starts a child appending to the log in dir, kills it with SIGKILL 200 to 800
// ms after its first acknowledged append, and returns what it acknowledged. A line counts
// only once it is complete: the child writes each with one write(2) to a pipe, after the
// append it reports returned, so a complete line is an acknowledgement the child gave.
func runCrashChild(t *testing.T, dir, database string) *crashRun {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), crashChildEnv+"="+dir, crashDatabaseEnv+"="+database)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	run := &crashRun{acks: map[int64][sha256.Size]byte{}}
	first := make(chan struct{})
	readErr := make(chan error, 1)
	go func() {
		readErr <- readChild(stdout, run, first)
	}()
	select {
	case <-first:
		time.Sleep(time.Duration(200+mathrand.IntN(600)) * time.Millisecond)
	case <-time.After(30 * time.Second):
		t.Error("the child acknowledged no append within 30s")
	case err := <-readErr:
		// The reader stops early only on a malformed line or the child's death.
		readErr <- err
	}
	cmd.Process.Kill()
	err = <-readErr
	werr := cmd.Wait()
	if err != nil {
		t.Fatalf("child: %v (exit: %v)\n%s", err, werr, stderr.String())
	}
	if t.Failed() || len(run.acks) == 0 || len(run.checkpoints) == 0 {
		t.Fatalf("child acknowledged %d appends and %d checkpoints (exit: %v)\n%s", len(run.acks), len(run.checkpoints), werr, stderr.String())
	}
	return run
}

// readChild reads the child's lines until the pipe closes, closing first at the first
// acknowledged append.
func readChild(r io.Reader, run *crashRun, first chan struct{}) error {
	br := bufio.NewReader(r)
	for {
		line, err := br.ReadString('\n')
		if err == io.EOF {
			// A last line without its newline was cut by the kill: not acknowledged.
			return nil
		}
		if err != nil {
			return err
		}
		f := strings.Fields(line)
		switch {
		case len(f) == 3 && f[0] == "ACK":
			idx, err := strconv.ParseInt(f[1], 10, 64)
			h, herr := hex.DecodeString(f[2])
			if err != nil || herr != nil || len(h) != sha256.Size {
				return fmt.Errorf("malformed line %q", line)
			}
			if _, dup := run.acks[idx]; dup {
				return fmt.Errorf("index %d acknowledged twice", idx)
			}
			run.acks[idx] = [sha256.Size]byte(h)
			if len(run.acks) == 1 {
				close(first)
			}
		case len(f) == 2 && f[0] == "CP":
			cp, err := base64.StdEncoding.DecodeString(f[1])
			if err != nil {
				return fmt.Errorf("malformed line %q", line)
			}
			run.checkpoints = append(run.checkpoints, cp)
		case len(f) > 0 && f[0] == "ERR":
			return fmt.Errorf("the child failed: %s", line)
		}
		// Anything else is the testing package's own output.
	}
}

// TestCrashChild is the child of TestCrashRecovery: it appends from many goroutines through
// the production path until it is killed, reporting on stdout each append once Append has
// returned ("ACK <index> <hex SHA-256 of the entry>") and each new checkpoint once published
// ("CP <base64 of the signed note>").
func TestCrashChild(t *testing.T) {
	dir := os.Getenv(crashChildEnv)
	if dir == "" {
		t.Skip("run as a child process by TestCrashRecovery")
	}
	var mu sync.Mutex
	emit := func(format string, args ...any) {
		line := fmt.Sprintf(format, args...)
		mu.Lock()
		defer mu.Unlock()
		// One write per line, so the parent never sees half an acknowledgement as whole.
		os.Stdout.WriteString(line)
	}
	ctx := context.Background()
	d, err := datadir.Open(dir)
	if err != nil {
		emit("ERR %v\n", err)
		return
	}
	db, err := openStore(ctx, os.Getenv(crashDatabaseEnv), d.Path)
	if err != nil {
		emit("ERR %v\n", err)
		return
	}
	l, err := translog.Open(ctx, db, translog.Config{Origin: d.Settings.Origin, Signer: d.Signer(), Create: true})
	if err != nil {
		emit("ERR %v\n", err)
		return
	}
	key := statementKey(t)
	// A random run ID keeps entries distinct across the children sharing the log.
	runID := rand.Text()
	for w := range crashWriters {
		go func() {
			for i := 0; ; i++ {
				e, err := makeEntry(key, fmt.Sprintf("%s-%d-%d", runID, w, i))
				if err != nil {
					emit("ERR %v\n", err)
					return
				}
				idx, err := l.Append(ctx, e)
				if err != nil {
					emit("ERR append: %v\n", err)
					return
				}
				emit("ACK %d %x\n", idx, sha256.Sum256(e))
			}
		}()
	}
	var size int64 = -1
	tick := time.NewTicker(10 * time.Millisecond)
	watchdog := time.After(crashWatchdog)
	for {
		select {
		case <-tick.C:
			if h := l.Head(); h.Size != size {
				size = h.Size
				emit("CP %s\n", base64.StdEncoding.EncodeToString(h.Checkpoint))
			}
		case <-watchdog:
			emit("ERR not killed within %v\n", crashWatchdog)
			os.Exit(1)
		}
	}
}

func reopen(t *testing.T, d *datadir.Dir, database string) (*store.DB, *translog.Log) {
	t.Helper()
	db, err := openStore(context.Background(), database, d.Path)
	if err != nil {
		t.Fatal(err)
	}
	l, err := translog.Open(context.Background(), db, translog.Config{Origin: d.Settings.Origin, Signer: d.Signer()})
	if err != nil {
		db.Close()
		t.Fatalf("reopen after the kill: %v", err)
	}
	return db, l
}

// checkRecovered checks the reopened log against everything acknowledged and published.
func checkRecovered(t *testing.T, d *datadir.Dir, db *store.DB, l *translog.Log, acked map[int64][sha256.Size]byte, checkpoints [][]byte) {
	t.Helper()
	ctx := context.Background()
	head := l.Head()

	// Verify recomputes the tree from the stored entries, compares every stored tile and the
	// head with it, and checks that every earlier checkpoint's root is the recomputed tree's
	// root at that size.
	sums := make([][sha256.Size]byte, 0, head.Size)
	check := func(i int64, e []byte) error {
		if i != int64(len(sums)) {
			return fmt.Errorf("verify checked entry %d after %d entries", i, len(sums))
		}
		sums = append(sums, sha256.Sum256(e))
		_, err := entry.Decode(e)
		return err
	}
	rep, err := translog.Verify(ctx, db, d.Verifier(), checkpoints, check, nil)
	if err != nil {
		t.Fatalf("verify: %v", err)
	}
	if rep.Size != head.Size || rep.Root != head.Root {
		t.Fatalf("verify found size %d root %v, the log's head is %d %v", rep.Size, rep.Root, head.Size, head.Root)
	}
	sizes := map[int64]bool{}
	for _, cp := range checkpoints {
		c, _, err := checkpoint.Open(cp, d.Verifier())
		if err != nil {
			t.Fatal(err)
		}
		sizes[c.Size] = true
		// An empty tree is a prefix of any: there is no proof to ask for.
		if c.Size == 0 {
			continue
		}
		p, err := l.ConsistencyProof(ctx, c.Size, head.Size)
		if err != nil {
			t.Fatalf("consistency proof from %d to %d: %v", c.Size, head.Size, err)
		}
		if err := tlog.CheckTree(p, head.Size, head.Root, c.Size, c.Root); err != nil {
			t.Fatalf("the checkpoint of size %d is not a prefix of the reopened log (size %d): %v", c.Size, head.Size, err)
		}
	}
	if len(rep.Consistent) != len(sizes) {
		t.Fatalf("verify proved %d of %d checkpoint sizes consistent", len(rep.Consistent), len(sizes))
	}
	for idx, h := range acked {
		if idx >= head.Size {
			t.Fatalf("append %d was acknowledged, but the reopened log has only %d entries", idx, head.Size)
		}
		if sums[idx] != h {
			t.Fatalf("entry %d is not the one acknowledged at that index", idx)
		}
	}
	// And through the read path the server uses, for a few of them.
	n := 0
	for idx, h := range acked {
		if n++; n > 20 {
			break
		}
		e, err := l.Entry(ctx, idx)
		if err != nil || sha256.Sum256(e) != h {
			t.Fatalf("Entry(%d) = %v: not the acknowledged entry", idx, err)
		}
		p, err := l.InclusionProof(ctx, idx, head.Size)
		if err != nil {
			t.Fatal(err)
		}
		if err := tlog.CheckRecord(p, head.Size, head.Root, idx, tlog.RecordHash(e)); err != nil {
			t.Fatalf("inclusion of %d in %d: %v", idx, head.Size, err)
		}
	}
}

// appendSome appends entries from several goroutines and returns what was acknowledged.
func appendSome(t *testing.T, l *translog.Log, key ed25519.PrivateKey, cycle int) map[int64][sha256.Size]byte {
	t.Helper()
	var mu sync.Mutex
	var wg sync.WaitGroup
	out := map[int64][sha256.Size]byte{}
	// A sequencer that stops answering fails the test in seconds, not at the test timeout.
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for w := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 20 {
				e, err := makeEntry(key, fmt.Sprintf("after-kill-%d-%d-%d", cycle, w, i))
				if err != nil {
					t.Error(err)
					return
				}
				idx, err := l.Append(ctx, e)
				if err != nil {
					t.Errorf("append after restart: %v", err)
					return
				}
				mu.Lock()
				out[idx] = sha256.Sum256(e)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if t.Failed() {
		t.FailNow()
	}
	return out
}

func statementKey(t *testing.T) ed25519.PrivateKey {
	_, k, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// makeEntry returns a well-formed release entry, so that `chancery log verify`, which decodes
// every entry, accepts the log.
func makeEntry(key ed25519.PrivateKey, ref string) ([]byte, error) {
	payload, err := json.Marshal(map[string]string{"reference": ref})
	if err != nil {
		return nil, err
	}
	e := &entry.Entry{Kind: entry.Release, Envelope: dsse.Sign(entry.Release.PayloadType(), payload, key)}
	return e.Encode()
}

// runLogVerify runs `chancery log verify` on dir with every checkpoint as a kept one.
func runLogVerify(t *testing.T, bin, dir, database string, checkpoints [][]byte) {
	t.Helper()
	args := []string{"log", "verify", "--data", dir}
	if database != "" {
		args = append(args, "--database", database)
	}
	cpDir := t.TempDir()
	for i, cp := range checkpoints {
		f := filepath.Join(cpDir, fmt.Sprintf("%d.checkpoint", i))
		if err := os.WriteFile(f, cp, 0o600); err != nil {
			t.Fatal(err)
		}
		args = append(args, "--checkpoint", f)
	}
	out, err := exec.Command(bin, args...).CombinedOutput()
	if err != nil || !bytes.Contains(out, []byte(" is sound: ")) {
		t.Fatalf("chancery log verify: %v\n%s", err, out)
	}
}
