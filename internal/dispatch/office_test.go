package dispatch

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/dsse"
	"github.com/chancery/chancery/internal/registry"
	"github.com/chancery/chancery/internal/seal"
	"github.com/chancery/chancery/internal/store"
	"github.com/chancery/chancery/internal/store/storetest"
	"github.com/chancery/chancery/internal/syncbuf"
	"github.com/chancery/chancery/internal/translog"
	"golang.org/x/mod/sumdb/note"
)

// office is a registry with one member per role, a signer key, a settable clock, and a
// dispatcher delivering into a Mailpit.
type office struct {
	r                                         *registry.Registry
	db                                        *store.DB
	log                                       *translog.Log
	vkey, origin                              string
	admin, drafter, reviewer, signer, officer registry.Actor
	key                                       ed25519.PrivateKey
	keyID                                     string
	verifier                                  *seal.Verifier
	mu                                        sync.Mutex
	skew                                      time.Duration // added to the clock
	url                                       string        // the office's base URL; empty, https://tfn.example
	// What another server of the same office needs (twin).
	logSigner note.Signer
	officeKey ed25519.PrivateKey
}

func (o *office) now() time.Time {
	o.mu.Lock()
	defer o.mu.Unlock()
	return time.Now().Add(o.skew)
}

func (o *office) advance(d time.Duration) {
	o.mu.Lock()
	o.skew += d
	o.mu.Unlock()
}

