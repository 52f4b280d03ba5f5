package monitor_test

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/dsse"
	"github.com/chancery/chancery/internal/entry"
	"github.com/chancery/chancery/internal/monitor"
	"github.com/chancery/chancery/internal/policy"
	"github.com/chancery/chancery/internal/registry"
	"github.com/chancery/chancery/internal/seal"
	"github.com/chancery/chancery/internal/server"
	"github.com/chancery/chancery/internal/store"
	"github.com/chancery/chancery/internal/translog"
	"golang.org/x/mod/sumdb/note"
)

// Markers of confidential content: the monitor's reports must never contain them.
const (
	mkSubject = "mkrsubject"
	mkTo      = "mkraddressee"
	mkReason  = "mkrreason"
	mkMember  = "mkrmember"
)

// logKeys is a log's origin and key pair; two offices made with the same logKeys are two
// logs under one key: a fork.
type logKeys struct {
	origin string
	skey   string
	vkey   string
	signer note.Signer
}

func newLogKeys(t testing.TB, origin string) logKeys {
	skey, vkey, err := note.GenerateKey(rand.Reader, origin)
	if err != nil {
		t.Fatal(err)
	}
	s, err := note.NewSigner(skey)
	if err != nil {
		t.Fatal(err)
	}
	return logKeys{origin: origin, skey: skey, vkey: vkey, signer: s}
}

// office is a Chancery registry served in-process over HTTP, as a monitor sees it.
type office struct {
	t      testing.TB
	keys   logKeys
	db     *store.DB
	lg     *translog.Log
	reg    *registry.Registry
	url    string
	actors map[string]registry.Actor
	key    ed25519.PrivateKey
	keyID  string
	mu     sync.Mutex
	// serve, if set, answers the requests instead of the server (which it may call).
	serve func(w http.ResponseWriter, r *http.Request, h http.Handler)
}

const officeName = "Monitor Office"

