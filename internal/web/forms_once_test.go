package web_test

import (
	"bytes"
	"context"
	"html"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/registry"
	"github.com/chancery/chancery/internal/server"
)

// postMultipart posts a multipart form of fields (in their order, a name repeated as given)
// and a file, as a same-origin browser would.
func (c *browserless) postMultipart(path string, fields [][2]string, file string) (*http.Response, string) {
	c.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for _, f := range fields {
		mw.WriteField(f[0], f[1])
	}
	if file != "" {
		fw, _ := mw.CreateFormFile("file", "letter.md")
		fw.Write([]byte(file))
	}
	mw.Close()
	return c.doBody("POST", path, mw.FormDataContentType(), body.Bytes())
}

// doBody posts body with its content type, as a same-origin browser would.
func (c *browserless) doBody(method, path, contentType string, body []byte) (*http.Response, string) {
	c.t.Helper()
	req, _ := http.NewRequest(method, c.o.srv.URL+path, bytes.NewReader(body))
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("Origin", c.o.srv.URL)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	resp, err := c.hc.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	var b bytes.Buffer
	b.ReadFrom(resp.Body)
	return resp, b.String()
}

// rawForm is a url-encoded body with its fields in order, a name repeated as given.
func rawForm(fields ...string) string {
	var parts []string
	for i := 0; i+1 < len(fields); i += 2 {
		parts = append(parts, url.QueryEscape(fields[i])+"="+url.QueryEscape(fields[i+1]))
	}
	return strings.Join(parts, "&")
}

