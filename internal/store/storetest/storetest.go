// Package storetest is the conformance suite of package store: the transaction, durability,
// concurrency and not-found contracts written in store's package documentation, checked
// against a real backend. Every backend runs it from its own tests (SQLite always, PostgreSQL
// in the test script), so that the backends cannot drift apart.
package storetest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"reflect"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/store"
)

// Run runs the conformance suite. open must return a new, empty store for each call; Run
// closes it when the subtest ends.
func Run(t *testing.T, open func(t *testing.T) *store.DB) {
	for _, tc := range []struct {
		name string
		fn   func(*testing.T, *store.DB)
	}{
		{"UpdateCommits", testUpdateCommits},
		{"ErrorRollsBack", testErrorRollsBack},
		{"PanicRollsBack", testPanicRollsBack},
		{"ViewIsReadOnly", testViewIsReadOnly},
		{"Savepoint", testSavepoint},
		{"NestedSavepoints", testNestedSavepoints},
		{"NotFound", testNotFound},
		{"PutTileWidens", testPutTileWidens},
		{"EntryChunks", testEntryChunks},
		{"TilesInOrder", testTilesInOrder},
		{"SetLogHeadUpserts", testSetLogHeadUpserts},
		{"LogBatch", testLogBatch},
		{"PackedBundles", testPackedBundles},
		{"ConsistentViews", testConsistentViews},
		{"ConcurrentUpdates", testConcurrentUpdates},
		{"SchemaVersion", testSchemaVersion},
		{"Accounts", testAccounts},
		{"Fingerprints", testFingerprints},
		{"FingerprintsReread", testFingerprintsReread},
		{"Openings", testOpenings},
		{"PackedOpenings", testPackedOpenings},
		{"CompactRows", testCompactRows},
		{"AuditWords", testAuditWords},
		{"ErasedAuditEvents", testErasedAuditEvents},
		{"ErasedDraftAuditEvents", testErasedDraftAuditEvents},
		{"KeptSeals", testKeptSeals},
		{"SealAnswers", testSealAnswers},
		{"LookupRelease", testLookupRelease},
		{"ListLetters", testListLetters},
		{"LetterStates", testLetterStates},
		{"Members", testMembers},
		{"LetterMembers", testLetterMembers},
		{"Blobs", testBlobs},
		{"Conversions", testConversions},
		{"EraseBothLettersOfAFile", testEraseBothLettersOfAFile},
		{"EraseADraftAndALetterOfAFile", testEraseADraftAndALetterOfAFile},
		{"ErasedFileStoredAgain", testErasedFileStoredAgain},
		{"ConversionAfterErasure", testConversionAfterErasure},
		{"Changes", testChanges},
		{"WitnessesAndSettings", testWitnessesAndSettings},
		{"VersionsAndExports", testVersionsAndExports},
		{"HeldByDigest", testHeldByDigest},
		{"UnreleasedApprovalsBy", testUnreleasedApprovalsBy},
	} {
		t.Run(tc.name, func(t *testing.T) {
			db := open(t)
			t.Cleanup(func() {
				if err := db.Close(); err != nil {
					t.Errorf("close: %v", err)
				}
			})
			tc.fn(t, db)
		})
	}
}

var errTest = errors.New("storetest: error returned by the transaction function")

// bundleLevel is the level at which the log stores entry bundles: negative, unlike hash tiles.
const bundleLevel = -1

func update(t *testing.T, db *store.DB, fn func(ctx context.Context, tx *store.Tx) error) {
	t.Helper()
	ctx := t.Context()
	if err := db.Update(ctx, func(tx *store.Tx) error { return fn(ctx, tx) }); err != nil {
		t.Fatalf("update: %v", err)
	}
}

func view(t *testing.T, db *store.DB, fn func(ctx context.Context, tx *store.Tx) error) {
	t.Helper()
	ctx := t.Context()
	if err := db.View(ctx, func(tx *store.Tx) error { return fn(ctx, tx) }); err != nil {
		t.Fatalf("view: %v", err)
	}
}

func tile(level int, index int64, width int) store.Tile {
	return store.Tile{Level: level, Index: index, Width: width, Data: fmt.Appendf(nil, "tile %d/%d width %d", level, index, width)}
}

