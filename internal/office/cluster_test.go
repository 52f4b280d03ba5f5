package office_test

import (
	"bufio"
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"database/sql"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/checkpoint"
	"github.com/chancery/chancery/internal/client"
	"github.com/chancery/chancery/internal/datadir"
	"github.com/chancery/chancery/internal/dsse"
	"github.com/chancery/chancery/internal/registry"
	"github.com/chancery/chancery/internal/store/storetest"
	"github.com/chancery/chancery/internal/syncbuf"
	"github.com/chancery/chancery/internal/testbin"
	"github.com/chancery/chancery/internal/translog"
	"github.com/transparency-dev/merkle/compact"
	"github.com/transparency-dev/merkle/rfc6962"
	"golang.org/x/mod/sumdb/tlog"
)

// node is one `chancery serve` process of the cluster.
type node struct {
	name string
	cmd  *exec.Cmd
	url  string
	dead atomic.Bool // killed: skip it
	// paused is set while the process is stopped (SIGSTOP): requests to it would hang.
	paused atomic.Bool
	stderr *syncbuf.Buffer
}

// TestCluster runs three servers on one PostgreSQL database under a burst of releases from
// several clients, each client sending each step to the servers in turn. Mid-burst it kills
// (SIGKILL) the server that holds the sequencer lease, and later pauses (SIGSTOP) the one that
// took over until a third one has taken over from it, then resumes it (SIGCONT). Every
// release a client saw acknowledged must be in the log at its index; the log must verify,
// recomputed from the entry bundles each surviving server serves; the survivors must serve the
// same checkpoint once quiet; and no two checkpoints of the same size served during the test
// may differ.
func TestCluster(t *testing.T) {
	if testing.Short() {
		t.Skip("starts, kills and pauses server processes")
	}
	dbURL := storetest.PostgresURL(t)
	bin := testbin.Build(t)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()

	// One office, initialized once; each server gets a copy of its data directory.
	root := t.TempDir()
	initCmd := exec.Command(bin, "init", "--data", filepath.Join(root, "office"), "--office", "Cluster Office",
		"--prefix", "CLU", "--url", "http://cluster.example", "--no-pdf-ca", "--database", dbURL)
	out, err := initCmd.Output()
	if err != nil {
		t.Fatalf("init: %v", err)
	}
	adminTok := strings.TrimSpace(string(out))
	d, err := datadir.Open(filepath.Join(root, "office"))
	if err != nil {
		t.Fatal(err)
	}
	nodes := make([]*node, 3)
	for i := range nodes {
		dir := filepath.Join(root, fmt.Sprintf("node%d", i))
		if out, err := exec.Command("cp", "-a", filepath.Join(root, "office"), dir).CombinedOutput(); err != nil {
			t.Fatalf("copy the data directory: %v\n%s", err, out)
		}
		nodes[i] = startNode(t, bin, dir, dbURL, fmt.Sprintf("node%d", i))
	}

	// Members and the signer's key, through the first server.
	admin := newClient(t, nodes[0].url, adminTok)
	toks := map[string]string{}
	for name, role := range map[string]string{"dave": registry.RoleDrafter, "rita": registry.RoleReviewer,
		"sam": registry.RoleSigner, "rory": registry.RoleRelease} {
		if toks[name], err = admin.AddMember(ctx, name, []string{role}); err != nil {
			t.Fatal(err)
		}
	}
	pub, key, _ := ed25519.GenerateKey(rand.Reader)
	keyID, _, err := newClient(t, nodes[0].url, toks["sam"]).RegisterKey(ctx, pub)
	if err != nil {
		t.Fatal(err)
	}

	// Every checkpoint any server serves, by size.
	seen := &checkpoints{bySize: map[int64][]byte{}}
	stopWatching := watchCheckpoints(t, nodes, seen)

	const clients, each = 6, 10
	var mu sync.Mutex
	acked := map[string]int64{} // reference -> log index
	var ackedAfterKill atomic.Int64
	var wg sync.WaitGroup
	for c := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := range each {
				ref, idx, err := releaseOne(ctx, t, nodes, toks, keyID, key, c+k, fmt.Sprintf("client %d letter %d", c, k))
				if err != nil {
					t.Errorf("client %d: %v", c, err)
					return
				}
				if idx < 0 {
					continue // released, but never acknowledged
				}
				mu.Lock()
				acked[ref] = idx
				mu.Unlock()
				ackedAfterKill.Add(1)
			}
		}()
	}

	db, err := sql.Open("pgx", dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	waitAcked := func(n int64) {
		for ackedAfterKill.Load() < n {
			select {
			case <-ctx.Done():
				t.Fatalf("only %d releases acknowledged", ackedAfterKill.Load())
			case <-time.After(10 * time.Millisecond):
			}
		}
	}

	// Kill the sequencer mid-burst.
	waitAcked(clients * each / 4)
	victim := sequencer(t, ctx, db, nodes, nil)
	killed := time.Now()
	victim.dead.Store(true)
	victim.cmd.Process.Kill()
	ackedAfterKill.Store(0)
	waitAcked(1)
	t.Logf("killed %s (SIGKILL) while it sequenced; next release acknowledged %v later", victim.name, time.Since(killed).Round(time.Millisecond))

	// Pause the next sequencer until the other one has taken over and committed, then
	// resume it.
	ackedAfterKill.Store(0)
	waitAcked(2)
	paused := sequencer(t, ctx, db, nodes, func(n *node) {
		n.paused.Store(true)
		n.cmd.Process.Signal(syscall.SIGSTOP)
	})
	var taken bool
	for !taken {
		holder := leaseHolder(t, ctx, db)
		taken = holder != "" && holder != paused.name
		if !taken {
			time.Sleep(20 * time.Millisecond)
		}
	}
	ackedAfterKill.Store(0)
	waitAcked(3)
	paused.cmd.Process.Signal(syscall.SIGCONT)
	paused.paused.Store(false)
	t.Logf("paused %s (SIGSTOP) while it sequenced; another took over; resumed it", paused.name)

	wg.Wait()
	if t.Failed() {
		for _, n := range nodes {
			t.Logf("%s stderr:\n%s", n.name, n.stderr)
		}
		t.FailNow()
	}

	// Quiet: the survivors come to serve the same checkpoint, of the whole log.
	var final []byte
	for {
		var cps [][]byte
		for _, n := range live(nodes) {
			cp, err := get(ctx, n.url+"/log/checkpoint")
			if err != nil {
				t.Fatal(err)
			}
			cps = append(cps, cp)
		}
		if bytes.Equal(cps[0], cps[1]) {
			final = cps[0]
			break
		}
		select {
		case <-ctx.Done():
			t.Fatalf("the survivors serve different checkpoints:\n%s\n%s", cps[0], cps[1])
		case <-time.After(50 * time.Millisecond):
		}
	}
	stopWatching()
	c, _, err := checkpoint.Open(final, d.Verifier())
	if err != nil {
		t.Fatal(err)
	}
	if seen.conflict != "" {
		t.Fatal(seen.conflict)
	}
	t.Logf("%d releases acknowledged, log size %d, %d distinct checkpoints seen", len(acked), c.Size, len(seen.bySize))

	// Each survivor's /log/ recomputes to the checkpoint, and holds every acknowledged
	// release at its index.
	for _, n := range live(nodes) {
		entries := fetchEntries(t, ctx, n.url, c.Size)
		rf := compact.RangeFactory{Hash: rfc6962.DefaultHasher.HashChildren}
		r := rf.NewEmptyRange(0)
		for _, e := range entries {
			if err := r.Append(rfc6962.DefaultHasher.HashLeaf(e), nil); err != nil {
				t.Fatal(err)
			}
		}
		got, err := r.GetRootHash(nil)
		if err != nil || !bytes.Equal(got, c.Root[:]) {
			t.Fatalf("%s: the entries it serves hash to %x, its checkpoint says %x (%v)", n.name, got, c.Root, err)
		}
		cl := newClient(t, n.url, toks["dave"])
		for ref, idx := range acked {
			st, err := cl.StatusOf(ctx, ref)
			if err != nil {
				t.Fatalf("%s: status of %s: %v", n.name, ref, err)
			}
			if st.LogIndex == nil || *st.LogIndex != idx {
				t.Fatalf("%s: %s released at log index %v, acknowledged at %d", n.name, ref, st.LogIndex, idx)
			}
		}
	}
}

