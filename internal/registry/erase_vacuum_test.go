package registry

import (
	"context"
	"database/sql"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/store"
	"github.com/chancery/chancery/internal/store/storetest"
)

// TestErasureVacuumNamesEveryRewrittenTablePostgres checks the tables that
// docs/design/confidentiality.md tells an operator to VACUUM FULL after an erasure on
// PostgreSQL, where a row rewritten or deleted leaves its old version in the table's files:
// every table in which the erasure of a letter with a review comment, a draft copy and a
// retraction rewrote or deleted a row must be named, or what it held (the reason, the
// comment, the copy's recipient, the file's name) stays on the disk after the documented
// VACUUM FULL.
func TestErasureVacuumNamesEveryRewrittenTablePostgres(t *testing.T) {
	ctx := context.Background()
	u := storetest.PostgresSchemas(t)()
	db, err := store.OpenPostgres(ctx, u)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	o := officeOn(t, db)
	raw, err := sql.Open("pgx", u)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { raw.Close() })

	ref := o.letter(t, "The pension of Mrs Widow is transferred.")
	if _, err := o.r.ExportDraftVersion(ctx, o.drafter, ref, "", "Embassy liaison"); err != nil {
		t.Fatal(err)
	}
	if err := o.r.Approve(ctx, o.reviewer, ref, "", "checked with the widow's lawyer"); err != nil {
		t.Fatal(err)
	}
	if err := o.sign(t, ref); err != nil {
		t.Fatal(err)
	}
	if _, err := o.r.Release(ctx, o.officer, ref); err != nil {
		t.Fatal(err)
	}
	stmt, pt := o.withdrawalStatement(t, o.signer, ref, "", "the widow asked")
	if _, err := o.withdraw(ctx, o.signer, ref, "", o.keyID, stmt, signPAE(o.signerKey, pt, stmt)); err != nil {
		t.Fatal(err)
	}

	var tables []string
	rows, err := raw.QueryContext(ctx, `SELECT table_name FROM information_schema.tables
		WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		tables = append(tables, n)
	}
	rows.Close()
	count := func() map[string]int64 {
		out := map[string]int64{}
		for _, n := range tables {
			var c int64
			if err := raw.QueryRowContext(ctx, `SELECT count(*) FROM `+n).Scan(&c); err != nil {
				t.Fatal(err)
			}
			out[n] = c
		}
		return out
	}
	before := count()
	// Rows the erasure writes carry its transaction's ID, newer than this one's.
	var xid int64
	if err := raw.QueryRowContext(ctx, `SELECT txid_current() % 4294967296`).Scan(&xid); err != nil {
		t.Fatal(err)
	}
	if err := o.r.Erase(ctx, o.admin, ref, "erasure request"); err != nil {
		t.Fatal(err)
	}
	after := count()
	var rewritten []string
	for _, n := range tables {
		var written int64
		if err := raw.QueryRowContext(ctx, `SELECT count(*) FROM `+n+` WHERE xmin::text::bigint > $1`, xid).Scan(&written); err != nil {
			t.Fatal(err)
		}
		// A table that only gained rows (the erasure's own audit event) leaves no old version.
		if after[n] < before[n] || written > after[n]-before[n] {
			rewritten = append(rewritten, n)
		}
	}
	if !slices.Contains(rewritten, "withdrawals") || !slices.Contains(rewritten, "letters") {
		t.Fatalf("the erasure rewrote %v: the detector misses what it must find", rewritten)
	}

	doc, err := os.ReadFile("../../docs/design/confidentiality.md")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile("run `VACUUM FULL` on ([^.]*?) after an erasure").FindSubmatch([]byte(strings.Join(strings.Fields(string(doc)), " ")))
	if m == nil {
		t.Fatal("docs/design/confidentiality.md names no tables to VACUUM FULL after an erasure")
	}
	for _, n := range rewritten {
		if !strings.Contains(string(m[1]), "`"+n+"`") {
			t.Errorf("the erasure rewrote or deleted rows of %s, which docs/design/confidentiality.md does not tell to VACUUM FULL (%s)", n, m[1])
		}
	}
}
