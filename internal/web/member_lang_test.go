package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/registry"
	"github.com/chancery/chancery/internal/server"
)

// TestMemberPagesInFrenchAndArabic: the members' pages follow the language switch (a cookie)
// and Accept-Language, in French and in right-to-left Arabic, with the handlers' notices; the
// letters' own words (references, subjects, names) stay as written, and English stays the
// default.
func TestMemberPagesInFrenchAndArabic(t *testing.T) {
	o := newOffice(t, server.Config{})
	draft := o.letter("Coordination of force movements", "# Coordination\n\nSir, the troop withdrawal is postponed.\n")
	released := o.letter("Exercise in March", "# Exercise\n\nSir, the exercise takes place in March.\n")
	o.release(released)
	if err := o.reg.SetPassword(context.Background(), o.actors["root"], "root", password("root")); err != nil {
		t.Fatal(err)
	}

	type page struct {
		path      string
		want, not []string
	}
	check := func(c *browserless, hdr map[string]string, lang, dir string, pages []page) {
		t.Helper()
		for _, p := range pages {
			resp, body := c.do("GET", p.path, nil, hdr)
			if resp.StatusCode != http.StatusOK {
				t.Errorf("%s %s: %s", lang, p.path, resp.Status)
				continue
			}
			if !strings.Contains(body, `<html lang="`+lang+`" dir="`+dir+`">`) || resp.Header.Get("Content-Language") != lang {
				t.Errorf("%s %s: not a %s page (Content-Language %q)", lang, p.path, lang, resp.Header.Get("Content-Language"))
			}
			for _, w := range p.want {
				if !strings.Contains(body, w) {
					t.Errorf("%s %s lacks %q", lang, p.path, w)
				}
			}
			for _, w := range p.not {
				if strings.Contains(body, w) {
					t.Errorf("%s %s still says %q in English", lang, p.path, w)
				}
			}
		}
	}

	// English by default: the pages as they were.
	en := o.client()
	en.signIn("rita")
	check(en, nil, "en", "ltr", []page{
		{"/inbox", []string{"Waiting for you", "Recently released"}, nil},
		{"/letters/" + released, []string{"Approvals and signatures", "Approved by rita on "}, nil},
	})

	// French, chosen with the switch, which a cookie remembers.
	fr := o.client()
	fr.signIn("rita")
	if resp, _ := fr.getLang("/lang/fr?next=/inbox", ""); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("the language switch: %s", resp.Status)
	}
	// The pages are opened as from this site's own links (the notices need that), over
	// plain HTTP: a Referer of this site, no fetch metadata.
	fromSite := map[string]string{"Referer": o.srv.URL + "/inbox"}
	check(fr, fromSite, "fr", "ltr", []page{
		{"/inbox", []string{"En attente de votre part", draft, "Coordination of force movements", "Émises récemment", "émise le "},
			[]string{"Waiting for you", "Recently released", "your approval"}},
		{"/inbox?done=approved", []string{"Votre approbation est enregistrée."}, []string{"Your approval is recorded."}},
		{"/letters/" + released, []string{"Émise</p>", "Catégorie", "Destinataires", "Émission", "Approbations et signatures",
			"Approuvée par rita le ", "Signée par sam (clé <code>", "Piste d&#39;audit", "Exercise in March"},
			[]string{"Approvals and signatures", "Approved by", "Audit trail", "Released file"}},
		{"/letters/" + draft, []string{"Projet : non émis", "Ce que vous pouvez faire", "Approuver la version 1", "Rejeter la version 1", "Pourquoi rejeter ?"},
			[]string{"What you can do", "Approve version", "Why reject?"}},
		{"/letters", []string{"Toutes les lettres, des plus récentes aux plus anciennes", ">émise</span>", ">projet</span>", "Rechercher"},
			[]string{"Every letter, newest first", ">released</span>"}},
		{"/letters?q=armistice", []string{"Aucune lettre ne correspond."}, []string{"No letter matches."}},
	})

	// Arabic, from the browser's Accept-Language, right to left.
	ar := o.client()
	ar.signIn("rita")
	arabic := map[string]string{"Accept-Language": "ar-IQ,ar;q=0.9,en;q=0.5"}
	check(ar, arabic, "ar", "rtl", []page{
		{"/inbox", []string{"بانتظارك", "صدرت مؤخرًا", released}, []string{"Waiting for you"}},
		{"/letters/" + released, []string{"صادرة</p>", "الموافقات والتوقيعات", "وافق عليها rita في ", "سجل التدقيق"}, []string{"Approvals and signatures"}},
		{"/letters", []string{"جميع الرسائل، الأحدث أولًا", ">صادرة</span>", ">مسودة</span>"}, []string{"Every letter, newest first"}},
	})

	// The members' administration, in French, with the notice after a change.
	admin := o.client()
	admin.signIn("root")
	admin.getLang("/lang/fr?next=/admin/members", "")
	check(admin, fromSite, "fr", "ltr", []page{
		{"/admin/members", []string{"Membres", "Rôles", "Clés de signature", "Enregistrer les rôles", "Nouveau jeton", "(vous)", `Ajoutez des membres avec <code class="cmd"><span>chancery</span> <span>member</span> <span>add</span>`},
			[]string{"Save roles", "Signer keys", "New token"}},
		{"/admin/members?done=roles", []string{"Les rôles sont modifiés."}, []string{"The roles are changed."}},
		{"/admin/recipients", []string{"Destinataires et webhooks", "Aucun destinataire pour l&#39;instant.", "Ajouter le destinataire"},
			[]string{"Add the recipient", "No recipients yet."}},
	})
}

// TestListsInTheLanguagesPunctuation: the lists of a letter's page (addressees, tags, the
// requirements' headings) are punctuated as the page's language writes them: an Arabic comma
// and semicolon in Arabic, and French's space before a colon.
func TestListsInTheLanguagesPunctuation(t *testing.T) {
	o := newOffice(t, server.Config{})
	ref, err := o.reg.CreateLetter(context.Background(), o.actors["dana"], registry.NewLetter{Subject: "Exercise in March", Class: "foreign-government",
		Addressees: []string{"Ministry of Defence", "Ministry of Foreign Affairs"}, Tags: []string{"exercise", "march"},
		File: registry.Upload{Name: "letter.md", MediaType: "text/markdown", Data: []byte("# Exercise\n\nSir, the exercise takes place in March.\n")}})
	if err != nil {
		t.Fatal(err)
	}
	c := o.client()
	c.signIn("rita")
	for _, tc := range []struct {
		accept    string
		want, not []string
	}{
		{"en", []string{"Ministry of Defence; Ministry of Foreign Affairs", "exercise, march", "Missing: "}, nil},
		{"fr", []string{"Ministry of Defence ; Ministry of Foreign Affairs", "Manquant : "}, []string{"Manquant: "}},
		{"ar", []string{"Ministry of Defence؛ Ministry of Foreign Affairs", "exercise، march", "ناقص: "}, []string{"Defence; ", "exercise, "}},
	} {
		_, body := c.getLang("/letters/"+ref, tc.accept)
		for _, w := range tc.want {
			if !strings.Contains(body, w) {
				t.Errorf("%s: the letter's page lacks %q", tc.accept, w)
			}
		}
		for _, w := range tc.not {
			if strings.Contains(body, w) {
				t.Errorf("%s: the letter's page has %q", tc.accept, w)
			}
		}
	}
}