func head(size int64) store.LogHead {
	return store.LogHead{
		Origin:     "storetest.example/log",
		Size:       size,
		Root:       bytes.Repeat([]byte{byte(size)}, 32),
		Checkpoint: fmt.Appendf(nil, "storetest.example/log\n%d\n", size),
	}
}

// wantTile checks that tx holds exactly want at want's level and index.
func wantTile(t *testing.T, ctx context.Context, tx *store.Tx, want store.Tile) {
	t.Helper()
	got, err := tx.Tile(ctx, want.Level, want.Index)
	if err != nil {
		t.Errorf("tile %d/%d: %v", want.Level, want.Index, err)
		return
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("tile %d/%d = %+v, want %+v", want.Level, want.Index, got, want)
	}
}

// wantNoTile checks that tx holds no tile at level and index.
func wantNoTile(t *testing.T, ctx context.Context, tx *store.Tx, level int, index int64) {
	t.Helper()
	got, err := tx.Tile(ctx, level, index)
	if !errors.Is(err, store.ErrNotFound) {
		t.Errorf("tile %d/%d = %+v, %v; want ErrNotFound", level, index, got, err)
	}
	if !reflect.DeepEqual(got, store.Tile{}) {
		t.Errorf("tile %d/%d: not found, but returned %+v instead of the zero Tile", level, index, got)
	}
}

// wantHead checks the log head in tx.
func wantHead(t *testing.T, ctx context.Context, tx *store.Tx, want store.LogHead) {
	t.Helper()
	got, err := tx.LogHead(ctx)
	if err != nil {
		t.Errorf("log head: %v", err)
		return
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("log head = %+v, want %+v", got, want)
	}
}

// wantNoHead checks that tx holds no log head.
func wantNoHead(t *testing.T, ctx context.Context, tx *store.Tx) {
	t.Helper()
	got, err := tx.LogHead(ctx)
	if !errors.Is(err, store.ErrNotFound) {
		t.Errorf("log head = %+v, %v; want ErrNotFound", got, err)
	}
	if !reflect.DeepEqual(got, store.LogHead{}) {
		t.Errorf("log head: not found, but returned %+v instead of the zero LogHead", got)
	}
}

func testUpdateCommits(t *testing.T, db *store.DB) {
	update(t, db, func(ctx context.Context, tx *store.Tx) error {
		if err := tx.PutTile(ctx, tile(0, 0, 3)); err != nil {
			return err
		}
		if err := tx.PutTile(ctx, tile(bundleLevel, 0, 3)); err != nil {
			return err
		}
		if err := tx.SetLogHead(ctx, head(3)); err != nil {
			return err
		}
		// A transaction reads its own writes.
		wantTile(t, ctx, tx, tile(0, 0, 3))
		wantHead(t, ctx, tx, head(3))
		return nil
	})
	view(t, db, func(ctx context.Context, tx *store.Tx) error {
		wantTile(t, ctx, tx, tile(0, 0, 3))
		wantTile(t, ctx, tx, tile(bundleLevel, 0, 3))
		wantHead(t, ctx, tx, head(3))
		return nil
	})
}

func testErrorRollsBack(t *testing.T, db *store.DB) {
	ctx := t.Context()
	err := db.Update(ctx, func(tx *store.Tx) error {
		if err := tx.PutTile(ctx, tile(0, 0, 1)); err != nil {
			return err
		}
		if err := tx.SetLogHead(ctx, head(1)); err != nil {
			return err
		}
		return errTest
	})
	if err != errTest {
		t.Fatalf("Update = %v, want the function's error unchanged", err)
	}
	view(t, db, func(ctx context.Context, tx *store.Tx) error {
		wantNoTile(t, ctx, tx, 0, 0)
		wantNoHead(t, ctx, tx)
		return nil
	})
	// The rolled-back transaction leaves the store usable.
	update(t, db, func(ctx context.Context, tx *store.Tx) error { return tx.PutTile(ctx, tile(0, 1, 1)) })
	view(t, db, func(ctx context.Context, tx *store.Tx) error {
		wantTile(t, ctx, tx, tile(0, 1, 1))
		return nil
	})
}

