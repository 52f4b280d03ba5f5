package web_test

import (
	"html"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/seal"
	"github.com/chancery/chancery/internal/server"
)

// getLang fetches path with an Accept-Language header (none when accept is empty), and the
// language switch (/lang/…) as a click on the site's own link.
func (c *browserless) getLang(path, accept string) (*http.Response, string) {
	c.t.Helper()
	hdr := map[string]string{}
	if accept != "" {
		hdr["Accept-Language"] = accept
	}
	if strings.HasPrefix(path, "/lang/") {
		hdr["Sec-Fetch-Site"] = "same-origin" // the site's own language switch
	}
	return c.do("GET", path, nil, hdr)
}

var (
	hiddenRE  = regexp.MustCompile(`(?s)<(script|code|pre|bdi|title)\b[^>]*>.*?</(script|code|pre|bdi|title)>|<span class="ref">.*?</span>`)
	tagsRE    = regexp.MustCompile(`(?s)<[^>]*>`)
	englishRE = regexp.MustCompile(`(?i)(?:^|\PL)(the|this|that|with|your|was|has|and|not|letter|check|sign|released|unknown)(?:\PL|$)`)
	latinRE   = regexp.MustCompile(`[A-Za-z]{3,}`)
)

// prose is what a reader of the page reads as the interface's sentences: the page's text
// without its markup, and without what is not the interface's to translate (scripts,
// commands and digests in code, the letter's own words in bdi, references).
func prose(body string) string {
	return html.UnescapeString(tagsRE.ReplaceAllString(hiddenRE.ReplaceAllString(body, " "), " "))
}

// wantTranslated fails when a French or Arabic page still has English sentences in it, and,
// for Arabic, any Latin word that is not one of allowed (names, references, acronyms).
func wantTranslated(t *testing.T, lang, path, body string, allowed ...string) {
	t.Helper()
	text := prose(body)
	for _, a := range append(allowed, "English", "Chancery", "Task", "Force", "North", "SHA", "JavaScript", "JSON", "C2SP", "UTC", "trust", "json", "TFN", "checkpoint", "log", "key",
		"Linux", "macOS", "Windows", "PowerShell") {
		text = strings.ReplaceAll(text, a, " ")
	}
	if m := englishRE.FindStringSubmatch(text); m != nil {
		t.Errorf("%s %s has English left (%q) in:\n%s", lang, path, m[1], strings.Join(strings.Fields(text), " "))
	}
	if lang == "ar" {
		if m := latinRE.FindString(strings.ReplaceAll(text, "Français", " ")); m != "" {
			t.Errorf("ar %s has a Latin word (%q) in:\n%s", path, m, strings.Join(strings.Fields(text), " "))
		}
	}
}

// TestLanguageFromAcceptLanguage: the verify page is in the language the browser asks for,
// with lang and dir set, and English stays the default.
func TestLanguageFromAcceptLanguage(t *testing.T) {
	o := newOffice(t, server.Config{RateLimit: -1})
	c := o.client()
	for _, tc := range []struct{ accept, lang, dir, heading string }{
		{"", "en", "ltr", "<h1>Check a letter</h1>"},
		{"de-DE, en;q=0.5", "en", "ltr", "<h1>Check a letter</h1>"},
		{"fr-FR,fr;q=0.9,en;q=0.8", "fr", "ltr", "<h1>Vérifier une lettre</h1>"},
		{"ar-IQ,ar;q=0.9", "ar", "rtl", "<h1>التحقق من رسالة</h1>"},
	} {
		resp, body := c.getLang("/verify", tc.accept)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("GET /verify (%s): %s", tc.accept, resp.Status)
		}
		if !strings.Contains(body, `<html lang="`+tc.lang+`" dir="`+tc.dir+`">`) || !strings.Contains(body, tc.heading) {
			t.Errorf("Accept-Language %q: want lang %s, dir %s and %s:\n%.600s", tc.accept, tc.lang, tc.dir, tc.heading, body)
		}
		if got := resp.Header.Get("Content-Language"); got != tc.lang {
			t.Errorf("Accept-Language %q: Content-Language %q, want %s", tc.accept, got, tc.lang)
		}
		if !strings.Contains(resp.Header.Get("Vary"), "Accept-Language") {
			t.Errorf("Accept-Language %q: Vary %q lacks Accept-Language", tc.accept, resp.Header.Get("Vary"))
		}
		if tc.lang != "en" {
			wantTranslated(t, tc.lang, "/verify", body)
		}
	}
	// The script's messages come from the page, in its language.
	if _, body := c.getLang("/verify", "ar"); !strings.Contains(body, `data-computing="جارٍ حساب بصمة {file} على هذا الجهاز…"`) {
		t.Error("the Arabic verify page does not give the script its message")
	}
}