// TestFormsRefuseAFieldGivenTwice: every web form, url-encoded or multipart, refuses a field
// that is not a list when it is given twice, with a page that says which (400), and does
// nothing: the handlers read the first value, while a proxy, a log or another reader may
// read the last (the API refuses such bodies, items 289 and 290). Before, each was read as
// its first value: an approval, a copy, a sign-in, a letter created.
func TestFormsRefuseAFieldGivenTwice(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t, server.Config{RateLimit: -1})
	if err := o.reg.SetPassword(ctx, o.actors["root"], "root", password("root")); err != nil {
		t.Fatal(err)
	}
	ref := o.letter("Coordination", "# Coordination\n\nSir,\n")
	v, err := o.reg.Letter(ctx, o.actors["dana"], ref)
	if err != nil {
		t.Fatal(err)
	}
	digest := v.Versions[0].Digest
	clients, tokens := map[string]*browserless{}, map[string]string{}
	for _, name := range []string{"root", "dana", "rita", "otto"} {
		clients[name] = o.client()
		tokens[name] = clients[name].signIn(name)
	}
	const form = "application/x-www-form-urlencoded"
	for _, tc := range []struct {
		name, who, path, field string
		body                   func(tok string) string // url-encoded
		fields                 func(tok string) [][2]string
	}{
		{name: "approval", who: "rita", path: "/letters/" + ref + "/approve", field: "version",
			body: func(tok string) string { return rawForm("csrf", tok, "version", digest, "version", "") }},
		{name: "rejection", who: "rita", path: "/letters/" + ref + "/reject", field: "comment",
			body: func(tok string) string {
				return rawForm("csrf", tok, "version", digest, "comment", "No.", "comment", "Yes.")
			}},
		{name: "draft copy", who: "dana", path: "/letters/" + ref + "/export", field: "recipient",
			body: func(tok string) string {
				return rawForm("csrf", tok, "version", digest, "recipient", "Liaison", "recipient", "Press")
			}},
		{name: "release", who: "otto", path: "/letters/" + ref + "/release", field: "version",
			body: func(tok string) string { return rawForm("csrf", tok, "version", digest, "version", digest) }},
		{name: "token given twice", who: "dana", path: "/letters/" + ref + "/versions/1/copy", field: "csrf",
			body: func(tok string) string { return rawForm("csrf", tok, "csrf", "x") }},
		{name: "roles", who: "root", path: "/admin/members/rita/roles", field: "held",
			body: func(tok string) string {
				return rawForm("csrf", tok, "role", "reviewer", "role", "drafter", "held", "reviewer", "held", "")
			}},
		{name: "recipient", who: "root", path: "/admin/recipients", field: "name",
			body: func(tok string) string {
				return rawForm("csrf", tok, "name", "Ministry", "name", "Press", "organization", "Ministry", "emails", "desk@ministry.example")
			}},
		{name: "sign-in", path: "/signin", field: "name",
			body: func(string) string { return rawForm("name", "rita", "name", "root", "password", password("rita")) }},
		{name: "pasted text", path: "/verify/text", field: "text",
			body: func(string) string { return rawForm("text", "Sir,", "text", "Madam,") }},
		{name: "verified digest", path: "/verify", field: "digest",
			body: func(string) string {
				return rawForm("digest", "sha256:"+strings.Repeat("ab", 32), "digest", "sha256:"+strings.Repeat("cd", 32))
			}},
		{name: "receipt", path: "/receipt/not-a-token", field: "confirm",
			body: func(string) string { return rawForm("confirm", "received", "confirm", "received") }},
		{name: "new letter", who: "dana", path: "/letters", field: "subject",
			fields: func(tok string) [][2]string {
				return [][2]string{{"csrf", tok}, {"subject", "Coordination"}, {"subject", "Withdrawal"}, {"class", "internal"}, {"to", "Registry"}}
			}},
		{name: "revision", who: "dana", path: "/letters/" + ref + "/versions", field: "csrf",
			fields: func(tok string) [][2]string { return [][2]string{{"csrf", tok}, {"csrf", tok}} }},
	} {
		c, tok := o.client(), ""
		if tc.who != "" {
			c, tok = clients[tc.who], tokens[tc.who]
		}
		var resp *http.Response
		var body string
		if tc.fields != nil {
			resp, body = c.postMultipart(tc.path, tc.fields(tok), "# Letter\n\nSir, the figures follow.\n")
		} else {
			resp, body = c.doBody("POST", tc.path, form, []byte(tc.body(tok)))
		}
		want := `the form gives the field "` + tc.field + `" 2 times`
		if resp.StatusCode != http.StatusBadRequest || !strings.Contains(html.UnescapeString(body), want) {
			t.Errorf("%s (POST %s): %s; want 400 saying %q", tc.name, tc.path, resp.Status, want)
		}
	}
	// Nothing was done.
	if v, _ := o.reg.Letter(ctx, o.actors["dana"], ref); len(v.Approvals) != 0 || v.State != "draft" {
		t.Errorf("after the refused forms: %d approvals, %s", len(v.Approvals), v.State)
	}
	if l, err := o.reg.ListLetters(ctx, o.actors["dana"], registry.LetterQuery{}); err != nil || len(l.Letters) != 1 {
		t.Errorf("after the refused new letter: %v letters, %v", l, err)
	}
	// A list the form means to give (the roles' boxes) is still taken.
	if resp, body := clients["root"].doBody("POST", "/admin/members/rita/roles", form,
		[]byte(rawForm("csrf", tokens["root"], "role", "reviewer", "role", "drafter", "held", "reviewer"))); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("roles given as a list: %s\n%s", resp.Status, body)
	}
}

// TestUploadFormFieldsBounded: the fields of a multipart form (a new letter's) are bounded
// as a url-encoded form's body is, 64 KiB in all and 32 values whatever their names, a value
// is read whole or refused, and a field the form does not take is refused, not dropped.
// Before, each value was cut at 64 KiB without a word and only 32 distinct names were
// counted, so a form of a name given thousands of times, or of twenty values of 60 KiB
// (1.2 MB of fields), was read and a letter created; the API's "tag" was dropped and the
// letter created without it.
func TestUploadFormFieldsBounded(t *testing.T) {
	o := newOffice(t, server.Config{RateLimit: -1, MaxUpload: 4 << 20})
	c := o.client()
	tok := c.signIn("dana")
	letter := [][2]string{{"csrf", tok}, {"subject", "Coordination"}, {"class", "internal"}, {"to", "Registry"}}
	with := func(name, value string, n int) [][2]string {
		f := append([][2]string{}, letter...)
		for range n {
			f = append(f, [2]string{name, value})
		}
		return f
	}
	for _, tc := range []struct {
		name   string
		fields [][2]string
		want   string
	}{
		{"tags given 2,000 times", with("tags", "", 2000), "too many fields"},
		{"twenty tags of 60 KiB", with("tags", strings.Repeat(",", 60<<10), 20), "the form's fields hold more than 65536 bytes"},
		{"tags of 70 KiB", with("tags", strings.Repeat(",", 70<<10), 1), "the form's fields hold more than 65536 bytes"},
		{"the API's tag", with("tag", "secret", 1), `the form has a field "tag", which it does not take`},
	} {
		resp, body := c.postMultipart("/letters", tc.fields, "# Letter\n\nSir,\n")
		if resp.StatusCode != http.StatusBadRequest || !strings.Contains(html.UnescapeString(body), tc.want) {
			t.Errorf("%s: %s; want 400 saying %q", tc.name, resp.Status, tc.want)
		}
	}
	// A letter's form within the bounds is taken, and so is a file input left empty, as a
	// form without a file.
	if resp, body := c.postMultipart("/letters", with("tags", "", 1), "# Letter\n\nSir,\n"); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("a new letter: %s\n%s", resp.Status, body)
	}
	if resp, body := c.postMultipart("/letters", with("file", "", 1), ""); resp.StatusCode != http.StatusBadRequest ||
		!strings.Contains(body, "choose a file") {
		t.Errorf("a new letter without its file: %s\n%s", resp.Status, body)
	}
}

