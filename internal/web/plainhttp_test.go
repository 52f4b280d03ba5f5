package web_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/registry"
	"github.com/chancery/chancery/internal/server"
)

// TestRecipientsPageWarnsOfPlainHTTP: an endpoint added from the recipients page with a plain
// http:// URL to another machine, the office's or a recipient's, is accepted with a notice in
// the admin's language that what is posted to it crosses the network unencrypted, and is
// marked in the list of endpoints; an https:// one has neither (fifty-seventh session's list:
// nothing warned).
func TestRecipientsPageWarnsOfPlainHTTP(t *testing.T) {
	o := newOffice(t, server.Config{})
	ctx := context.Background()
	o.reg.SetDispatch(registry.DispatchSettings{Mail: true})
	if err := o.reg.SetPassword(ctx, o.actors["root"], "root", password("root")); err != nil {
		t.Fatal(err)
	}
	c := o.client()
	tok := c.signIn("root")
	for _, step := range []struct {
		path, lang, notice string
		form               url.Values
	}{
		{"/admin/webhooks", "en", "This endpoint's address is plain http://", url.Values{"name": {"records"}, "url": {"http://records.example/hook"}}},
		{"/admin/webhooks", "fr", "L'adresse de ce point de terminaison est en http:// simple", url.Values{"name": {"archive"}, "url": {"http://archive.example/hook"}}},
		{"/admin/recipients", "ar", "عنوان نقطة الاستقبال هذه http:// غير مشفَّر", url.Values{"name": {"liaison"}, "emails": {"cell@liaison.example"}, "webhook": {"http://hooks.liaison.example/in"}}},
		{"/admin/webhooks", "en", "", url.Values{"name": {"secure"}, "url": {"https://secure.example/hook"}}},
	} {
		step.form.Set("csrf", tok)
		resp, body := c.do("POST", step.path, step.form, map[string]string{"Origin": o.srv.URL, "Sec-Fetch-Site": "same-origin", "Accept-Language": step.lang})
		body = html.UnescapeString(body)
		if resp.StatusCode != http.StatusOK || !strings.Contains(body, `id="webhook-secret"`) {
			t.Fatalf("POST %s %v: %s, want the secret shown", step.path, step.form, resp.Status)
		}
		if step.notice == "" && strings.Contains(body, `class="notice"`) || step.notice != "" && !strings.Contains(body, step.notice) {
			t.Errorf("POST %s %v (%s): want the notice %q\n%s", step.path, step.form, step.lang, step.notice, body)
		}
	}
	_, page := c.get("/admin/recipients")
	// Three endpoints in the list of endpoints, and the recipient's in the directory.
	if n := strings.Count(page, "(plain http: not encrypted)"); n != 4 {
		t.Errorf("the endpoints marked plain http on the page: %d, want 4", n)
	}
}
