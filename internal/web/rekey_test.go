package web_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/i18n"
	"github.com/chancery/chancery/internal/server"
	"golang.org/x/text/language"
)

// TestRecipientsPageRekeysWithOverlap: the page's "New secret" keeps the previous secret
// signing for the hours given (24 by default) and says until when; 0 replaces it at once, and
// hours out of range are refused in the admin's language.
func TestRecipientsPageRekeysWithOverlap(t *testing.T) {
	o := newOffice(t, server.Config{})
	ctx := context.Background()
	if _, err := o.reg.AddWebhook(ctx, o.actors["root"], "records", "https://records.example/hook"); err != nil {
		t.Fatal(err)
	}
	if err := o.reg.SetPassword(ctx, o.actors["root"], "root", password("root")); err != nil {
		t.Fatal(err)
	}
	c := o.client()
	tok := c.signIn("root")
	if _, page := c.get("/admin/recipients"); !strings.Contains(page, `name="overlap_hours"`) {
		t.Fatalf("the page offers no overlap for a new secret:\n%s", page)
	}
	previous := func() bool {
		ws, err := o.reg.Webhooks(ctx, o.actors["root"])
		if err != nil || len(ws) != 1 {
			t.Fatalf("endpoints: %+v, %v", ws, err)
		}
		return ws[0].PreviousSecretUntil != nil
	}
	for _, step := range []struct {
		hours, lang string
		status      int
		holds       string
		kept        bool
	}{
		{"", "en", http.StatusOK, "(the previous secret signs too until " + time.Now().UTC().Add(24*time.Hour).Format("2 January 2006"), true},
		{"0", "en", http.StatusOK, `id="webhook-secret"`, false},
		{"2.5", "fr", http.StatusOK, "(l'ancien secret signe aussi jusqu'au ", true},
		{"721", "ar", http.StatusBadRequest, "يمكن أن يبقى السرّ السابق يوقّع من 0 إلى 720 ساعة", true},
		{"soon", "en", http.StatusBadRequest, "the previous secret may sign for 0 to 720 hours", true},
	} {
		form := url.Values{"csrf": {tok}}
		if step.hours != "" {
			form.Set("overlap_hours", step.hours)
		}
		resp, body := c.do("POST", "/admin/webhooks/records/rekey", form, map[string]string{"Origin": o.srv.URL, "Sec-Fetch-Site": "same-origin", "Accept-Language": step.lang})
		if resp.StatusCode != step.status || !strings.Contains(html.UnescapeString(body), step.holds) {
			t.Errorf("new secret with %q hours (%s): %s, want %d holding %q", step.hours, step.lang, resp.Status, step.status, step.holds)
		}
		if got := previous(); got != step.kept {
			t.Errorf("after a new secret with %q hours: previous secret kept %v, want %v", step.hours, got, step.kept)
		}
	}
	// The end of the overlap is shown to the minute with its zone, in each language: an
	// overlap of hours ends on the day it began (fifty-eighth session's not-fixed list; the
	// lead's decision, fifty-ninth session).
	ws, err := o.reg.Webhooks(ctx, o.actors["root"])
	if err != nil || len(ws) != 1 || ws[0].PreviousSecretUntil == nil {
		t.Fatalf("endpoints: %+v, %v", ws, err)
	}
	until := ws[0].PreviousSecretUntil.UTC()
	for lang, want := range map[string]string{
		"en": "(the previous secret signs too until " + until.Format("2 January 2006, 15:04") + " UTC)",
		"fr": "(l'ancien secret signe aussi jusqu'au " + i18n.For(language.French).Date(until) + ")",
		"ar": "(يوقّع السرّ السابق أيضًا حتى " + i18n.For(language.Arabic).Date(until) + ")",
	} {
		_, page := c.do("GET", "/admin/recipients", nil, map[string]string{"Accept-Language": lang})
		if !strings.Contains(html.UnescapeString(page), want) {
			t.Errorf("the recipients page (%s) does not say %q", lang, want)
		}
	}
	if fr := i18n.For(language.French).Date(until); !strings.HasSuffix(fr, until.Format(", 15:04")+" UTC") {
		t.Errorf("the end of the overlap in French is %q: not to the minute with its zone", fr)
	}
	if ar := i18n.For(language.Arabic).Date(until); !strings.HasSuffix(ar, until.Format("، 15:04")+" UTC") {
		t.Errorf("the end of the overlap in Arabic is %q: not to the minute with its zone, in Western digits", ar)
	}
}
