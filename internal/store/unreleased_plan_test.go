package store

import (
	"context"
	"strings"
	"testing"
)

// TestLettersInProgressReadNoScan checks that the inbox's drafts and the listings of drafts,
// retracted and superseded letters read those letters (unreleased_letters, withdrawals by
// kind), not every letter from the newest: at 100,000 released letters and no draft, the
// inbox took 87 ms, and the listings through the API 0.46 s (drafts) and 0.56 s (retracted).
func TestLettersInProgressReadNoScan(t *testing.T) {
	for _, c := range []struct {
		what, query string
		args        []any
		// drafts is the alias of unreleased_letters in the query, whose rows are all
		// letters in progress: reading them from the newest is the point.
		drafts string
	}{
		{"the inbox's drafts", unreleasedLettersQuery, []any{200}, "u"},
		{"the listing of drafts", listLettersQuery(LetterFilter{State: StateDraft}), []any{0, "", StateDraft, 200}, "s"},
		{"the listing of drafts of a class, after a page", listLettersQuery(LetterFilter{State: StateDraft, Class: "routine", Before: 1000}), []any{1000, "routine", StateDraft, 200}, ""},
		{"the listing of retracted letters", listLettersQuery(LetterFilter{State: StateRetracted}), []any{0, "", StateRetracted, 200}, ""},
		{"the listing of superseded letters", listLettersQuery(LetterFilter{State: StateSuperseded}), []any{0, "", StateSuperseded, 200}, ""},
	} {
		plan := queryPlan(t, c.query, c.args...)
		for _, step := range plan {
			scans := strings.HasPrefix(step, "SCAN ") && (c.drafts == "" || step != "SCAN "+c.drafts)
			if scans || strings.Contains(step, "TEMP B-TREE") {
				t.Errorf("%s is read by %s; plan:\n%s", c.what, step, strings.Join(plan, "\n"))
			}
		}
	}
}

// TestLetterListingsOfAClassOrAfterAPageReadNoScan checks that a listing of a class reads the
// letters of that class (letters_by_class), and a next page starts where the last ended: a
// class without letters read every letter (41–93 ms at 100,000 letters), and each page the
// letters of every page before it. A listing of every letter, or of released letters, from
// the newest reads letters by their ID until the page is full, as it should.
func TestLetterListingsOfAClassOrAfterAPageReadNoScan(t *testing.T) {
	for _, f := range []LetterFilter{
		{Class: "routine"},
		{Before: 1000},
		{Class: "routine", Before: 1000},
		{State: StateReleased, Class: "routine"},
		{State: StateReleased, Before: 1000},
		{State: StateDraft, Class: "routine"},
		{State: StateRetracted, Class: "routine", Before: 1000},
	} {
		plan := queryPlan(t, listLettersQuery(f), f.Before, f.Class, f.State, 200)
		for _, step := range plan {
			if strings.HasPrefix(step, "SCAN l") || strings.Contains(step, "TEMP B-TREE") {
				t.Errorf("the listing %+v reads %s; plan:\n%s", f, step, strings.Join(plan, "\n"))
			}
		}
	}
}

// queryPlan returns the steps of SQLite's plan of query, on a new store.
func queryPlan(t *testing.T, query string, args ...any) []string {
	t.Helper()
	ctx := context.Background()
	db, err := OpenSQLite(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.r.QueryContext(ctx, "EXPLAIN QUERY PLAN "+query, args...)
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
	return plan
}