func testPanicRollsBack(t *testing.T, db *store.DB) {
	ctx := t.Context()
	type panicValue struct{ s string }
	p := &panicValue{"storetest: panic in the transaction function"}
	func() {
		defer func() {
			if r := recover(); r != p {
				t.Errorf("recovered %v, want the function's panic value", r)
			}
		}()
		db.Update(ctx, func(tx *store.Tx) error {
			if err := tx.PutTile(ctx, tile(0, 0, 1)); err != nil {
				return err
			}
			if err := tx.SetLogHead(ctx, head(1)); err != nil {
				return err
			}
			panic(p)
		})
		t.Error("Update returned after its function panicked")
	}()
	view(t, db, func(ctx context.Context, tx *store.Tx) error {
		wantNoTile(t, ctx, tx, 0, 0)
		wantNoHead(t, ctx, tx)
		return nil
	})
	// The panic did not leak the writer: the next Update commits. The timeout turns a leaked
	// writer, which would block it forever, into a failure.
	wctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := db.Update(wctx, func(tx *store.Tx) error { return tx.SetLogHead(wctx, head(2)) }); err != nil {
		t.Fatalf("Update after a panicking Update: %v", err)
	}
	view(t, db, func(ctx context.Context, tx *store.Tx) error {
		wantHead(t, ctx, tx, head(2))
		return nil
	})
}

func testViewIsReadOnly(t *testing.T, db *store.DB) {
	ctx := t.Context()
	err := db.View(ctx, func(tx *store.Tx) error { return tx.PutTile(ctx, tile(0, 0, 1)) })
	if err == nil {
		t.Error("PutTile inside View succeeded")
	}
	view(t, db, func(ctx context.Context, tx *store.Tx) error {
		wantNoTile(t, ctx, tx, 0, 0)
		return nil
	})
}

func testSavepoint(t *testing.T, db *store.DB) {
	update(t, db, func(ctx context.Context, tx *store.Tx) error {
		if err := tx.PutTile(ctx, tile(0, 0, 1)); err != nil {
			return err
		}
		return tx.SetLogHead(ctx, head(1))
	})
	update(t, db, func(ctx context.Context, tx *store.Tx) error {
		if err := tx.PutTile(ctx, tile(0, 1, 1)); err != nil {
			return err
		}
		// A failed savepoint undoes its inserts and its updates, and returns fn's error.
		err := tx.Savepoint(ctx, func() error {
			if err := tx.PutTile(ctx, tile(0, 2, 1)); err != nil {
				return err
			}
			if err := tx.PutTile(ctx, tile(0, 0, 2)); err != nil {
				return err
			}
			if err := tx.SetLogHead(ctx, head(9)); err != nil {
				return err
			}
			return errTest
		})
		if !errors.Is(err, errTest) {
			t.Errorf("Savepoint = %v, want the function's error", err)
		}
		wantNoTile(t, ctx, tx, 0, 2)
		wantTile(t, ctx, tx, tile(0, 0, 1))
		wantHead(t, ctx, tx, head(1))
		// A savepoint that succeeds keeps its writes.
		if err := tx.Savepoint(ctx, func() error { return tx.PutTile(ctx, tile(0, 3, 1)) }); err != nil {
			return err
		}
		return tx.PutTile(ctx, tile(0, 4, 1))
	})
	view(t, db, func(ctx context.Context, tx *store.Tx) error {
		for _, n := range []int64{0, 1, 3, 4} {
			wantTile(t, ctx, tx, tile(0, n, 1))
		}
		wantNoTile(t, ctx, tx, 0, 2)
		wantHead(t, ctx, tx, head(1))
		return nil
	})
}

