package registry

import (
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/i18n"
)

// TestNoFieldTranslated: the supersession refusal names "no field" through fieldList, which
// returned the message's English String(), so that French and Arabic readers got "no field"
// in English (found by the session's review).
func TestNoFieldTranslated(t *testing.T) {
	p, _ := i18n.Parse("fr")
	err := i18n.Errorf(ErrConflict, "%s logs %s in the clear and %s logs %s: a supersession would link them in the public log, and hand whoever holds %s the other letter: retract %s and dispatch %s to its addressees",
		"TFN-1", fieldList([]string{"reference", "subject", "class"}), "TFN-2", fieldList(nil), "TFN-1", "TFN-1", "TFN-2")
	if s := p.Error(err); strings.Contains(s, "no field") {
		t.Errorf("in French: %s", s)
	}
}
