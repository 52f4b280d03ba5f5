package web_test

import (
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/identify/synth"
	"github.com/chancery/chancery/internal/server"
)

// TestPastedTextOfASupersededLetterGivesTheReason: the text of a superseded letter pasted on
// the verify page is answered with the signed reason of its supersession, as the text of a
// retracted letter is with its retraction's, and as `chancery identify` and POST
// /api/v1/identify answer; in French and Arabic too.
func TestPastedTextOfASupersededLetterGivesTheReason(t *testing.T) {
	o := newOffice(t, server.Config{RateLimit: -1})
	corpus := synth.Corpus{Seed: 5, FamilySize: 1}
	text := corpus.Letter(0).Text()
	old := o.letter("Liaison schedule", text)
	o.release(old)
	repl := o.letter("Liaison schedule (corrected)", corpus.Letter(1).Text())
	o.release(repl)
	const reason = "The meeting day changed."
	o.withdraw(old, repl, reason)
	for _, lang := range []string{"en", "fr", "ar"} {
		resp, body := o.client().do("POST", "/verify/text", url.Values{"text": {text}}, map[string]string{"Accept-Language": lang})
		body = html.UnescapeString(body)
		if resp.StatusCode != http.StatusOK || !strings.Contains(body, repl) || !strings.Contains(body, reason) {
			t.Errorf("the superseded letter's text, in %s: %s; want %s and the reason %q:\n%s", lang, resp.Status, repl, reason, mainOf(body))
		}
	}
}
