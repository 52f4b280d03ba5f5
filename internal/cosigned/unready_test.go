package cosigned

import (
	"testing"

	"github.com/chancery/chancery/internal/store"
)

// TestUnreadyKeyUnderTwoNames: a key configured under two names counts once towards the
// quorum, and it can still cosign while one of its names does not refuse the log, whichever
// of the two is listed first.
func TestUnreadyKeyUnderTwoNames(t *testing.T) {
	const key = "witness.example+01234567+AAAA"
	for _, order := range [][]string{{"a", "b"}, {"b", "a"}} {
		h := &Heads{}
		var ws []store.Witness
		for _, name := range order {
			ws = append(ws, store.Witness{Name: name, VKey: key})
		}
		h.cfg.Store(&Config{Quorum: 1, Witnesses: ws})
		h.setBehind("a", key, "it refused this log's checkpoint")
		if why := h.Unready(); why != "" {
			t.Errorf("witnesses listed %v, a refusing, b not: unready (%s)", order, why)
		}
		h.setBehind("b", key, "it refused this log's checkpoint")
		if h.Unready() == "" {
			t.Errorf("witnesses listed %v, both refusing: ready", order)
		}
	}
}
