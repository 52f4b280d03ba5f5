package verify

import (
	"strings"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/seal"
)

// TestQuorumAgeLeavesOutCosignaturesOfUnknownAge: --max-age dates a checkpoint by the quorum-th
// newest cosignature. One dated more than CosignatureSkew ahead has no known age: it counted as
// the freshest, so that with a quorum of two a checkpoint one witness cosigned an hour ago and
// the other (its clock a year ahead) never recently passed --max-age 24h, as a fresh one; and
// with a quorum of one, the same cosignature, added to a seal a witness cosigned an hour ago,
// made it fail.
func TestQuorumAgeLeavesOutCosignaturesOfUnknownAge(t *testing.T) {
	now := time.Now().UTC().Truncate(time.Second)
	hourAgo, twoDaysAgo, yearAhead, soon := now.Add(-time.Hour), now.Add(-48*time.Hour), now.Add(365*24*time.Hour), now.Add(5*time.Minute)
	cos := func(ts ...time.Time) []seal.Cosigner {
		var out []seal.Cosigner
		for i, at := range ts {
			out = append(out, seal.Cosigner{Name: string(rune('a' + i)), Time: at})
		}
		return out
	}
	for _, c := range []struct {
		name    string
		quorum  int
		cos     []seal.Cosigner
		want    time.Time // zero: refused as of unknown age
		refused bool
	}{
		{"quorum 2, both an hour ago", 2, cos(hourAgo, hourAgo), hourAgo, false},
		{"quorum 2, an hour and two days ago", 2, cos(hourAgo, twoDaysAgo), twoDaysAgo, false},
		{"quorum 2, an hour ago and a year ahead", 2, cos(hourAgo, yearAhead), time.Time{}, true},
		{"quorum 2, a year ahead and an hour ago", 2, cos(yearAhead, hourAgo), time.Time{}, true},
		{"quorum 2 of 3, two days ago, a year ahead, an hour ago", 2, cos(twoDaysAgo, yearAhead, hourAgo), twoDaysAgo, false},
		{"quorum 1, an hour ago and a year ahead", 1, cos(hourAgo, yearAhead), hourAgo, false},
		{"quorum 1, a year ahead", 1, cos(yearAhead), time.Time{}, true},
		{"quorum 1, within the skew ahead", 1, cos(soon), soon, false},
	} {
		vf := &Verifier{Quorum: c.quorum, MaxAge: 24 * time.Hour}
		at, why, ok := vf.QuorumAge(c.cos)
		if ok == c.refused || !at.Equal(c.want) {
			t.Errorf("%s: %v %v %q, want %v refused %v", c.name, at, ok, why.En, c.want, c.refused)
		}
		if c.refused && !strings.Contains(why.En, "ahead of this computer's clock") {
			t.Errorf("%s: refused as %q", c.name, why.En)
		}
	}
}
