package dispatch

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/store"
	"github.com/chancery/chancery/internal/store/storetest"
)

// Two servers on one PostgreSQL database, each with a dispatcher into the same Mailpit: every
// message leaves once, and a message that a third dispatcher took and never sent (a server
// that stopped) leaves once its claim lapses, not before.
func TestTwoServersDispatch(t *testing.T) {
	mp, a, b := twoServers(t)
	const n = 60
	var emails []string
	for i := range n {
		emails = append(emails, fmt.Sprintf("desk%02d@pair.example", i))
	}
	a.recipient(t, "pair", emails...)
	ref := a.release(t, "Two servers, one outbox.")
	da, db2 := a.dispatcher(t, mp, 3), b.dispatcher(t, mp, 3)
	ctx := context.Background()
	if _, err := b.r.Dispatch(ctx, b.officer, ref, []string{"pair"}); err != nil {
		t.Fatal(err)
	}

	// A server takes five messages and stops before sending them.
	const lapse = time.Second
	taken, err := a.r.DueMessages(ctx, 5, lapse)
	if err != nil {
		t.Fatal(err)
	}
	if len(taken) != 5 {
		t.Fatalf("took %d messages, want 5", len(taken))
	}
	claimedUntil := time.Now().Add(lapse)
	stopped := map[string]bool{}
	for _, m := range taken {
		stopped[m.MessageID] = true
	}

	runDispatcher(t, da)
	runDispatcher(t, db2)
	waitFor(t, "every message sent", func() bool {
		sent := 0
		for _, v := range a.status(t, ref) {
			if v.Status == "sent" {
				sent++
			}
		}
		return sent == n
	})
	for _, v := range a.status(t, ref) {
		if stopped[v.MessageID] && v.SentAt.Before(claimedUntil.Add(-50*time.Millisecond)) {
			t.Errorf("%s was sent at %v, while the stopped server's claim ran to %v", v.Email, v.SentAt, claimedUntil)
		}
	}
	ids := map[string]int{}
	for _, m := range mp.messages(t) {
		if strings.HasSuffix(m.To[0].Address, "@pair.example") {
			ids[m.MessageID]++
		}
	}
	if len(ids) != n {
		t.Fatalf("Mailpit has %d distinct Message-IDs for the %d messages", len(ids), n)
	}
	for id, k := range ids {
		if k != 1 {
			t.Errorf("message %s was sent %d times", id, k)
		}
	}
}

// A dispatcher that stops gives back, on PostgreSQL, the messages it claimed and did not
// attempt, so that another server sends them at once; the one a connection was sending stays
// claimed.
func TestStoppingDispatcherGivesBack(t *testing.T) {
	url := storetest.PostgresURL(t)
	db, err := store.OpenPostgres(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	o := newOfficeIn(t, db)
	// A mail server that greets, answers EHLO, then never answers MAIL: the one connection stays
	// on its first message, whose exchange has begun (a dispatcher stopped while it still
	// connects gives the message back too, rightly, and the test would not know which).
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	conns := make(chan net.Conn, 8)
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			conns <- c
		}
	}()
	sm, err := ParseSMTP("smtp://" + ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	d, err := New(Config{Registry: o.r, SMTP: sm, From: "registry@tfn.example", Connections: 1, Poll: 20 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	o.recipient(t, "four", "w@four.example", "x@four.example", "y@four.example", "z@four.example")
	ref := o.release(t, "Given back when the server stops.")
	ctx := context.Background()
	if _, err := o.r.Dispatch(ctx, o.officer, ref, []string{"four"}); err != nil {
		t.Fatal(err)
	}
	dueNow := func() int {
		t.Helper()
		var n int
		err := db.View(ctx, func(tx *store.Tx) error {
			ms, err := tx.DueMessages(ctx, time.Now(), 10)
			n = len(ms)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { defer close(done); d.Run(runCtx) }()
	// The dispatcher has claimed all four once none is due to anyone else, and its one
	// connection has started on the first once the mail server reads its MAIL command:
	// stopping earlier gives back all four, rightly.
	waitFor(t, "the four messages claimed", func() bool { return dueNow() == 0 })
	var conn net.Conn
	select {
	case conn = <-conns:
	case <-time.After(time.Minute):
		t.Fatal("the dispatcher never connected to the mail server")
	}
	conn.SetDeadline(time.Now().Add(time.Minute))
	r := bufio.NewReader(conn)
	fmt.Fprint(conn, "220 mail.example ESMTP\r\n")
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			t.Fatalf("the mail server's exchange: %v", err)
		}
		if strings.HasPrefix(strings.ToUpper(line), "MAIL FROM") {
			break
		}
		fmt.Fprint(conn, "250 mail.example\r\n") // EHLO, and go-mail's NOOP before a message
	}
	stop()
	// The server hangs up, so that the connection stops waiting for its greeting now rather
	// than after its timeout.
	conn.Close()
	<-done
	if n := dueNow(); n != 3 {
		t.Fatalf("%d messages due after the dispatcher stopped, want the 3 it had not started", n)
	}
}

// Two servers on one PostgreSQL database whose clocks differ by more than a claim: what one
// server claimed, the other does not take too. Claims used to be made and read by each
// server's own clock, so the server ahead saw every claim of the other as lapsed and sent its
// messages a second time.
func TestClaimHoldsAcrossServerClocks(t *testing.T) {
	mp, a, b := twoServers(t)
	b.advance(5 * time.Minute)
	a.recipient(t, "pair", "desk1@skew.example", "desk2@skew.example")
	ref := a.release(t, "Two servers, two clocks.")
	a.dispatcher(t, mp, 3)
	b.dispatcher(t, mp, 3)
	ctx := context.Background()
	if _, err := a.r.Dispatch(ctx, a.officer, ref, []string{"pair"}); err != nil {
		t.Fatal(err)
	}
	taken, err := a.r.DueMessages(ctx, 10, 2*time.Minute)
	if err != nil || len(taken) != 2 {
		t.Fatalf("the server behind took %d messages, %v; want 2", len(taken), err)
	}
	again, err := b.r.DueMessages(ctx, 10, 2*time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if len(again) != 0 {
		t.Errorf("the server 5 minutes ahead took %d messages the other had claimed for 2 minutes", len(again))
	}
}

// twoServers starts Mailpit and two servers of one office on the test PostgreSQL database.
func twoServers(t *testing.T) (*mailpit, *office, *office) {
	url := storetest.PostgresURL(t)
	mp := startMailpit(t)
	db, err := store.OpenPostgres(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	a := newOfficeIn(t, db)
	return mp, a, a.twin(t, url)
}
