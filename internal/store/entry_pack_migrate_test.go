package store_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/store"
	"github.com/chancery/chancery/internal/store/storetest"
)

func TestPackEntriesMigrationSQLite(t *testing.T) {
	testPackEntriesMigration(t, openSQLite(t, t.TempDir()))
}

func TestPackEntriesMigrationPostgres(t *testing.T) {
	testPackEntriesMigration(t, openPostgres(t, storetest.PostgresURL(t)))
}

// testPackEntriesMigration stores release entries as schema 23 stored them (as they are),
// runs migration 24, and reads every one back byte for byte: the registry's form is kept
// 163 bytes shorter, every other form as it was, or one byte longer when it starts as a
// stored form would.
func testPackEntriesMigration(t *testing.T, db *store.DB) {
	ctx := t.Context()
	defer db.Close()
	entry := "chancery-entry v2 release\n" +
		`{"payload":"eyJvZmZpY2UiOiJXcml0ZSBCZW5jaG1hcmsgT2ZmaWNlIn0=","payloadType":"application/vnd.chancery.release.v2+json",` +
		`"signatures":[{"keyid":"00b3c75dc811d05543877153c28e72809b7511603096dd78920345c0f20ef500","sig":"lM4la6EWM45MFH68ggmDvMcKJzyOm+NFbHPqzkfy2kqvE5CcDuKDXkI6Fbodb3yLmXaengZpUAp71WPvSA3kCQ=="}]}`
	cases := []struct {
		entry string
		delta int // stored length minus the entry's
	}{
		{entry, -163},
		{strings.Replace(entry, "eyJvZmZpY2UiOiJXcml0ZSBCZW5jaG1hcmsgT2ZmaWNlIn0=", "", 1), -163},
		{"entry", 0},
		{"\x01 a stored form", 1},
		{"\x00\x01", 1},
		{strings.Replace(entry, "00b3c7", "00B3C7", 1), 0},
		{strings.Replace(entry, `"}]}`, `"},{"keyid":"x","sig":"y"}]}`, 1), 0},
		{strings.Replace(entry, "eyJv", `ey\u0022`, 1), 0},
		{strings.Replace(entry, "lM4la6", "lM4l\u00e46", 1), 0},
		{strings.Replace(entry, "lM4la6", "lM4l\\6", 1), 0},
		{strings.Replace(entry, "lM4la6", "lM4l\x006", 1), 0},
		{strings.Replace(entry, "v2 release", "v2 withdrawal", 1), 0},
		{strings.Replace(entry, `f500","sig`, `f50","sig`, 1), 0},
		{entry[:len(entry)-1], 0},
		{entry + " ", 0},
	}
	now := time.Date(2026, 12, 1, 6, 0, 0, 0, time.UTC)
	ids := make([]int64, len(cases))
	err := db.Update(ctx, func(tx *store.Tx) error {
		m, err := tx.AddMember(ctx, "cora", []string{"signer"}, []byte("token"), now)
		if err != nil {
			return err
		}
		for i, c := range cases {
			l := store.Letter{Reference: fmt.Sprintf("TPE-2026-%06d", i+1), Subject: "s", Class: "c", AuthorID: m.ID, CreatedAt: now}
			if err := tx.AddLetter(ctx, &l); err != nil {
				return err
			}
			ids[i] = l.ID
			d := fmt.Sprintf("sha256:%064x", i)
			if err := tx.PutBlob(ctx, d, []byte{byte(i)}); err != nil {
				return err
			}
			if err := tx.AddVersion(ctx, store.Version{LetterID: l.ID, N: 1, Digest: d, MediaType: "text/plain", FileName: "l.txt", Size: 1, CreatedBy: m.ID, CreatedAt: now}); err != nil {
				return err
			}
			if err := tx.AddRelease(ctx, store.Release{LetterID: l.ID, VersionN: 1, FileDigest: d, FileName: "l.txt", MediaType: "text/plain",
				LogIndex: int64(i), Entry: []byte("placeholder"), ReleasedBy: m.ID, ReleasedAt: now}); err != nil {
				return err
			}
			// As schema 23 stored it.
			if err := store.ExecTx(ctx, tx, `UPDATE releases SET entry = $1 WHERE letter_id = $2`, []byte(c.entry), l.ID); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.RunMigrationForTest(ctx, 24); err != nil {
		t.Fatalf("migration 24: %v", err)
	}
	err = db.View(ctx, func(tx *store.Tx) error {
		for i, c := range cases {
			r, err := tx.ReleaseOf(ctx, ids[i])
			if err != nil || string(r.Entry) != c.entry {
				t.Errorf("case %d: read %q, %v, want %q", i, r.Entry, err, c.entry)
			}
			n, err := store.IntsTx(ctx, tx, `SELECT length(entry) FROM releases WHERE letter_id = $1`, ids[i])
			if err != nil {
				return err
			}
			if n[0] != len(c.entry)+c.delta {
				t.Errorf("case %d: stored in %d bytes, want %d", i, n[0], len(c.entry)+c.delta)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
