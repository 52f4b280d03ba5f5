// Package oidc signs office staff in with their organisation's OpenID Connect provider
// (Entra ID, Keycloak, Google Workspace…): the authorization code flow with PKCE, state and
// nonce, and the mapping from one claim of the signed-in user (such as "groups") to Chancery
// roles. It knows nothing of members or sessions: the web layer hands the Identity it returns
// to the registry, which creates or updates the member. See docs/identity.md.
package oidc

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	gooidc "github.com/coreos/go-oidc/v3/oidc"
	"github.com/go-jose/go-jose/v4"
	"golang.org/x/oauth2"
)

// DefaultNameClaim is the claim that names the member when Config.NameClaim is empty.
const DefaultNameClaim = "preferred_username"

// Config configures the sign-in.
type Config struct {
	// Issuer is the provider's issuer URL, exactly as its discovery document states it.
	Issuer string
	// ClientID and ClientSecret are Chancery's registration at the provider.
	ClientID, ClientSecret string
	// RolesClaim names the claim whose values RoleMap maps to roles (e.g. "groups", "roles").
	RolesClaim string
	// RoleMap maps the claim's values to Chancery roles.
	RoleMap RoleMap
	// NameClaim names the claim that gives the member's name (DefaultNameClaim if empty).
	NameClaim string
	// Scopes are asked for besides "openid", "profile" and "email" (some providers send the
	// roles claim only for a scope such as "groups").
	Scopes []string
	// CLIClientID is the client 'chancery login' uses for the device authorization grant
	// (often a public client of its own); ClientID if empty.
	CLIClientID string
	// HTTPClient talks to the provider (a client of its own if nil). A copy is used: without
	// a timeout it is given DefaultTimeout, and the provider's answers are read up to
	// MaxResponseSize.
	HTTPClient *http.Client
}

// DefaultTimeout bounds each request to the provider when Config.HTTPClient is nil or has
// no timeout. The provider's keys are fetched in the background (keySet), without the
// context of the sign-in that needs them, and every later sign-in with a key not seen yet
// waits for that fetch: a provider that never answered it stopped sign-ins with new keys
// until the server restarted.
const DefaultTimeout = 30 * time.Second

// MaxResponseSize bounds each answer read from the provider (discovery, keys, userinfo,
// tokens): go-oidc reads its answers whole, and a key set is a few kilobytes.
const MaxResponseSize = 1 << 20

// timeout is DefaultTimeout; tests shorten it.
var timeout = DefaultTimeout

// RoleMap maps values of the roles claim to Chancery roles: a user gets the roles of every
// value their claim carries, and no role for a value the map does not name.
type RoleMap map[string][]string

// ParseRoleMap reads "VALUE=ROLE,VALUE=ROLE,…"; a value may appear more than once to give
// several roles. Values are compared exactly (group names and IDs are case-sensitive in
// most providers).
func ParseRoleMap(s string) (RoleMap, error) {
	m := RoleMap{}
	for _, pair := range strings.Split(s, ",") {
		pair = strings.TrimSpace(pair)
		if pair == "" {
			continue
		}
		i := strings.LastIndexByte(pair, '=')
		if i <= 0 || i == len(pair)-1 {
			return nil, fmt.Errorf("oidc: role map entry %q is not VALUE=ROLE", pair)
		}
		v, role := strings.TrimSpace(pair[:i]), strings.TrimSpace(pair[i+1:])
		if !slices.Contains(m[v], role) {
			m[v] = append(m[v], role)
		}
	}
	if len(m) == 0 {
		return nil, errors.New("oidc: the role map is empty: no one could sign in")
	}
	return m, nil
}

// Roles returns the roles that values give, sorted, each once.
func (m RoleMap) Roles(values []string) []string {
	var out []string
	for _, v := range values {
		for _, role := range m[v] {
			if !slices.Contains(out, role) {
				out = append(out, role)
			}
		}
	}
	sort.Strings(out)
	return out
}

// AllRoles returns every role the map can give, sorted, each once.
func (m RoleMap) AllRoles() []string {
	var values []string
	for v := range m {
		values = append(values, v)
	}
	return m.Roles(values)
}

// Provider is a configured OpenID provider. It is safe for concurrent use.
type Provider struct {
	cfg      Config
	oauth    oauth2.Config
	provider *gooidc.Provider
	verifier *gooidc.IDTokenVerifier
	cli      *gooidc.IDTokenVerifier // for the ID tokens 'chancery login' brings
	// endSession is the provider's end_session_endpoint (OpenID Connect RP-Initiated Logout
	// 1.0), "" when its discovery document states none.
	endSession string
}

