package store_test

import (
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/store"
	"github.com/chancery/chancery/internal/store/storetest"
)

// TestAnswerIDInSQL checks that migration 20's SQL computes the key of a kept answer from a
// digest's text as the store does from its bytes, on both backends: a row it made under
// another key would stay pending for ever, and its letter's lookups would never use it.
func TestAnswerIDInSQL(t *testing.T) {
	digests := []string{"sha256:" + strings.Repeat("0", 64), "sha256:" + strings.Repeat("f", 64), "sha256:" + strings.Repeat("F", 64)}
	for i := range 50 {
		h := sha256.Sum256([]byte{byte(i)})
		digests = append(digests, "sha256:"+hex.EncodeToString(h[:]))
	}
	sqlite := rawSQLite(t, t.TempDir())
	pg, err := sql.Open("pgx", storetest.PostgresURL(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pg.Close() })
	for _, d := range digests {
		b, _ := hex.DecodeString(d[7:])
		want := store.AnswerID(b)
		if want < 0 || want >= 1<<56 {
			t.Fatalf("%s: key %d out of 7 bytes", d, want)
		}
		var lite, post int64
		if err := sqlite.QueryRow(`SELECT `+store.AnswerIDSQLite("$1"), d).Scan(&lite); err != nil {
			t.Fatal(err)
		}
		if err := pg.QueryRow(`SELECT ('x' || substr($1::text, 8, 14))::bit(56)::bigint`, d).Scan(&post); err != nil {
			t.Fatal(err)
		}
		if lite != want || post != want {
			t.Errorf("%s: key %d in Go, %d in SQLite, %d in PostgreSQL", d, want, lite, post)
		}
	}
}

func TestRepackAnswersMigrationSQLite(t *testing.T) {
	testRepackAnswersMigration(t, openSQLite(t, t.TempDir()))
}

func TestRepackAnswersMigrationPostgres(t *testing.T) {
	testRepackAnswersMigration(t, openPostgres(t, storetest.PostgresURL(t)))
}

// testRepackAnswersMigration puts rows as schema 20 kept them (one built, one pending) into
// the answers table and runs migration 21: both are then pending, without a body, so that
// the registry builds them again (packed), and are not answered from until then.
func testRepackAnswersMigration(t *testing.T, db *store.DB) {
	ctx := t.Context()
	defer db.Close()
	digests := []string{"sha256:" + strings.Repeat("1", 64), "sha256:" + strings.Repeat("2", 64)}
	for i, d := range digests {
		b, _ := hex.DecodeString(d[7:])
		body := []byte("\x02\x05{\"a\":")
		if i == 1 {
			body = []byte{}
		}
		err := db.ExecForTest(ctx, `INSERT INTO answers (id, digest, part, body) VALUES ($1, $2, $3, $4)`,
			store.AnswerID(b), b, int64(7*(1-i)), body)
		if err != nil {
			t.Fatal(err)
		}
	}
	if a, err := db.Answer(ctx, digests[0]); err != nil || a.Part != 7 || len(a.Body) == 0 {
		t.Fatalf("answer before migrating: %+v, %v", a, err)
	}
	if err := db.RunMigrationForTest(ctx, 21); err != nil {
		t.Fatalf("migration 21: %v", err)
	}
	for _, d := range digests {
		if a, err := db.Answer(ctx, d); err != nil || a.Part != 0 || len(a.Body) != 0 {
			t.Errorf("answer for %s after migrating: %+v, %v; want a pending row", d, a, err)
		}
	}
	var pending []string
	err := db.View(ctx, func(tx *store.Tx) error {
		var err error
		pending, err = tx.PendingAnswers(ctx, 10)
		return err
	})
	if err != nil || len(pending) != 2 {
		t.Errorf("pending answers after migrating: %v, %v; want both", pending, err)
	}
}
