package dispatch

import (
	"context"
	"database/sql"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/registry"
	"github.com/chancery/chancery/internal/store"
	"github.com/chancery/chancery/internal/store/storetest"
	"github.com/chancery/chancery/internal/syncbuf"
)

// refusingOffice is an office on backend with a second connection to its database, for a test
// to make the store refuse some writes (a trigger standing for a full disk or a failing
// constraint).
type refusingOffice struct {
	*office
	raw     *sql.DB
	backend string
}

func newRefusingOffice(t *testing.T, backend string) *refusingOffice {
	t.Helper()
	ctx := context.Background()
	var db *store.DB
	var raw *sql.DB
	var err error
	if backend == "sqlite" {
		dir := t.TempDir()
		if db, err = store.OpenSQLite(ctx, dir); err != nil {
			t.Fatal(err)
		}
		raw, err = sql.Open("sqlite", "file:"+filepath.Join(dir, store.SQLiteFile)+"?_pragma=busy_timeout(10000)")
	} else {
		url := storetest.PostgresURL(t)
		if db, err = store.OpenPostgres(ctx, url); err != nil {
			t.Fatal(err)
		}
		raw, err = sql.Open("pgx", url)
	}
	if err != nil {
		t.Fatal(err)
	}
	o := newOfficeIn(t, db)
	t.Cleanup(func() { raw.Close() })
	return &refusingOffice{office: o, raw: raw, backend: backend}
}

// refuseSent makes the store refuse to mark sent the rows of table that match when (an SQL
// condition on OLD), until allowSent.
func (o *refusingOffice) refuseSent(t *testing.T, table, when string) {
	t.Helper()
	o.refuse(t, table, "status", "NEW.status = 'sent' AND "+when)
}

// refuse makes the store refuse the updates of column in table that match when (an SQL
// condition on OLD and NEW), until allowSent.
func (o *refusingOffice) refuse(t *testing.T, table, column, when string) {
	t.Helper()
	stmts := []string{`CREATE TRIGGER refuse_sent BEFORE UPDATE OF ` + column + ` ON ` + table +
		` WHEN ` + when + ` BEGIN SELECT RAISE(ABORT, 'injected: the disk is full'); END`}
	if o.backend == "postgres" {
		stmts = []string{`CREATE FUNCTION refuse_sent() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'injected: the disk is full'; END $$`,
			`CREATE TRIGGER refuse_sent BEFORE UPDATE OF ` + column + ` ON ` + table + ` FOR EACH ROW WHEN (` + when + `) EXECUTE FUNCTION refuse_sent()`}
	}
	for _, s := range stmts {
		if _, err := o.raw.Exec(s); err != nil {
			t.Fatal(err)
		}
	}
}

func (o *refusingOffice) allowSent(t *testing.T, table string) {
	t.Helper()
	q := `DROP TRIGGER refuse_sent`
	if o.backend == "postgres" {
		q += ` ON ` + table
	}
	if _, err := o.raw.Exec(q); err != nil {
		t.Fatal(err)
	}
}

