package web

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/chancery/chancery/internal/i18n"
	"github.com/chancery/chancery/internal/registry"
	"github.com/chancery/chancery/internal/store"
)

// Authenticator checks who is signing in. It is the seam for single sign-on: the local
// password store is one implementation; an OpenID Connect or SAML one would read its
// callback request instead of a form. Whatever it is, the session that follows is the
// registry's (registry.StartSession), and the member it returns is an existing member whose
// roles the registry enforces.
type Authenticator interface {
	// Authenticate returns the member the sign-in request r proves to be. It returns an error
	// wrapping registry.ErrUnauthenticated for wrong credentials, the same whatever was wrong,
	// so that the answer does not reveal which member names exist.
	Authenticate(r *http.Request) (*store.Member, error)
}

// PasswordAuthenticator signs members in with the name and password of the sign-in form,
// checked against the argon2id hashes the registry keeps.
type PasswordAuthenticator struct {
	Registry *registry.Registry
}

// Authenticate implements Authenticator.
func (p PasswordAuthenticator) Authenticate(r *http.Request) (*store.Member, error) {
	return p.Registry.CheckPassword(r.Context(), strings.TrimSpace(r.PostFormValue("name")), r.PostFormValue("password"))
}

// sess is the request's session: empty for a visitor who is not signed in.
type sess struct {
	id     string
	member *store.Member
	remote string
	// logWords are what the request's multipart form gave (readUpload), kept out of the
	// lines its failure logs (loggedErr).
	logWords []string
}

type sessionKey struct{}

func session(r *http.Request) *sess {
	if s, ok := r.Context().Value(sessionKey{}).(*sess); ok {
		return s
	}
	return &sess{remote: r.RemoteAddr}
}

// actor is who asks, for the registry.
func (s *sess) actor() registry.Actor { return registry.Actor{Member: s.member, Remote: s.remote} }

// csrf is the synchronizer token of the session's forms: an HMAC of a fixed label keyed with
// the session ID. It is tied to the session, changes with it, and needs no storage; only
// someone holding the session cookie (which scripts cannot read) can compute it.
func (s *sess) csrf() string {
	if s.id == "" {
		return ""
	}
	m := hmac.New(sha256.New, []byte(s.id))
	m.Write([]byte("chancery csrf v1"))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// cookieName is the session cookie's name: with the __Host- prefix when Secure, so that it is
// host-only, Secure and for the whole site.
func (h *Handler) cookieName(r *http.Request) string {
	if h.secure(r) {
		return "__Host-chancery_session"
	}
	return "chancery_session"
}

func (h *Handler) secure(r *http.Request) bool { return h.cfg.Secure || r.TLS != nil }

func (h *Handler) setSessionCookie(w http.ResponseWriter, r *http.Request, id string, maxAge int) {
	http.SetCookie(w, &http.Cookie{Name: h.cookieName(r), Value: id, Path: "/", MaxAge: maxAge,
		HttpOnly: true, Secure: h.secure(r), SameSite: http.SameSiteLaxMode})
}

// SignedIn reports whether r carries the cookie of a member's session that is in force: the
// server counts a member's pages apart from the public's rate limit of their address.
func (h *Handler) SignedIn(r *http.Request) bool {
	c, err := r.Cookie(h.cookieName(r))
	if err != nil || h.cfg.Registry == nil {
		return false
	}
	m, err := h.cfg.Registry.SessionMember(r.Context(), c.Value, h.cfg.Sessions)
	return err == nil && m != nil
}

// withSession looks up the session cookie and puts the session in the request's context. A
// stale cookie is cleared and the visitor treated as signed out. A page asked for with a
// query parameter given twice is refused (400).
func (h *Handler) withSession(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s := &sess{remote: r.RemoteAddr}
		if c, err := r.Cookie(h.cookieName(r)); err == nil && h.cfg.Registry != nil {
			m, err := h.cfg.Registry.SessionMember(r.Context(), c.Value, h.cfg.Sessions)
			switch {
			case err == nil:
				s.id, s.member = c.Value, m
			case errors.Is(err, registry.ErrUnauthenticated):
				h.setSessionCookie(w, r, "", -1)
			default:
				h.fail(w, r, err)
				return
			}
		}
		r = r.WithContext(context.WithValue(r.Context(), sessionKey{}, s))
		// A page reads the first of a query parameter given twice, while a proxy, a log or
		// another reader may take the last; no page takes a list in its query. (Nobody reads
		// a post's query.)
		if r.Method != http.MethodPost {
			if err := singleQuery(r.URL.Query()); err != nil {
				h.fail(w, r, err)
				return
			}
		}
		next(w, r)
	}
}

