package store_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/store"
	"github.com/chancery/chancery/internal/store/storetest"
)

// orderedNames are names whose order by bytes ("B", "Z", "_x", "a", …) differs from their order
// under a language's collation, which ignores case and punctuation at first ("_x", "a", "a-c",
// "ab", "b", "B", "Z").
var orderedNames = []string{"Z", "a-c", "b", "_x", "B", "ab", "a", "\u00e9mile"}

// namesListInByteOrder checks that recipients, webhooks and witnesses are listed in the
// order of their names' bytes: the same on every backend, whatever collation a PostgreSQL
// database was created with.
func namesListInByteOrder(t *testing.T, db *store.DB) {
	ctx := context.Background()
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	err := db.Update(ctx, func(tx *store.Tx) error {
		for i, n := range orderedNames {
			if err := tx.AddRecipient(ctx, &store.Recipient{Name: n, Emails: []string{"r@example.org"}, CreatedAt: at}); err != nil {
				return err
			}
			if err := tx.AddWebhookEndpoint(ctx, &store.WebhookEndpoint{Name: n, URL: "https://hooks.example/" + n, Secret: "s", CreatedAt: at}); err != nil {
				return err
			}
			if err := tx.AddWitness(ctx, store.Witness{Name: n, URL: "https://witness.example/" + n, VKey: "vkey" + string(rune('a'+i)), AddedAt: at}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want := slices.Clone(orderedNames)
	slices.Sort(want)
	err = db.View(ctx, func(tx *store.Tx) error {
		rs, err := tx.Recipients(ctx)
		if err != nil {
			return err
		}
		es, err := tx.WebhookEndpoints(ctx)
		if err != nil {
			return err
		}
		ws, err := tx.Witnesses(ctx)
		if err != nil {
			return err
		}
		for what, names := range map[string][]string{
			"recipients": namesOf(rs, func(r store.Recipient) string { return r.Name }),
			"webhooks":   namesOf(es, func(e store.WebhookEndpoint) string { return e.Name }),
			"witnesses":  namesOf(ws, func(w store.Witness) string { return w.Name }),
		} {
			if !slices.Equal(names, want) {
				t.Errorf("%s listed %q, want %q", what, names, want)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func namesOf[T any](xs []T, name func(T) string) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = name(x)
	}
	return out
}

func TestNamesListInByteOrder(t *testing.T) { namesListInByteOrder(t, openSQLite(t, t.TempDir())) }

func TestNamesListInByteOrderPostgresICU(t *testing.T) {
	namesListInByteOrder(t, openPostgres(t, storetest.PostgresURLCollated(t, "en")))
}
