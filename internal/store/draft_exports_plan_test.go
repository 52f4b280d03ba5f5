package store

import (
	"strings"
	"testing"
)

// TestDraftExportsOfReadsTheIndex checks that a letter's draft copies are found through an
// index: each release reads them in its write transaction, and an identification for each
// letter it matched, and at 200,000 copies in the office reading them all took 20–74 ms a
// letter.
func TestDraftExportsOfReadsTheIndex(t *testing.T) {
	for _, q := range []string{draftExportsQuery("letter_id = $1"), erasedExportsQuery, draftExportsQuery("digest = $1")} {
		plan := queryPlan(t, q, 1)
		for _, step := range plan {
			if strings.HasPrefix(step, "SCAN ") || strings.Contains(step, "TEMP B-TREE") {
				t.Errorf("a letter's draft copies are read by %s:\n%s\nplan:\n%s", step, q, strings.Join(plan, "\n"))
			}
		}
	}
}