func testNestedSavepoints(t *testing.T, db *store.DB) {
	update(t, db, func(ctx context.Context, tx *store.Tx) error {
		// Outer kept, inner failed: only the inner writes are undone.
		err := tx.Savepoint(ctx, func() error {
			if err := tx.PutTile(ctx, tile(1, 0, 1)); err != nil {
				return err
			}
			if err := tx.Savepoint(ctx, func() error {
				if err := tx.PutTile(ctx, tile(1, 1, 1)); err != nil {
					return err
				}
				return errTest
			}); !errors.Is(err, errTest) {
				t.Errorf("inner Savepoint = %v, want the function's error", err)
			}
			return tx.PutTile(ctx, tile(1, 2, 1))
		})
		if err != nil {
			return err
		}
		// Inner kept, outer failed: the outer rollback undoes the inner savepoint too.
		err = tx.Savepoint(ctx, func() error {
			if err := tx.Savepoint(ctx, func() error { return tx.PutTile(ctx, tile(2, 0, 1)) }); err != nil {
				return err
			}
			if err := tx.PutTile(ctx, tile(2, 1, 1)); err != nil {
				return err
			}
			return errTest
		})
		if !errors.Is(err, errTest) {
			t.Errorf("outer Savepoint = %v, want the function's error", err)
		}
		// Savepoints one after another, after a nested failure, still work.
		return tx.Savepoint(ctx, func() error { return tx.PutTile(ctx, tile(2, 2, 1)) })
	})
	view(t, db, func(ctx context.Context, tx *store.Tx) error {
		wantTile(t, ctx, tx, tile(1, 0, 1))
		wantNoTile(t, ctx, tx, 1, 1)
		wantTile(t, ctx, tx, tile(1, 2, 1))
		wantNoTile(t, ctx, tx, 2, 0)
		wantNoTile(t, ctx, tx, 2, 1)
		wantTile(t, ctx, tx, tile(2, 2, 1))
		return nil
	})
}

func testNotFound(t *testing.T, db *store.DB) {
	view(t, db, func(ctx context.Context, tx *store.Tx) error {
		wantNoHead(t, ctx, tx)
		wantNoTile(t, ctx, tx, 0, 0)
		wantNoTile(t, ctx, tx, bundleLevel, 0)
		return nil
	})
	update(t, db, func(ctx context.Context, tx *store.Tx) error {
		wantNoHead(t, ctx, tx)
		return tx.PutTile(ctx, tile(0, 5, 1))
	})
	// Neighbours of a stored tile, in index and in level, are not found.
	view(t, db, func(ctx context.Context, tx *store.Tx) error {
		wantNoTile(t, ctx, tx, 0, 4)
		wantNoTile(t, ctx, tx, 0, 6)
		wantNoTile(t, ctx, tx, 1, 5)
		wantNoTile(t, ctx, tx, bundleLevel, 5)
		return nil
	})
}

func testPutTileWidens(t *testing.T, db *store.DB) {
	update(t, db, func(ctx context.Context, tx *store.Tx) error {
		return tx.PutTile(ctx, tile(0, 7, 3))
	})
	update(t, db, func(ctx context.Context, tx *store.Tx) error {
		if err := tx.PutTile(ctx, tile(0, 7, 200)); err != nil {
			return err
		}
		wantTile(t, ctx, tx, tile(0, 7, 200))
		return tx.PutTile(ctx, tile(0, 7, 256))
	})
	view(t, db, func(ctx context.Context, tx *store.Tx) error {
		wantTile(t, ctx, tx, tile(0, 7, 256))
		return nil
	})
	// A narrower version never shrinks a stored tile.
	update(t, db, func(ctx context.Context, tx *store.Tx) error {
		return tx.PutTile(ctx, tile(0, 7, 5))
	})
	view(t, db, func(ctx context.Context, tx *store.Tx) error {
		wantTile(t, ctx, tx, tile(0, 7, 256))
		return nil
	})
}

// testEntryChunks: a partial entry bundle reads as the concatenation of its chunks, a full
// bundle replaces them, and a gap between chunks is an error, not a silently short bundle.
func testEntryChunks(t *testing.T, db *store.DB) {
	update(t, db, func(ctx context.Context, tx *store.Tx) error {
		if err := tx.PutEntryChunk(ctx, 3, 0, 2, []byte("ab")); err != nil {
			return err
		}
		return tx.PutEntryChunk(ctx, 3, 2, 5, []byte("cdefg"))
	})
	view(t, db, func(ctx context.Context, tx *store.Tx) error {
		wantTile(t, ctx, tx, store.Tile{Level: store.EntriesLevel, Index: 3, Width: 7, Data: []byte("abcdefg")})
		return nil
	})
	full := tile(store.EntriesLevel, 3, 256)
	update(t, db, func(ctx context.Context, tx *store.Tx) error { return tx.PutTile(ctx, full) })
	view(t, db, func(ctx context.Context, tx *store.Tx) error {
		wantTile(t, ctx, tx, full)
		return nil
	})
	update(t, db, func(ctx context.Context, tx *store.Tx) error {
		if err := tx.PutEntryChunk(ctx, 4, 0, 1, []byte("a")); err != nil {
			return err
		}
		return tx.PutEntryChunk(ctx, 4, 2, 1, []byte("c"))
	})
	view(t, db, func(ctx context.Context, tx *store.Tx) error {
		if got, err := tx.Tile(ctx, store.EntriesLevel, 4); err == nil {
			t.Errorf("a bundle with a gap between chunks read as %+v", got)
		}
		if _, err := tx.Tile(ctx, store.EntriesLevel, 5); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("a bundle with no chunks: %v, want ErrNotFound", err)
		}
		return nil
	})
}

