package dispatch

import (
	"context"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/registry"
	"github.com/chancery/chancery/internal/store"
)

// TestLapsedPreviousSecretIsForgotten: a rekey's previous secret, its overlap ended, signed
// nothing but stayed in the database, in clear, until the endpoint's next rekey or removal,
// and so in every backup and copy taken meanwhile (fifty-eighth session's review). The webhook
// worker deletes it; a previous secret still in its overlap is kept.
func TestLapsedPreviousSecretIsForgotten(t *testing.T) {
	onBothStores(t, lapsedPreviousSecretIsForgotten)
}

func lapsedPreviousSecretIsForgotten(t *testing.T, o *office) {
	ctx := context.Background()
	for _, name := range []string{"lapsed", "current"} {
		if _, err := o.r.AddWebhook(ctx, o.admin, name, "https://"+name+".example/hook"); err != nil {
			t.Fatal(err)
		}
	}
	// A rekey a day and a minute ago, its overlap ended; one now, in its overlap.
	o.advance(-registry.DefaultWebhookOverlap - time.Minute)
	_, _, err := o.r.RekeyWebhook(ctx, o.admin, "lapsed", registry.DefaultWebhookOverlap)
	o.advance(registry.DefaultWebhookOverlap + time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := o.r.RekeyWebhook(ctx, o.admin, "current", registry.DefaultWebhookOverlap); err != nil {
		t.Fatal(err)
	}
	kept := func() map[string]bool {
		var eps []store.WebhookEndpoint
		if err := o.db.View(ctx, func(tx *store.Tx) (err error) { eps, err = tx.WebhookEndpoints(ctx); return err }); err != nil {
			t.Fatal(err)
		}
		out := map[string]bool{}
		for _, e := range eps {
			out[e.Name] = e.PreviousSecret != ""
		}
		return out
	}
	if k := kept(); !k["lapsed"] || !k["current"] {
		t.Fatalf("previous secrets kept before the worker runs: %v, want both", k)
	}
	d, err := New(Config{Registry: o.r, Poll: 20 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	runDispatcher(t, d)
	waitFor(t, "the lapsed previous secret forgotten", func() bool { return !kept()["lapsed"] })
	if !kept()["current"] {
		t.Error("the previous secret still in its overlap was forgotten")
	}
}
