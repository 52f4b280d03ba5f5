package cli

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/registry"
)

// The command line's human output shows times of day in UTC and says so: a time decoded
// with another offset is written as its UTC time, labelled.
func TestHumanTimesSayUTC(t *testing.T) {
	at := time.Date(2026, 3, 2, 16, 30, 0, 0, time.FixedZone("", 2*3600)) // 14:30 UTC
	var b bytes.Buffer
	printMember(&b, &registry.MemberView{Name: "dana", Roles: []string{"drafter"}, State: "disabled", CreatedAt: at, DisabledAt: &at})
	printDispatches(&b, []registry.DispatchView{{Recipient: "Ministry", Email: "m@example.org", Status: "sent", ReceivedAt: &at}})
	out := b.String()
	if strings.Count(out, "2026-03-02 14:30") != 3 || strings.Count(out, "14:30 UTC") != 3 || strings.Contains(out, "16:30") {
		t.Errorf("times not in UTC, or not labelled:\n%s", out)
	}
}
