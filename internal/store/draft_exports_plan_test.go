package store

import (
	"context"
	"strings"
	"testing"
)

// TestDraftExportsOfReadsTheIndex checks that a letter's draft copies are found through an
// index: each release reads them in its write transaction, and an identification for each
// letter it matched, and at 200,000 copies in the office reading them all took 20–74 ms a
// letter.
func TestDraftExportsOfReadsTheIndex(t *testing.T) {
	ctx := context.Background()
	db, err := OpenSQLite(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, q := range []string{draftExportsQuery("letter_id = $1"), erasedExportsQuery, draftExportsQuery("digest = $1")} {
		rows, err := db.r.QueryContext(ctx, "EXPLAIN QUERY PLAN "+q, 1)
		if err != nil {
			t.Fatal(err)
		}
		var plan []string
		for rows.Next() {
			var id, parent, unused int
			var detail string
			if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
				t.Fatal(err)
			}
			plan = append(plan, detail)
		}
		if err := rows.Close(); err != nil {
			t.Fatal(err)
		}
		for _, step := range plan {
			if strings.HasPrefix(step, "SCAN ") || strings.Contains(step, "TEMP B-TREE") {
				t.Errorf("a letter's draft copies are read by %s:\n%s\nplan:\n%s", step, q, strings.Join(plan, "\n"))
			}
		}
	}
}
