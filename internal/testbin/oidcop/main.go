// Command oidcop is a real OpenID provider for Chancery's sign-in tests: zitadel's example
// provider (github.com/zitadel/oidc/v3/example/server) with its own login form, with users
// from a JSON file and a "groups" claim read from a second JSON file at every request, so
// that a test can take a user out of a group between two sign-ins.
//
// Like the providers offices use (Keycloak, Entra ID, Google), it keeps a session of its own
// in the browser: a user who signed in through its form is not asked again by the next
// sign-in from that browser, until its end_session endpoint (RP-initiated logout, with an
// id_token_hint naming the user) ends the session. zitadel's example asks every time.
//
// It is a module of its own, so that the provider's dependencies stay out of Chancery's.
// It listens on a free loopback port and prints its issuer URL on the first line of stdout.
//
//	oidcop -users users.json -groups groups.json -client chancery -secret S -redirect 'http://127.0.0.1:*/signin/oidc/callback'
package main

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"sync"

	"github.com/zitadel/oidc/v3/example/server/exampleop"
	"github.com/zitadel/oidc/v3/example/server/storage"
	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"
)

func main() {
	users := flag.String("users", "", "JSON file of users, by ID (zitadel's example format)")
	groups := flag.String("groups", "", "JSON file of each user ID's groups, read at every request")
	client := flag.String("client", "chancery", "client ID of the web application")
	secret := flag.String("secret", "secret", "its client secret")
	device := flag.String("device-client", "chancery-cli", "client ID for the device authorization grant (same secret)")
	redirect := flag.String("redirect", "", "redirect URI glob of the web application (path.Match syntax)")
	postLogout := flag.String("post-logout", "", "post-logout redirect URI glob of the web application (path.Match syntax)")
	addr := flag.String("listen", "127.0.0.1:0", "address to listen on")
	flag.Parse()

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatal(err)
	}
	issuer := fmt.Sprintf("http://%s/", ln.Addr())
	us, err := storage.StoreFromFile(*users)
	if err != nil {
		log.Fatal(err)
	}
	storage.RegisterClients(storage.WebClient(*client, *secret, "http://127.0.0.1/unused"), storage.DeviceClient(*device, *secret))
	st := &store{Storage: storage.NewStorage(us), groups: *groups, glob: *redirect, postLogout: *postLogout, sessions: map[string]string{}}
	router := exampleop.SetupServer(issuer, st, slog.New(slog.NewTextHandler(io.Discard, nil)), false)
	fmt.Println(issuer)
	log.Fatal(http.Serve(ln, st.withSessions(issuer, router)))
}

// sessionCookie keeps the provider's session in the browser.
const sessionCookie = "oidcop_session"

// withSessions wraps the provider's router: a login through the form starts a session, and
// the form's page, asked for by a browser with a session, signs the request in as the
// session's user without showing the form.
func (s *store) withSessions(issuer string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/login/username" {
			next.ServeHTTP(w, r)
			return
		}
		if r.Method == http.MethodGet {
			id := r.URL.Query().Get("authRequestID")
			if user := s.sessionUser(r); user != "" && s.resume(r.Context(), id, user) == nil {
				http.Redirect(w, r, issuer+"auth/callback?id="+url.QueryEscape(id), http.StatusFound)
				return
			}
			next.ServeHTTP(w, r)
			return
		}
		rec := &recorder{ResponseWriter: w}
		r.ParseForm()
		id := r.FormValue("id")
		// The form's handler answers a good login with a redirect to the callback: the
		// session starts then, before the answer's headers are written.
		rec.onRedirect = func() {
			if req, err := s.AuthRequestByID(r.Context(), id); err == nil && req.GetSubject() != "" {
				v := rand.Text()
				s.mu.Lock()
				s.sessions[v] = req.GetSubject()
				s.mu.Unlock()
				http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: v, Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode})
			}
		}
		next.ServeHTTP(rec, r)
	})
}

// recorder calls onRedirect before a redirect's headers are written.
type recorder struct {
	http.ResponseWriter
	onRedirect func()
}

func (r *recorder) WriteHeader(code int) {
	if code == http.StatusFound && r.onRedirect != nil {
		r.onRedirect()
	}
	r.ResponseWriter.WriteHeader(code)
}

// sessionUser is the user of the browser's session, "" without one.
func (s *store) sessionUser(r *http.Request) string {
	c, err := r.Cookie(sessionCookie)
	if err != nil {
		return ""
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.sessions[c.Value]
}

// resume signs the authorization request id in as user, as the login form does.
func (s *store) resume(ctx context.Context, id, user string) error {
	req, err := s.AuthRequestByID(ctx, id)
	if err != nil {
		return err
	}
	ar, ok := req.(*storage.AuthRequest)
	if !ok {
		return fmt.Errorf("authorization request %s is a %T", id, req)
	}
	ar.UserID = user
	return s.AuthRequestDone(id)
}

// TerminateSession ends the user's sessions at the provider, besides their tokens: the
// end_session endpoint calls it with the user the id_token_hint names.
func (s *store) TerminateSession(ctx context.Context, userID, clientID string) error {
	s.mu.Lock()
	for k, u := range s.sessions {
		if u == userID {
			delete(s.sessions, k)
		}
	}
	s.mu.Unlock()
	return s.Storage.TerminateSession(ctx, userID, clientID)
}

// store adds the groups claim to zitadel's in-memory example storage, and the redirect glob
// to its clients.
type store struct {
	*storage.Storage
	groups     string
	glob       string
	postLogout string

	mu       sync.Mutex
	sessions map[string]string // the provider's sessions: user ID by cookie value
}

// globClient lets a client's redirect URI match a glob, as zitadel's op.HasRedirectGlobs
// allows for clients in development mode: the tests' servers listen on random ports.
type globClient struct {
	op.Client
	glob, postLogout string
}

func (c globClient) RedirectURIGlobs() []string { return []string{c.glob} }
func (c globClient) PostLogoutRedirectURIGlobs() []string {
	if c.postLogout == "" {
		return nil
	}
	return []string{c.postLogout}
}

func (s *store) GetClientByClientID(ctx context.Context, id string) (op.Client, error) {
	c, err := s.Storage.GetClientByClientID(ctx, id)
	if err != nil || s.glob == "" {
		return c, err
	}
	return globClient{c, s.glob, s.postLogout}, nil
}

func (s *store) addGroups(ui *oidc.UserInfo) error {
	data, err := os.ReadFile(s.groups)
	if err != nil {
		return err
	}
	var m map[string][]string
	if err := json.Unmarshal(data, &m); err != nil {
		return err
	}
	if g, ok := m[ui.Subject]; ok {
		ui.AppendClaims("groups", g)
	}
	return nil
}

func (s *store) SetUserinfoFromToken(ctx context.Context, ui *oidc.UserInfo, tokenID, subject, origin string) error {
	if err := s.Storage.SetUserinfoFromToken(ctx, ui, tokenID, subject, origin); err != nil {
		return err
	}
	return s.addGroups(ui)
}

func (s *store) SetUserinfoFromRequest(ctx context.Context, ui *oidc.UserInfo, r op.IDTokenRequest, scopes []string) error {
	if err := s.Storage.SetUserinfoFromRequest(ctx, ui, r, scopes); err != nil {
		return err
	}
	return s.addGroups(ui)
}