// member lets only signed-in members through: a page sends the visitor to sign in, a form
// post is refused. Every post must also pass the CSRF checks.
func (h *Handler) member(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s := session(r)
		if s.member == nil {
			if r.Method == http.MethodGet {
				http.Redirect(w, r, "/signin?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
				return
			}
			h.fail(w, r, registry.ErrUnauthenticated)
			return
		}
		if r.Method != http.MethodGet {
			if err := h.checkOrigin(r); err != nil {
				h.fail(w, r, err)
				return
			}
			// The token is checked by the handler once it has read the form (multipart
			// bodies are read as a stream); see checkToken.
		}
		next(w, r)
	}
}

// copyRoles are the roles that may take or send a draft copy (registry.ExportDraftVersion,
// SendDraftVersion).
var copyRoles = []string{registry.RoleDrafter, registry.RoleReviewer, registry.RoleSigner}

// needs lets through only a member holding one of roles, before the handler reads the form,
// and answers others with refused: a member whose roles do not allow the action is told so
// (403), not what their form lacked (400), and takes no room in the upload budget. The
// registry checks the roles again when it acts; the refusal is worded as the registry words it.
func (h *Handler) needs(refused func(http.ResponseWriter, *http.Request, error), next http.HandlerFunc, roles ...string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		m := session(r).member
		if !slices.ContainsFunc(roles, m.HasRole) {
			refused(w, r, i18n.Errorf(registry.ErrForbidden, "%s needs the %s role", m.Name, strings.Join(roles, " or ")))
			return
		}
		next(w, r)
	}
}

// checkOrigin refuses a cross-site post: by Sec-Fetch-Site where the browser sends it, and by
// Origin against this site's own origin (or the configured base URL).
func (h *Handler) checkOrigin(r *http.Request) error {
	if site := r.Header.Get("Sec-Fetch-Site"); site != "" && site != "same-origin" && site != "none" {
		return errCSRF
	}
	o := r.Header.Get("Origin")
	if o == "" || h.ownOrigin(r, o) {
		return nil // without Origin (not a browser that sends it), the token still protects the form
	}
	return errCSRF
}

// ownOrigin reports whether the origin o (scheme://host[:port]) is this site's own, or the
// configured base URL's.
func (h *Handler) ownOrigin(r *http.Request, o string) bool {
	scheme := "http"
	if h.secure(r) {
		scheme = "https"
	}
	if o == scheme+"://"+r.Host {
		return true
	}
	u, err := url.Parse(h.cfg.BaseURL)
	return err == nil && u.Host != "" && o == u.Scheme+"://"+u.Host
}

// fromSite reports whether the GET r is a navigation from this site's own pages, or, when
// typed is set, one the member typed or opened from a bookmark or another program. Browsers
// say so in Sec-Fetch-Site, but only to secure origins (HTTPS, loopback): over plain HTTP to
// an intranet host they send none, while the session cookie (SameSite=Lax) still goes with a
// link followed from another site. There the Referer decides: the referrer policy
// (same-origin) sends it on this site's own navigations, and a link from elsewhere either
// carries the other site's or, where that page suppressed it, none, which a typed address
// cannot be told from, so none is refused.
func (h *Handler) fromSite(r *http.Request, typed bool) bool {
	switch r.Header.Get("Sec-Fetch-Site") {
	case "same-origin":
		return true
	case "none":
		return typed
	case "":
		u, err := url.Parse(r.Header.Get("Referer"))
		return err == nil && u.Host != "" && h.ownOrigin(r, u.Scheme+"://"+u.Host)
	}
	return false
}

// checkToken compares the form's CSRF token with the session's, in constant time.
func checkToken(r *http.Request, got string) error {
	want := session(r).csrf()
	if want == "" || !hmac.Equal([]byte(got), []byte(want)) {
		return errCSRF
	}
	return nil
}

// BearerToken returns the token of r's Authorization header, "Bearer TOKEN", and whether the
// header is one: the scheme's name in any case, as HTTP reads it (RFC 9110, section 11.1), so
// that a client that writes "bearer" is not refused as if it had sent no token.
func BearerToken(r *http.Request) (string, bool) {
	scheme, tok, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	return strings.TrimSpace(tok), true
}
