package web

import (
	"net/http"
	"time"

	"github.com/chancery/chancery/internal/i18n"
	"github.com/chancery/chancery/internal/ratelimit"
)

// langCookie keeps a visitor's choice of interface language. It holds only a language code,
// is readable by nobody else (SameSite, Path /), and lasts a year.
const langCookie = "chancery_lang"

// language is the printer for r: the visitor's choice from the language switch, otherwise the
// best match for Accept-Language, otherwise English.
func language(r *http.Request) *i18n.Printer {
	choice := ""
	if c, err := r.Cookie(langCookie); err == nil {
		choice = c.Value
	}
	return i18n.Negotiate(choice, r.Header.Get("Accept-Language"))
}

// TooMany answers 429 with a Retry-After of wait, saying so in the language of r's pages.
func TooMany(w http.ResponseWriter, r *http.Request, wait time.Duration) {
	p := language(r)
	w.Header().Set("Content-Language", p.Lang())
	ratelimit.TooManySaying(w, wait, p.T("too many requests: try again in a moment"))
}

// languageElsewhere says why a language switch from another site changed nothing.
const languageElsewhere = "The language was not changed: the link came from another site. Choose it with the links on this page."

// setLanguage is the language switch: GET /lang/fr?next=/verify remembers French and goes back
// to the page. A code Chancery does not ship is refused rather than remembered. The switch is
// a link, so that it works without a session; only the site's own links and a typed address
// change the language (fromSite): a link, image or frame of another site would otherwise
// switch a visitor's pages to a language they do not read, a notice or a refusal with them.
func (h *Handler) setLanguage(w http.ResponseWriter, r *http.Request) {
	p, ok := i18n.Parse(r.PathValue("code"))
	if !ok {
		http.Error(w, "unknown language; choose en, fr or ar", http.StatusNotFound)
		return
	}
	if err := singleQuery(r.URL.Query()); err != nil {
		h.fail(w, r, err)
		return
	}
	next := onward(r.URL.Query().Get("next"))
	if !h.fromSite(r, true) || prefetch(r) {
		h.render(w, r, http.StatusForbidden, "error", page{Title: "Forbidden", Error: languageElsewhere, Path: next})
		return
	}
	http.SetCookie(w, &http.Cookie{Name: langCookie, Value: p.Lang(), Path: "/", MaxAge: 365 * 24 * 3600,
		HttpOnly: true, Secure: h.secure(r), SameSite: http.SameSiteLaxMode})
	http.Redirect(w, r, next, http.StatusSeeOther)
}
