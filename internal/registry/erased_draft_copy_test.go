package registry

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/store"
)

// TestErasedDraftCopyIsNotSent: a draft copy queued before its draft was erased again (a
// database restored from a backup taken while the letter was a draft, EraseLetterAgain at
// the server's start) is not sent: its file is gone, and the recipient it was for is not
// written back into the erased letter's audit trail by its delivery.
func TestErasedDraftCopyIsNotSent(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	o.r.SetDispatch(DispatchSettings{Mail: true})
	const marker = "jane-marker-doe"
	if _, _, err := o.r.AddRecipient(ctx, o.admin, NewRecipient{Name: marker, Emails: []string{"jane@liaison.example"}}); err != nil {
		t.Fatal(err)
	}
	ref := o.letter(t, "Dear Minister, a draft for "+marker+".")
	if _, err := o.r.SendDraft(ctx, o.drafter, ref, marker); err != nil {
		t.Fatal(err)
	}
	v, err := o.r.Letter(ctx, o.drafter, ref)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := o.r.EraseLetterAgain(ctx, ErasedLetter{Reference: ref, Created: v.CreatedAt, Digest: v.Versions[0].Digest}); err != nil || got != ref {
		t.Fatalf("erase again: %q, %v", got, err)
	}
	var ms []store.OutboxMessage
	if err := o.r.cfg.DB.View(ctx, func(tx *store.Tx) error {
		ms, err = tx.DueMessages(ctx, o.r.now().Add(24*60*60*1e9), 10)
		return err
	}); err != nil || len(ms) != 1 {
		t.Fatalf("queued: %v, %v", ms, err)
	}
	if out, err := o.r.Compose(ctx, ms[0]); !errors.Is(err, ErrUndeliverable) {
		t.Errorf("the erased draft's copy composed: %v (%d attachments)", err, len(out.Attachments))
	}
	// A copy handed to the mail server before the erasure, its acceptance recorded after.
	if err := o.r.Delivered(ctx, Delivery{Message: ms[0], Reply: "250 ok"}); err != nil {
		t.Fatal(err)
	}
	evs, err := o.r.Audit(ctx, o.admin, ref)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range evs {
		if strings.Contains(e.Detail, marker) || strings.Contains(e.Detail, "jane@") {
			t.Errorf("the erased draft's audit trail names its copy's recipient: %s %q", e.Action, e.Detail)
		}
	}
}
