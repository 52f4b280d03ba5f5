package web

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/chancery/chancery/internal/jsonbody"
	"github.com/chancery/chancery/internal/oidc"
	"github.com/chancery/chancery/internal/registry"
)

// Sign-in through the office's OpenID provider: /signin/oidc sends the browser to the
// provider with a fresh state, nonce and PKCE challenge, kept in a short-lived cookie;
// /signin/oidc/callback checks them, has the registry create or update the member from the
// provider's claims, and starts the same session a password sign-in starts.

// flowMaxAge bounds how long a sign-in at the provider may take.
const flowMaxAge = 10 * 60

func (h *Handler) registerOIDC(mux *http.ServeMux) {
	if h.cfg.OIDC == nil {
		return
	}
	mux.HandleFunc("GET /signin/oidc", h.withSession(h.oidcStart))
	mux.HandleFunc("GET /signin/oidc/callback", h.withSession(h.oidcCallback))
	mux.HandleFunc("GET /signout/done", h.withSession(h.signedOut))
	mux.HandleFunc("GET /api/v1/oidc", h.oidcInfo)
	mux.HandleFunc("POST /api/v1/oidc/token", h.oidcToken)
}

// CLITokenLifetime is how long a token from 'chancery login' works.
const CLITokenLifetime = 8 * time.Hour

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

// oidcInfo tells 'chancery login' which provider and client to sign in with.
func (h *Handler) oidcInfo(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"issuer": h.cfg.OIDC.Issuer(), "client_id": h.cfg.OIDC.CLIClientID()})
}

// oidcToken trades the provider's tokens from the device authorization grant for a
// short-lived Chancery token, after the same member creation and role mapping as a browser
// sign-in.
func (h *Handler) oidcToken(w http.ResponseWriter, r *http.Request) {
	var req struct {
		IDToken     string `json:"id_token"`
		AccessToken string `json:"access_token"`
	}
	if err := jsonbody.Decode(w, r, maxForm, &req); err != nil {
		writeJSON(w, jsonbody.Status(err), map[string]string{"error": "expected a JSON object with id_token and access_token: " + err.Error()})
		return
	}
	refuse := func(err error) {
		h.cfg.Logger.InfoContext(r.Context(), "command-line sign-in refused", "provider", h.cfg.OIDC.Issuer(), "err", err, "remote", r.RemoteAddr)
		writeJSON(w, http.StatusUnauthorized, map[string]string{"error": "the provider's tokens were refused, or give no role in this office"})
	}
	id, err := h.cfg.OIDC.Redeem(r.Context(), req.IDToken, req.AccessToken)
	if err != nil {
		refuse(err)
		return
	}
	m, err := h.cfg.Registry.SignInExternal(r.Context(), registry.ExternalSignIn{Source: h.cfg.OIDC.Issuer(), Subject: id.Subject, Name: id.Name,
		Roles: id.Roles, Managed: h.cfg.OIDC.Managed(), Remote: r.RemoteAddr})
	if errors.Is(err, registry.ErrUnauthenticated) {
		refuse(err)
		return
	}
	if err == nil {
		var tok string
		var exp time.Time
		if tok, exp, err = h.cfg.Registry.StartCLISession(r.Context(), m, r.RemoteAddr, CLITokenLifetime); err == nil {
			writeJSON(w, http.StatusCreated, map[string]any{"token": tok, "expires_at": exp, "name": m.Name, "roles": m.Roles})
			return
		}
		if errors.Is(err, registry.ErrUnauthenticated) {
			refuse(err) // disabled, or made a local account, meanwhile
			return
		}
	}
	h.cfg.Logger.ErrorContext(r.Context(), "command-line sign-in", "err", err)
	writeJSON(w, http.StatusInternalServerError, map[string]string{"error": "internal error"})
}

// flowCookie is the cookie that keeps a sign-in's flow; host-only and Secure like the session
// cookie when the site is served over TLS.
func (h *Handler) flowCookie(r *http.Request) string {
	if h.secure(r) {
		return "__Host-chancery_oidc"
	}
	return "chancery_oidc"
}

