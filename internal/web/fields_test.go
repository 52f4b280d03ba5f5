package web_test

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"html"
	"maps"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/registry"
	"github.com/chancery/chancery/internal/server"
)

// pageForm is a form of a page as a browser would send it.
type pageForm struct {
	method, action, enctype string
	fields                  url.Values
}

var (
	formRE     = regexp.MustCompile(`(?s)<form\b([^>]*)>(.*?)</form>`)
	controlRE  = regexp.MustCompile(`(?s)<(input|select|textarea)\b([^>]*)>`)
	attrRE     = regexp.MustCompile(`([a-z-]+)(?:="([^"]*)")?`)
	selectedRE = regexp.MustCompile(`(?s)<option\b[^>]*value="([^"]*)"`)
)

func attrs(s string) map[string]string {
	out := map[string]string{}
	for _, m := range attrRE.FindAllStringSubmatch(s, -1) {
		out[m[1]] = html.UnescapeString(m[2])
	}
	return out
}

// formsOf reads the forms of a page: each control with a name, as a browser submits it (a
// checkbox only ticked, a select's first option), an empty text field given fill's value
// for its name and the checkbox of tick's name and value ticked, so that the form does what
// it is for.
func formsOf(page string, fill, tick map[string]string) []pageForm {
	var out []pageForm
	for _, m := range formRE.FindAllStringSubmatch(page, -1) {
		a := attrs(m[1])
		f := pageForm{method: strings.ToLower(a["method"]), action: a["action"], enctype: a["enctype"], fields: url.Values{}}
		for _, c := range controlRE.FindAllStringSubmatchIndex(m[2], -1) {
			kind, ca := m[2][c[2]:c[3]], attrs(m[2][c[4]:c[5]])
			name, ok := ca["name"]
			if !ok || ca["type"] == "file" { // the file is posted apart
				continue
			}
			v := ca["value"]
			switch {
			case kind == "input" && ca["type"] == "checkbox":
				if _, ticked := ca["checked"]; !ticked && tick[name] != v {
					continue
				}
			case kind == "select":
				if o := selectedRE.FindStringSubmatch(m[2][c[1]:]); o != nil {
					v = html.UnescapeString(o[1])
				}
			}
			if v == "" && kind != "select" && ca["type"] != "hidden" {
				v = fill[name]
			}
			f.fields.Add(name, v)
		}
		out = append(out, f)
	}
	return out
}

