package store

import (
	"strings"
	"testing"
)

// TestEraseAsksSharedFilesByIndex: EraseLetter's condition that a file is no other letter's
// was a NOT IN over every other letter's versions, which SQLite built again at each of the
// erasure's statements (a LIST SUBQUERY scanning versions): each erasure cost the size of
// the office, and serve's pass over an upgraded office's erased letters (item 840) took 12 s
// for 400 of 1,900 letters and 26 s for 800 of 3,800 (found by review, fifty-seventh
// session; 0.6 and 1.2 s since). The condition is now asked per file through the indexes on
// versions.digest and releases.file_digest: no plan of the statements scans a table.
func TestEraseAsksSharedFilesByIndex(t *testing.T) {
	for _, q := range []string{
		`UPDATE blobs SET data = $2, chunked = NULL WHERE digest = $3` + notSharedOf("blobs.digest"),
		`UPDATE blobs SET data = $2, chunked = NULL WHERE digest IN (SELECT digest FROM versions WHERE letter_id = $1)` + notSharedOf("blobs.digest"),
		`DELETE FROM conversions WHERE source IN (SELECT digest FROM versions WHERE letter_id = $1` + notSharedOf("versions.digest") + `)`,
	} {
		plan := queryPlan(t, q, 1, []byte{}, "sha256:00")
		for _, step := range plan {
			if strings.HasPrefix(step, "SCAN ") {
				t.Errorf("the erasure's statement scans a table (%s):\n%s\nplan:\n%s", step, q, strings.Join(plan, "\n"))
			}
		}
	}
}