// TestLanguageSwitch: the switch remembers the choice in a cookie that wins over
// Accept-Language, goes back to the page it was clicked on, refuses unknown languages, and
// never leads off the site.
func TestLanguageSwitch(t *testing.T) {
	o := newOffice(t, server.Config{RateLimit: -1})
	c := o.client()
	_, body := c.getLang("/verify?q=TFN-2020-000001", "fr")
	// The page's own switch link to Arabic, as the browser would follow it.
	m := regexp.MustCompile(`href="(/lang/ar\?next=[^"]*)"`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no switch to Arabic on the page:\n%s", body)
	}
	resp, _ := c.getLang(html.UnescapeString(m[1]), "fr")
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/verify?q=TFN-2020-000001" {
		t.Fatalf("the switch: %s to %q, want 303 back to the page", resp.Status, resp.Header.Get("Location"))
	}
	var cookie *http.Cookie
	for _, ck := range resp.Cookies() {
		if ck.Name == "chancery_lang" {
			cookie = ck
		}
	}
	if cookie == nil || cookie.Value != "ar" || cookie.Path != "/" || !cookie.HttpOnly || cookie.MaxAge <= 0 {
		t.Fatalf("the switch set %v, want a lasting chancery_lang=ar cookie for the whole site", resp.Cookies())
	}
	// The choice wins over the browser's Accept-Language, on every page.
	for _, p := range []string{"/verify", "/", "/log", "/signin"} {
		if _, body := c.getLang(p, "fr-FR,fr"); !strings.Contains(body, `<html lang="ar" dir="rtl">`) {
			t.Errorf("GET %s after choosing Arabic, with Accept-Language fr: not Arabic", p)
		}
	}
	// And back to English, which wins over Accept-Language too.
	if resp, _ := c.getLang("/lang/en?next=/verify", "ar"); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("/lang/en: %s", resp.Status)
	}
	if _, body := c.getLang("/verify", "ar"); !strings.Contains(body, `<html lang="en" dir="ltr">`) || !strings.Contains(body, "<h1>Check a letter</h1>") {
		t.Error("after choosing English, an Arabic browser still gets Arabic")
	}
	// A language Chancery does not ship is refused, and nothing is remembered.
	fresh := o.client()
	for _, code := range []string{"de", "xx-not-a-tag", "zz"} {
		resp, _ := fresh.getLang("/lang/"+code+"?next=/verify", "")
		if resp.StatusCode != http.StatusNotFound || len(resp.Cookies()) != 0 {
			t.Errorf("/lang/%s: %s, cookies %v; want 404 and no cookie", code, resp.Status, resp.Cookies())
		}
	}
	// next stays on the site: anything that could lead elsewhere goes to a local page.
	for _, next := range []string{"https://evil.example/", "//evil.example/x", "/\\evil.example", "/\t/evil.example", "javascript:alert(1)"} {
		resp, _ := fresh.getLang("/lang/fr?next="+url.QueryEscape(next), "")
		loc := resp.Header.Get("Location")
		if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/") || strings.HasPrefix(loc, "//") || strings.Contains(loc, "evil") {
			t.Errorf("/lang/fr?next=%q: %s to %q, want a local page", next, resp.Status, loc)
		}
	}
	if resp, _ := fresh.getLang("/lang/fr?next="+url.QueryEscape("/v/TFN-2026-000001?code=ab"), ""); resp.Header.Get("Location") != "/v/TFN-2026-000001?code=ab" {
		t.Errorf("a local next with a query: to %q", resp.Header.Get("Location"))
	}
}