func startNode(t *testing.T, bin, dir, dbURL, name string) *node {
	t.Helper()
	cmd := exec.Command(bin, "serve", "--data", dir, "--database", dbURL, "--listen", "127.0.0.1:0", "--rate-limit", "-1")
	// The sessions' application name tells the test which server holds the lease.
	cmd.Env = append(os.Environ(), "PGAPPNAME="+name)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	n := &node{name: name, cmd: cmd, stderr: &syncbuf.Buffer{}}
	cmd.Stderr = n.stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGCONT)
		cmd.Process.Kill()
		cmd.Wait()
	})
	sc := bufio.NewScanner(stdout)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "chancery: serving "); ok {
			n.url, _, _ = strings.Cut(rest, " ")
			break
		}
	}
	if n.url == "" {
		cmd.Wait()
		t.Fatalf("%s did not start: %s", name, n.stderr)
	}
	go io.Copy(io.Discard, stdout)
	return n
}

func newClient(t *testing.T, url, tok string) *client.Client {
	t.Helper()
	c, err := client.New(url, tok)
	if err != nil {
		t.Fatal(err)
	}
	c.HTTP.Timeout = 20 * time.Second
	return c
}

func live(nodes []*node) []*node {
	var out []*node
	for _, n := range nodes {
		if !n.dead.Load() && !n.paused.Load() {
			out = append(out, n)
		}
	}
	return out
}