// TestLanguageSwitchAfterARefusedPostLeadsToAPage: the page answering a refused form's post
// has a language switch whose next is a page a GET finds (the letter's, the members', the
// inbox), not the post's own address, which answers 404 on GET (or the letter's preview's
// refusal).
func TestLanguageSwitchAfterARefusedPostLeadsToAPage(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t, server.Config{RateLimit: -1})
	if err := o.reg.SetPassword(ctx, o.actors["root"], "root", password("root")); err != nil {
		t.Fatal(err)
	}
	ref := o.letter("Coordination", "# Coordination\n\nSir,\n")
	rita, otto, root := o.client(), o.client(), o.client()
	ritaTok, ottoTok, rootTok := rita.signIn("rita"), otto.signIn("otto"), root.signIn("root")
	for _, tc := range []struct {
		c    *browserless
		path string
		form url.Values
		want string
	}{
		{otto, "/letters/" + ref + "/release", url.Values{"csrf": {ottoTok}}, "/letters/" + ref}, // the gate refuses
		{rita, "/letters/" + ref + "/approve", url.Values{"csrf": {ritaTok}, "version": {"sha256:00"}}, "/letters/" + ref},
		{rita, "/letters/" + ref + "/versions/x/copy", url.Values{"csrf": {ritaTok}}, "/letters/" + ref},
		{rita, "/letters/" + ref + "/approve", url.Values{"csrf": {"stale"}}, "/letters/" + ref},      // the error page
		{root, "/admin/members/nobody/disable", url.Values{"csrf": {rootTok}}, "/admin/members"},      // on the members page
		{root, "/admin/changes/x/approve", url.Values{"csrf": {rootTok}}, "/admin/members"},           // the error page
		{root, "/admin/recipients", url.Values{"csrf": {rootTok}, "name": {""}}, "/admin/recipients"}, // on the recipients page
		{rita, "/letters", url.Values{"csrf": {ritaTok}}, "/inbox"},                                   // the new letter's form
		{rita, "/signout", url.Values{"csrf": {"stale"}}, "/"},
		{o.client(), "/verify/text", url.Values{"text": {"a", "b"}}, "/verify"},
		{o.client(), "/verify", url.Values{"q": {"a", "b"}}, "/verify"},
		{o.client(), "/receipt/not-a-token", url.Values{"confirm": {"received"}}, "/receipt/not-a-token"}, // the link's own page
	} {
		_, body := tc.c.post(tc.path, tc.form)
		loc := switchTarget(t, tc.c, body, "fr")
		if loc != tc.want {
			t.Errorf("after POST %s the switch leads to %q, want %q", tc.path, loc, tc.want)
			continue
		}
		if resp, _ := tc.c.get(loc); resp.StatusCode == http.StatusNotFound && loc != "/receipt/not-a-token" {
			t.Errorf("after POST %s the switch leads to %s: %s", tc.path, loc, resp.Status)
		}
	}
}

var titleRE = regexp.MustCompile(`<title>([^<]*)</title>`)

