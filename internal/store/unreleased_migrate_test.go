package store_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/store"
	"github.com/chancery/chancery/internal/store/storetest"
)

func TestUnreleasedLettersMigrationSQLite(t *testing.T) {
	testUnreleasedLettersMigration(t, openSQLite(t, t.TempDir()))
}

func TestUnreleasedLettersMigrationPostgres(t *testing.T) {
	testUnreleasedLettersMigration(t, openPostgres(t, storetest.PostgresURL(t)))
}

// testUnreleasedLettersMigration runs migration 44 on a store of the schema before it, with
// a draft, a released letter and a retracted one: the draft is found in progress, the
// retracted letter by its withdrawal's kind. Run again on a table that disagrees with the
// releases (as a store whose steps are run again may hold), it puts it right.
func testUnreleasedLettersMigration(t *testing.T, db *store.DB) {
	ctx := t.Context()
	defer db.Close()
	now := time.Date(2026, 12, 7, 6, 0, 0, 0, time.UTC)
	ids := map[int]int64{}
	err := db.Update(ctx, func(tx *store.Tx) error {
		m, err := tx.AddMember(ctx, "cora", []string{"signer"}, []byte("token"), now)
		if err != nil {
			return err
		}
		for i := 1; i <= 3; i++ {
			l := store.Letter{Reference: fmt.Sprintf("TUL-2026-%06d", i), Subject: "s", Class: "c", AuthorID: m.ID, CreatedAt: now}
			if err := tx.AddLetter(ctx, &l); err != nil {
				return err
			}
			ids[i] = l.ID
			if i == 1 {
				continue
			}
			d := fmt.Sprintf("sha256:%064x", i)
			if err := tx.PutBlob(ctx, d, []byte{byte(i)}); err != nil {
				return err
			}
			if err := tx.AddRelease(ctx, store.Release{LetterID: l.ID, VersionN: 1, FileDigest: d, FileName: "l.pdf", MediaType: "application/pdf",
				LogIndex: int64(i), Entry: []byte{byte(i)}, ReleasedBy: m.ID, ReleasedAt: now}); err != nil {
				return err
			}
		}
		if err := tx.AddWithdrawal(ctx, store.Withdrawal{LetterID: ids[3], Kind: "retraction", Reason: "r", LogIndex: 10,
			Entry: []byte("w"), MemberID: m.ID, CreatedAt: now}); err != nil {
			return err
		}
		// The store as migration 43 left it.
		for _, index := range []string{"withdrawals_by_kind", "letters_by_class"} {
			if err := store.ExecTx(ctx, tx, `DROP INDEX `+index); err != nil {
				return err
			}
		}
		return store.ExecTx(ctx, tx, `DROP TABLE unreleased_letters`)
	})
	if err != nil {
		t.Fatal(err)
	}
	check := func(step string) {
		t.Helper()
		var inProgress, retracted []string
		err := db.View(ctx, func(tx *store.Tx) error {
			un, err := tx.UnreleasedLetters(ctx, 10)
			if err != nil {
				return err
			}
			for _, l := range un {
				inProgress = append(inProgress, l.Reference)
			}
			ls, err := tx.ListLetters(ctx, store.LetterFilter{State: store.StateRetracted}, 10)
			for _, l := range ls {
				retracted = append(retracted, l.Reference)
			}
			return err
		})
		if err != nil {
			t.Fatalf("%s: %v", step, err)
		}
		if !slices.Equal(inProgress, []string{"TUL-2026-000001"}) || !slices.Equal(retracted, []string{"TUL-2026-000003"}) {
			t.Errorf("%s: letters in progress %v, retracted %v; want the first in progress and the third retracted", step, inProgress, retracted)
		}
	}
	if err := db.RunMigrationForTest(ctx, 44); err != nil {
		t.Fatalf("migration 44: %v", err)
	}
	check("migration 44")

	err = db.Update(ctx, func(tx *store.Tx) error {
		if err := store.ExecTx(ctx, tx, `DELETE FROM unreleased_letters`); err != nil {
			return err
		}
		return store.ExecTx(ctx, tx, `INSERT INTO unreleased_letters (letter_id) VALUES ($1)`, ids[2])
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.RunMigrationForTest(ctx, 44); err != nil {
		t.Fatalf("migration 44 run again: %v", err)
	}
	check("migration 44 run again")
}
