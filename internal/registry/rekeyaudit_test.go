package registry

import (
	"context"
	"strings"
	"testing"
	"time"
)

// TestRekeyAuditSaysTheOverlap: the trail of 'webhook rekey' said "webhook.rekey NAME" whatever
// the overlap, so that after a leaked secret an auditor could not tell a secret cut off at
// once (--overlap 0) from one left signing for a day beside the new one (the default). The
// record now says until when the previous secret signs, or that it signs no more.
func TestRekeyAuditSaysTheOverlap(t *testing.T) {
	o := newOffice(t)
	ctx := context.Background()
	if _, err := o.r.AddWebhook(ctx, o.admin, "records", "https://records.example/in"); err != nil {
		t.Fatal(err)
	}
	_, until, err := o.r.RekeyWebhook(ctx, o.admin, "records", DefaultWebhookOverlap)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := o.r.RekeyWebhook(ctx, o.admin, "records", 0); err != nil {
		t.Fatal(err)
	}
	evs, err := o.r.OfficeAudit(ctx, o.admin, 0, 10)
	if err != nil {
		t.Fatal(err)
	}
	var rekeys []string
	for _, e := range evs {
		if e.Action == "webhook.rekey" {
			rekeys = append(rekeys, e.Detail)
		}
	}
	want := []string{"records, the previous secret signing no more",
		"records, the previous secret signing beside the new one until " + until.UTC().Format(time.RFC3339)}
	if strings.Join(rekeys, "\n") != strings.Join(want, "\n") {
		t.Errorf("the trail of two rekeys, newest first:\n%s\nwant\n%s", strings.Join(rekeys, "\n"), strings.Join(want, "\n"))
	}
}
