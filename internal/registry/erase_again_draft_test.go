package registry

import (
	"context"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/store"
)

// TestEraseAgainADraftWithACopyAndAComment: a draft whose audit trail quotes what erasure
// removes (a draft copy's recipient, a review's comment), erased again as a restored
// backup's draft is at a server's start, is erased with its audit trail. The append-only
// trigger let through only the events of a letter whose release was erased: the erasure
// failed, and the server refused to serve.
func TestEraseAgainADraftWithACopyAndAComment(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	const marker = "Jane Marker-Doe"
	ref := o.letter(t, "Dear Minister, a draft.")
	if _, err := o.r.ExportDraft(ctx, o.drafter, ref, marker); err != nil {
		t.Fatal(err)
	}
	if err := o.r.Approve(ctx, o.reviewer, ref, "", "fine for "+marker); err != nil {
		t.Fatal(err)
	}
	v, err := o.r.Letter(ctx, o.drafter, ref)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := o.r.EraseLetterAgain(ctx, ErasedLetter{Reference: ref, Created: v.CreatedAt, Digest: v.Versions[0].Digest}); err != nil || got != ref {
		t.Fatalf("erase again: %q, %v", got, err)
	}
	evs, err := o.r.Audit(ctx, o.admin, ref)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range evs {
		if strings.Contains(e.Detail, marker) {
			t.Errorf("the erased draft's audit trail quotes it: %s %q", e.Action, e.Detail)
		}
	}
	// Another draft's events stay as they are.
	other := o.letter(t, "Dear Minister, another draft.")
	if _, err := o.r.ExportDraft(ctx, o.drafter, other, marker); err != nil {
		t.Fatal(err)
	}
	err = o.r.cfg.DB.Update(ctx, func(tx *store.Tx) error {
		evs, err := tx.AuditEvents(ctx, other)
		if err != nil {
			return err
		}
		e := evs[len(evs)-1]
		e.Detail = "rewritten"
		return tx.EraseAuditEvent(ctx, e)
	})
	if err == nil || !strings.Contains(err.Error(), "append-only") {
		t.Errorf("an event of a draft not erased was rewritten: %v", err)
	}
}