func testTilesInOrder(t *testing.T, db *store.DB) {
	// Indices whose decimal spellings sort differently from the numbers, in a shuffled order,
	// with neighbours at other levels that must not show up.
	indices := []int64{100, 2, 1 << 40, 10, 0, 256, 1}
	update(t, db, func(ctx context.Context, tx *store.Tx) error {
		for _, n := range indices {
			for _, level := range []int{bundleLevel, 0, 1} {
				if err := tx.PutTile(ctx, tile(level, n, 1+int(n%200))); err != nil {
					return err
				}
			}
		}
		return nil
	})
	collect := func(level int, from int64) []store.Tile {
		var got []store.Tile
		view(t, db, func(ctx context.Context, tx *store.Tx) error {
			return tx.Tiles(ctx, level, from, func(tl store.Tile) error {
				got = append(got, tl)
				return nil
			})
		})
		return got
	}
	for _, tc := range []struct {
		level int
		from  int64
		want  []int64
	}{
		{0, 0, []int64{0, 1, 2, 10, 100, 256, 1 << 40}},
		{0, 2, []int64{2, 10, 100, 256, 1 << 40}},
		{0, 3, []int64{10, 100, 256, 1 << 40}},
		{bundleLevel, 101, []int64{256, 1 << 40}},
		{1, 1<<40 + 1, nil},
		{5, 0, nil},
	} {
		var want []store.Tile
		for _, n := range tc.want {
			want = append(want, tile(tc.level, n, 1+int(n%200)))
		}
		if got := collect(tc.level, tc.from); !reflect.DeepEqual(got, want) {
			t.Errorf("Tiles(level %d, from %d) = %+v, want %+v", tc.level, tc.from, got, want)
		}
	}
	// An error from fn stops the iteration and is returned.
	calls := 0
	err := db.View(t.Context(), func(tx *store.Tx) error {
		return tx.Tiles(t.Context(), 0, 0, func(store.Tile) error {
			calls++
			return errTest
		})
	})
	if !errors.Is(err, errTest) || calls != 1 {
		t.Errorf("Tiles with a failing fn: %d calls, error %v; want 1 call and the function's error", calls, err)
	}
}

func testSetLogHeadUpserts(t *testing.T, db *store.DB) {
	update(t, db, func(ctx context.Context, tx *store.Tx) error { return tx.SetLogHead(ctx, head(1)) })
	update(t, db, func(ctx context.Context, tx *store.Tx) error {
		wantHead(t, ctx, tx, head(1))
		if err := tx.SetLogHead(ctx, head(2)); err != nil {
			return err
		}
		wantHead(t, ctx, tx, head(2))
		return tx.SetLogHead(ctx, head(3))
	})
	view(t, db, func(ctx context.Context, tx *store.Tx) error {
		wantHead(t, ctx, tx, head(3))
		return nil
	})
}

// generation is one state of a log that the writer in testConsistentViews commits at once: two
// tiles and the head that covers them. A reader that sees parts of two generations has seen a
// partial transaction. Each generation's tiles are wider than the last, as a log's are.
func generation(g int64) (store.Tile, store.Tile, store.LogHead) {
	data := fmt.Appendf(nil, "generation %d", g)
	w := int(g) + 1
	return store.Tile{Level: 0, Index: 0, Width: w, Data: data},
		store.Tile{Level: 1, Index: 0, Width: w, Data: data},
		head(g)
}