// TestFailedRecordIsNotSentAgain: the mail server accepts a batch of letters and the store
// refuses to record one of them sent (a trigger, as a full disk or a failing constraint
// would). The others of the batch are recorded sent; the refused one reaches its recipient
// once, and while its record fails it is not handed to the mail server again; once the store
// takes the record, it is recorded sent, and still no second copy leaves. The failures are
// logged a bounded number of times, not once per try. Before the fix the whole batch's record
// failed, the messages were given back to the outbox as if never sent, and were sent again
// at once: hundreds of copies a second of the refused one on SQLite, one per lapsed claim on
// PostgreSQL, and two or three of the others.
func TestFailedRecordIsNotSentAgain(t *testing.T) {
	for _, backend := range []string{"sqlite", "postgres"} {
		t.Run(backend, func(t *testing.T) {
			ctx := context.Background()
			o := newRefusingOffice(t, backend)
			mp := startMailpit(t)
			const bad = "bad@mod.freedonia.example"
			o.refuseSent(t, "outbox", "OLD.email = '"+bad+"'")
			d, l := o.dispatcher(t, mp, 3), &syncbuf.Buffer{}
			d.cfg.Logger = slogTo(l)
			d.cfg.Connections = 4
			d.cfg.Claim = 300 * time.Millisecond // on PostgreSQL, a claim that lapses while the record fails
			runDispatcher(t, d)
			names := []string{"bad"}
			o.recipient(t, "bad", bad)
			for _, n := range []string{"a", "b", "c", "e", "f", "g", "h"} {
				o.recipient(t, n, n+"@mod.freedonia.example")
				names = append(names, n)
			}
			ref := o.release(t, "The brigade moves north on 3 March.")
			if _, err := o.r.Dispatch(ctx, o.officer, ref, names); err != nil {
				t.Fatal(err)
			}
			copies := func(n string) int { return len(byTo(t, mp, n+"@mod.freedonia.example", "official letter")) }
			waitFor(t, "copies of the refused letter, or its record tried 32 times", func() bool {
				return copies("bad") > 5 || strings.Contains(l.String(), "tries=32 ")
			})
			if n := copies("bad"); n != 1 {
				t.Fatalf("Mailpit holds %d copies of the letter whose record failed, want 1", n)
			}
			if n := strings.Count(l.String(), "\n"); n > 12 {
				t.Errorf("%d lines logged for 32 tries at one record, want a few:\n%s", n, l)
			}
			waitFor(t, "the others recorded sent", func() bool {
				for _, v := range o.status(t, ref) {
					if v.Email != bad && v.Status != store.StatusSent {
						return false
					}
				}
				return true
			})
			for _, v := range o.status(t, ref) {
				if v.Email == bad && (v.Status != store.StatusQueued || v.Reply != store.ReplySending || v.Attempts != 0) {
					t.Fatalf("while its record fails, the letter is %s, %d attempts, %q; want queued, as handed over (%q)", v.Status, v.Attempts, v.Reply, store.ReplySending)
				}
			}

			o.allowSent(t, "outbox")
			waitFor(t, "the refused letter recorded sent", func() bool {
				for _, v := range o.status(t, ref) {
					if v.Email == bad {
						return v.Status == store.StatusSent
					}
				}
				return false
			})
			for _, v := range o.status(t, ref) {
				if v.Attempts != 1 || v.MaybeDelivered {
					t.Errorf("%s: %d attempts, maybe delivered %v; want one attempt, recorded sent", v.Email, v.Attempts, v.MaybeDelivered)
				}
			}
			// The dispatcher logs the late record once its transaction has committed: a
			// moment after the status above may be read.
			waitFor(t, "the late record logged", func() bool { return strings.Contains(l.String(), "recorded after") })
			for _, n := range names {
				if c := copies(n); c != 1 {
					t.Errorf("%s: Mailpit holds %d copies, want 1", n, c)
				}
			}
		})
	}
}