// TestMemberSeesADraftByReferenceAsADraft: a member's /v/REF of a draft is titled as what it
// is to them (an unreleased draft, not an official document), not "Unknown to this
// registry", which the page below it contradicted; the public's page for a draft's reference
// is still that of a reference never used, byte for byte but the reference.
func TestMemberSeesADraftByReferenceAsADraft(t *testing.T) {
	o := newOffice(t, server.Config{RateLimit: -1})
	ref := o.letter("Repositioning of forces", "# Draft\n\nUnits will leave.\n")
	rita := o.client()
	rita.signIn("rita")
	_, body := rita.get("/v/" + ref)
	if m := titleRE.FindStringSubmatch(body); m == nil || !strings.Contains(m[1], "An unreleased draft: not an official document") {
		t.Errorf("a member's /v/ of a draft is titled %q", m)
	}
	if !strings.Contains(body, "NOT AN OFFICIAL DOCUMENT") || !strings.Contains(body, `href="/letters/`+ref+`"`) {
		t.Errorf("a member's /v/ of a draft does not say it is one")
	}
	public := o.client()
	unused := "TFN-1999-000404"
	_, draft := public.get("/v/" + ref)
	_, never := public.get("/v/" + unused)
	if strings.ReplaceAll(draft, ref, "REF") != strings.ReplaceAll(never, unused, "REF") {
		t.Errorf("the public's page for a draft's reference differs from an unused one's:\n%s\n---\n%s", draft, never)
	}
	if m := titleRE.FindStringSubmatch(draft); m == nil || !strings.Contains(m[1], "Unknown to this registry") {
		t.Errorf("the public's /v/ of a draft is titled %q", m)
	}
}

// TestRoutesCheckTheCallerBeforeTheForm: every member's form route answers an anonymous post
// 401 and a member whose roles do not allow the action 403, whatever the form: before, a
// malformed form was judged first (400), so a member without the role learnt what the form
// lacked and took room in the upload budget (a letter's file), and the answer depended on
// the form rather than on who asked.
func TestRoutesCheckTheCallerBeforeTheForm(t *testing.T) {
	o := newOffice(t, server.Config{RateLimit: -1})
	ref := o.letter("Coordination", "# Coordination\n\nSir,\n")
	clients, tokens := map[string]*browserless{}, map[string]string{}
	for _, name := range []string{"dana", "rita", "sam", "otto"} {
		clients[name] = o.client()
		tokens[name] = clients[name].signIn(name)
	}
	const form = "application/x-www-form-urlencoded"
	for _, tc := range []struct {
		path, without string // a member without the role
		contentType   string
		body          func(tok string) string // malformed for the route
	}{
		{"/letters", "rita", form, func(tok string) string { return rawForm("csrf", tok) }}, // not multipart
		{"/letters/" + ref + "/versions", "rita", form, func(tok string) string { return rawForm("csrf", tok) }},
		{"/letters/" + ref + "/approve", "dana", form, func(tok string) string { return rawForm("csrf", tok, "version", "a", "version", "b") }},
		{"/letters/" + ref + "/reject", "otto", form, func(tok string) string { return rawForm("csrf", tok, "comment", "a", "comment", "b") }},
		{"/letters/" + ref + "/export", "otto", form, func(tok string) string { return rawForm("csrf", tok, "recipient", "a", "recipient", "b") }},
		{"/letters/" + ref + "/versions/x/copy", "otto", form, func(tok string) string { return rawForm("csrf", tok) }},
		{"/letters/" + ref + "/release", "rita", form, func(tok string) string { return rawForm("csrf", tok, "version", "a", "version", "b") }},
		{"/letters/" + ref + "/sign", "rita", form, func(tok string) string { return rawForm("csrf", tok, "statement", "!", "sig", "!") }},
		{"/keys", "rita", form, func(tok string) string { return rawForm("csrf", tok, "public_key", "!") }},
		{"/letters/" + ref + "/dispatch", "rita", form, func(tok string) string { return rawForm("csrf", tok, "version", "a", "version", "b") }},
		{"/letters/" + ref + "/drafts/send", "otto", form, func(tok string) string { return rawForm("csrf", tok, "recipient", "a", "recipient", "b") }},
		{"/admin/members/rita/roles", "dana", form, func(tok string) string { return rawForm("csrf", tok, "held", "a", "held", "b") }},
		{"/admin/members/rita/disable", "dana", form, func(tok string) string { return rawForm("csrf", tok, "x", "a", "x", "b") }},
		{"/admin/members/rita/enable", "dana", form, func(tok string) string { return rawForm("csrf", tok, "x", "a", "x", "b") }},
		{"/admin/members/rita/token", "dana", form, func(tok string) string { return rawForm("csrf", tok, "x", "a", "x", "b") }},
		{"/admin/changes/x/approve", "dana", form, func(tok string) string { return rawForm("csrf", tok) }},
		{"/admin/changes/x/refuse", "dana", form, func(tok string) string { return rawForm("csrf", tok) }},
		{"/admin/recipients", "dana", form, func(tok string) string { return rawForm("csrf", tok, "name", "a", "name", "b") }},
		{"/admin/webhooks", "dana", form, func(tok string) string { return rawForm("csrf", tok, "name", "a", "name", "b") }},
	} {
		if resp, _ := o.client().doBody("POST", tc.path, tc.contentType, []byte(tc.body(""))); resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("anonymous POST %s: %s, want 401", tc.path, resp.Status)
		}
		c := clients[tc.without]
		if resp, _ := c.doBody("POST", tc.path, tc.contentType, []byte(tc.body(tokens[tc.without]))); resp.StatusCode != http.StatusForbidden {
			t.Errorf("POST %s by %s, who lacks the role: %s, want 403", tc.path, tc.without, resp.Status)
		}
	}
}

