package translog

import (
	"bytes"
	"crypto/sha256"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/store"
	"github.com/chancery/chancery/internal/store/storetest"
	"github.com/chancery/chancery/internal/syncbuf"
	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// openShared opens n logs on one PostgreSQL database, as n servers would.
func openShared(t *testing.T, n int) ([]*store.DB, []*Log, note.Verifier) {
	t.Helper()
	url := storetest.PostgresURL(t)
	s, v := newSigner(t)
	dbs, logs := openSharedAt(t, url, s, n)
	return dbs, logs, v
}

// oneSharedLog opens one log on a PostgreSQL database, as openShared does, and returns it
// with the database's URL.
func oneSharedLog(t *testing.T) (*Log, string) {
	t.Helper()
	url := storetest.PostgresURL(t)
	s, _ := newSigner(t)
	_, logs := openSharedAt(t, url, s, 1)
	return logs[0], url
}

// lockLogHead locks the table of the log's head in the PostgreSQL database at url until the
// test ends or the returned transaction ends, so that a read of the stored head waits, and
// returns the connection it holds the lock on, for reading pg_locks, with the transaction.
func lockLogHead(t *testing.T, url string) (*sql.DB, *sql.Tx) {
	t.Helper()
	admin, err := sql.Open("pgx", url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { admin.Close() })
	lock, err := admin.BeginTx(t.Context(), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { lock.Rollback() })
	if _, err := lock.ExecContext(t.Context(), `LOCK TABLE log_head IN ACCESS EXCLUSIVE MODE`); err != nil {
		t.Fatal(err)
	}
	return admin, lock
}

// openSharedAt opens n more logs on the PostgreSQL database at url, signed by s.
func openSharedAt(t testing.TB, url string, s note.Signer, n int, with ...func(*Config)) ([]*store.DB, []*Log) {
	t.Helper()
	var dbs []*store.DB
	var logs []*Log
	for range n {
		db, err := store.OpenPostgres(t.Context(), url)
		if err != nil {
			t.Fatal(err)
		}
		cfg := Config{Origin: testOrigin, Signer: s, Create: true}
		for _, f := range with {
			f(&cfg)
		}
		l, err := Open(t.Context(), db, cfg)
		if err != nil {
			db.Close()
			t.Fatal(err)
		}
		t.Cleanup(func() { l.Close(); db.Close() })
		dbs, logs = append(dbs, db), append(logs, l)
	}
	return dbs, logs
}

// TestSharedLog: three logs on one database take appends at once. Every append is
// acknowledged at its own index with its own entry, the stored log verifies, every log comes
// to serve the same checkpoint, and each finds, by leaf hash, entries the others sequenced.
func TestSharedLog(t *testing.T) {
	dbs, logs, v := openShared(t, 3)
	ctx := t.Context()
	const writers, each = 6, 15
	var mu sync.Mutex
	acked := map[int64][32]byte{}
	var wg sync.WaitGroup
	for i, l := range logs {
		for w := range writers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for k := range each {
					e := fmt.Appendf(nil, "server %d writer %d entry %d", i, w, k)
					idx, err := l.Append(ctx, e)
					if err != nil {
						t.Errorf("server %d: append: %v", i, err)
						return
					}
					mu.Lock()
					if _, dup := acked[idx]; dup {
						t.Errorf("index %d acknowledged twice", idx)
					}
					acked[idx] = sha256.Sum256(e)
					mu.Unlock()
				}
			}()
		}
	}
	wg.Wait()
	if t.Failed() {
		t.FailNow()
	}
	total := int64(len(logs) * writers * each)
	rep, err := Verify(ctx, dbs[0], v, nil, func(i int64, e []byte) error {
		if sha256.Sum256(e) != acked[i] {
			return fmt.Errorf("entry %d is not the one acknowledged at that index", i)
		}
		return nil
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Size != total {
		t.Fatalf("the log has %d entries, %d were acknowledged", rep.Size, total)
	}
	for i, l := range logs {
		for l.Head().Size != total {
			select {
			case <-ctx.Done():
				t.Fatalf("server %d serves size %d, never %d", i, l.Head().Size, total)
			case <-time.After(10 * time.Millisecond):
			}
		}
		if h := l.Head(); h.Root != rep.Root || string(h.Checkpoint) != string(logs[0].Head().Checkpoint) {
			t.Errorf("server %d serves another checkpoint of size %d", i, h.Size)
		}
		for idx := range total {
			if idx%17 != int64(i) {
				continue
			}
			e, err := l.Entry(ctx, idx)
			if err != nil {
				t.Fatal(err)
			}
			got, err := l.LeafIndex(ctx, tlog.RecordHash(e))
			if err != nil || got != idx {
				t.Errorf("server %d: leaf index of entry %d = %d, %v", i, idx, got, err)
			}
		}
	}
}

// TestDeposedCannotCommit: a log that believes it still holds the sequencer lease, after
// another server claimed the sequencing (as when it was paused past the lease's timeout),
// commits nothing; its next append takes the lease again, claims a new epoch and commits.
func TestDeposedCannotCommit(t *testing.T) {
	dbs, logs, _ := openShared(t, 2)
	ctx := t.Context()
	a := logs[0]
	if _, err := a.Append(ctx, []byte("first")); err != nil {
		t.Fatal(err)
	}
	// a gives the lease up once idle for idleLinger. Then make it hold the lease again as if
	// in the middle of a burst, its epoch confirmed: its sequencer goroutine waits for
	// appends and a's last append returned, so these writes are ordered after its last use of
	// them.
	for a.lead.lease.Held() {
		time.Sleep(time.Millisecond)
	}
	if err := a.lead.lease.Acquire(ctx); err != nil {
		t.Fatal(err)
	}
	a.lead.fresh = false
	// Another server claims the sequencing (here directly: its lease would have been taken
	// after a's session timed out).
	var epoch int64
	err := dbs[1].Update(ctx, func(tx *store.Tx) (err error) {
		epoch, err = tx.ClaimSequencer(ctx)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if epoch != a.lead.epoch+1 {
		t.Fatalf("claimed epoch %d after a's %d", epoch, a.lead.epoch)
	}
	before := a.Head()
	if _, err := a.Append(ctx, []byte("from the deposed sequencer")); !errors.Is(err, store.ErrDeposed) {
		t.Fatalf("append by a deposed sequencer: %v, want ErrDeposed", err)
	}
	var stored store.LogHead
	err = dbs[1].View(ctx, func(tx *store.Tx) (err error) { stored, err = tx.LogHead(ctx); return err })
	if err != nil || stored.Size != before.Size {
		t.Fatalf("after the refused batch the stored log has %d entries (%v), want %d", stored.Size, err, before.Size)
	}
	idx, err := a.Append(ctx, []byte("after taking the lease again"))
	if err != nil || idx != before.Size {
		t.Fatalf("append after taking the lease again: %d, %v", idx, err)
	}
	if a.lead.epoch != epoch+1 {
		t.Errorf("a sequences under epoch %d, want a new claim %d", a.lead.epoch, epoch+1)
	}
}

// TestTakeTurns: two logs on one database append in turns of varying length, so that each
// finds the log grown by the other at the start of its turn: by a few entries, across entry
// bundle and tile boundaries (which it hashes into its own tree), and by more than maxReplay
// (for which it loads the stored edge). Every append is acknowledged at the next index, the
// stored log verifies entry by entry, and each log finds every entry by its leaf hash.
func TestTakeTurns(t *testing.T) {
	dbs, logs, v := openShared(t, 2)
	ctx := t.Context()
	var want [][]byte
	turns := []int{1, 3, 40, 255, 2, 300, 1, maxReplay + 17, 5, 260, 9}
	for i, n := range turns {
		l := logs[i%2]
		for range n {
			e := fmt.Appendf(nil, "turn %d entry %d", i, len(want))
			idx, err := l.Append(ctx, e)
			if err != nil {
				t.Fatalf("turn %d: append: %v", i, err)
			}
			if idx != int64(len(want)) {
				t.Fatalf("turn %d: appended at %d, want %d", i, idx, len(want))
			}
			want = append(want, e)
		}
	}
	rep, err := Verify(ctx, dbs[1], v, nil, func(i int64, e []byte) error {
		if string(e) != string(want[i]) {
			return fmt.Errorf("entry %d is %q, want %q", i, e, want[i])
		}
		return nil
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Size != int64(len(want)) {
		t.Fatalf("the log has %d entries, want %d", rep.Size, len(want))
	}
	for i, l := range logs {
		// The server that did not append the last turn serves it once it follows.
		for l.Head().Size != int64(len(want)) {
			select {
			case <-ctx.Done():
				t.Fatalf("server %d serves size %d, never %d", i, l.Head().Size, len(want))
			case <-time.After(10 * time.Millisecond):
			}
		}
		for idx, e := range want {
			got, err := l.LeafIndex(ctx, tlog.RecordHash(e))
			if err != nil || got != int64(idx) {
				t.Fatalf("server %d: leaf index of entry %d = %d, %v", i, idx, got, err)
			}
		}
	}
}

// TestReplay: a tree edge loaded at one size and grown by replay to a larger one, across
// entry bundle and tile boundaries, has the root of the tree of that size, and its hash edge
// tiles are the stored ones; whether it reads the leaf hashes itself or is given those the
// state statement read with the head (TestReplayPostgres). It does not hold the replayed
// entries; completeBundle reads the bundle's first entries, and the bundle then completed and
// stored whole holds every entry.
func TestReplay(t *testing.T) {
	s, _ := newSigner(t)
	db, l := openLog(t, t.TempDir(), s)
	testReplay(t, db, l)
}

// TestReplayPostgres: TestReplay on PostgreSQL, where SequencerStateAfter returns the leaf
// hashes after a size in its hash tile and the next, and replay takes them from there.
func TestReplayPostgres(t *testing.T) {
	dbs, logs, _ := openShared(t, 1)
	testReplay(t, dbs[0], logs[0])
}

func testReplay(t *testing.T, db *store.DB, l *Log) {
	ctx := t.Context()
	var m memTree
	roots := map[int64]tlog.Hash{}
	const n = 1100
	for i := range n {
		if _, err := l.Append(ctx, entryFor(i)); err != nil {
			t.Fatal(err)
		}
		m.add(t, int64(i), entryFor(i))
		roots[int64(i+1)], _ = tlog.TreeHash(int64(i+1), &m)
	}
	for _, c := range [][2]int64{{1, 2}, {5, 255}, {200, 256}, {255, 257}, {256, 600}, {300, n}, {65, 65 + maxReplay}, {800, n}, {1050, n}} {
		err := db.View(ctx, func(tx *store.Tx) error {
			b, err := loadEdge(ctx, tx, c[0])
			if err != nil {
				return err
			}
			b.fallback = &storeHashReader{ctx: ctx, db: db}
			_, _, _, runs, err := tx.SequencerStateAfter(ctx, false, c[0])
			if err != nil {
				return err
			}
			if err := checkRuns(runs, c[0], n, db.Dialect() == store.Postgres); err != nil {
				return err
			}
			leaves, err := replay(ctx, tx, b, c[1], runs)
			if err != nil {
				return err
			}
			if int64(len(leaves)) != c[1]-c[0] || leaves[0] != tlog.RecordHash(entryFor(int(c[0]))) {
				return fmt.Errorf("%d leaves, first %x", len(leaves), leaves[0])
			}
			root, err := b.root()
			if err != nil {
				return err
			}
			if root != roots[c[1]] {
				return fmt.Errorf("root %s, want %s", root, roots[c[1]])
			}
			stored, err := loadEdge(ctx, tx, c[1])
			if err != nil {
				return err
			}
			for i := 1; i < len(stored.edges); i++ {
				if string(stored.edges[i].data) != string(b.edges[i].data) || stored.edges[i].n != b.edges[i].n {
					return fmt.Errorf("edge tile at level %d differs from the stored one", i-1)
				}
			}
			// The replayed entries are not held: the bundle's edge starts after them, until a
			// batch that could complete the bundle reads its first entries.
			e, se := b.edges[0], stored.edges[0]
			if e.n != se.n || e.w != se.w || e.from != e.w || len(e.data) != 0 {
				return fmt.Errorf("entry edge: bundle %d width %d from %d with %d bytes, want bundle %d width %d held from %d", e.n, e.w, e.from, len(e.data), se.n, se.w, se.w)
			}
			if err := completeBundle(ctx, tx, b, TileWidth); err != nil {
				return err
			}
			if e := b.edges[0]; e.w < TileWidth && (e.from != 0 || string(e.data) != string(se.data)) {
				return fmt.Errorf("entry edge after completeBundle: from %d, %d bytes, want 0 and the stored %d", e.from, len(e.data), len(se.data))
			}
			return checkCompleted(b, c[1])
		})
		if err != nil {
			t.Errorf("replay from %d to %d: %v", c[0], c[1], err)
		}
	}
}

// checkRuns checks the runs SequencerStateAfter returned after the first from entries of a
// log of n entries made by entryFor: on PostgreSQL, the leaf hashes after from in its hash tile
// and the next, each run starting at or before the leaf replay needs in it; elsewhere none.
func checkRuns(runs []store.LeafRun, from, n int64, postgres bool) error {
	if !postgres {
		if runs != nil {
			return fmt.Errorf("%d runs on SQLite", len(runs))
		}
		return nil
	}
	tile := from / TileWidth
	var want []int64
	for _, tn := range []int64{tile, tile + 1} {
		if tn*TileWidth+TileWidth > from && tn*TileWidth < n {
			want = append(want, tn)
		}
	}
	if len(runs) != len(want) {
		return fmt.Errorf("%d runs after %d, want tiles %v", len(runs), from, want)
	}
	for i, r := range runs {
		count := int64(len(r.Hashes) / tlog.HashSize)
		start := max(from, r.Tile*TileWidth)
		end := min(n, r.Tile*TileWidth+TileWidth)
		first := r.Tile*TileWidth + int64(r.First)
		if r.Tile != want[i] || first > start || first+count != end || len(r.Hashes)%tlog.HashSize != 0 {
			return fmt.Errorf("run %d: tile %d leaves %d to %d, want tile %d up to %d through %d", i, r.Tile, first, first+count, want[i], start, end)
		}
		for j := range count {
			if tlog.Hash(r.Hashes[j*tlog.HashSize:(j+1)*tlog.HashSize]) != tlog.RecordHash(entryFor(int(first+j))) {
				return fmt.Errorf("run %d: leaf %d differs", i, first+j)
			}
		}
	}
	return nil
}

// checkCompleted appends to b, a tree of size entries made by entryFor, the next entries
// until an entry bundle completes, and checks that the bundle stored whole holds all its
// entries: those b caught up with by their leaf hashes too.
func checkCompleted(b *builder, size int64) error {
	for i := size; ; i++ {
		if _, err := b.add(entryFor(int(i))); err != nil {
			return err
		}
		for _, t := range b.takeDirty() {
			if t.level != EntriesLevel || t.chunk {
				continue
			}
			entries, err := SplitBundle(t.data)
			if err != nil {
				return err
			}
			if len(entries) != TileWidth || t.w != TileWidth {
				return fmt.Errorf("bundle %d stored whole with %d entries, width %d", t.n, len(entries), t.w)
			}
			for j, e := range entries {
				if string(e) != string(entryFor(int(t.n)*TileWidth+j)) {
					return fmt.Errorf("bundle %d: entry %d differs", t.n, j)
				}
			}
			return nil
		}
	}
}

// logTables are the tables that hold the log, which a restore or a failover sets back.
var logTables = []string{"log_head", "log_tiles", "log_entry_chunks", "log_sequencer"}

// saveLog copies the log's tables aside, as a backup, or a standby that stops replicating,
// would keep them.
func saveLog(t *testing.T, admin *sql.DB) {
	t.Helper()
	for _, tb := range logTables {
		if _, err := admin.Exec(`CREATE TABLE saved_` + tb + ` AS SELECT * FROM ` + tb); err != nil {
			t.Fatal(err)
		}
	}
}

// restoreLog puts the saved log back while the servers run: the database restored from the
// backup, or failed over to the standby, under them.
func restoreLog(t *testing.T, admin *sql.DB) {
	t.Helper()
	tx, err := admin.Begin()
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	for _, tb := range logTables {
		if _, err := tx.Exec(`DELETE FROM ` + tb); err != nil {
			t.Fatal(err)
		}
		if _, err := tx.Exec(`INSERT INTO ` + tb + ` SELECT * FROM saved_` + tb); err != nil {
			t.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
}

// TestRolledBackDatabaseIsNotForked: the database is set back under two running servers
// (restored from a backup, or failed over to a standby that had not received the last
// commits) after they published a checkpoint of 10 entries. Neither sequences on the shorter
// log: each refuses its appends with a RollbackError rather than sign a second tree of a size
// already published. A server started afterwards, which knows nothing of what was published,
// appends there; the two running servers then refuse that forked log too, at the size they
// published and beyond it, keep serving the checkpoint they published, and say so
// through their Config.Logger (before, through the default logger whatever serve's
// --log-format).
func TestRolledBackDatabaseIsNotForked(t *testing.T) {
	url := storetest.PostgresURL(t)
	s, v := newSigner(t)
	var said syncbuf.Buffer
	dbs, logs := openSharedAt(t, url, s, 2, func(c *Config) { c.Logger = slog.New(slog.NewTextHandler(&said, nil)) })
	ctx := t.Context()
	admin, err := sql.Open("pgx", url)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	a, b := logs[0], logs[1]
	for i := range 10 {
		if i == 5 {
			saveLog(t, admin)
		}
		if _, err := a.Append(ctx, fmt.Appendf(nil, "entry %d", i)); err != nil {
			t.Fatal(err)
		}
	}
	published := a.Head()
	for b.Head().Size != published.Size {
		select {
		case <-ctx.Done():
			t.Fatal("b never followed a")
		case <-time.After(10 * time.Millisecond):
		}
	}
	restoreLog(t, admin)
	storedSize := func() int64 {
		var h store.LogHead
		if err := dbs[0].View(ctx, func(tx *store.Tx) (err error) { h, err = tx.LogHead(ctx); return err }); err != nil {
			t.Fatal(err)
		}
		return h.Size
	}
	for i, l := range logs {
		var rb *RollbackError
		if idx, err := l.Append(ctx, fmt.Appendf(nil, "server %d after the restore", i)); !errors.As(err, &rb) {
			t.Fatalf("server %d: append on the rolled-back log: index %d, %v; want a RollbackError", i, idx, err)
		}
		if n := storedSize(); n != 5 {
			t.Fatalf("server %d: the stored log has %d entries after the refused append, want 5", i, n)
		}
	}
	// A server started now appends a different history: 5 entries to the size published, then
	// 3 more.
	_, late := openSharedAt(t, url, s, 1)
	for i := range 8 {
		if _, err := late[0].Append(ctx, fmt.Appendf(nil, "forked entry %d", i)); err != nil {
			t.Fatal(err)
		}
	}
	time.Sleep(3 * followInterval) // time for the followers to look at the stored head
	if n := strings.Count(said.String(), "does not extend the checkpoint this server published"); n < len(logs) {
		t.Errorf("the %d servers' loggers said %d times that the stored log does not extend what they published, want at least once each", len(logs), n)
	}
	for i, l := range logs {
		if h := l.Head(); h.Size != published.Size || h.Root != published.Root {
			t.Errorf("server %d serves a checkpoint of size %d (root %s) after the fork, want the published one of size %d", i, h.Size, h.Root, published.Size)
		}
		var rb *RollbackError
		if idx, err := l.Append(ctx, fmt.Appendf(nil, "server %d on the forked log", i)); !errors.As(err, &rb) || !rb.Forked {
			t.Errorf("server %d: append on the forked log: index %d, %v; want a RollbackError (forked)", i, idx, err)
		}
	}
	// Nor do they serve, under the checkpoint they published, the forked log's entries,
	// tiles or hashes.
	original := fmt.Appendf(nil, "entry %d", 7)
	refused := func(err error) bool {
		var rb *RollbackError
		return errors.As(err, &rb)
	}
	for i, l := range logs {
		if e, err := l.Entry(ctx, 7); err != nil && !refused(err) || err == nil && !bytes.Equal(e, original) {
			t.Errorf("server %d: entry 7 under the published checkpoint: %q, %v", i, e, err)
		}
		tile, err := l.ReadTile(ctx, tlog.Tile{H: TileHeight, L: EntriesLevel, N: 0, W: 10})
		if err == nil {
			var entries [][]byte
			if entries, err = SplitBundle(tile); err == nil && !bytes.Equal(entries[7], original) {
				err = fmt.Errorf("its entry 7 is %q", entries[7])
			}
		}
		if err != nil && !refused(err) {
			t.Errorf("server %d: entry bundle 0 under the published checkpoint: %v", i, err)
		}
		p, err := l.InclusionProof(ctx, 7, published.Size)
		if err == nil {
			err = tlog.CheckRecord(p, published.Size, published.Root, 7, tlog.RecordHash(original))
		}
		if err != nil && !refused(err) {
			t.Errorf("server %d: proof of entry 7 under the published checkpoint: %v", i, err)
		}
	}
	if n := storedSize(); n != 13 {
		t.Errorf("the stored log has %d entries, want the late server's 13", n)
	}
	if _, err := Verify(ctx, dbs[0], v, nil, nil, nil); err != nil {
		t.Errorf("the stored log no longer verifies: %v", err)
	}
}

// TestCreateOnce: offices created at once on one empty PostgreSQL database, each with its own
// log key, as two `chancery init` started together would: one creates the log, the others
// are refused, and the stored head is the checkpoint of the one that created it.
func TestCreateOnce(t *testing.T) {
	url := storetest.PostgresURL(t)
	ctx := t.Context()
	const n = 6
	var dbs []*store.DB
	for range n {
		db, err := store.OpenPostgres(ctx, url)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		dbs = append(dbs, db)
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	var created []*Log
	start := make(chan struct{})
	for _, db := range dbs {
		s, _ := newSigner(t)
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			l, err := Open(ctx, db, Config{Origin: testOrigin, Signer: s, Create: true})
			if err != nil {
				return
			}
			t.Cleanup(func() { l.Close() })
			mu.Lock()
			created = append(created, l)
			mu.Unlock()
		}()
	}
	close(start)
	wg.Wait()
	if len(created) != 1 {
		t.Fatalf("%d of %d concurrent creations opened a log, want 1", len(created), n)
	}
	var stored store.LogHead
	if err := dbs[0].View(ctx, func(tx *store.Tx) (err error) { stored, err = tx.LogHead(ctx); return err }); err != nil {
		t.Fatal(err)
	}
	if string(stored.Checkpoint) != string(created[0].Head().Checkpoint) {
		t.Errorf("the stored checkpoint is not the one of the log that was created")
	}
}

// terminateLockHolder ends, with pg_terminate_backend, the session that holds the store's
// advisory lock (0x43484159, object): 1 the writer lock, 2 the sequencer lease.
func terminateLockHolder(t *testing.T, admin *sql.DB, object int) {
	t.Helper()
	var n int
	err := admin.QueryRow(`SELECT count(pg_terminate_backend(pid)) FROM pg_locks
		WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
			AND classid = x'43484159'::int AND objid = $1 AND objsubid = 2 AND granted`, object).Scan(&n)
	if err != nil || n != 1 {
		t.Fatalf("terminate the holder of lock %d: %d sessions, %v", object, n, err)
	}
}

// TestLeaseOrWriterKilledMidBatch: while a's batch is in its transaction, the session that
// holds a's sequencer lease is ended (pg_terminate_backend), and b has an append waiting.
// a's batch still commits and is acknowledged; b takes the lease and commits after it, at
// the next index; a sequences again afterwards. Then the session of a's batch itself is
// ended: its append fails, and b's append, which waited, takes the index a's did not get.
// Every acknowledged entry is in the log at its index and the log verifies.
func TestLeaseOrWriterKilledMidBatch(t *testing.T) {
	url := storetest.PostgresURL(t)
	s, v := newSigner(t)
	dbs, logs := openSharedAt(t, url, s, 2)
	a, b := logs[0], logs[1]
	ctx := t.Context()
	admin, err := sql.Open("pgx", url)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	acked := map[int64]string{}
	for _, object := range []int{2, 1} {
		inBatch, proceed := make(chan struct{}), make(chan struct{})
		entryA := fmt.Sprintf("a, lock %d killed", object)
		type answer struct {
			idx int64
			err error
		}
		ansA, ansB := make(chan answer, 1), make(chan answer, 1)
		go func() {
			idx, err := a.AppendTx(ctx, []byte(entryA), func(tx *store.Tx, index int64) error {
				close(inBatch)
				<-proceed
				return nil
			})
			ansA <- answer{idx, err}
		}()
		<-inBatch
		terminateLockHolder(t, admin, object)
		entryB := fmt.Sprintf("b, lock %d killed", object)
		go func() {
			idx, err := b.Append(ctx, []byte(entryB))
			ansB <- answer{idx, err}
		}()
		// b waits to take the lease until a's batch ends: its batch holds the lock by which
		// waiting servers announce themselves (Tx.SequencerStateAfter).
		time.Sleep(100 * time.Millisecond)
		close(proceed)
		ra, rb := <-ansA, <-ansB
		if rb.err != nil {
			t.Fatalf("lock %d killed: b's append: %v", object, rb.err)
		}
		acked[rb.idx] = entryB
		switch {
		case object == 2 && ra.err != nil:
			t.Fatalf("lease killed mid-batch: a's append: %v", ra.err)
		case object == 2:
			if rb.idx != ra.idx+1 {
				t.Errorf("lease killed mid-batch: a acknowledged at %d, b at %d", ra.idx, rb.idx)
			}
			acked[ra.idx] = entryA
		case ra.err == nil:
			t.Fatalf("writer killed mid-batch: a's append acknowledged at %d", ra.idx)
		}
		after := fmt.Appendf(nil, "a after lock %d", object)
		idx, err := a.Append(ctx, after)
		if object == 2 && errors.Is(err, store.ErrDeposed) {
			// b claimed the sequencing once a's lease ended; a, if it has not yet seen its
			// lease session end, runs one batch under its old epoch, which the fence refuses
			// (TestDeposedCannotCommit), and takes the lease again for the next.
			idx, err = a.Append(ctx, after)
		}
		if err != nil {
			t.Fatalf("a's append after lock %d was killed: %v", object, err)
		}
		acked[idx] = string(after)
	}
	rep, err := Verify(ctx, dbs[1], v, nil, func(i int64, e []byte) error {
		if want, ok := acked[i]; ok && string(e) != want {
			return fmt.Errorf("entry %d is %q, acknowledged %q", i, e, want)
		}
		return nil
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Size != int64(len(acked)) {
		t.Errorf("the log has %d entries, %d were acknowledged", rep.Size, len(acked))
	}
}
