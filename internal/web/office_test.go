package web_test

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/dsse"
	"github.com/chancery/chancery/internal/registry"
	"github.com/chancery/chancery/internal/seal"
	"github.com/chancery/chancery/internal/server"
	"github.com/chancery/chancery/internal/store"
	"github.com/chancery/chancery/internal/translog"
	"golang.org/x/mod/sumdb/note"
)

// office is a registry on SQLite in a temporary directory, served by an httptest server, with
// one member per role who each have a password, and a registered signer key.
type office struct {
	t       *testing.T
	reg     *registry.Registry
	db      *store.DB
	srv     *httptest.Server
	actors  map[string]registry.Actor
	key     ed25519.PrivateKey
	keyID   string
	mu      sync.Mutex
	seen    []seenRequest // every request the server received
	handler http.Handler
	codes   map[string]string // check codes of released letters, by reference
}

// seenRequest is what the server saw of a request.
type seenRequest struct {
	Method, URI string
	Body        int64
}

func password(name string) string { return "password of " + name }

// passwordHashes holds the hash of each member's password (password(name)) as the first
// office of the test process to set it made it.
var passwordHashes sync.Map

// setPassword gives the member name their password, password(name). The first office to set
// it sets it as an admin does; the others are given the hash it made, written in the store,
// without the audit event of a password set: a hash is argon2id over 32 MiB, and with four
// hashes an office the package's race-built tests took 156 processor seconds, 135 without.
// Each sign-in still checks its password in full.
func (o *office) setPassword(admin registry.Actor, name string) {
	o.t.Helper()
	ctx := context.Background()
	id := o.actors[name].Member.ID
	if h, ok := passwordHashes.Load(name); ok {
		if err := o.db.Update(ctx, func(tx *store.Tx) error { return tx.SetPassword(ctx, id, h.(string), time.Now()) }); err != nil {
			o.t.Fatal(err)
		}
		return
	}
	if err := o.reg.SetPassword(ctx, admin, name, password(name)); err != nil {
		o.t.Fatal(err)
	}
	var h string
	if err := o.db.View(ctx, func(tx *store.Tx) (err error) { h, err = tx.Password(ctx, id); return err }); err != nil {
		o.t.Fatal(err)
	}
	passwordHashes.Store(name, h)
}

// newOffice makes the office, served with cfg; each of opts may change its registry's
// configuration first.
func newOffice(t *testing.T, cfg server.Config, opts ...func(*registry.Config)) *office {
	t.Helper()
	ctx := context.Background()
	db, err := store.OpenSQLite(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	const origin = "tfn.example/log"
	skey, vkey, _ := note.GenerateKey(rand.Reader, origin)
	signer, _ := note.NewSigner(skey)
	lg, err := translog.Open(ctx, db, translog.Config{Origin: origin, Signer: signer, Create: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { lg.Close() })
	_, officeKey, _ := ed25519.GenerateKey(rand.Reader)
	rc := registry.Config{DB: db, Log: lg, Office: registry.Office{Name: "Task Force North", Prefix: "TFN", URL: "https://tfn.example"},
		OfficeKey: officeKey, LogKey: vkey, LogOrigin: origin}
	for _, opt := range opts {
		opt(&rc)
	}
	reg := registry.New(rc)
	o := &office{t: t, reg: reg, db: db, actors: map[string]registry.Actor{}}
	tok, err := reg.Bootstrap(ctx, "root")
	if err != nil {
		t.Fatal(err)
	}
	admin := o.actorFor(tok)
	o.actors["root"] = admin
	for _, m := range []struct{ name, role string }{{"dana", registry.RoleDrafter}, {"rita", registry.RoleReviewer},
		{"sam", registry.RoleSigner}, {"otto", registry.RoleRelease}} {
		tok, err := reg.AddMember(ctx, admin, m.name, []string{m.role})
		if err != nil {
			t.Fatal(err)
		}
		o.actors[m.name] = o.actorFor(tok)
		o.setPassword(admin, m.name)
	}
	_, o.key, _ = ed25519.GenerateKey(rand.Reader)
	if o.keyID, _, err = reg.RegisterKey(ctx, o.actors["sam"], o.key.Public().(ed25519.PublicKey)); err != nil {
		t.Fatal(err)
	}
	cfg.Log, cfg.DB, cfg.VerifierKey, cfg.Origin, cfg.Registry = lg, db, vkey, origin, reg
	cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	o.handler = server.New(cfg)
	o.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		o.mu.Lock()
		o.seen = append(o.seen, seenRequest{Method: r.Method, URI: r.URL.RequestURI(), Body: r.ContentLength})
		o.mu.Unlock()
		o.handler.ServeHTTP(w, r)
	}))
	t.Cleanup(o.srv.Close)
	return o
}