func newOffice(t testing.TB) *office {
	t.Helper()
	db, err := store.OpenSQLite(context.Background(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	return newOfficeIn(t, db)
}

// newOfficeIn is newOffice in db, which it closes at the test's end.
func newOfficeIn(t testing.TB, db *store.DB) *office {
	t.Helper()
	ctx := context.Background()
	t.Cleanup(func() { db.Close() })
	const origin = "tfn.example/log"
	skey, vkey, _ := note.GenerateKey(rand.Reader, origin)
	signer, _ := note.NewSigner(skey)
	_, officeKey, _ := ed25519.GenerateKey(rand.Reader)
	o := &office{db: db, vkey: vkey, origin: origin, logSigner: signer, officeKey: officeKey}
	o.open(t)
	tok, err := o.r.Bootstrap(ctx, "root")
	if err != nil {
		t.Fatal(err)
	}
	o.admin = o.actor(t, tok)
	for _, m := range []struct {
		name, role string
		to         *registry.Actor
	}{{"dana", registry.RoleDrafter, &o.drafter}, {"rita", registry.RoleReviewer, &o.reviewer}, {"sam", registry.RoleSigner, &o.signer}, {"otto", registry.RoleRelease, &o.officer}} {
		tok, err := o.r.AddMember(ctx, o.admin, m.name, []string{m.role})
		if err != nil {
			t.Fatal(err)
		}
		*m.to = o.actor(t, tok)
	}
	_, o.key, _ = ed25519.GenerateKey(rand.Reader)
	if o.keyID, _, err = o.r.RegisterKey(ctx, o.signer, o.key.Public().(ed25519.PublicKey)); err != nil {
		t.Fatal(err)
	}
	if o.verifier, err = seal.NewVerifier(o.r.TrustRoot()); err != nil {
		t.Fatal(err)
	}
	return o
}

// open opens the office's log and registry in o.db.
func (o *office) open(t testing.TB) {
	t.Helper()
	lg, err := translog.Open(context.Background(), o.db, translog.Config{Origin: o.origin, Signer: o.logSigner, Create: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { lg.Close() })
	o.log = lg
	url := o.url
	if url == "" {
		url = "https://tfn.example"
	}
	o.r = registry.New(registry.Config{DB: o.db, Log: lg, Office: registry.Office{Name: "Task Force North", Prefix: "TFN", URL: url},
		OfficeKey: o.officeKey, LogKey: o.vkey, LogOrigin: o.origin, Now: o.now})
}

// twin is another server of o's office on the same PostgreSQL database, at url: its own
// connections, log and registry, the same keys and members.
func (o *office) twin(t testing.TB, url string) *office {
	t.Helper()
	db, err := store.OpenPostgres(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	w := &office{db: db, vkey: o.vkey, origin: o.origin, logSigner: o.logSigner, officeKey: o.officeKey,
		admin: o.admin, drafter: o.drafter, reviewer: o.reviewer, signer: o.signer, officer: o.officer, key: o.key, keyID: o.keyID, verifier: o.verifier}
	w.open(t)
	return w
}

func (o *office) actor(t testing.TB, tok string) registry.Actor {
	m, err := o.r.Authenticate(context.Background(), tok)
	if err != nil {
		t.Fatal(err)
	}
	return registry.Actor{Member: m, Remote: "test"}
}

// deliver runs a dispatcher into mp until the test ends, with fast retries.
func (o *office) deliver(t *testing.T, mp *mailpit, attempts int) {
	t.Helper()
	runDispatcher(t, o.dispatcher(t, mp, attempts))
}

// dispatcher returns a dispatcher into mp, with fast retries, not yet running: from then on the
// registry accepts dispatches.
func (o *office) dispatcher(t *testing.T, mp *mailpit, attempts int) *Dispatcher {
	t.Helper()
	sm, err := ParseSMTP(mp.url())
	if err != nil {
		t.Fatal(err)
	}
	d, err := New(Config{Registry: o.r, SMTP: sm, From: "registry@tfn.example", MaxAttempts: attempts, Backoff: 5 * time.Millisecond,
		MaxBackoff: 20 * time.Millisecond, Poll: 20 * time.Millisecond, AllowPrivateWebhooks: true})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// deliverLogged is deliver with the dispatcher's server log kept in the returned buffer and,
// with backoff, that wait after a first failed attempt (doubling up to four times it) in
// place of a few milliseconds: long enough for a test to see a message between attempts on a
// busy machine.
func (o *office) deliverLogged(t *testing.T, mp *mailpit, attempts int, backoff time.Duration) *syncbuf.Buffer {
	t.Helper()
	d, l := o.dispatcher(t, mp, attempts), &syncbuf.Buffer{}
	if backoff > 0 {
		d.cfg.Backoff, d.cfg.MaxBackoff = backoff, 4*backoff
	}
	d.cfg.Logger = slog.New(slog.NewTextHandler(l, nil))
	runDispatcher(t, d)
	return l
}

// runDispatcher runs d until the test ends.
func runDispatcher(t *testing.T, d *Dispatcher) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); d.Run(ctx) }()
	t.Cleanup(func() { cancel(); <-done })
}

// draft creates a letter with one version.
func (o *office) draft(t testing.TB, body string) string {
	t.Helper()
	ref, err := o.r.CreateLetter(context.Background(), o.drafter, registry.NewLetter{Subject: "Repositioning of forces", Class: "foreign-government",
		Addressees: []string{"Ministry of Defence of Freedonia"}, File: registry.Upload{Name: "letter.txt", Data: []byte(body)}})
	if err != nil {
		t.Fatal(err)
	}
	return ref
}

// approveAndSign makes ref releasable under the built-in policy.
func (o *office) approveAndSign(t testing.TB, ref string) {
	t.Helper()
	ctx := context.Background()
	if err := o.r.Approve(ctx, o.reviewer, ref, "", "ok"); err != nil {
		t.Fatal(err)
	}
	st, err := o.r.SigningStatement(ctx, o.signer, ref)
	if err != nil {
		t.Fatal(err)
	}
	if err := o.r.Sign(ctx, o.signer, ref, o.keyID, st, ed25519.Sign(o.key, dsse.PAE(seal.SigningPayloadType, st))); err != nil {
		t.Fatal(err)
	}
}

func (o *office) release(t testing.TB, body string) string {
	t.Helper()
	ref := o.draft(t, body)
	o.approveAndSign(t, ref)
	if _, err := o.r.Release(context.Background(), o.officer, ref); err != nil {
		t.Fatal(err)
	}
	return ref
}

// withdraw retracts ref (by == "") or supersedes it by by, with reason.
func (o *office) withdraw(t testing.TB, ref, by, reason string) {
	t.Helper()
	ctx := context.Background()
	st, pt, op, err := o.r.WithdrawalStatement(ctx, o.signer, ref, by, reason)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := o.r.Withdraw(ctx, o.signer, ref, by, o.keyID, st, op, ed25519.Sign(o.key, dsse.PAE(pt, st))); err != nil {
		t.Fatal(err)
	}
}

func (o *office) recipient(t testing.TB, name string, emails ...string) {
	t.Helper()
	if _, _, err := o.r.AddRecipient(context.Background(), o.admin, registry.NewRecipient{Name: name, Organization: name + " organisation", Emails: emails}); err != nil {
		t.Fatal(err)
	}
}

func (o *office) status(t testing.TB, ref string) []registry.DispatchView {
	t.Helper()
	v, err := o.r.Dispatches(context.Background(), o.officer, ref)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// settled reports whether every message about ref is sent or failed.
func (o *office) settled(t testing.TB, ref string, n int) bool {
	vs := o.status(t, ref)
	if len(vs) < n {
		return false
	}
	for _, v := range vs {
		if v.Status != "sent" && v.Status != "failed" {
			return false
		}
	}
	return true
}

// receipts counts the receipts of ref in its audit trail.
func (o *office) receipts(t testing.TB, ref string) int {
	t.Helper()
	es, err := o.r.Audit(context.Background(), o.officer, ref)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range es {
		if e.Action == "letter.received" {
			n++
		}
	}
	return n
}

// onBothStores runs test with an office on SQLite, then on PostgreSQL.
func onBothStores(t *testing.T, test func(*testing.T, *office)) {
	for _, backend := range []string{"sqlite", "postgres"} {
		t.Run(backend, func(t *testing.T) {
			var o *office
			if backend == "sqlite" {
				o = newOffice(t)
			} else {
				db, err := store.OpenPostgres(context.Background(), storetest.PostgresURL(t))
				if err != nil {
					t.Fatal(err)
				}
				o = newOfficeIn(t, db)
			}
			test(t, o)
		})
	}
}
