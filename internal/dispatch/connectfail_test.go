package dispatch

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/store"
)

// TestConnectFailureNamesNoUser: a connection to the mail server that fails is recorded with
// the server's address and the cause, without the SMTP user, which every member with a role
// reads in dispatch status and which is often a real mailbox. Before the fix the reply was
// "connect to smtps://clerk%40tfn.example:xxxxx@127.0.0.1:…: …".
func TestConnectFailureNamesNoUser(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	mp := startMailpit(t)
	d := o.dispatcher(t, mp, 3)
	closed := freePort(t)
	d.cfg.SMTP = &SMTP{TLS: true, User: "clerk@tfn.example", Password: "hunter2"}
	d.cfg.SMTP.Host, d.cfg.SMTP.Port = splitHostPort(t, closed)
	d.cfg.Backoff, d.cfg.MaxBackoff = time.Hour, time.Hour
	runDispatcher(t, d)
	o.recipient(t, "ministry", "registry@mod.freedonia.example")
	ref := o.release(t, "The brigade moves north on 3 March.")
	if _, err := o.r.Dispatch(ctx, o.officer, ref, []string{"ministry"}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the failed connection recorded", func() bool { return o.status(t, ref)[0].Status == store.StatusDeferred })
	reply := o.status(t, ref)[0].Reply
	if strings.Contains(reply, "clerk") || strings.Contains(reply, "xxxxx") || !strings.Contains(reply, "smtps://"+closed) {
		t.Fatalf("a failed connection recorded as %q: want the server's address and no user", reply)
	}
}
