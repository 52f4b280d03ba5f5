package store_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/store"
	"github.com/chancery/chancery/internal/store/storetest"
)

func TestOutboxSQLite(t *testing.T) { testOutbox(t, openSQLite(t, t.TempDir())) }

func TestOutboxPostgres(t *testing.T) { testOutbox(t, openPostgres(t, storetest.PostgresURL(t))) }

// testOutbox: a message is queued once per key; due messages come oldest first and only when
// due; sent is recorded once; a receipt once; unsent messages of a withdrawn letter fail; webhook
// deliveries follow the same states; a failed message the SMTP server accepted all the same
// is recorded sent.
func testOutbox(t *testing.T, db *store.DB) {
	defer db.Close()
	ctx := t.Context()
	now := time.Now().UTC().Truncate(time.Second)
	var letter int64
	var rec store.Recipient
	err := db.Update(ctx, func(tx *store.Tx) error {
		m, l, err := addOutboxFixture(tx, now, &rec, "a@mod.example", "b@mod.example")
		if err != nil {
			return err
		}
		letter = l.ID
		for i, e := range rec.Emails {
			msg := &store.OutboxMessage{Key: "letter/1/0/" + e, MessageID: "letter." + e, LetterID: letter, RecipientID: rec.ID, Email: e,
				Kind: store.KindLetter, ReceiptHash: []byte{byte(i), 1, 2, 3}, NextAt: now.Add(time.Duration(i) * time.Hour), MemberID: m.ID, CreatedAt: now}
			if ok, err := tx.Enqueue(ctx, msg); err != nil || !ok || msg.ID == 0 {
				t.Fatalf("enqueue %s: %v, %v", e, ok, err)
			}
			again := *msg
			if ok, err := tx.Enqueue(ctx, &again); err != nil || ok {
				t.Fatalf("enqueue %s again: %v, %v", e, ok, err)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(ctx, func(tx *store.Tx) error {
		return tx.AddRecipient(ctx, &store.Recipient{Name: "ministry", Emails: []string{"x@y.example"}, CreatedAt: now})
	})
	if !errors.Is(err, store.ErrConflict) {
		t.Errorf("a second recipient named ministry: %v", err)
	}
	err = db.Update(ctx, func(tx *store.Tx) error {
		// Half a second after a whole second: due times compare as times, not as RFC 3339 text
		// with trimmed fractions (where 10:00:00Z sorts after 10:00:00.5Z).
		due, err := tx.DueMessages(ctx, now.Add(500*time.Millisecond), 10)
		if err != nil {
			return err
		}
		if len(due) != 1 || due[0].Email != "a@mod.example" || due[0].Recipient != "ministry" || due[0].Reference != "TFN-1" {
			t.Fatalf("due now: %+v", due)
		}
		next, ok, err := tx.NextDue(ctx)
		if err != nil || !ok || !next.Equal(now) {
			t.Fatalf("next due: %v %v %v", next, ok, err)
		}
		if ok, err := tx.MarkSent(ctx, due[0].ID, "250 ok", now); err != nil || !ok {
			t.Fatalf("mark sent: %v %v", ok, err)
		}
		if ok, err := tx.MarkSent(ctx, due[0].ID, "250 ok", now); err != nil || ok {
			t.Fatalf("mark sent twice: %v %v", ok, err)
		}
		m, err := tx.MessageByReceipt(ctx, []byte{0, 1, 2, 3})
		if err != nil || m.ID != due[0].ID || m.Status != store.StatusSent || m.Attempts != 1 {
			t.Fatalf("by receipt: %+v %v", m, err)
		}
		if ok, err := tx.MarkReceived(ctx, m.ID, now); err != nil || !ok {
			t.Fatalf("received: %v %v", ok, err)
		}
		if ok, err := tx.MarkReceived(ctx, m.ID, now); err != nil || ok {
			t.Fatalf("received twice: %v %v", ok, err)
		}
		if _, err := tx.MessageByReceipt(ctx, []byte{9}); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("unknown receipt: %v", err)
		}
		later, err := tx.DueMessages(ctx, now.Add(2*time.Hour), 10)
		if err != nil || len(later) != 1 {
			t.Fatalf("due later: %+v %v", later, err)
		}
		if err := tx.MarkAttempt(ctx, later[0].ID, store.StatusDeferred, "451 later", now.Add(3*time.Hour)); err != nil {
			return err
		}
		if err := tx.FailUnsent(ctx, letter, []string{store.KindLetter}, "withdrawn"); err != nil {
			return err
		}
		ms, err := tx.LetterMessages(ctx, letter)
		if err != nil {
			return err
		}
		if len(ms) != 2 || ms[0].Status != store.StatusSent || ms[0].ReceivedAt.IsZero() || ms[1].Status != store.StatusFailed || ms[1].Reply != "withdrawn" || ms[1].Attempts != 1 {
			t.Fatalf("letter messages: %+v", ms)
		}
		if due, _ := tx.DueMessages(ctx, now.Add(24*time.Hour), 10); len(due) != 0 {
			t.Fatalf("due after everything settled: %+v", due)
		}
		// The failed message was in the SMTP transaction when its letter was withdrawn, and the
		// server accepted it: the acceptance is recorded, once.
		if ok, err := tx.MarkSent(ctx, ms[1].ID, "250 ok", now); err != nil || !ok {
			return fmt.Errorf("mark a failed message sent: %v %v", ok, err)
		}
		if ok, err := tx.MarkSent(ctx, ms[1].ID, "250 ok", now); err != nil || ok {
			return fmt.Errorf("mark it sent twice: %v %v", ok, err)
		}
		if m, err := tx.OutboxMessage(ctx, ms[1].ID); err != nil || m.Status != store.StatusSent || m.Reply != "250 ok" || m.Attempts != 2 || m.SentAt.IsZero() {
			return fmt.Errorf("the failed message accepted: %+v %v", m, err)
		}

		ep := &store.WebhookEndpoint{Name: "records", URL: "https://records.example/hook", Secret: "whsec_AAAA", CreatedAt: now}
		if err := tx.AddWebhookEndpoint(ctx, ep); err != nil {
			return err
		}
		d := &store.WebhookDelivery{EndpointID: ep.ID, WebhookID: "msg_1", Event: "letter.released", Payload: []byte(`{}`), NextAt: now, CreatedAt: now}
		if err := tx.AddWebhookDelivery(ctx, d); err != nil {
			return err
		}
		ds, err := tx.DueWebhookDeliveries(ctx, now, 10)
		if err != nil || len(ds) != 1 || ds[0].Endpoint.URL != ep.URL {
			t.Fatalf("due deliveries: %+v %v", ds, err)
		}
		if err := tx.MarkWebhook(ctx, d.ID, store.StatusSent, "200 OK", now, now); err != nil {
			return err
		}
		log, err := tx.WebhookDeliveries(ctx, 10)
		if err != nil || len(log) != 1 || log[0].Status != store.StatusSent || log[0].SentAt.IsZero() {
			t.Fatalf("delivery log: %+v %v", log, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// addOutboxFixture adds a member, a letter of theirs and rec, a recipient with emails, for
// messages to be queued to.
func addOutboxFixture(tx *store.Tx, now time.Time, rec *store.Recipient, emails ...string) (*store.Member, *store.Letter, error) {
	ctx := context.Background()
	m, err := tx.AddMember(ctx, "otto", []string{"release"}, []byte("hash-of-otto-token-0123456789abc"), now)
	if err != nil {
		return nil, nil, err
	}
	l := &store.Letter{Reference: "TFN-1", Subject: "s", Class: "c", AuthorID: m.ID, CreatedAt: now}
	if err := store.AddLetterForTest(ctx, tx, l); err != nil {
		return nil, nil, err
	}
	*rec = store.Recipient{Name: "ministry", Organization: "Ministry", Emails: emails, CreatedAt: now}
	return m, l, tx.AddRecipient(ctx, rec)
}

func TestOutboxClaimsSQLite(t *testing.T) { testOutboxClaims(t, openSQLite(t, t.TempDir())) }

func TestOutboxClaimsPostgres(t *testing.T) {
	testOutboxClaims(t, openPostgres(t, storetest.PostgresURL(t)))
}

// testOutboxClaims: a claimed message or webhook delivery is not due to another claim until the
// claim lapses; recording an attempt ends the claim.
func testOutboxClaims(t *testing.T, db *store.DB) {
	defer db.Close()
	ctx := t.Context()
	now := time.Now().UTC().Truncate(time.Second)
	claim := func(at time.Time, limit int, until time.Time) (emails []string) {
		t.Helper()
		err := db.Update(ctx, func(tx *store.Tx) error {
			ms, err := tx.ClaimDueMessages(ctx, at, limit, until)
			for _, m := range ms {
				emails = append(emails, m.Email)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return emails
	}
	var ids []int64
	var endpoint int64
	err := db.Update(ctx, func(tx *store.Tx) error {
		var rec store.Recipient
		m, l, err := addOutboxFixture(tx, now, &rec, "a@mod.example", "b@mod.example", "c@mod.example")
		if err != nil {
			return err
		}
		for i, e := range rec.Emails {
			msg := &store.OutboxMessage{Key: "letter/1/0/" + e, MessageID: "letter." + e, LetterID: l.ID, RecipientID: rec.ID, Email: e,
				Kind: store.KindLetter, NextAt: now.Add(time.Duration(i) * time.Millisecond), MemberID: m.ID, CreatedAt: now}
			if _, err := tx.Enqueue(ctx, msg); err != nil {
				return err
			}
			ids = append(ids, msg.ID)
		}
		ep := &store.WebhookEndpoint{Name: "records", URL: "https://records.example/hook", Secret: "whsec_AAAA", CreatedAt: now}
		if err := tx.AddWebhookEndpoint(ctx, ep); err != nil {
			return err
		}
		endpoint = ep.ID
		return tx.AddWebhookDelivery(ctx, &store.WebhookDelivery{EndpointID: ep.ID, WebhookID: "msg_1", Event: "letter.released", Payload: []byte(`{}`), NextAt: now, CreatedAt: now})
	})
	if err != nil {
		t.Fatal(err)
	}
	at := now.Add(time.Second)
	if got := claim(at, 2, at.Add(time.Minute)); len(got) != 2 || got[0] != "a@mod.example" || got[1] != "b@mod.example" {
		t.Fatalf("first claim: %v", got)
	}
	if got := claim(at, 10, at.Add(time.Minute)); len(got) != 1 || got[0] != "c@mod.example" {
		t.Fatalf("a second claim took %v, want only the message not claimed", got)
	}
	if got := claim(at.Add(59*time.Second), 10, at.Add(2*time.Minute)); len(got) != 0 {
		t.Fatalf("claimed again before the claims lapsed: %v", got)
	}
	err = db.Update(ctx, func(tx *store.Tx) error {
		if ok, err := tx.MarkSent(ctx, ids[0], "250 ok", at); err != nil || !ok {
			t.Fatalf("mark a claimed message sent: %v %v", ok, err)
		}
		return tx.MarkAttempt(ctx, ids[1], store.StatusDeferred, "451 later", at.Add(5*time.Second))
	})
	if err != nil {
		t.Fatal(err)
	}
	// b's attempt ended its claim (due again at its backoff); a was sent; c's claim lapses.
	if got := claim(at.Add(6*time.Second), 10, at.Add(time.Hour)); len(got) != 1 || got[0] != "b@mod.example" {
		t.Fatalf("after the attempts: %v", got)
	}
	if got := claim(at.Add(61*time.Second), 10, at.Add(time.Hour)); len(got) != 1 || got[0] != "c@mod.example" {
		t.Fatalf("after c's claim lapsed: %v", got)
	}
	// A message given back is due again at once, at the time it was due before its claim.
	err = db.Update(ctx, func(tx *store.Tx) error {
		m, err := tx.OutboxMessage(ctx, ids[2])
		if err != nil {
			return err
		}
		m.NextAt = now
		return tx.Unclaim(ctx, []store.OutboxMessage{*m})
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := claim(at.Add(62*time.Second), 10, at.Add(time.Hour)); len(got) != 1 || got[0] != "c@mod.example" {
		t.Fatalf("after c was given back: %v", got)
	}

	hooks := func(at time.Time) (n int) {
		t.Helper()
		err := db.Update(ctx, func(tx *store.Tx) error {
			ds, err := tx.ClaimDueWebhookDeliveries(ctx, at, 10, at.Add(time.Minute))
			for _, d := range ds {
				if d.EndpointID != endpoint {
					t.Errorf("delivery to endpoint %d, want %d", d.EndpointID, endpoint)
				}
			}
			n = len(ds)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := hooks(at); n != 1 {
		t.Fatalf("first webhook claim: %d deliveries", n)
	}
	if n := hooks(at.Add(59 * time.Second)); n != 0 {
		t.Fatalf("the webhook delivery was claimed twice")
	}
	if n := hooks(at.Add(61 * time.Second)); n != 1 {
		t.Fatalf("the webhook delivery's claim did not lapse")
	}
}

func TestOutboxSendingSQLite(t *testing.T) { testOutboxSending(t, openSQLite(t, t.TempDir())) }

func TestOutboxSendingPostgres(t *testing.T) {
	testOutboxSending(t, openPostgres(t, storetest.PostgresURL(t)))
}

// testOutboxSending: a message handed to the mail server is marked so (MarkSending), and a
// second hand-over without an outcome recorded between makes it Uncertain; a withdrawal's
// FailUnsent leaves handed-over messages to their worker and fails the others; an outcome
// ends the "sending" reply; Unclaim puts back the reply a message had. A message that may have
// been delivered (handed over twice, or its answer lost) keeps its MaybeDelivered mark through
// a later refusal and failure, and MayBeHeld says its recipient may hold it.
func testOutboxSending(t *testing.T, db *store.DB) {
	defer db.Close()
	ctx := t.Context()
	now := time.Now().UTC().Truncate(time.Second)
	var rec store.Recipient
	var ids []int64
	var letter int64
	err := db.Update(ctx, func(tx *store.Tx) error {
		m, l, err := addOutboxFixture(tx, now, &rec, "a@mod.example", "b@mod.example", "c@mod.example", "d@mod.example")
		if err != nil {
			return err
		}
		letter = l.ID
		for i, e := range rec.Emails {
			msg := &store.OutboxMessage{Key: "letter/1/0/" + e, MessageID: "letter." + e, LetterID: l.ID, RecipientID: rec.ID, Email: e,
				Kind: store.KindLetter, ReceiptHash: []byte{byte(i), 9}, NextAt: now, MemberID: m.ID, CreatedAt: now}
			if _, err := tx.Enqueue(ctx, msg); err != nil {
				return err
			}
			ids = append(ids, msg.ID)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	get := func(id int64) *store.OutboxMessage {
		t.Helper()
		var m *store.OutboxMessage
		if err := db.View(ctx, func(tx *store.Tx) (err error) { m, err = tx.OutboxMessage(ctx, id); return err }); err != nil {
			t.Fatal(err)
		}
		return m
	}
	update := func(fn func(tx *store.Tx) error) {
		t.Helper()
		if err := db.Update(ctx, fn); err != nil {
			t.Fatal(err)
		}
	}
	before := get(ids[2])
	update(func(tx *store.Tx) error { return tx.MarkSending(ctx, ids) })
	if m := get(ids[0]); m.Reply != store.ReplySending || m.Uncertain() || m.MaybeDelivered || m.MayBeHeld() {
		t.Fatalf("handed over once: %q %+v", m.Reply, m)
	}
	// a's outcome is never recorded (its server died); it is handed over again.
	update(func(tx *store.Tx) error { return tx.MarkSending(ctx, ids[:1]) })
	if m := get(ids[0]); !m.Uncertain() || !m.MaybeDelivered || !m.MayBeHeld() {
		t.Fatalf("handed over again without an outcome: %q %+v", m.Reply, m)
	}
	// d's data reached the mail server and its answer never came: it failed, at its last
	// attempt, and may have been delivered.
	update(func(tx *store.Tx) error {
		return tx.MarkAttempt(ctx, ids[3], store.StatusFailed, store.ReplyNoAnswer+": closing SMTP DATA writer: EOF", now)
	})
	if m := get(ids[3]); m.Status != store.StatusFailed || !m.MaybeDelivered || !m.MayBeHeld() {
		t.Fatalf("failed with no answer to its data: %+v", m)
	}
	// b is deferred: its outcome ends the mark. c is given back unsent.
	update(func(tx *store.Tx) error { return tx.MarkAttempt(ctx, ids[1], store.StatusDeferred, "451 later", now) })
	update(func(tx *store.Tx) error { return tx.Unclaim(ctx, []store.OutboxMessage{*before}) })
	if m := get(ids[2]); m.Reply != before.Reply || m.Status != store.StatusQueued {
		t.Fatalf("given back: %q %s", m.Reply, m.Status)
	}
	update(func(tx *store.Tx) error {
		return tx.FailUnsent(ctx, letter, []string{store.KindLetter}, "withdrawn")
	})
	for i, want := range []string{store.StatusQueued, store.StatusFailed, store.StatusFailed, store.StatusFailed} {
		if m := get(ids[i]); m.Status != want {
			t.Errorf("%s after the withdrawal: %s (%q), want %s", m.Email, m.Status, m.Reply, want)
		}
	}
	for i, held := range []bool{true, false, false, true} {
		if m := get(ids[i]); m.MayBeHeld() != held {
			t.Errorf("%s (%s, %q) may be held: %v, want %v", m.Email, m.Status, m.Reply, m.MayBeHeld(), held)
		}
	}
	// a is refused for the moment, then fails at its last attempt: it may still have been
	// delivered before.
	update(func(tx *store.Tx) error { return tx.MarkAttempt(ctx, ids[0], store.StatusDeferred, "451 later", now) })
	update(func(tx *store.Tx) error { return tx.MarkAttempt(ctx, ids[0], store.StatusFailed, "451 later", now) })
	if m := get(ids[0]); m.Status != store.StatusFailed || m.Reply != "451 later" || !m.MaybeDelivered || !m.MayBeHeld() {
		t.Fatalf("failed after an uncertain attempt: %+v", m)
	}
	// Recorded sent, it is held, and keeps the mark.
	update(func(tx *store.Tx) error { _, err := tx.MarkSent(ctx, ids[0], "250 ok", now); return err })
	if m := get(ids[0]); m.Status != store.StatusSent || !m.MaybeDelivered || !m.MayBeHeld() {
		t.Fatalf("sent after an uncertain attempt: %+v", m)
	}
}

func TestMaybeDeliveredMigrationSQLite(t *testing.T) {
	dir := t.TempDir()
	testMaybeDeliveredMigration(t,
		func(n int) (*store.DB, error) { return store.OpenSQLiteAtForTest(t.Context(), dir, n) },
		func() (*store.DB, error) { return store.OpenSQLite(t.Context(), dir) })
}

func TestMaybeDeliveredMigrationPostgres(t *testing.T) {
	url := storetest.PostgresURL(t)
	testMaybeDeliveredMigration(t,
		func(n int) (*store.DB, error) { return store.OpenPostgresAtForTest(t.Context(), url, n) },
		func() (*store.DB, error) { return store.OpenPostgres(t.Context(), url) })
}

// testMaybeDeliveredMigration: messages stored by schema 34, one handed over twice without an
// outcome ("sending again"), one handed over once, one refused, one sent; migration 35 marks
// the first maybe delivered and no other.
func testMaybeDeliveredMigration(t *testing.T, openAt func(int) (*store.DB, error), open func() (*store.DB, error)) {
	ctx := t.Context()
	old, err := openAt(34)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC().Truncate(time.Second)
	var ids []int64
	err = old.Update(ctx, func(tx *store.Tx) error {
		var rec store.Recipient
		m, l, err := addOutboxFixture(tx, now, &rec, "a@mod.example", "b@mod.example", "c@mod.example", "d@mod.example")
		if err != nil {
			return err
		}
		for _, e := range rec.Emails {
			msg := &store.OutboxMessage{Key: "letter/1/0/" + e, MessageID: "letter." + e, LetterID: l.ID, RecipientID: rec.ID, Email: e,
				Kind: store.KindLetter, NextAt: now, MemberID: m.ID, CreatedAt: now}
			if _, err := tx.Enqueue(ctx, msg); err != nil {
				return err
			}
			ids = append(ids, msg.ID)
		}
		for i, st := range []struct{ status, reply string }{{store.StatusDeferred, store.ReplySendingAgain}, {store.StatusQueued, store.ReplySending},
			{store.StatusDeferred, "451 later"}, {store.StatusSent, "250 ok"}} {
			if err := store.ExecTx(ctx, tx, `UPDATE outbox SET status = $1, reply = $2 WHERE id = $3`, st.status, st.reply, ids[i]); err != nil {
				return err
			}
		}
		return nil
	})
	old.Close()
	if err != nil {
		t.Fatal(err)
	}
	db, err := open()
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for i, want := range []bool{true, false, false, false} {
		var m *store.OutboxMessage
		if err := db.View(ctx, func(tx *store.Tx) (err error) { m, err = tx.OutboxMessage(ctx, ids[i]); return err }); err != nil {
			t.Fatal(err)
		}
		if m.MaybeDelivered != want {
			t.Errorf("%s (%s, %q) after the migration: maybe delivered %v, want %v", m.Email, m.Status, m.Reply, m.MaybeDelivered, want)
		}
	}
}

func TestWebhooksDuePerEndpointSQLite(t *testing.T) {
	testWebhooksDuePerEndpoint(t, openSQLite(t, t.TempDir()))
}

func TestWebhooksDuePerEndpointPostgres(t *testing.T) {
	testWebhooksDuePerEndpoint(t, openPostgres(t, storetest.PostgresURL(t)))
}

// testWebhooksDuePerEndpoint: due webhook deliveries come one per endpoint, the first queued of
// each, oldest first, up to limit endpoints; the endpoints a dispatcher calls busy are skipped,
// and their deliveries are not claimed.
func testWebhooksDuePerEndpoint(t *testing.T, db *store.DB) {
	defer db.Close()
	ctx := t.Context()
	now := time.Now().UTC().Truncate(time.Second)
	var hang, other int64
	err := db.Update(ctx, func(tx *store.Tx) error {
		for _, ep := range []struct {
			name string
			id   *int64
		}{{"hang", &hang}, {"other", &other}} {
			e := &store.WebhookEndpoint{Name: ep.name, URL: "https://" + ep.name + ".example/hook", Secret: "whsec_AAAA", CreatedAt: now}
			if err := tx.AddWebhookEndpoint(ctx, e); err != nil {
				return err
			}
			*ep.id = e.ID
		}
		for i, ep := range []int64{hang, hang, other, hang} {
			d := &store.WebhookDelivery{EndpointID: ep, WebhookID: fmt.Sprintf("msg_%d", i), Event: "letter.released", Payload: []byte(`{}`),
				NextAt: now.Add(time.Duration(i) * time.Millisecond), CreatedAt: now}
			if err := tx.AddWebhookDelivery(ctx, d); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	at := now.Add(time.Second)
	due := func(claim bool, limit int, busy ...int64) (ids []string) {
		t.Helper()
		err := db.Update(ctx, func(tx *store.Tx) error {
			var ds []store.WebhookDelivery
			var err error
			if claim {
				ds, err = tx.ClaimDueWebhookDeliveries(ctx, at, limit, at.Add(time.Minute), busy...)
			} else {
				ds, err = tx.DueWebhookDeliveries(ctx, at, limit, busy...)
			}
			for _, d := range ds {
				ids = append(ids, d.Endpoint.Name+"/"+d.WebhookID)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return ids
	}
	if got := fmt.Sprint(due(false, 10)); got != "[hang/msg_0 other/msg_2]" {
		t.Errorf("due: %s", got)
	}
	if got := fmt.Sprint(due(false, 1)); got != "[hang/msg_0]" {
		t.Errorf("due to one endpoint: %s", got)
	}
	if got := fmt.Sprint(due(true, 10, hang)); got != "[other/msg_2]" {
		t.Errorf("claimed with hang busy: %s", got)
	}
	// hang's deliveries were not claimed: its first is due once it is free.
	if got := fmt.Sprint(due(true, 10)); got != "[hang/msg_0]" {
		t.Errorf("claimed with hang free: %s", got)
	}
}
