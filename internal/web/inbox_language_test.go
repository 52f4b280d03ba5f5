package web_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/server"
)

// TestInboxSaysWithdrawalsInTheReadersLanguage: the inbox's recently released letters say
// that one was retracted in the member's language, the signed reason kept apart from the
// words around it, as written.
func TestInboxSaysWithdrawalsInTheReadersLanguage(t *testing.T) {
	o := newOffice(t, server.Config{RateLimit: -1})
	gone := o.letter("Press statement", "Training from 3 to 14 February.\n")
	o.release(gone)
	o.withdraw(gone, "", "15 March is the new date.")
	c := o.client()
	c.signIn("dana")
	for _, tc := range []struct{ lang, want string }{
		{"en", "retracted: <bdi>15 March is the new date.</bdi>"},
		{"fr", "annulée : <bdi>15 March is the new date.</bdi>"},
		{"ar", "ملغاة: <bdi>15 March is the new date.</bdi>"},
	} {
		resp, body := c.getLang("/inbox", tc.lang)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s inbox: %s", tc.lang, resp.Status)
		}
		if !strings.Contains(body, tc.want) {
			t.Errorf("%s inbox lacks %q:\n%s", tc.lang, tc.want, prose(body))
		}
		if tc.lang != "en" && strings.Contains(body, "retracted") {
			t.Errorf("%s inbox says %q in English:\n%s", tc.lang, "retracted", prose(body))
		}
	}
}