// releaseOne takes one letter from draft to release, each step through the next live server,
// retrying a step on another server when one fails for lack of a server. It returns the
// release's log index, or -1 when the release went through but its answer was lost.
func releaseOne(ctx context.Context, t *testing.T, nodes []*node, toks map[string]string, keyID string, key ed25519.PrivateKey, turn int, text string) (string, int64, error) {
	// A step retried after its server died may have been done by the first try, whose answer
	// was lost: then the retry is refused as a conflict (already approved, already signed),
	// which means done.
	step := func(who string, fn func(c *client.Client) error) error {
		var err error
		for try := 0; try < 50; try++ {
			ns := live(nodes)
			turn++
			n := ns[turn%len(ns)]
			if err = fn(newClient(t, n.url, toks[who])); err == nil {
				return nil
			}
			var api *client.APIError
			if try > 0 && who != "rory" && errors.As(err, &api) && api.Status == http.StatusConflict {
				return nil
			}
			if errors.As(err, &api) && api.Status < 500 {
				return err
			}
			time.Sleep(20 * time.Millisecond)
		}
		return err
	}
	var ref string
	err := step("dave", func(c *client.Client) error {
		cr, err := c.CreateLetter(ctx, text, "internal", nil, []string{"Addressee"}, client.File{Name: "letter.txt", MediaType: "text/plain", Data: []byte(text + "\n" + rand.Text())})
		ref = cr.Reference
		return err
	})
	if err != nil {
		return "", 0, fmt.Errorf("create: %w", err)
	}
	if err := step("rita", func(c *client.Client) error { return c.Approve(ctx, ref, "", "", false) }); err != nil {
		return "", 0, fmt.Errorf("approve %s: %w", ref, err)
	}
	err = step("sam", func(c *client.Client) error {
		st, err := c.SigningStatement(ctx, ref)
		if err != nil {
			return err
		}
		return c.Sign(ctx, ref, keyID, st.Statement, ed25519.Sign(key, dsse.PAE(st.PayloadType, st.Statement)))
	})
	if err != nil {
		return "", 0, fmt.Errorf("sign %s: %w", ref, err)
	}
	var idx int64
	tried := false
	err = step("rory", func(c *client.Client) error {
		res, err := c.Release(ctx, ref)
		var api *client.APIError
		if tried && errors.As(err, &api) && api.Status == http.StatusConflict {
			// An earlier try was released, but its answer was lost with its server: not
			// acknowledged, so not counted.
			idx = -1
			return nil
		}
		tried = true
		idx = res.LogIndex
		return err
	})
	if err != nil {
		return "", 0, fmt.Errorf("release %s: %w", ref, err)
	}
	return ref, idx, nil
}