// TestFailedWebhookRecordIsNotPostedAgain: an endpoint answers a post 2xx and the store refuses
// to record the delivery sent. The delivery is not posted again while its record fails, and is
// recorded sent once the store takes it; another endpoint's delivery is recorded as usual.
// Before the fix the delivery stayed due: on SQLite it was posted again at once, without end,
// and on PostgreSQL each time its claim lapsed.
func TestFailedWebhookRecordIsNotPostedAgain(t *testing.T) {
	for _, backend := range []string{"sqlite", "postgres"} {
		t.Run(backend, func(t *testing.T) {
			ctx := context.Background()
			o := newRefusingOffice(t, backend)
			mp := startMailpit(t)
			d, l := o.dispatcher(t, mp, 3), &syncbuf.Buffer{}
			d.cfg.Logger = slogTo(l)
			d.cfg.Claim = 300 * time.Millisecond
			var posts, others atomic.Int32
			records := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { posts.Add(1) }))
			t.Cleanup(records.Close)
			archive := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { others.Add(1) }))
			t.Cleanup(archive.Close)
			for name, url := range map[string]string{"records": records.URL, "archive": archive.URL} {
				if _, err := o.r.AddWebhook(ctx, o.admin, name, url); err != nil {
					t.Fatal(err)
				}
			}
			var id int64
			if err := o.raw.QueryRow(`SELECT id FROM webhook_endpoints WHERE name = 'records'`).Scan(&id); err != nil {
				t.Fatal(err)
			}
			o.refuseSent(t, "webhook_deliveries", fmt.Sprintf("OLD.endpoint_id = %d", id))
			runDispatcher(t, d)
			o.release(t, "The brigade moves north on 3 March.")
			waitFor(t, "posts of the event, or its record tried 32 times", func() bool {
				return posts.Load() > 5 || strings.Contains(l.String(), "tries=32 ")
			})
			if n := posts.Load(); n != 1 {
				t.Fatalf("the endpoint was posted the event %d times while its record failed, want once", n)
			}
			if n := strings.Count(l.String(), "\n"); n > 12 {
				t.Errorf("%d lines logged for 32 tries at one record, want a few:\n%s", n, l)
			}
			status := func(endpoint string) string {
				log, err := o.r.WebhookLog(ctx, o.admin, 10)
				if err != nil {
					t.Fatal(err)
				}
				for _, d := range log {
					if d.Endpoint == endpoint {
						return d.Status
					}
				}
				return ""
			}
			waitFor(t, "the other endpoint's delivery recorded sent", func() bool { return status("archive") == store.StatusSent })
			if s := status("records"); s != store.StatusQueued {
				t.Fatalf("while its record fails, the delivery is %s, want queued", s)
			}

			o.allowSent(t, "webhook_deliveries")
			waitFor(t, "the delivery recorded sent", func() bool { return status("records") == store.StatusSent })
			if n, m := posts.Load(), others.Load(); n != 1 || m != 1 {
				t.Errorf("the endpoints were posted %d and %d times, want once each", n, m)
			}
		})
	}
}

// TestOneRefusedRecordTakesNoOther: three acceptances reach the recorder in one batch, and the
// store refuses to record the second sent. The first and third are recorded sent and released;
// the second is kept in flight (not released, so not taken again) while its record is tried
// again, and when the dispatcher stops with it still unrecorded, it stays as handed over
// ("sending"), for the next start to send it again as after a crash. Before the fix the
// batch's one transaction failed: none of the three was recorded, and all were released, to
// be sent again at once.
func TestOneRefusedRecordTakesNoOther(t *testing.T) {
	for _, backend := range []string{"sqlite", "postgres"} {
		t.Run(backend, func(t *testing.T) {
			ctx := context.Background()
			o := newRefusingOffice(t, backend)
			o.r.SetDispatch(registry.DispatchSettings{Mail: true})
			names := []string{"a", "b", "c"}
			for _, n := range names {
				o.recipient(t, n, n+"@mod.freedonia.example")
			}
			ref := o.release(t, "The brigade moves north on 3 March.")
			if _, err := o.r.Dispatch(ctx, o.officer, ref, names); err != nil {
				t.Fatal(err)
			}
			due, err := o.r.DueMessages(ctx, 10, time.Minute)
			if err != nil || len(due) != 3 {
				t.Fatalf("due: %v %v", due, err)
			}
			if err := o.r.Sending(ctx, due); err != nil {
				t.Fatal(err)
			}
			o.refuseSent(t, "outbox", "OLD.id = "+strconv.FormatInt(due[1].ID, 10))
			l := &syncbuf.Buffer{}
			d := &Dispatcher{cfg: Config{Registry: o.r, Backoff: time.Millisecond, MaxBackoff: 5 * time.Millisecond, Logger: slogTo(l)}}
			var released sync.Map
			marks := make(chan *mark, len(due))
			var batch []*mark
			for _, m := range due {
				mk := &mark{d: registry.Delivery{Message: m, Reply: "250 accepted by mail.tfn.example"}, done: make(chan struct{})}
				batch = append(batch, mk)
				marks <- mk
			}
			stopped := make(chan struct{})
			go func() { defer close(stopped); d.recorder(marks, func(id int64) { released.Store(id, true) }) }()
			for _, mk := range batch {
				<-mk.done
			}
			var got []bool
			for _, m := range due {
				_, ok := released.Load(m.ID)
				got = append(got, ok)
			}
			if !slices.Equal(got, []bool{true, false, true}) {
				t.Fatalf("released after the batch's record: %v, want the first and third, recorded, and not the second", got)
			}
			waitFor(t, "the refused record tried 8 times", func() bool { return strings.Contains(l.String(), "tries=8 ") })
			close(marks)
			<-stopped
			if _, ok := released.Load(due[1].ID); ok {
				t.Error("the message whose record failed was released")
			}
			if !strings.Contains(l.String(), "the next start sends them again") {
				t.Errorf("the stop with a message unrecorded is not logged:\n%s", l)
			}
			for _, v := range o.status(t, ref) {
				want, reply := store.StatusSent, "250 accepted by mail.tfn.example"
				if v.Email == due[1].Email {
					want, reply = store.StatusQueued, store.ReplySending
				}
				if v.Status != want || v.Reply != reply {
					t.Errorf("%s: %s, %q; want %s, %q", v.Email, v.Status, v.Reply, want, reply)
				}
			}
		})
	}
}