func testConsistentViews(t *testing.T, db *store.DB) {
	const generations = 40
	update(t, db, func(ctx context.Context, tx *store.Tx) error { return putGeneration(ctx, tx, 0) })
	ctx := t.Context()
	done := make(chan struct{})
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			// Views that follow one another never go back to an older generation.
			seen := int64(0)
			for {
				select {
				case <-done:
					return
				default:
				}
				err := db.View(ctx, func(tx *store.Tx) error {
					h, err := tx.LogHead(ctx)
					if err != nil {
						return err
					}
					runtime.Gosched() // let a commit land between this View's reads
					t0, err := tx.Tile(ctx, 0, 0)
					if err != nil {
						return err
					}
					runtime.Gosched()
					t1, err := tx.Tile(ctx, 1, 0)
					if err != nil {
						return err
					}
					w0, w1, _ := generation(h.Size)
					if !reflect.DeepEqual(t0, w0) || !reflect.DeepEqual(t1, w1) {
						return fmt.Errorf("a View saw head %d with tiles %q and %q: a partial transaction", h.Size, t0.Data, t1.Data)
					}
					if h.Size < seen {
						return fmt.Errorf("a View saw generation %d after generation %d", h.Size, seen)
					}
					seen = h.Size
					return nil
				})
				if err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	for g := int64(1); g <= generations; g++ {
		err := db.Update(ctx, func(tx *store.Tx) error { return putGeneration(ctx, tx, g) })
		if err != nil {
			t.Error(err)
			break
		}
	}
	close(done)
	wg.Wait()
	view(t, db, func(ctx context.Context, tx *store.Tx) error {
		t0, t1, h := generation(generations)
		wantTile(t, ctx, tx, t0)
		wantTile(t, ctx, tx, t1)
		wantHead(t, ctx, tx, h)
		return nil
	})
}

// putGeneration writes generation g, pausing between the writes so that concurrent Views get
// the chance to look at a transaction in progress.
func putGeneration(ctx context.Context, tx *store.Tx, g int64) error {
	t0, t1, h := generation(g)
	if err := tx.PutTile(ctx, t0); err != nil {
		return err
	}
	time.Sleep(100 * time.Microsecond)
	if err := tx.PutTile(ctx, t1); err != nil {
		return err
	}
	time.Sleep(100 * time.Microsecond)
	return tx.SetLogHead(ctx, h)
}

func testConcurrentUpdates(t *testing.T, db *store.DB) {
	const writers, each = 16, 8
	update(t, db, func(ctx context.Context, tx *store.Tx) error { return tx.SetLogHead(ctx, head(0)) })
	ctx := t.Context()
	var wg sync.WaitGroup
	for w := range writers {
		wg.Go(func() {
			for i := range each {
				// A read-modify-write of the head: serialized Updates lose no increment.
				err := db.Update(ctx, func(tx *store.Tx) error {
					h, err := tx.LogHead(ctx)
					if err != nil {
						return err
					}
					if err := tx.PutTile(ctx, tile(3, int64(w*each+i), 1)); err != nil {
						return err
					}
					return tx.SetLogHead(ctx, head(h.Size+1))
				})
				if err != nil {
					t.Errorf("writer %d, update %d: %v", w, i, err)
					return
				}
			}
		})
	}
	wg.Wait()
	view(t, db, func(ctx context.Context, tx *store.Tx) error {
		wantHead(t, ctx, tx, head(writers*each))
		next := int64(0)
		err := tx.Tiles(ctx, 3, 0, func(tl store.Tile) error {
			if want := tile(3, next, 1); !reflect.DeepEqual(tl, want) {
				return fmt.Errorf("tile %+v, want %+v", tl, want)
			}
			next++
			return nil
		})
		if err != nil {
			return err
		}
		if next != writers*each {
			t.Errorf("%d tiles written by concurrent updates are stored, want %d", next, writers*each)
		}
		return nil
	})
}

func testSchemaVersion(t *testing.T, db *store.DB) {
	view(t, db, func(ctx context.Context, tx *store.Tx) error {
		v, err := tx.Version(ctx)
		if err != nil {
			return err
		}
		if v != store.SchemaVersion {
			t.Errorf("schema version %d, want store.SchemaVersion %d", v, store.SchemaVersion)
		}
		return nil
	})
}