// leaseHolder returns the application name of the server holding the sequencer lease, or ""
// when none does.
func leaseHolder(t *testing.T, ctx context.Context, db *sql.DB) string {
	t.Helper()
	var name string
	err := db.QueryRowContext(ctx, `SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
		WHERE l.locktype = 'advisory' AND l.objid = 2 AND l.objsubid = 2 AND l.granted`).Scan(&name)
	if errors.Is(err, sql.ErrNoRows) {
		return ""
	}
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSuffix(name, " sequencer")
}

// sequencer waits for a live server to hold the sequencer lease, applies act to it (a signal)
// and returns it, once it saw that the server still held the lease after act: the signal
// came while it sequenced.
func sequencer(t *testing.T, ctx context.Context, db *sql.DB, nodes []*node, act func(*node)) *node {
	t.Helper()
	for {
		if ctx.Err() != nil {
			t.Fatal("no server held the sequencer lease")
		}
		holder := leaseHolder(t, ctx, db)
		for _, n := range live(nodes) {
			if n.name != holder {
				continue
			}
			if act == nil {
				return n
			}
			act(n)
			if leaseHolder(t, ctx, db) == holder {
				return n
			}
			n.cmd.Process.Signal(syscall.SIGCONT)
			n.paused.Store(false)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

type checkpoints struct {
	mu       sync.Mutex
	bySize   map[int64][]byte
	conflict string
}

// watchCheckpoints polls every server's checkpoint until stopped, keeping one per size and
// noting any two of a size that differ.
func watchCheckpoints(t *testing.T, nodes []*node, seen *checkpoints) (stop func()) {
	done := make(chan struct{})
	var wg sync.WaitGroup
	for _, n := range nodes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			hc := &http.Client{Timeout: 2 * time.Second}
			for {
				select {
				case <-done:
					return
				case <-time.After(5 * time.Millisecond):
				}
				if n.dead.Load() || n.paused.Load() {
					continue
				}
				resp, err := hc.Get(n.url + "/log/checkpoint")
				if err != nil {
					continue
				}
				cp, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				lines := strings.SplitN(string(cp), "\n", 3)
				if resp.StatusCode != http.StatusOK || len(lines) < 3 {
					continue
				}
				var size int64
				fmt.Sscan(lines[1], &size)
				seen.mu.Lock()
				if prev, ok := seen.bySize[size]; !ok {
					seen.bySize[size] = cp
				} else if !bytes.Equal(prev, cp) && seen.conflict == "" {
					seen.conflict = fmt.Sprintf("two checkpoints of size %d:\n%s\n%s", size, prev, cp)
				}
				seen.mu.Unlock()
			}
		}()
	}
	return func() { close(done); wg.Wait() }
}

func get(ctx context.Context, url string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, "GET", url, nil)
	if err != nil {
		return nil, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err == nil && resp.StatusCode != http.StatusOK {
		err = fmt.Errorf("GET %s: %s", url, resp.Status)
	}
	return b, err
}

// fetchEntries reads the first size entries from the entry bundles a server serves.
func fetchEntries(t *testing.T, ctx context.Context, base string, size int64) [][]byte {
	t.Helper()
	var out [][]byte
	for n := int64(0); n*256 < size; n++ {
		w := min(size-n*256, 256)
		b, err := get(ctx, base+"/log/"+translog.TilePath(tlog.Tile{H: 8, L: -1, N: n, W: int(w)}))
		if err != nil {
			t.Fatal(err)
		}
		for len(b) > 0 && int64(len(out)) < size {
			if len(b) < 2 || len(b) < 2+int(binary.BigEndian.Uint16(b)) {
				t.Fatalf("%s: entry bundle %d is malformed", base, n)
			}
			l := int(binary.BigEndian.Uint16(b))
			out = append(out, b[2:2+l])
			b = b[2+l:]
		}
	}
	if int64(len(out)) != size {
		t.Fatalf("%s: %d entries in the bundles, want %d", base, len(out), size)
	}
	return out
}
