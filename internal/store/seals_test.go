package store_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/store"
	"github.com/chancery/chancery/internal/store/storetest"
)

// keptV15 is a seal kept in the form of migration 15: 'K' | uvarint len | checkpoint | proof |
// signer proofs.
func keptV15(s store.KeptSeal) []byte {
	b := binary.AppendUvarint([]byte{'K'}, uint64(len(s.Checkpoint)))
	b = append(b, s.Checkpoint...)
	b = append(b, s.Proof...)
	return append(b, s.SignerProofs...)
}

// proofOf is a proof of n hashes in the kept form: uvarint n | n×32 bytes.
func proofOf(n int, fill byte) []byte {
	return append(binary.AppendUvarint(nil, uint64(n)), bytes.Repeat([]byte{fill}, 32*n)...)
}

// signerProofsOf is the signer proofs of keys at the given log indexes, with proofs of n hashes.
func signerProofsOf(n int, indexes ...uint64) []byte {
	b := binary.AppendUvarint(nil, uint64(len(indexes)))
	for i, idx := range indexes {
		b = binary.AppendUvarint(b, idx)
		b = append(b, proofOf(n, byte(0xa0+i))...)
	}
	return b
}

// testSealsMigration puts seals kept in migration 15's form into a store whose tables that
// migrations 16 and 17 change are brought back to schema 15, runs those migrations, and checks that each seal reads back as the
// same bytes, now in parts, the parts kept once per checkpoint; a row that does not parse is
// dropped (the next lookup builds its seal again).
func testSealsMigration(t *testing.T, open func() *store.DB, blob string) {
	ctx := t.Context()
	cpShort := []byte("example.org/log\n5\nAAAA\n\n— example.org/log sig\n")       // length < 128: one-byte uvarint
	cpLong := bytes.Repeat([]byte("— witness line of a cosigned checkpoint\n"), 9) // 2-byte uvarint
	cpHuge := bytes.Repeat([]byte{'w'}, 20000)                                     // 3-byte uvarint: dropped
	seals := map[int64]store.KeptSeal{
		10: {Checkpoint: cpShort, Proof: proofOf(3, 1), SignerProofs: signerProofsOf(3, 2)},
		11: {Checkpoint: cpShort, Proof: proofOf(3, 2), SignerProofs: signerProofsOf(3, 2)},
		12: {Checkpoint: cpLong, Proof: proofOf(0, 0), SignerProofs: signerProofsOf(0)},
		13: {Checkpoint: cpLong, Proof: proofOf(20, 3), SignerProofs: signerProofsOf(20, 2, 300, 70000)},
		14: {Checkpoint: cpLong, Proof: proofOf(20, 4), SignerProofs: signerProofsOf(20, 2, 300, 70000)},
		15: {Checkpoint: []byte{'\n'}, Proof: proofOf(1, 0x80), SignerProofs: signerProofsOf(1, 0)},
	}
	dropped := map[int64][]byte{
		20: keptV15(store.KeptSeal{Checkpoint: cpHuge, Proof: proofOf(1, 1), SignerProofs: signerProofsOf(1, 2)}),
		21: []byte("K"),
		22: {'K', 0x05, 'a', 'b'}, // shorter than its length says
		23: []byte(`{"a former seal":"json"}`),
	}

	db := open()
	err := db.ExecForTest(ctx, fmt.Sprintf(`DROP TABLE seals;
DROP TABLE seal_parts;
CREATE TABLE seals (log_index BIGINT PRIMARY KEY, seal %s NOT NULL);
DROP INDEX approvals_by_letter;
CREATE INDEX approvals_by_letter ON approvals (letter_id, version_digest);
DROP INDEX signatures_by_letter;
CREATE INDEX signatures_by_letter ON signatures (letter_id, version_digest)`, blob))
	if err != nil {
		t.Fatalf("back to schema 15: %v", err)
	}
	put := func(index int64, b []byte) {
		if err := db.ExecForTest(ctx, `INSERT INTO seals (log_index, seal) VALUES ($1, $2)`, index, b); err != nil {
			t.Fatal(err)
		}
	}
	for index, s := range seals {
		put(index, keptV15(s))
	}
	for index, b := range dropped {
		put(index, b)
	}
	for _, n := range []int{16, 17} {
		if err := db.RunMigrationForTest(ctx, n); err != nil {
			t.Fatalf("migration %d: %v", n, err)
		}
	}
	// A store closed and opened again after the migration reads the same.
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	db = open()
	defer db.Close()
	err = db.View(ctx, func(tx *store.Tx) error {
		for index, want := range seals {
			got, err := tx.Seal(ctx, index)
			if err != nil {
				t.Errorf("seal of %d after migrating: %v", index, err)
				continue
			}
			if !bytes.Equal(keptV15(got), keptV15(want)) || !bytes.Equal(got.Proof, want.Proof) || !bytes.Equal(got.Checkpoint, want.Checkpoint) {
				t.Errorf("seal of %d after migrating:\n%q\nwant\n%q", index, keptV15(got), keptV15(want))
			}
		}
		for index := range dropped {
			if _, err := tx.Seal(ctx, index); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("malformed seal of %d after migrating: %v, want not found", index, err)
			}
		}
		counts, err := tx.Counts(ctx, []string{"seal_parts"})
		if err != nil {
			return err
		}
		if counts[0].Rows != 4 {
			t.Errorf("%d seal parts, want 4 (one per checkpoint and signer proofs)", counts[0].Rows)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestSealsMigrationSQLite(t *testing.T) {
	dir := t.TempDir()
	testSealsMigration(t, func() *store.DB { return openSQLite(t, dir) }, "BLOB")
}

func TestSealsMigrationPostgres(t *testing.T) {
	url := storetest.PostgresURL(t)
	testSealsMigration(t, func() *store.DB { return openPostgres(t, url) }, "BYTEA")
}

// TestSQLiteBackupPageSize: an office made with 16 KiB pages keeps them when opened, and its
// backup (VACUUM INTO) is written with 4 KiB pages (issue 19 item 5), holding the same rows,
// so that restoring it is how an existing office gets the smaller pages.
func TestSQLiteBackupPageSize(t *testing.T) {
	ctx := t.Context()
	dir := t.TempDir()
	raw := rawSQLite(t, dir)
	if _, err := raw.Exec(`PRAGMA page_size = 16384; CREATE TABLE schema_version (version INTEGER NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	db := openSQLite(t, dir)
	if ps, err := db.WriterPragma(ctx, "page_size"); err != nil || ps != "16384" {
		t.Fatalf("page_size of an office made with 16 KiB pages: %q, %v; want it kept", ps, err)
	}
	addMember := func(tx *store.Tx) error {
		_, err := tx.AddMember(ctx, "olga", []string{"officer"}, []byte("token"), time.Now())
		return err
	}
	if err := db.Update(ctx, addMember); err != nil {
		t.Fatal(err)
	}
	to := filepath.Join(t.TempDir(), "backup.db")
	if err := store.BackupSQLite(ctx, dir, to); err != nil {
		t.Fatal(err)
	}
	db.Close()
	restored := t.TempDir()
	if err := os.Rename(to, filepath.Join(restored, store.SQLiteFile)); err != nil {
		t.Fatal(err)
	}
	db = openSQLite(t, restored)
	defer db.Close()
	if ps, err := db.WriterPragma(ctx, "page_size"); err != nil || ps != "4096" {
		t.Errorf("page_size of the backup: %q, %v; want 4096", ps, err)
	}
	err := db.View(ctx, func(tx *store.Tx) error {
		_, err := tx.MemberByName(ctx, "olga")
		return err
	})
	if err != nil {
		t.Errorf("the backup lost a row: %v", err)
	}
}