// TestLanguageOfPublicPages opens every public page in French and Arabic: each is in its
// language, with no English sentence left, while the letter's own words, references and
// digests stay as they are.
func TestLanguageOfPublicPages(t *testing.T) {
	o := newOffice(t, server.Config{RateLimit: -1})
	subject := "Coordination of force movements"
	ref := o.letter(subject, "# Coordination\n\nSir,\n\nTask Force North will reposition several units.\n")
	o.release(ref)
	gone := o.letter("Press statement", "Training from 3 to 14 February.\n")
	o.release(gone)
	o.withdraw(gone, "", "The training dates were wrong.")
	c := o.client()
	unknown := "/verify?digest=sha256:" + strings.Repeat("ab", 32)
	pages := []struct {
		path   string
		status int
		fr, ar string
	}{
		{"/", 200, "Le registre des lettres officielles", "سجل المراسلات الرسمية"},
		{"/verify", 200, "Avec le fichier", "بواسطة الملف"},
		{"/v/" + ref, 200, "Une lettre porte cette référence", "توجد رسالة بهذا الرقم المرجعي"},
		{"/v/" + ref + "/" + o.code(ref), 200, "Émise et valide", "صادرة وسارية"},
		{"/v/" + gone, 200, "Retirée", "مسحوبة"},
		{"/v/" + gone + "/" + o.code(gone), 200, "Annulée", "ملغاة"},
		{unknown, 200, "Inconnue de ce registre", "غير معروفة في هذا السجل"},
		{"/v/TFN-1999-000404", 200, "Inconnue de ce registre", "غير معروفة في هذا السجل"},
		{"/verify?q=not+a+reference!", 400, "Ce n'est ni une référence", "ما أُدخل ليس رقمًا مرجعيًا"},
		{"/log", 200, "Journal de transparence", "سجل الشفافية"},
		{"/signin", 200, "Mot de passe", "كلمة المرور"},
		{"/no/such/page", 404, "Page introuvable", "الصفحة غير موجودة"},
		{"/receipt/not-a-token", 404, "Lien non valide", "رابط غير صالح"},
	}
	for _, p := range pages {
		for _, l := range []struct{ code, want string }{{"fr", p.fr}, {"ar", p.ar}} {
			resp, body := c.getLang(p.path, l.code)
			if resp.StatusCode != p.status || !strings.Contains(html.UnescapeString(body), l.want) {
				t.Errorf("%s %s: %s, want %d with %q:\n%s", l.code, p.path, resp.Status, p.status, l.want, prose(body))
				continue
			}
			wantTranslated(t, l.code, p.path, body, ref, gone, "TFN", "sam")
		}
	}
	// The holder's page in Arabic: the letter's subject as written, the date with Arabic
	// month names, the signer, the title translated.
	_, body := c.getLang("/v/"+ref+"/"+o.code(ref), "ar")
	for _, want := range []string{subject, ref, "<dd>sam</dd>", "<title>صادرة وسارية · Chancery</title>", "تاريخ الإصدار"} {
		if !strings.Contains(body, want) {
			t.Errorf("the Arabic holder's page lacks %q", want)
		}
	}
	// The withdrawal's reason is the letter's own words, shown as given, isolated.
	if _, body := c.getLang("/v/"+gone+"/"+o.code(gone), "fr"); !strings.Contains(body, "Motif indiqué, signé et inscrit au journal : « <bdi>The training dates were wrong.</bdi> »") {
		t.Errorf("the French retracted page does not quote the reason:\n%s", prose(body))
	}
	// A wrong password, in French.
	resp, body := c.do("POST", "/signin", url.Values{"name": {"rita"}, "password": {"wrong"}}, map[string]string{
		"Origin": o.srv.URL, "Sec-Fetch-Site": "same-origin", "Accept-Language": "fr"})
	if resp.StatusCode != http.StatusUnauthorized || !strings.Contains(body, "Le nom ou le mot de passe est incorrect.") {
		t.Errorf("a wrong password in French: %s\n%s", resp.Status, prose(body))
	}
	// Pasted text, in Arabic.
	resp, body = c.do("POST", "/verify/text", url.Values{"text": {"Nothing this office ever wrote, about anything at all."}}, map[string]string{
		"Origin": o.srv.URL, "Sec-Fetch-Site": "same-origin", "Accept-Language": "ar"})
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "ليست رسالة رسمية صادرة عن هذه الجهة") {
		t.Errorf("pasted text in Arabic: %s\n%s", resp.Status, prose(body))
	} else {
		wantTranslated(t, "ar", "/verify/text", body)
	}
	// The switch on a form's answer leads back to the form, not to the POST's address.
	if loc := switchTarget(t, c, body, "fr"); loc != "/verify#identify" {
		t.Errorf("the switch on the identified page leads to %q, want the verify page's text form", loc)
	}
	_, body = c.do("POST", "/signin", url.Values{"name": {"rita"}, "password": {"wrong"}, "next": {"/letters"}}, map[string]string{
		"Origin": o.srv.URL, "Sec-Fetch-Site": "same-origin"})
	if loc := switchTarget(t, c, body, "ar"); loc != "/signin?next=%2Fletters" {
		t.Errorf("the switch on a refused sign-in leads to %q, want the sign-in form", loc)
	}
}