// New discovers the provider at cfg.Issuer. It fails when the provider cannot be reached or
// its discovery document names another issuer.
func New(ctx context.Context, cfg Config) (*Provider, error) {
	if cfg.Issuer == "" || cfg.ClientID == "" {
		return nil, errors.New("oidc: the issuer and the client ID are required")
	}
	if cfg.RolesClaim == "" || len(cfg.RoleMap) == 0 {
		return nil, errors.New("oidc: a roles claim and a role map are required: without them no one gets a role")
	}
	if cfg.NameClaim == "" {
		cfg.NameClaim = DefaultNameClaim
	}
	cfg.HTTPClient = bounded(cfg.HTTPClient)
	if cfg.CLIClientID == "" {
		cfg.CLIClientID = cfg.ClientID
	}
	ctx = gooidc.ClientContext(ctx, cfg.HTTPClient)
	p, err := gooidc.NewProvider(ctx, cfg.Issuer)
	if err != nil {
		return nil, fmt.Errorf("oidc: discover %s: %w", cfg.Issuer, err)
	}
	var meta struct {
		JWKSURL    string   `json:"jwks_uri"`
		Algs       []string `json:"id_token_signing_alg_values_supported"`
		EndSession string   `json:"end_session_endpoint"`
	}
	if err := p.Claims(&meta); err != nil {
		return nil, fmt.Errorf("oidc: discover %s: %w", cfg.Issuer, err)
	}
	// The algorithms go-oidc's own verifier takes: those the provider states that go-oidc
	// knows, and RS256 if none.
	var algs []string
	for _, a := range meta.Algs {
		if slices.Contains(signingAlgs, jose.SignatureAlgorithm(a)) {
			algs = append(algs, a)
		}
	}
	keys := &keySet{url: meta.JWKSURL, client: cfg.HTTPClient}
	if meta.EndSession != "" {
		// Its origin goes into the site's Content-Security-Policy (EndSessionOrigin): a host
		// of other characters than a name's, an IPv4 or IPv6 address's and a port's could add
		// directives to it.
		if u, err := url.Parse(meta.EndSession); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" ||
			strings.Trim(u.Host, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-:[]") != "" {
			return nil, fmt.Errorf("oidc: discover %s: the end_session_endpoint %q is not an HTTP(S) URL of a host name or address", cfg.Issuer, meta.EndSession)
		}
	}
	return &Provider{cfg: cfg, provider: p, endSession: meta.EndSession,
		verifier: gooidc.NewVerifier(cfg.Issuer, keys, &gooidc.Config{ClientID: cfg.ClientID, SupportedSigningAlgs: algs}),
		cli:      gooidc.NewVerifier(cfg.Issuer, keys, &gooidc.Config{ClientID: cfg.CLIClientID, SupportedSigningAlgs: algs}),
		oauth: oauth2.Config{ClientID: cfg.ClientID, ClientSecret: cfg.ClientSecret,
			Endpoint: p.Endpoint(), Scopes: append([]string{gooidc.ScopeOpenID, "profile", "email"}, cfg.Scopes...)},
	}, nil
}

// bounded returns a copy of hc (a new client if nil) with a timeout if it has none, whose
// answers fail once they pass MaxResponseSize.
func bounded(hc *http.Client) *http.Client {
	c := &http.Client{}
	if hc != nil {
		*c = *hc
	}
	if c.Timeout <= 0 {
		c.Timeout = timeout
	}
	base := c.Transport
	if base == nil {
		base = http.DefaultTransport
	}
	c.Transport = limitedTransport{base}
	return c
}

// limitedTransport makes the bodies of its answers fail after MaxResponseSize bytes.
type limitedTransport struct{ base http.RoundTripper }

func (t limitedTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := t.base.RoundTrip(r)
	if err != nil {
		return nil, err
	}
	resp.Body = &limitedBody{ReadCloser: resp.Body, left: MaxResponseSize}
	return resp, nil
}

// limitedBody is an answer's body that fails once more than left bytes are read.
type limitedBody struct {
	io.ReadCloser
	left int64
}

