package web

import (
	"crypto/subtle"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/chancery/chancery/internal/oidc"
)

// signout ends the session on the server, not only in the browser. A member who signed in
// through the office's OpenID provider is then sent to the provider's end_session_endpoint
// (OpenID Connect RP-Initiated Logout 1.0) with the sign-in's ID token as id_token_hint, so
// that the provider's session in this browser ends too: otherwise the next person at a
// shared computer who chooses "Sign in with your organisation account" would be signed in as
// the member without a password. Where the provider has no such endpoint, or the ID token is
// no longer held (the server restarted since the sign-in), the page says that the provider's
// session may still be open.
func (h *Handler) signout(w http.ResponseWriter, r *http.Request) {
	if err := h.form(w, r, nil); err != nil {
		h.fail(w, r, err)
		return
	}
	s := session(r)
	if err := h.cfg.Registry.EndSession(r.Context(), s.id); err != nil {
		h.fail(w, r, err)
		return
	}
	idToken := h.logouts.take(s.id)
	h.setSessionCookie(w, r, "", -1)
	if h.cfg.OIDC == nil || s.member == nil || s.member.Issuer != h.cfg.OIDC.Issuer() {
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return
	}
	state := oidc.NewState()
	if to := h.cfg.OIDC.EndSessionURL(idToken, h.signedOutURL(r), state); to != "" {
		// Lax: the provider sends the browser back with a top-level GET, which carries it.
		http.SetCookie(w, &http.Cookie{Name: h.signoutCookie(r), Value: state, Path: "/", MaxAge: flowMaxAge,
			HttpOnly: true, Secure: h.secure(r), SameSite: http.SameSiteLaxMode})
		http.Redirect(w, r, to, http.StatusSeeOther)
		return
	}
	h.providerStillOpen(w, r)
}

// signedOut is where the provider sends the browser back after ending its session: with the
// state of this browser's sign-out, the landing page; without it (another browser, a link,
// a provider that did not say it ended the session), the page that says the provider's
// session may still be open. A browser still signed in here is sent to the landing page.
func (h *Handler) signedOut(w http.ResponseWriter, r *http.Request) {
	c, err := r.Cookie(h.signoutCookie(r))
	http.SetCookie(w, &http.Cookie{Name: h.signoutCookie(r), Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, Secure: h.secure(r), SameSite: http.SameSiteLaxMode})
	if session(r).member != nil {
		// Not a sign-out's return: its session ended before the browser left for the provider.
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return
	}
	if st := r.URL.Query()["state"]; err == nil && c.Value != "" && len(st) == 1 && subtle.ConstantTimeCompare([]byte(st[0]), []byte(c.Value)) == 1 {
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return
	}
	h.providerStillOpen(w, r)
}

// providerStillOpen tells a member signed out of the registry that their organisation
// account may still be signed in in this browser.
func (h *Handler) providerStillOpen(w http.ResponseWriter, r *http.Request) {
	h.render(w, r, http.StatusOK, "signin", page{Title: "Sign in", Path: "/signin",
		Notice: "You are signed out of the registry. Your organisation account may still be signed in in this browser: sign out of it too, or close every window of the browser, before you leave a shared computer.",
		Data:   signinData{Next: "/inbox", OIDC: true}})
}

// signoutCookie keeps a sign-out's state until the provider sends the browser back.
func (h *Handler) signoutCookie(r *http.Request) string {
	if h.secure(r) {
		return "__Host-chancery_signout"
	}
	return "chancery_signout"
}

// signedOutURL is the address the provider sends the browser back to after ending its
// session, as registered at the provider (BASE/signout/done).
func (h *Handler) signedOutURL(r *http.Request) string {
	return strings.TrimSuffix(h.callbackURL(r), "/signin/oidc/callback") + "/signout/done"
}

// maxLogouts bounds the ID tokens kept for sign-outs: past it, a new sign-in's is not kept
// and its sign-out says that the provider's session may still be open.
const maxLogouts = 10000

// logouts keeps, in memory only, the ID token of each browser session started through the
// provider, for its sign-out's id_token_hint: never in a cookie, and never in the database,
// whose sessions are kept by the SHA-256 of their ID alone.
type logouts struct {
	mu     sync.Mutex
	tokens map[string]heldToken // by session ID
}

type heldToken struct {
	idToken string
	until   time.Time
}

// keep holds the ID token of session sid until its session ends at the latest.
func (l *logouts) keep(sid, idToken string, until time.Time) {
	if idToken == "" {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	now := time.Now()
	for k, t := range l.tokens {
		if !now.Before(t.until) {
			delete(l.tokens, k)
		}
	}
	if len(l.tokens) >= maxLogouts {
		return
	}
	l.tokens[sid] = heldToken{idToken: idToken, until: until}
}

// take returns the ID token held for session sid, "" if none, and forgets it.
func (l *logouts) take(sid string) string {
	l.mu.Lock()
	defer l.mu.Unlock()
	t, ok := l.tokens[sid]
	delete(l.tokens, sid)
	if !ok || !time.Now().Before(t.until) {
		return ""
	}
	return t.idToken
}