// switchTarget follows the page's switch to lang and returns where it leads.
func switchTarget(t *testing.T, c *browserless, body, lang string) string {
	t.Helper()
	m := regexp.MustCompile(`href="(/lang/` + lang + `\?next=[^"]*)"`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no switch to %s on the page", lang)
	}
	resp, _ := c.getLang(html.UnescapeString(m[1]), "")
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("the switch to %s: %s", lang, resp.Status)
	}
	return resp.Header.Get("Location")
}

// TestLanguageLeavesAPIAlone: the JSON API answers the same bytes whatever the language
// asked for, by header or by the switch's cookie.
func TestLanguageLeavesAPIAlone(t *testing.T) {
	o := newOffice(t, server.Config{RateLimit: -1})
	ref := o.letter("Coordination", "# Coordination\n\nSir,\n")
	file := o.release(ref)
	asked := o.client()
	chose := o.client()
	if resp, _ := chose.getLang("/lang/ar?next=/", ""); resp.StatusCode != http.StatusSeeOther {
		t.Fatal(resp.Status)
	}
	for _, p := range []string{"/api/v1/letters/" + ref + "/status", "/api/v1/letters/TFN-1999-000404/status", "/api/v1/trust", "/api/v1/no-such-endpoint"} {
		_, plain := asked.getLang(p, "")
		for _, accept := range []string{"fr", "ar"} {
			resp, body := asked.getLang(p, accept)
			if body != plain || resp.Header.Get("Content-Language") != "" {
				t.Errorf("GET %s with Accept-Language %s: the answer changed:\n%s\nwant\n%s", p, accept, body, plain)
			}
		}
		if _, body := chose.getLang(p, "fr"); body != plain {
			t.Errorf("GET %s after choosing Arabic: the answer changed:\n%s\nwant\n%s", p, body, plain)
		}
		if !strings.HasPrefix(strings.TrimSpace(plain), "{") {
			t.Errorf("GET %s: not JSON: %s", p, plain)
		}
	}
	// The verify API, asked about the released file, in each language.
	verify := func(accept string) string {
		req, _ := http.NewRequest("POST", o.srv.URL+"/api/v1/verify", strings.NewReader(`{"digest":"`+string(seal.DigestOf(file))+`"}`))
		req.Header.Set("Content-Type", "application/json")
		if accept != "" {
			req.Header.Set("Accept-Language", accept)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusOK || !strings.Contains(string(b), `"outcome":"valid"`) {
			t.Fatalf("POST /api/v1/verify (%s): %s %s", accept, resp.Status, b)
		}
		return string(b)
	}
	if en, fr, ar := verify(""), verify("fr"), verify("ar"); fr != en || ar != en {
		t.Errorf("POST /api/v1/verify changed with the language:\n%s\n%s\n%s", en, fr, ar)
	}
}

// TestTooManyInTheReadersLanguage: the 429 answer to a visitor over the public pages' limit,
// or out of wrong check codes, is in the language of the pages.
func TestTooManyInTheReadersLanguage(t *testing.T) {
	// One request in 100 s after the first three: the fourth is refused however slow the machine.
	o := newOffice(t, server.Config{RateLimit: 0.01, RateBurst: 3})
	for _, tc := range []struct{ lang, want string }{
		{"en", "too many requests: try again in a moment"},
		{"fr", "trop de demandes : réessayez dans un instant"},
		{"ar", "طلبات كثيرة جدًا: أعد المحاولة بعد قليل"},
	} {
		c := o.client()
		var resp *http.Response
		var body string
		for range 4 {
			resp, body = c.getLang("/verify?q=TFN-2020-000001", tc.lang)
		}
		if resp.StatusCode != http.StatusTooManyRequests || strings.TrimSpace(body) != tc.want || resp.Header.Get("Retry-After") == "" {
			t.Errorf("%s, over the limit: %s %q, want 429 %q", tc.lang, resp.Status, body, tc.want)
		}
	}
	o = newOffice(t, server.Config{RateBurst: 1000})
	ref := o.letter("Coordination", "# Coordination\n\nSir,\n")
	c := o.client()
	var resp *http.Response
	var body string
	for range server.CodeBurst + 1 {
		resp, body = c.getLang("/v/"+ref+"/00000000000000000000000000000000", "ar")
	}
	if want := "طلبات كثيرة جدًا: أعد المحاولة بعد قليل"; resp.StatusCode != http.StatusTooManyRequests || strings.TrimSpace(body) != want {
		t.Errorf("ar, out of wrong check codes: %s %q, want 429 %q", resp.Status, body, want)
	}
}