// TestEveryFormTakesExactlyItsFields: every form of the web's pages, read from the page as a
// browser sends it, is taken (each member's and each public page's forms, url-encoded and
// multipart, the browser-signing script's key form, the receipt), and refused (400, naming
// the field) with a field it does not take added. Before, a url-encoded form dropped such a
// field unread (the multipart letter forms refused it already, item 309).
func TestEveryFormTakesExactlyItsFields(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t, server.Config{RateLimit: -1})
	if err := o.reg.SetPassword(ctx, o.actors["root"], "root", password("root")); err != nil {
		t.Fatal(err)
	}
	o.reg.SetDispatch(registry.DispatchSettings{Mail: true})
	if _, _, err := o.reg.AddRecipient(ctx, o.actors["root"], registry.NewRecipient{Name: "liaison", Organization: "Freedonia",
		Emails: []string{"liaison@freedonia.example"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := o.reg.AddMember(ctx, o.actors["root"], "vera", []string{registry.RoleReviewer}); err != nil {
		t.Fatal(err)
	}
	if _, err := o.reg.DisableMember(ctx, o.actors["root"], "vera"); err != nil {
		t.Fatal(err)
	}
	draft := o.letter("Coordination", "# Coordination\n\nSir,\n")
	released := o.letter("Notice", "# Notice\n\nSir,\n")
	o.release(released)

	fill := map[string]string{"subject": "Figures", "class": "internal", "to": "Registry", "comment": "Reviewed.", "recipient": "Liaison cell", "text": "Sir,", "name": "press",
		"organization": "Press office", "emails": "desk@press.example", "url": "https://hooks.example/chancery"}
	// Each step: who (or nobody), the pages whose forms they post, in this order (a member's
	// token form, which ends their sessions, and the sign-out come last).
	type step struct {
		who   string
		pages []string
		only  func(action string) bool // the forms of the pages to post (nil: all)
	}
	steps := []step{
		{pages: []string{"/verify", "/signin"}},
		{who: "dana", pages: []string{"/inbox", "/letters/" + draft}},
		{who: "rita", pages: []string{"/letters/" + draft}},
		{who: "sam", pages: []string{"/letters/" + draft}},
		{who: "otto", pages: []string{"/letters/" + draft, "/letters/" + released}},
		{who: "root", pages: []string{"/admin/recipients", "/admin/members"}, only: func(action string) bool {
			return !strings.HasPrefix(action, "/admin/members/") || strings.Contains(action, "/otto/") || strings.Contains(action, "/vera/")
		}},
	}
	const unknown = "x-unknown"
	posted := map[string]bool{}
	check := func(c *browserless, who, action string, fields url.Values, multipart bool) {
		t.Helper()
		post := func(fields url.Values) (*http.Response, string) {
			if !multipart {
				return c.post(action, fields)
			}
			var pairs [][2]string
			for _, k := range slices.Sorted(maps.Keys(fields)) {
				for _, v := range fields[k] {
					pairs = append(pairs, [2]string{k, v})
				}
			}
			return c.postMultipart(action, pairs, "# Coordination\n\nSir, the figures follow.\n")
		}
		with := url.Values{}
		for k, v := range fields {
			with[k] = slices.Clone(v)
		}
		with.Set(unknown, "1")
		resp, body := post(with)
		want := `the form has a field "` + unknown + `", which it does not take`
		if resp.StatusCode != http.StatusBadRequest || !strings.Contains(strings.ReplaceAll(html.UnescapeString(body), `\"`, `"`), want) { // an HTML page, or JSON for the script
			t.Errorf("%s: POST %s with %q added: %s; want 400 saying %q", who, action, unknown, resp.Status, want)
		}
		resp, body = post(fields)
		if strings.Contains(html.UnescapeString(body), "which it does not take") || resp.StatusCode == http.StatusBadRequest || resp.StatusCode == http.StatusForbidden {
			t.Errorf("%s: POST %s with the page's fields %v: %s\n%s", who, action, fields, resp.Status, body)
		}
		posted[action] = true
	}
	var last func()
	for _, s := range steps {
		c := o.client()
		who := "anonymous"
		if s.who != "" {
			c.signIn(s.who)
			who = s.who
		}
		if s.who == "sam" {
			// The key form the browser-signing script posts (static/sign.js).
			_, page := c.get("/letters/" + draft)
			pub, _, _ := ed25519.GenerateKey(rand.Reader)
			check(c, who, "/keys", url.Values{"csrf": {csrfOf(t, page)}, "public_key": {base64.StdEncoding.EncodeToString(pub)}}, false)
		}
		var pending []pageForm
		for _, p := range s.pages {
			_, page := c.get(p)
			for _, f := range formsOf(page, fill, map[string]string{"recipient": "liaison", "role": "drafter"}) {
				if f.method != "post" || (s.only != nil && !s.only(f.action)) {
					continue
				}
				pending = append(pending, f)
			}
		}
		// The token form ends the member's sessions, the sign-out this one: last.
		slices.SortStableFunc(pending, func(a, b pageForm) int {
			rank := func(f pageForm) int {
				switch {
				case f.action == "/signout":
					return 2
				case strings.HasSuffix(f.action, "/token"):
					return 1
				}
				return 0
			}
			return rank(a) - rank(b)
		})
		seen := map[string]bool{}
		for _, f := range pending {
			if seen[f.action] {
				continue
			}
			seen[f.action] = true
			if f.action == "/signin" {
				f.fields.Set("name", "otto")
				f.fields.Set("password", password("otto"))
			} else if f.fields.Has("password") {
				f.fields.Set("password", password(s.who)) // a new token asks for the admin's
			}
			check(c, who, f.action, f.fields, f.enctype == "multipart/form-data")
		}
		if s.who == "root" {
			last = func() { // the receipt page's form, from its template
				check(o.client(), "anonymous", "/receipt/not-a-token", url.Values{"confirm": {"received"}}, false)
			}
		}
	}
	last()
	for _, want := range []string{
		"/verify", "/verify/text", "/signin", "/signout", "/keys", "/receipt/not-a-token", "/letters", "/letters/" + draft + "/versions",
		"/letters/" + draft + "/approve", "/letters/" + draft + "/reject", "/letters/" + draft + "/release",
		"/letters/" + draft + "/sign", "/letters/" + draft + "/export", "/letters/" + draft + "/versions/1/copy",
		"/letters/" + draft + "/drafts/send", "/letters/" + released + "/dispatch",
		"/admin/recipients", "/admin/webhooks", "/admin/members/otto/roles", "/admin/members/otto/token",
		"/admin/members/otto/disable", "/admin/members/vera/enable",
	} {
		if !posted[want] {
			t.Errorf("no form posts to %s", want)
		}
	}
}

// TestQueriesRefuseAParameterGivenTwice: a page's query parameter given twice is refused
// (400, naming it), as the forms' fields are (item 308): the page read the first, while a
// proxy, a log or another reader may take the last. Before, each was read as its first value;
// then the refusal spoke of a form's field given twice, which the visitor of a link never sent.
func TestQueriesRefuseAParameterGivenTwice(t *testing.T) {
	o := newOffice(t, server.Config{RateLimit: -1})
	if err := o.reg.SetPassword(context.Background(), o.actors["root"], "root", password("root")); err != nil {
		t.Fatal(err)
	}
	ref := o.letter("Coordination", "# Coordination\n\nSir,\n")
	dana := o.client()
	dana.signIn("dana")
	root := o.client()
	root.signIn("root")
	digest := strings.Repeat("ab", 32)
	for _, tc := range []struct {
		c           *browserless
		path, field string
	}{
		{dana, "/letters?q=Coordination&q=Withdrawal", "q"},
		{dana, "/letters?state=draft&state=released", "state"},
		{dana, "/inbox?done=created&done=approved", "done"},
		{dana, "/letters/" + ref + "?done=approved&done=rejected", "done"},
		{root, "/admin/members?done=proposed&change=1&change=2", "change"},
		{o.client(), "/verify?q=" + ref + "&q=TFN-2020-000001", "q"},
		{o.client(), "/verify?digest=" + digest + "&digest=" + digest, "digest"},
		{o.client(), "/v/" + ref + "?code=abc&code=def", "code"},
		{o.client(), "/verify/seal?digest=" + digest + "&digest=" + digest, "digest"},
		{o.client(), "/signin?next=/inbox&next=/letters", "next"},
		{o.client(), "/lang/fr?next=/verify&next=/letters", "next"},
		{o.client(), "/receipt/recorded?r=" + strings.Repeat("A", 26) + "&r=" + strings.Repeat("B", 26), "r"},
	} {
		resp, body := tc.c.do("GET", tc.path, nil, map[string]string{"Sec-Fetch-Site": "same-origin"})
		want := `the address gives the parameter "` + tc.field + `" 2 times`
		if resp.StatusCode != http.StatusBadRequest || !strings.Contains(html.UnescapeString(body), want) || strings.Contains(body, "the form") {
			t.Errorf("GET %s: %s; want 400 saying %q", tc.path, resp.Status, want)
		}
	}
	resp, body := o.client().getLang("/verify?q=a&q=b", "fr")
	if want := `l'adresse donne le paramètre "q" 2 fois`; resp.StatusCode != http.StatusBadRequest || !strings.Contains(html.UnescapeString(body), want) {
		t.Errorf("GET /verify?q=a&q=b in French: %s; want 400 saying %q", resp.Status, want)
	}
	// A name no page uses is not repeated on the page: a link's author would choose its words.
	resp, body = o.client().get("/verify?Call+%2B33+1+23+45+67+89+now=1&Call+%2B33+1+23+45+67+89+now=2")
	if resp.StatusCode != http.StatusBadRequest || strings.Contains(html.UnescapeString(body), "Call +33") || !strings.Contains(body, "the address gives a parameter 2 times") {
		t.Errorf("GET /verify with a chosen name given twice: %s, %s", resp.Status, body)
	}
	// Given once, they are taken.
	for _, path := range []string{"/letters?q=Coordination&state=draft", "/verify?q=" + ref, "/v/" + ref} {
		if resp, _ := dana.get(path); resp.StatusCode != http.StatusOK {
			t.Errorf("GET %s: %s", path, resp.Status)
		}
	}
}

// TestFormsCheckTheTokenBeforeTheirFields: a post with a stale or forged CSRF token and a
// field its form does not take is refused as forged (403), multipart as url-encoded, and
// nothing is done. Before, the multipart forms (a new letter, a revision) refused the field
// first (400), while the url-encoded ones checked the token first.
func TestFormsCheckTheTokenBeforeTheirFields(t *testing.T) {
	o := newOffice(t, server.Config{RateLimit: -1})
	ref := o.letter("Coordination", "# Coordination\n\nSir,\n")
	dana := o.client()
	csrf := dana.signIn("dana")
	const file = "# Figures\n\nSir, the figures follow.\n"
	for _, tc := range []struct {
		action string
		fields [][2]string
	}{
		{"/letters", [][2]string{{"csrf", "forged"}, {"subject", "Figures"}, {"class", "internal"}, {"x-unknown", "1"}}},
		{"/letters", [][2]string{{"subject", "Figures"}, {"class", "internal"}, {"x-unknown", "1"}}},
		{"/letters/" + ref + "/versions", [][2]string{{"csrf", "forged"}, {"x-unknown", "1"}}},
		{"/letters/" + ref + "/versions", [][2]string{{"x-unknown", "1"}, {"csrf", csrf + "x"}}},
	} {
		resp, body := dana.postMultipart(tc.action, tc.fields, file)
		if resp.StatusCode != http.StatusForbidden || !strings.Contains(body, "this form is stale or came from another site") {
			t.Errorf("POST %s (multipart) %v: %s; want 403, the token refused", tc.action, tc.fields, resp.Status)
		}
	}
	resp, _ := dana.post("/letters/"+ref+"/approve", url.Values{"csrf": {"forged"}, "x-unknown": {"1"}})
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("POST /letters/%s/approve (url-encoded) with a forged token and a field added: %s; want 403", ref, resp.Status)
	}
	// With the session's token, the field is refused, naming it.
	resp, body := dana.postMultipart("/letters", [][2]string{{"csrf", csrf}, {"subject", "Figures"}, {"class", "internal"}, {"x-unknown", "1"}}, file)
	if want := `the form has a field "x-unknown", which it does not take`; resp.StatusCode != http.StatusBadRequest || !strings.Contains(html.UnescapeString(body), want) {
		t.Errorf("POST /letters with the session's token and a field added: %s; want 400 saying %q", resp.Status, want)
	}
	list, err := o.reg.ListLetters(context.Background(), o.actors["dana"], registry.LetterQuery{})
	if err != nil {
		t.Fatal(err)
	}
	if len(list.Letters) != 1 {
		t.Errorf("%d letters after the refused posts, want 1", len(list.Letters))
	}
}