func (b *limitedBody) Read(p []byte) (int, error) {
	if b.left < 0 {
		return 0, fmt.Errorf("oidc: the provider's answer is larger than %d bytes", MaxResponseSize)
	}
	if int64(len(p)) > b.left+1 {
		p = p[:b.left+1]
	}
	n, err := b.ReadCloser.Read(p)
	if b.left -= int64(n); b.left < 0 {
		return 0, fmt.Errorf("oidc: the provider's answer is larger than %d bytes", MaxResponseSize)
	}
	return n, err
}

// Flow is what a sign-in keeps between sending the browser to the provider and its return:
// the state (against forged callbacks), the nonce (against replayed ID tokens) and the PKCE
// verifier (against stolen codes). It is kept in a short-lived HttpOnly cookie.
type Flow struct {
	State, Nonce, Verifier string
}

// Encode returns the flow as a cookie value.
func (f Flow) Encode() string { return f.State + "." + f.Nonce + "." + f.Verifier }

// ParseFlow reads a cookie value made by Encode.
func ParseFlow(s string) (Flow, error) {
	parts := strings.Split(s, ".")
	if len(parts) != 3 || parts[0] == "" || parts[1] == "" || parts[2] == "" {
		return Flow{}, fmt.Errorf("%w: no sign-in in progress in this browser", ErrRefused)
	}
	return Flow{State: parts[0], Nonce: parts[1], Verifier: parts[2]}, nil
}

