package web

import (
	"testing"

	"github.com/chancery/chancery/internal/i18n"
)

// TestNoticesTranslated: every notice a redirect can ask for is in the catalogue, so that
// render shows it in the page's language (the catalogue test sees only {{t}} and .T calls).
func TestNoticesTranslated(t *testing.T) {
	for _, m := range []map[string]string{notices, adminNotices} {
		for name, msg := range m {
			if _, _, ok := i18n.Lookup(msg); !ok {
				t.Errorf("notice %s, %q, is not in the catalogue", name, msg)
			}
		}
	}
}