func (o *office) actorFor(tok string) registry.Actor {
	m, err := o.reg.Authenticate(context.Background(), tok)
	if err != nil {
		o.t.Fatal(err)
	}
	return registry.Actor{Member: m, Remote: "test"}
}

// requests returns the requests seen since the last call.
func (o *office) requests() []seenRequest {
	o.mu.Lock()
	defer o.mu.Unlock()
	out := o.seen
	o.seen = nil
	return out
}

// letter creates a letter by dana and returns its reference.
func (o *office) letter(subject, body string) string {
	o.t.Helper()
	ref, err := o.reg.CreateLetter(context.Background(), o.actors["dana"], registry.NewLetter{Subject: subject, Class: "foreign-government",
		Addressees: []string{"Ministry of Defence"}, File: registry.Upload{Name: "letter.md", MediaType: "text/markdown", Data: []byte(body)}})
	if err != nil {
		o.t.Fatal(err)
	}
	return ref
}

// sign signs the latest version of ref as sam, as `chancery sign` does: the statement is
// fetched, signed locally with the key, and the signature uploaded.
func (o *office) sign(ref string) {
	o.t.Helper()
	ctx := context.Background()
	st, err := o.reg.SigningStatement(ctx, o.actors["sam"], ref)
	if err != nil {
		o.t.Fatal(err)
	}
	if err := o.reg.Sign(ctx, o.actors["sam"], ref, o.keyID, st, ed25519.Sign(o.key, dsse.PAE(seal.SigningPayloadType, st))); err != nil {
		o.t.Fatal(err)
	}
}

// release takes ref through approval, signature and release, in Go, and returns the file.
func (o *office) release(ref string) []byte {
	o.t.Helper()
	ctx := context.Background()
	if err := o.reg.Approve(ctx, o.actors["rita"], ref, "", ""); err != nil {
		o.t.Fatal(err)
	}
	o.sign(ref)
	rel, err := o.reg.Release(ctx, o.actors["otto"], ref)
	if err != nil {
		o.t.Fatal(err)
	}
	o.mu.Lock()
	if o.codes == nil {
		o.codes = map[string]string{}
	}
	o.codes[ref] = rel.CheckCode
	o.mu.Unlock()
	return rel.File
}

// code returns the check code of the released letter ref.
func (o *office) code(ref string) string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.codes[ref]
}

// withdraw retracts ref (by empty) or supersedes it by another released letter, as sam.
func (o *office) withdraw(ref, by, reason string) {
	o.t.Helper()
	ctx := context.Background()
	st, pt, op, err := o.reg.WithdrawalStatement(ctx, o.actors["sam"], ref, by, reason)
	if err != nil {
		o.t.Fatal(err)
	}
	if _, err := o.reg.Withdraw(ctx, o.actors["sam"], ref, by, o.keyID, st, op, ed25519.Sign(o.key, dsse.PAE(pt, st))); err != nil {
		o.t.Fatal(err)
	}
}

// browserless is a plain HTTP client with a cookie jar that does not follow redirects.
type browserless struct {
	t  *testing.T
	o  *office
	hc *http.Client
}

func (o *office) client() *browserless {
	jar, _ := cookiejar.New(nil)
	return &browserless{t: o.t, o: o, hc: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}}
}

func (c *browserless) do(method, path string, form url.Values, hdr map[string]string) (*http.Response, string) {
	c.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, _ := http.NewRequest(method, c.o.srv.URL+path, body)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

func (c *browserless) get(path string) (*http.Response, string) { return c.do("GET", path, nil, nil) }

// post posts a form as a same-origin browser would.
func (c *browserless) post(path string, form url.Values) (*http.Response, string) {
	return c.do("POST", path, form, map[string]string{"Origin": c.o.srv.URL, "Sec-Fetch-Site": "same-origin"})
}

// signIn signs in as name and returns the CSRF token of the session's forms.
func (c *browserless) signIn(name string) string {
	c.t.Helper()
	resp, _ := c.post("/signin", url.Values{"name": {name}, "password": {password(name)}})
	if resp.StatusCode != http.StatusSeeOther {
		c.t.Fatalf("sign in as %s: %s", name, resp.Status)
	}
	_, body := c.get("/inbox")
	return csrfOf(c.t, body)
}

func csrfOf(t *testing.T, body string) string {
	t.Helper()
	const marker = `name="csrf" value="`
	i := strings.Index(body, marker)
	if i < 0 {
		t.Fatalf("no CSRF token in the page:\n%s", body)
	}
	rest := body[i+len(marker):]
	return rest[:strings.IndexByte(rest, '"')]
}