func random() string {
	b := make([]byte, 32)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// CLIClientID returns the client ID 'chancery login' uses.
func (p *Provider) CLIClientID() string { return p.cfg.CLIClientID }

// Redeem checks the tokens 'chancery login' got through the device authorization grant: the
// ID token must be the provider's, for the command line's client, and carry no nonce (a
// browser sign-in's does); the access token reads the userinfo, for the claims the ID token
// lacks.
func (p *Provider) Redeem(ctx context.Context, idToken, accessToken string) (*Identity, error) {
	ctx = gooidc.ClientContext(ctx, p.cfg.HTTPClient)
	idt, err := verify(ctx, p.cli, p.cfg.CLIClientID, idToken)
	if err != nil {
		return nil, err
	}
	claims := map[string]any{}
	if err := idt.Claims(&claims); err != nil {
		return nil, fmt.Errorf("%w: read the ID token's claims: %w", ErrRefused, err)
	}
	// The device authorization grant has no nonce; a browser sign-in's token has one, and
	// leaves the server at its sign-out, as id_token_hint in an address that the browser's
	// history keeps (EndSessionURL).
	if n, ok := claims["nonce"]; ok && n != "" {
		return nil, fmt.Errorf("%w: the ID token carries a nonce: it is a browser sign-in's, not the command line's", ErrRefused)
	}
	if p.needUserinfo(claims) {
		if err := p.userinfo(ctx, &oauth2.Token{AccessToken: accessToken, TokenType: "Bearer"}, idt.Subject, claims); err != nil {
			return nil, err
		}
	}
	return p.identity(idt.Subject, claims)
}

// Issuer returns the provider's issuer URL.
func (p *Provider) Issuer() string { return p.cfg.Issuer }

// Managed returns every role the role map can give: the roles a sign-in brings in line with
// the claim.
func (p *Provider) Managed() []string { return p.cfg.RoleMap.AllRoles() }

// withRedirect returns the OAuth 2.0 configuration with Chancery's callback URL, registered at
// the provider (BASE/signin/oidc/callback).
func (p *Provider) withRedirect(redirectURL string) *oauth2.Config {
	c := p.oauth
	c.RedirectURL = redirectURL
	return &c
}

// Start begins a sign-in that returns to redirectURL: it returns the provider's URL to send
// the browser to, and the flow to keep until the callback.
func (p *Provider) Start(redirectURL string) (string, Flow) {
	f := Flow{State: random(), Nonce: random(), Verifier: oauth2.GenerateVerifier()}
	return p.withRedirect(redirectURL).AuthCodeURL(f.State, gooidc.Nonce(f.Nonce), oauth2.S256ChallengeOption(f.Verifier)), f
}

// ErrRefused is the error of a callback that does not prove a sign-in: a wrong state, nonce
// or verifier, an error from the provider, a token that does not verify. The detail is for
// the server's log, not for the browser.
var ErrRefused = errors.New("oidc: sign-in refused")

// Identity is who signed in, as the provider says.
type Identity struct {
	Subject string   // the provider's stable ID of the user
	Name    string   // from the name claim
	Values  []string // the roles claim's values
	Roles   []string // the roles the map gives for them, sorted
	// IDToken is the ID token of a browser sign-in (Finish), kept on the server for the
	// sign-out's id_token_hint (EndSessionURL); empty for 'chancery login' (Redeem).
	IDToken string
}

// EndSessionURL returns where to send the browser to end the member's session at the provider
// too (OpenID Connect RP-Initiated Logout 1.0): the provider's end_session_endpoint with the
// ID token of the sign-in as id_token_hint, this client's ID, the address to come back to
// (postLogout, registered at the provider) and state. It returns "" when the provider states
// no end_session_endpoint, or without an ID token: a provider ends no session it cannot tie
// to its user.
func (p *Provider) EndSessionURL(idToken, postLogout, state string) string {
	if p.endSession == "" || idToken == "" {
		return ""
	}
	u, err := url.Parse(p.endSession)
	if err != nil {
		return ""
	}
	q := u.Query()
	q.Set("id_token_hint", idToken)
	q.Set("client_id", p.cfg.ClientID)
	q.Set("post_logout_redirect_uri", postLogout)
	q.Set("state", state)
	u.RawQuery = q.Encode()
	return u.String()
}

// EndSessionOrigin returns the origin (scheme and host) of the provider's
// end_session_endpoint, "" when it states none.
func (p *Provider) EndSessionOrigin() string {
	u, err := url.Parse(p.endSession)
	if p.endSession == "" || err != nil {
		return ""
	}
	return u.Scheme + "://" + u.Host
}

// NewState returns a fresh random state for a logout request.
func NewState() string { return random() }

// Finish completes a sign-in from the callback's query and the flow kept since Start, with
// the same redirectURL.
func (p *Provider) Finish(ctx context.Context, redirectURL string, f Flow, q url.Values) (*Identity, error) {
	// The state first: a provider's error comes back with it (RFC 6749, 4.1.2.1), and without
	// it the error is anyone's text.
	if subtle.ConstantTimeCompare([]byte(q.Get("state")), []byte(f.State)) != 1 {
		return nil, fmt.Errorf("%w: the state does not match this browser's sign-in", ErrRefused)
	}
	if e := q.Get("error"); e != "" {
		return nil, fmt.Errorf("%w: the provider answered %q: %q", ErrRefused, clip(e), clip(q.Get("error_description")))
	}
	ctx = gooidc.ClientContext(ctx, p.cfg.HTTPClient)
	tok, err := p.withRedirect(redirectURL).Exchange(ctx, q.Get("code"), oauth2.VerifierOption(f.Verifier))
	if err != nil {
		return nil, fmt.Errorf("%w: exchange the code: %w", ErrRefused, err)
	}
	raw, ok := tok.Extra("id_token").(string)
	if !ok {
		return nil, fmt.Errorf("%w: the provider sent no ID token", ErrRefused)
	}
	idt, err := verify(ctx, p.verifier, p.cfg.ClientID, raw)
	if err != nil {
		return nil, err
	}
	if subtle.ConstantTimeCompare([]byte(idt.Nonce), []byte(f.Nonce)) != 1 {
		return nil, fmt.Errorf("%w: the ID token's nonce is not this sign-in's", ErrRefused)
	}
	claims := map[string]any{}
	if err := idt.Claims(&claims); err != nil {
		return nil, fmt.Errorf("%w: read the ID token's claims: %w", ErrRefused, err)
	}
	// Many providers put only the essentials in the ID token and the rest (groups, the
	// user name) behind the userinfo endpoint.
	if p.needUserinfo(claims) {
		if err := p.userinfo(ctx, tok, idt.Subject, claims); err != nil {
			return nil, err
		}
	}
	id, err := p.identity(idt.Subject, claims)
	if err != nil {
		return nil, err
	}
	id.IDToken = raw
	return id, nil
}

// clip cuts what a provider's error says to 200 bytes, for the log.
func clip(s string) string {
	const max = 200
	if len(s) <= max {
		return s
	}
	i := max
	for i > 0 && !utf8.RuneStart(s[i]) {
		i--
	}
	return s[:i] + "…"
}

// verify checks an ID token for the client clientID with v, which checks its issuer,
// signature, expiry and that its audience includes the client, and then its authorized party,
// which go-oidc leaves unread (OpenID Connect Core 1.0, 3.1.3.7, rules 4 and 5): a token with
// several audiences must name the client as its azp, and a token that names another client
// was issued to that client, which could bring it here to sign its user in.
func verify(ctx context.Context, v *gooidc.IDTokenVerifier, clientID, raw string) (*gooidc.IDToken, error) {
	idt, err := v.Verify(ctx, raw)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrRefused, err)
	}
	var c struct {
		AZP *string `json:"azp"`
	}
	if err := idt.Claims(&c); err != nil {
		return nil, fmt.Errorf("%w: read the ID token's authorized party: %w", ErrRefused, err)
	}
	switch {
	case c.AZP == nil && len(idt.Audience) > 1:
		return nil, fmt.Errorf("%w: the ID token has several audiences and no authorized party (azp)", ErrRefused)
	case c.AZP != nil && *c.AZP != clientID:
		return nil, fmt.Errorf("%w: the ID token's authorized party (azp) is %q, not %q", ErrRefused, *c.AZP, clientID)
	}
	return idt, nil
}

