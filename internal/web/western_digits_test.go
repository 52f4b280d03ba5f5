package web_test

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"unicode"

	"github.com/chancery/chancery/internal/identify/synth"
	"github.com/chancery/chancery/internal/server"
)

// TestArabicPagesWriteWesternDigits: the numbers the templates format (the words a pasted
// paragraph needs, the letter's words a text lacks, a candidate's version and score, a file's
// size, the check code's length) were written in Arabic-Indic digits on Arabic pages ("٣ من
// كلمات", "النسخة ١"), beside dates, log indexes, references and check codes in Western
// digits, which the reader compares them with. Every number is now 0 to 9.
func TestArabicPagesWriteWesternDigits(t *testing.T) {
	o := newOffice(t, server.Config{RateLimit: -1})
	corpus := synth.Corpus{Seed: 3, FamilySize: 2}
	released := corpus.Letter(0).Text()
	ref := o.letter("Released", released)
	o.release(ref)
	o.release(o.letter("Sibling", corpus.Letter(1).Text()))
	words := strings.Fields(released)
	altered := strings.Join(slices.Concat(words[:40], words[43:]), " ")

	arabic := map[string]string{"Accept-Language": "ar", "Sec-Fetch-Site": "same-origin"}
	public, member := o.client(), o.client()
	member.signIn("dana")
	for _, p := range []struct {
		name, method, path string
		form               url.Values
		c                  *browserless
		want               []string
	}{
		{"verify page", "GET", "/verify", nil, public, []string{"50"}},
		{"result page", "GET", "/v/" + ref, nil, public, []string{"26"}},
		{"altered text, public", "POST", "/verify/text", url.Values{"text": {altered}}, public, []string{"[3 من كلمات الرسالة"}},
		{"altered text, member", "POST", "/verify/text", url.Values{"text": {altered}}, member, []string{"النسخة 1"}},
		{"letter page", "GET", "/letters/" + ref, nil, member, []string{"بايت"}},
	} {
		resp, body := p.c.do(p.method, p.path, p.form, arabic)
		if resp.StatusCode != http.StatusOK || !strings.Contains(body, `lang="ar"`) {
			t.Fatalf("%s: %s, not an Arabic page:\n%.600s", p.name, resp.Status, body)
		}
		for _, w := range p.want {
			if !strings.Contains(body, w) {
				t.Errorf("%s: the page does not say %q:\n%s", p.name, w, prose(body))
			}
		}
		if i := strings.IndexFunc(body, func(r rune) bool { return unicode.IsDigit(r) && r > unicode.MaxASCII }); i >= 0 {
			t.Errorf("%s: a number is written in other digits than 0 to 9: …%s…", p.name, body[max(0, i-80):min(len(body), i+80)])
		}
	}
}
