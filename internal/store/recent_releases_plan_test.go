package store

import (
	"strings"
	"testing"
)

// TestRecentReleasesReadsTheIndex checks that the inbox's latest releases are read from the
// end of the releases' log_index index: at 100,000 released letters, sorting every release
// by its index for the 20 an inbox shows took 80 ms at each member's home page.
func TestRecentReleasesReadsTheIndex(t *testing.T) {
	plan := queryPlan(t, recentReleasesQuery, 20)
	for _, step := range plan {
		if strings.Contains(step, "TEMP B-TREE") || strings.HasPrefix(step, "SCAN ") && !strings.Contains(step, "INDEX") {
			t.Errorf("the latest releases are sorted or scanned (%s), not read from the index's end; plan:\n%s", step, strings.Join(plan, "\n"))
		}
	}
}