func newOffice(t testing.TB, keys logKeys) *office {
	t.Helper()
	ctx := context.Background()
	db, err := store.OpenSQLite(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	lg, err := translog.Open(ctx, db, translog.Config{Origin: keys.origin, Signer: keys.signer, Create: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { lg.Close() })
	_, officeKey, _ := ed25519.GenerateKey(rand.Reader)
	reg := registry.New(registry.Config{DB: db, Log: lg, Office: registry.Office{Name: officeName, Prefix: "MON", URL: "https://monitor.example"},
		OfficeKey: officeKey, LogKey: keys.vkey, LogOrigin: keys.origin})
	h := server.New(server.Config{Log: lg, DB: db, VerifierKey: keys.vkey, Origin: keys.origin, Registry: reg,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	o := &office{t: t, keys: keys, db: db, lg: lg, reg: reg, actors: map[string]registry.Actor{}}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		o.mu.Lock()
		serve := o.serve
		o.mu.Unlock()
		if serve != nil {
			serve(w, r, h)
			return
		}
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	o.url = srv.URL
	root, err := reg.Bootstrap(ctx, "root-"+mkMember)
	if err != nil {
		t.Fatal(err)
	}
	o.add("root", root)
	for _, m := range []struct{ name, role string }{{"dana", registry.RoleDrafter}, {"rita", registry.RoleReviewer},
		{"sam", registry.RoleSigner}, {"otto", registry.RoleRelease}} {
		tok, err := reg.AddMember(ctx, o.actors["root"], m.name+"-"+mkMember, []string{m.role})
		if err != nil {
			t.Fatal(err)
		}
		o.add(m.name, tok)
	}
	_, o.key, _ = ed25519.GenerateKey(rand.Reader)
	if o.keyID, _, err = reg.RegisterKey(ctx, o.actors["sam"], o.key.Public().(ed25519.PublicKey)); err != nil {
		t.Fatal(err)
	}
	return o
}

func (o *office) add(name, tok string) {
	m, err := o.reg.Authenticate(context.Background(), tok)
	if err != nil {
		o.t.Fatal(err)
	}
	o.actors[name] = registry.Actor{Member: m}
}

// release drafts, approves, signs and releases a letter, and returns its reference and log
// index.
func (o *office) release(n int) (string, int64) {
	o.t.Helper()
	ctx := context.Background()
	ref, err := o.reg.CreateLetter(ctx, o.actors["dana"], registry.NewLetter{Subject: fmt.Sprintf("%s %d", mkSubject, n), Class: "internal",
		Addressees: []string{mkTo}, File: registry.Upload{Name: "letter.txt", MediaType: "text/plain", Data: fmt.Appendf(nil, "Letter %d.\n", n)}})
	if err != nil {
		o.t.Fatal(err)
	}
	if err := o.reg.Approve(ctx, o.actors["rita"], ref, "", ""); err != nil {
		o.t.Fatal(err)
	}
	st, err := o.reg.SigningStatement(ctx, o.actors["sam"], ref)
	if err != nil {
		o.t.Fatal(err)
	}
	if err := o.reg.Sign(ctx, o.actors["sam"], ref, o.keyID, st, ed25519.Sign(o.key, dsse.PAE(seal.SigningPayloadType, st))); err != nil {
		o.t.Fatal(err)
	}
	rel, err := o.reg.Release(ctx, o.actors["otto"], ref)
	if err != nil {
		o.t.Fatal(err)
	}
	return ref, rel.LogIndex
}

// retract retracts a released letter and returns the retraction's log index.
func (o *office) retract(ref string) int64 {
	o.t.Helper()
	ctx := context.Background()
	st, pt, op, err := o.reg.WithdrawalStatement(ctx, o.actors["sam"], ref, "", "Withdrawn: "+mkReason)
	if err != nil {
		o.t.Fatal(err)
	}
	i, err := o.reg.Withdraw(ctx, o.actors["sam"], ref, "", o.keyID, st, op, ed25519.Sign(o.key, dsse.PAE(pt, st)))
	if err != nil {
		o.t.Fatal(err)
	}
	return i
}

// revokeKey registers a new key for sam and revokes it, returning its ID and the
// revocation's log index.
func (o *office) revokeKey() (string, int64) {
	o.t.Helper()
	ctx := context.Background()
	pub, _, _ := ed25519.GenerateKey(rand.Reader)
	id, _, err := o.reg.RegisterKey(ctx, o.actors["sam"], pub)
	if err != nil {
		o.t.Fatal(err)
	}
	i, err := o.reg.RevokeKey(ctx, o.actors["sam"], id, "Lost: "+mkReason)
	if err != nil {
		o.t.Fatal(err)
	}
	return id, i
}

const testPolicy = `version: 1
name: monitored
rules:
  - name: default
    default: true
    require:
      approvals:
        - role: reviewer
          count: 1
      signatures:
        - role: signer
          count: 1
`

func (o *office) adoptPolicy() int64 {
	o.t.Helper()
	p, err := policy.Parse([]byte(testPolicy))
	if err != nil {
		o.t.Fatal(err)
	}
	i, err := o.reg.AdoptPolicy(context.Background(), o.actors["root"], p, []byte(testPolicy))
	if err != nil {
		o.t.Fatal(err)
	}
	return i
}

// appendKeys appends n version 1 key-added entries directly to the log (a log grows past a
// tile faster this way than through releases), concurrently so the log batches them.
func (o *office) appendKeys(n int) {
	o.t.Helper()
	ctx := context.Background()
	_, officeKey, _ := ed25519.GenerateKey(rand.Reader)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			pub, _, _ := ed25519.GenerateKey(rand.Reader)
			st := seal.KeyStatement{Office: "Bulk Office", KeyID: dsse.KeyID(pub), PublicKey: pub, Member: "bulk-" + mkMember, Time: time.Unix(1_800_000_000+int64(i), 0).UTC()}
			data, err := (&entry.Entry{Kind: entry.KeyAdded, Envelope: dsse.Sign(entry.KeyAdded.PayloadType(), seal.Marshal(st), officeKey)}).Encode()
			if err == nil {
				_, err = o.lg.Append(ctx, data)
			}
			errs[i] = err
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			o.t.Fatal(err)
		}
	}
}

func (o *office) size() int64 { return o.lg.Head().Size }

// collector records reports.
type collector struct {
	mu      sync.Mutex
	reports []monitor.Report
}

func (c *collector) report(_ context.Context, r monitor.Report) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.reports = append(c.reports, r)
	return nil
}

// take returns the reports made since the last take.
func (c *collector) take() []monitor.Report {
	c.mu.Lock()
	defer c.mu.Unlock()
	r := c.reports
	c.reports = nil
	return r
}

func ofType(rs []monitor.Report, typ string) []monitor.Report {
	var out []monitor.Report
	for _, r := range rs {
		if r.Type == typ {
			out = append(out, r)
		}
	}
	return out
}

// checkConfidential fails if a report reveals a subject, addressee, reason or member name.
func checkConfidential(t testing.TB, b []byte) {
	t.Helper()
	for _, m := range []string{mkSubject, mkTo, mkReason, mkMember} {
		if strings.Contains(string(b), m) {
			t.Fatalf("a report reveals %q: %s", m, b)
		}
	}
}

// setServe sets (or with nil, removes) the handler answering in the server's place.
func (o *office) setServe(f func(w http.ResponseWriter, r *http.Request, h http.Handler)) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.serve = f
}