// TestNextNeverStartsAProviderSignIn: the page a sign-in or the language switch goes on to
// (next) is a navigation from the site itself whoever chose it, so it is never the start of
// a sign-in through the organisation's provider, which only the site's own link or a typed
// address may start (oidcStart): a link from a mail to /signin?next=/signin/oidc, or to
// /signin/oidc itself (whose page's switch leads back there), went on to the provider after
// the member signed in with their password or chose a language, and the provider's answer
// replaced the member's session with one for whoever the browser was signed in as there.
func TestNextNeverStartsAProviderSignIn(t *testing.T) {
	o := newOffice(t, server.Config{})
	for _, next := range []string{"/signin/oidc", "/signin/oidc?next=/inbox", "/signin/oidc/", "/signin/./oidc", "/signin/oidc/callback?code=x&state=y"} {
		c := o.client()
		resp, _ := c.post("/signin", url.Values{"name": {"rita"}, "password": {password("rita")}, "next": {next}})
		if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || strings.HasPrefix(loc, "/signin/oidc") {
			t.Errorf("sign-in with next %q: %s to %q", next, resp.Status, loc)
		}
		resp, _ = c.getLang("/lang/fr?next="+url.QueryEscape(next), "")
		if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || loc != "/signin" {
			t.Errorf("the language switch with next %q: %s to %q, want the sign-in page", next, resp.Status, loc)
		}
	}
}

// TestPublicAnswerByReferenceTitledAsItsHeading: the public's page for a reference alone, or
// with a wrong check code (a forged paper's QR code carries a real reference and any code),
// says a letter with this reference exists, not that the paper is that letter; its title,
// which the browser's tab and history show, said "Released and valid" (or "Retracted",
// "Superseded" where the heading says only "Withdrawn").
func TestPublicAnswerByReferenceTitledAsItsHeading(t *testing.T) {
	o := newOffice(t, server.Config{RateLimit: -1})
	ref := o.letter("Coordination", "# Coordination\n\nSir,\n")
	o.release(ref)
	gone := o.letter("Visit", "# Visit\n\nSir,\n")
	o.release(gone)
	o.withdraw(gone, "", "Sent in error.")
	wrong := strings.Repeat("a", 26)
	c := o.client()
	for path, want := range map[string]string{
		"/v/" + ref:                "A letter with this reference exists",
		"/v/" + ref + "/" + wrong:  "A letter with this reference exists",
		"/verify?q=" + ref:         "A letter with this reference exists",
		"/v/" + gone:               "Withdrawn",
		"/v/" + gone + "/" + wrong: "Withdrawn",
	} {
		_, body := c.get(path)
		if m := titleRE.FindStringSubmatch(body); m == nil || m[1] != want+" · Chancery" {
			t.Errorf("GET %s is titled %q, want %q", path, m, want)
		}
	}
	// The holder, with the right code, is told the letter is released and valid.
	if _, body := c.get("/v/" + ref + "/" + o.code(ref)); !strings.Contains(body, "<title>Released and valid") {
		t.Errorf("the holder's page is not titled Released and valid")
	}
}
