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