// TestFailedSendingRecordBacksOff: the store refuses to record that messages are handed to the
// mail server (registry.Sending), as a full disk would. Nothing is handed over unrecorded, and
// the dispatcher tries again with the dispatch backoff, logging a bounded number of lines;
// once the store takes the record, the letter is sent once. Before the fix it read the outbox
// and tried the record again at once, without end, logging each failure: hundreds of lines a
// second.
func TestFailedSendingRecordBacksOff(t *testing.T) {
	for _, backend := range []string{"sqlite", "postgres"} {
		t.Run(backend, func(t *testing.T) {
			ctx := context.Background()
			o := newRefusingOffice(t, backend)
			mp := startMailpit(t)
			o.refuse(t, "outbox", "reply", "NEW.reply LIKE 'sending%'")
			d, l := o.dispatcher(t, mp, 3), &syncbuf.Buffer{}
			d.cfg.Logger = slogTo(l)
			d.cfg.Claim = 300 * time.Millisecond // on PostgreSQL, what is claimed and not handed over
			runDispatcher(t, d)
			const addr = "registry@mod.freedonia.example"
			o.recipient(t, "ministry", addr)
			ref := o.release(t, "The brigade moves north on 3 March.")
			if _, err := o.r.Dispatch(ctx, o.officer, ref, []string{"ministry"}); err != nil {
				t.Fatal(err)
			}
			waitFor(t, "the record tried 16 times", func() bool {
				return strings.Contains(l.String(), "tries=16 ") || strings.Count(l.String(), "\n") > 20
			})
			if n := strings.Count(l.String(), "\n"); n > 8 {
				t.Fatalf("%d lines logged for 16 tries at one record, want a few", n)
			}
			if n := len(byTo(t, mp, addr, "official letter")); n != 0 {
				t.Fatalf("Mailpit holds %d copies of a letter whose hand-over was never recorded", n)
			}
			o.allowSent(t, "outbox")
			waitFor(t, "the letter recorded sent", func() bool { return o.settled(t, ref, 1) })
			if v := o.status(t, ref)[0]; v.Status != store.StatusSent || v.Attempts != 1 {
				t.Errorf("the letter: %s, %d attempts; want sent at its first", v.Status, v.Attempts)
			}
			if n := len(byTo(t, mp, addr, "official letter")); n != 1 {
				t.Errorf("Mailpit holds %d copies, want 1", n)
			}
		})
	}
}