// needUserinfo reports whether the ID token lacks a claim the sign-in reads: the roles, the
// name, or whether an e-mail address that names the member is verified.
func (p *Provider) needUserinfo(claims map[string]any) bool {
	return claims[p.cfg.RolesClaim] == nil || claims[p.cfg.NameClaim] == nil ||
		(p.cfg.NameClaim == "email" && claims["email_verified"] == nil)
}

// userinfo adds the userinfo endpoint's claims that the ID token lacks.
func (p *Provider) userinfo(ctx context.Context, tok *oauth2.Token, subject string, claims map[string]any) error {
	if p.provider.UserInfoEndpoint() == "" {
		return nil
	}
	ui, err := p.provider.UserInfo(ctx, oauth2.StaticTokenSource(tok))
	if err != nil {
		return fmt.Errorf("oidc: userinfo: %w", err)
	}
	if ui.Subject != subject {
		return fmt.Errorf("%w: the userinfo is about another subject", ErrRefused)
	}
	more := map[string]any{}
	if err := ui.Claims(&more); err != nil {
		return fmt.Errorf("oidc: userinfo claims: %w", err)
	}
	// email_verified speaks of the address beside it: it is taken from the userinfo only
	// with the address, or for the same address as the ID token's; the ID token's, without
	// an address beside it, speaks of none, and not of the userinfo's.
	email, _ := claims["email"].(string)
	if other, _ := more["email"].(string); claims["email"] != nil && other != email {
		delete(more, "email_verified")
	}
	if claims["email"] == nil {
		delete(claims, "email_verified")
	}
	for k, v := range more {
		if _, ok := claims[k]; !ok {
			claims[k] = v
		}
	}
	return nil
}

// identity reads the name and the roles claim. An e-mail address names a member only when
// the provider says it verified it: many providers let a user type any address, another
// member's included.
func (p *Provider) identity(subject string, claims map[string]any) (*Identity, error) {
	if subject == "" {
		return nil, fmt.Errorf("%w: the token has no subject", ErrRefused)
	}
	name, _ := claims[p.cfg.NameClaim].(string)
	if name == "" {
		return nil, fmt.Errorf("%w: the token has no %q claim to name the member", ErrRefused, p.cfg.NameClaim)
	}
	if p.cfg.NameClaim == "email" && !emailVerified(claims["email_verified"]) {
		return nil, fmt.Errorf("%w: the e-mail address %q that names the member is not verified by the provider (email_verified is %v): "+
			"the provider must verify it, or --oidc-name-claim must name a claim the provider controls", ErrRefused, name, claims["email_verified"])
	}
	id := &Identity{Subject: subject, Name: name, Values: ClaimValues(claims[p.cfg.RolesClaim])}
	id.Roles = p.cfg.RoleMap.Roles(id.Values)
	return id, nil
}

// emailVerified reads the email_verified claim: true, or the string "true" that some
// providers send (Amazon Cognito).
func emailVerified(v any) bool {
	return v == true || v == "true"
}

// ClaimValues reads a roles claim: a list of strings (most providers), or one string, which
// is one value (AD FS sends a user's only group so). A string is not split: where users may
// name groups, a group named "x, chancery-admins" would give the admins' role.
func ClaimValues(v any) []string {
	switch v := v.(type) {
	case string:
		if v == "" {
			return nil
		}
		return []string{v}
	case []any:
		var out []string
		for _, x := range v {
			if s, ok := x.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}
