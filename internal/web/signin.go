package web

import (
	"errors"
	"net/http"
	"net/url"
	"path"
	"strings"
	"unicode"

	"github.com/chancery/chancery/internal/registry"
)

// signinForm shows the sign-in form.
func (h *Handler) signinForm(w http.ResponseWriter, r *http.Request) {
	if session(r).member != nil {
		http.Redirect(w, r, onward(r.URL.Query().Get("next")), http.StatusSeeOther)
		return
	}
	h.render(w, r, http.StatusOK, "signin", page{Title: "Sign in", Data: signinData{Next: onward(r.URL.Query().Get("next")), OIDC: h.cfg.OIDC != nil}})
}

type signinData struct {
	Name string
	Next string
	OIDC bool // offer the sign-in through the office's OpenID provider
}

// signin checks the credentials and starts a new session: any earlier session ID is dropped,
// so a session ID planted before sign-in is worth nothing after it.
func (h *Handler) signin(w http.ResponseWriter, r *http.Request) {
	if err := h.checkOrigin(r); err != nil {
		h.fail(w, r, err)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxForm)
	if err := r.ParseForm(); err != nil {
		h.fail(w, r, errBadRequest)
		return
	}
	if err := takesOnly(r.PostForm, "next", "name", "password"); err != nil {
		h.fail(w, r, err)
		return
	}
	// The name as the registry looks it up: its failures count against one account whichever
	// way its accents were typed.
	data := signinData{Name: registry.NormalName(strings.TrimSpace(r.PostForm.Get("name"))), Next: onward(r.PostForm.Get("next")), OIDC: h.cfg.OIDC != nil}
	refused := func() {
		h.cfg.Logger.InfoContext(r.Context(), "sign-in refused", "name", logName(data.Name), "remote", r.RemoteAddr)
		h.render(w, r, http.StatusUnauthorized, "signin", page{Title: "Sign in", Error: "The name or the password is wrong.", Data: data,
			Path: "/signin?next=" + url.QueryEscape(data.Next)})
	}
	m, err := h.authenticate(r, data.Name)
	if limited(w, r, err) {
		return
	}
	if errors.Is(err, registry.ErrUnauthenticated) {
		refused()
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if s := session(r); s.id != "" {
		if err := h.cfg.Registry.EndSession(r.Context(), s.id); err != nil {
			h.fail(w, r, err)
			return
		}
	}
	id, err := h.cfg.Registry.StartSession(r.Context(), m, r.RemoteAddr, h.cfg.Sessions)
	if errors.Is(err, registry.ErrUnauthenticated) {
		refused() // the password checked was replaced, or the member disabled, meanwhile
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.setSessionCookie(w, r, id, int(h.cfg.Sessions.Lifetime.Seconds()))
	http.Redirect(w, r, data.Next, http.StatusSeeOther)
}

// safeNext keeps a redirect after sign-in on this site: a local path, or the inbox. Browsers
// drop TAB, CR and LF from URLs and read a backslash as a slash, so "/\t/evil.example" would
// leave the site: a path with any control character, space or backslash is refused, and what
// remains must parse as a path with no scheme or host that starts with exactly one slash.
func safeNext(next string) string {
	const home = "/inbox"
	if strings.ContainsFunc(next, func(c rune) bool { return c == '\\' || unicode.IsControl(c) || unicode.IsSpace(c) }) {
		return home
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" ||
		!strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") {
		return home
	}
	return next
}

// onward is where a redirect the browser takes as a navigation from this site goes on to:
// next, kept on this site (safeNext), without what only the site's own pages may ask of a
// navigation. After the sign-in's own post, and after the language switch (a link back to
// the page it is on), the browser says the page that follows comes from this site, whoever
// chose next: a link to the sign-in page, to a member's page (which sends a signed-out member
// there) or to any page whose switch the member then uses. It would show the confirmation of
// an action never taken (?done=), record a preview as a draft copy the member took, switch
// the language, or start a sign-in through the provider that nobody asked for (whose
// session would replace the member's, as whoever the browser is signed in as there). The
// letter's page stands in for its preview, the sign-in page for the provider's.
func onward(next string) string {
	u, err := url.Parse(safeNext(next))
	if err != nil {
		return "/inbox"
	}
	// As http.Redirect will clean it: "/letters/R/preview/." is the preview.
	p := path.Clean(u.Path)
	if strings.HasPrefix(p, "/lang/") {
		return "/inbox"
	}
	if p == "/signin/oidc" || strings.HasPrefix(p, "/signin/oidc/") {
		return "/signin" // the page whose link starts a sign-in through the provider
	}
	if ref, ok := strings.CutSuffix(p, "/preview"); ok && strings.HasPrefix(ref, "/letters/") {
		p = ref
	}
	q := u.Query()
	q.Del("done")
	u.Path, u.RawPath, u.RawQuery = p, "", q.Encode()
	return u.String()
}
