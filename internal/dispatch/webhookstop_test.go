package dispatch

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/store"
)

// TestWebhookCutOffByShutdownIsRecorded: a webhook post under way when the server stops is
// recorded, as a mail attempt cut off after its data is: an attempt whose outcome is unknown
// (the endpoint may have the event), due again at once, for this server's next start or, on
// PostgreSQL, another server. Before the fix the attempt went unrecorded (its record used the
// stopped context): on PostgreSQL the delivery stayed claimed for two minutes, and the log
// showed it queued with no attempt.
func TestWebhookCutOffByShutdownIsRecorded(t *testing.T) {
	for _, backend := range []string{"sqlite", "postgres"} {
		t.Run(backend, func(t *testing.T) {
			ctx := context.Background()
			o := officeOn(t, backend)
			mp := startMailpit(t)
			d := o.dispatcher(t, mp, 3)
			arrived := make(chan struct{}, 1)
			hang := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				io.Copy(io.Discard, r.Body) // the server notices the client leave once the body is read
				select {
				case arrived <- struct{}{}:
				default:
				}
				<-r.Context().Done()
			}))
			t.Cleanup(hang.Close)
			if _, err := o.r.AddWebhook(ctx, o.admin, "records", hang.URL); err != nil {
				t.Fatal(err)
			}
			runCtx, stop := context.WithCancel(ctx)
			done := make(chan struct{})
			go func() { defer close(done); d.Run(runCtx) }()
			o.release(t, "The brigade moves north on 3 March.")
			<-arrived
			stop()
			<-done
			log, err := o.r.WebhookLog(ctx, o.admin, 10)
			if err != nil {
				t.Fatal(err)
			}
			if len(log) != 1 || log[0].Status != store.StatusDeferred || log[0].Attempts != 1 || !strings.Contains(log[0].Reply, "may have received") {
				t.Fatalf("the post cut off by the shutdown: %+v, want one attempt recorded, its outcome unknown", log)
			}
			var due []store.WebhookDelivery
			err = o.db.View(ctx, func(tx *store.Tx) error {
				due, err = tx.DueWebhookDeliveries(ctx, o.now(), 10)
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			if len(due) != 1 {
				t.Fatalf("%d deliveries due after the shutdown, want the one cut off", len(due))
			}
		})
	}
}
