package dispatch

import (
	"context"
	"fmt"
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
	url := storetest.PostgresURL(t)
	mp := startMailpit(t)
	db, err := store.OpenPostgres(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	a := newOfficeIn(t, db)
	b := a.twin(t, url)
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
