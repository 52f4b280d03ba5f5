package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/registry"
	"github.com/chancery/chancery/internal/server"
)

// TestRefusalsInFrenchAndArabic: what the registry refuses on a member page (the release
// gate with the policy's requirements, a rejection without a comment, an action the member's
// role does not allow, an unknown role on the members page) is said in the page's language,
// with no English sentence of it left; the letter's requirements and audit trail too. English
// pages and the JSON API keep the English texts that offices script against.
func TestRefusalsInFrenchAndArabic(t *testing.T) {
	o := newOffice(t, server.Config{})
	ref := o.letter("Coordination of force movements", "# Coordination\n\nSir, the troop withdrawal is postponed.\n")
	ctx := context.Background()
	if err := o.reg.SetPassword(ctx, o.actors["root"], "root", password("root")); err != nil {
		t.Fatal(err)
	}

	type refusal struct {
		who, path string
		form      url.Values
		status    int
		en        string
		fr, ar    []string
	}
	refusals := []refusal{
		{"otto", "/letters/" + ref + "/release", url.Values{}, http.StatusUnprocessableEntity,
			"release refused: missing 1 approval by a reviewer; missing 1 signature by a signer",
			[]string{"émission refusée : il manque 1 approbation par un relecteur ; il manque 1 signature par un signataire"},
			[]string{"رُفض الإصدار: ينقصها 1 موافقة من مراجِع؛ ينقصها 1 توقيع من موقِّع"}},
		{"rita", "/letters/" + ref + "/reject", url.Values{"comment": {" "}}, http.StatusBadRequest,
			"invalid request: a rejection needs a comment",
			[]string{"requête invalide : un rejet doit être accompagné d&#39;un commentaire"},
			[]string{"طلب غير صالح: يحتاج الرفض إلى تعليق"}},
		{"dana", "/letters/" + ref + "/approve", url.Values{}, http.StatusForbidden,
			"forbidden: dana needs the reviewer role",
			[]string{"refusé : dana doit avoir le rôle reviewer"},
			[]string{"غير مسموح: يحتاج dana إلى الدور reviewer"}},
		{"root", "/admin/members/rita/roles", url.Values{"role": {"pope"}}, http.StatusBadRequest,
			"invalid request: unknown role &#34;pope&#34; (roles: ",
			[]string{"requête invalide : rôle inconnu &#34;pope&#34; (rôles : "},
			[]string{"طلب غير صالح: دور غير معروف &#34;pope&#34; (الأدوار: "}},
	}
	// English words of the refusals that must not be left on a French or Arabic page.
	english := []string{"release refused", "missing 1", "by a reviewer", "invalid request", "needs a comment",
		"forbidden:", "needs the reviewer role", "unknown role", "once its policy names them"}

	for _, lang := range []struct {
		code, accept string
		want         func(refusal) []string
	}{
		{"en", "", func(r refusal) []string { return []string{r.en} }},
		{"fr", "fr-FR,fr;q=0.9", func(r refusal) []string { return r.fr }},
		{"ar", "ar-IQ,ar;q=0.9,en;q=0.5", func(r refusal) []string { return r.ar }},
	} {
		hdr := map[string]string{}
		if lang.accept != "" {
			hdr["Accept-Language"] = lang.accept
		}
		for _, r := range refusals {
			c := o.client()
			form := url.Values{"csrf": {c.signIn(r.who)}}
			for k, v := range r.form {
				form[k] = v
			}
			h := map[string]string{"Origin": o.srv.URL, "Sec-Fetch-Site": "same-origin"}
			for k, v := range hdr {
				h[k] = v
			}
			resp, body := c.do("POST", r.path, form, h)
			if resp.StatusCode != r.status {
				t.Errorf("%s %s as %s: %s, want %d", lang.code, r.path, r.who, resp.Status, r.status)
			}
			if got := resp.Header.Get("Content-Language"); got != lang.code {
				t.Errorf("%s %s: Content-Language %q", lang.code, r.path, got)
			}
			for _, w := range lang.want(r) {
				if !strings.Contains(body, w) {
					t.Errorf("%s %s as %s: the page lacks %q\n%s", lang.code, r.path, r.who, w, errorOf(body))
				}
			}
			if lang.code == "en" {
				continue
			}
			for _, w := range english {
				if strings.Contains(body, w) {
					t.Errorf("%s %s as %s: the page still says %q in English\n%s", lang.code, r.path, r.who, w, errorOf(body))
				}
			}
		}
	}

	// The letter's requirements, the policy's notes and its audit trail, in French and Arabic.
	if err := o.reg.Approve(ctx, o.actors["rita"], ref, "", ""); err != nil {
		t.Fatal(err)
	}
	c := o.client()
	c.signIn("rita")
	for _, p := range []struct {
		accept             string
		letter, inbox, not []string
	}{
		{"", []string{"Met: 1 approval by a reviewer", "Missing: 1 signature by a signer", ">created the letter<", ">approved the version<"},
			[]string{"Still needs: 1 signature by a signer"}, nil},
		{"fr", []string{"1 approbation par un relecteur", "1 signature par un signataire", ">a créé la lettre<", ">a approuvé la version<"},
			[]string{"Il manque encore : 1 signature par un signataire"},
			[]string{"approval by", "signature by", ">letter.create<", ">created the letter<"}},
		{"ar", []string{"1 موافقة من مراجِع", "1 توقيع من موقِّع", ">أنشأ الرسالة<", ">وافق على النسخة<"},
			[]string{"لا يزال ينقصها: 1 توقيع من موقِّع"},
			[]string{"approval by", "signature by", ">letter.approve<", ">approved the version<"}},
	} {
		hdr := map[string]string{}
		if p.accept != "" {
			hdr["Accept-Language"] = p.accept
		}
		for path, want := range map[string][]string{"/letters/" + ref: p.letter, "/inbox": p.inbox} {
			_, body := c.do("GET", path, nil, hdr)
			for _, w := range want {
				if !strings.Contains(body, w) {
					t.Errorf("%q %s lacks %q", p.accept, path, w)
				}
			}
			for _, w := range p.not {
				if strings.Contains(body, w) {
					t.Errorf("%q %s still says %q", p.accept, path, w)
				}
			}
		}
	}

	// The JSON API answers in English whatever the language asked for.
	tok, err := o.reg.AddMember(ctx, o.actors["root"], "rose", []string{registry.RoleReviewer})
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest("POST", o.srv.URL+"/api/v1/letters/"+ref+"/reject", strings.NewReader(`{"comment":""}`))
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept-Language", "fr")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var answer struct{ Error string }
	if err := json.NewDecoder(resp.Body).Decode(&answer); err != nil {
		t.Fatal(err)
	}
	if answer.Error != "invalid request: a rejection needs a comment" {
		t.Errorf("the API's refusal in French: %q, want the English text", answer.Error)
	}
}

// errorOf is the error paragraph of a page, for the test's messages.
func errorOf(body string) string {
	if i := strings.Index(body, `class="error"`); i >= 0 {
		end := min(len(body), i+400)
		return body[i:end]
	}
	return ""
}
