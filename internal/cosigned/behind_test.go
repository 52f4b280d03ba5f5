package cosigned

import (
	"testing"

	"github.com/chancery/chancery/internal/store"
)

// TestBehindIsSaidOfTheWitnessKey: a witness removed and added again under the same name with
// another key kept its predecessor's reason (ahead of the log, or refusing it) until it
// cosigned (forty-eighth session's list of items not fixed). The reason is said of the name
// and the key: a change of the configuration forgets it when either is gone.
func TestBehindIsSaidOfTheWitnessKey(t *testing.T) {
	h := &Heads{}
	h.setBehind("justice", "justice+01234567+old", "it refused this log's checkpoint as inconsistent with what it cosigned before (a fork)")
	h.keepBehind(&Config{Witnesses: []store.Witness{{Name: "justice", VKey: "justice+01234567+old"}}})
	if h.Behind() == "" {
		t.Fatal("the same witness's reason was forgotten")
	}
	h.keepBehind(&Config{Witnesses: []store.Witness{{Name: "justice", VKey: "justice+89abcdef+new"}}})
	if b := h.Behind(); b != "" {
		t.Errorf("a witness added again under the name with another key has its predecessor's reason: %q", b)
	}
}