// callbackURL is this site's callback, as registered at the provider.
func (h *Handler) callbackURL(r *http.Request) string {
	if b := strings.TrimSuffix(h.cfg.BaseURL, "/"); b != "" {
		return b + "/signin/oidc/callback"
	}
	scheme := "http"
	if h.secure(r) {
		scheme = "https"
	}
	return scheme + "://" + r.Host + "/signin/oidc/callback"
}

// oidcStart sends the browser to the provider. Only the site's own sign-in link, or an
// address the member typed, starts a sign-in: a link or image on another site would
// otherwise have a browser still signed in at the provider come back signed in here without
// its member asking (login CSRF), with the session's idle time starting over. Anything else
// gets the sign-in page, whose link starts it.
func (h *Handler) oidcStart(w http.ResponseWriter, r *http.Request) {
	if !h.fromSite(r, true) {
		h.signinForm(w, r)
		return
	}
	next := onward(r.URL.Query().Get("next"))
	to, f := h.cfg.OIDC.Start(h.callbackURL(r))
	// Lax: the provider sends the browser back with a top-level GET, which carries it.
	http.SetCookie(w, &http.Cookie{Name: h.flowCookie(r), Value: f.Encode() + "." + base64.RawURLEncoding.EncodeToString([]byte(next)),
		Path: "/", MaxAge: flowMaxAge, HttpOnly: true, Secure: h.secure(r), SameSite: http.SameSiteLaxMode})
	http.Redirect(w, r, to, http.StatusSeeOther)
}

func (h *Handler) oidcCallback(w http.ResponseWriter, r *http.Request) {
	refuse := func(err error) {
		h.cfg.Logger.InfoContext(r.Context(), "sign-in refused", "provider", h.cfg.OIDC.Issuer(), "err", err, "remote", r.RemoteAddr)
		h.render(w, r, http.StatusUnauthorized, "signin", page{Title: "Sign in",
			Error: "The sign-in through your organisation did not succeed, or gave you no role in this office. Try again; if it persists, ask an admin.",
			Data:  signinData{Next: "/inbox", OIDC: true}})
	}
	c, err := r.Cookie(h.flowCookie(r))
	// The flow is for one callback only, whatever its outcome.
	http.SetCookie(w, &http.Cookie{Name: h.flowCookie(r), Value: "", Path: "/", MaxAge: -1, HttpOnly: true, Secure: h.secure(r), SameSite: http.SameSiteLaxMode})
	if err != nil {
		refuse(errors.New("no sign-in in progress in this browser"))
		return
	}
	i := strings.LastIndexByte(c.Value, '.')
	f, err := oidc.ParseFlow(c.Value[:max(i, 0)])
	if err != nil {
		refuse(err)
		return
	}
	next, _ := base64.RawURLEncoding.DecodeString(c.Value[i+1:])
	id, err := h.cfg.OIDC.Finish(r.Context(), h.callbackURL(r), f, r.URL.Query())
	if err != nil {
		refuse(err)
		return
	}
	m, err := h.cfg.Registry.SignInExternal(r.Context(), registry.ExternalSignIn{Source: h.cfg.OIDC.Issuer(), Subject: id.Subject, Name: id.Name,
		Roles: id.Roles, Managed: h.cfg.OIDC.Managed(), Remote: r.RemoteAddr})
	if errors.Is(err, registry.ErrUnauthenticated) {
		refuse(err)
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
		h.logouts.take(s.id)
	}
	sid, err := h.cfg.Registry.StartSession(r.Context(), m, r.RemoteAddr, h.cfg.Sessions)
	if errors.Is(err, registry.ErrUnauthenticated) {
		refuse(err) // disabled, or made a local account, meanwhile
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.logouts.keep(sid, id.IDToken, time.Now().Add(h.cfg.Sessions.Lifetime))
	h.setSessionCookie(w, r, sid, int(h.cfg.Sessions.Lifetime.Seconds()))
	http.Redirect(w, r, onward(string(next)), http.StatusSeeOther)
}
