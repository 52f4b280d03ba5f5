package registry

import (
	"context"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/store"
)

// TestOneMailboxOneCopy: addresses were told apart byte for byte, so Registry@Mod.example and
// Registry@mod.example, one mailbox (a domain is case-insensitive, RFC 5321), got two copies
// of a letter with two receipt links (fifty-sixth session's not-fixed list). The directory
// keeps one address per mailbox, as first written; a dispatch finds a message queued to the
// mailbox under any form, also one queued before the fix under the key it was stored with,
// which keeps its Message-ID and receipt link; and a message waiting to the mailbox still
// goes after an admin writes its domain in another case.
func TestOneMailboxOneCopy(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	o.r.SetDispatch(DispatchSettings{Mail: true})
	o.addRecipients(t, NewRecipient{Name: "ministry", Organization: "Ministry of Defence of Freedonia",
		Emails: []string{"Registry@Mod.example", "Registry@mod.EXAMPLE", "registry@mod.example"}})
	rs, err := o.r.Recipients(ctx, o.admin)
	if err != nil {
		t.Fatal(err)
	}
	// The local part is the receiving server's to read: registry@ is kept apart.
	if want := []string{"Registry@Mod.example", "registry@mod.example"}; len(rs) != 1 || !slices.Equal(rs[0].Emails, want) {
		t.Fatalf("the directory holds %+v, want the addresses %q", rs, want)
	}
	if _, err := o.r.SetRecipientEmails(ctx, o.admin, "ministry", []string{"Registry@Mod.example"}); err != nil {
		t.Fatal(err)
	}

	// A letter queued to the mailbox before the fix: keyed with its address as written.
	ref, _ := o.released(t, "The patrols resume on Monday.")
	var old store.OutboxMessage
	if err := o.r.cfg.DB.Update(ctx, func(tx *store.Tx) error {
		l, err := tx.LetterByRef(ctx, ref)
		if err != nil {
			return err
		}
		rec, err := activeRecipient(ctx, tx, "ministry")
		if err != nil {
			return err
		}
		key := "letter/" + strconv.FormatInt(l.ID, 10) + "/0/Registry@Mod.example"
		mid, tok, err := o.r.messageKeys(key)
		if err != nil {
			return err
		}
		old = store.OutboxMessage{Key: key, MessageID: mid, LetterID: l.ID, RecipientID: rec.ID, Email: "Registry@Mod.example", Kind: store.KindLetter,
			NextAt: o.r.now(), MemberID: o.officer.Member.ID, CreatedAt: o.r.now(), ReceiptHash: HashToken(tok)}
		_, err = tx.Enqueue(ctx, &old)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	// The admin writes the domain in another case: the same mailbox.
	if _, err := o.r.SetRecipientEmails(ctx, o.admin, "ministry", []string{"Registry@MOD.example"}); err != nil {
		t.Fatal(err)
	}
	wantErr(t, "dispatch to a mailbox the letter is queued to", func() error {
		_, err := o.r.Dispatch(ctx, o.officer, ref, []string{"ministry"})
		return err
	}(), ErrConflict)

	due, err := o.r.DueMessages(ctx, 100, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if len(due) != 1 || due[0].Key != old.Key || due[0].MessageID != old.MessageID {
		t.Fatalf("waiting: %+v, want the one message queued before, under its key", due)
	}
	out, err := o.r.Compose(ctx, due[0])
	if err != nil {
		t.Fatalf("compose the letter waiting to the mailbox the admin wrote in another case: %v", err)
	}
	if out.To != "Registry@mod.example" || out.MessageID != old.MessageID {
		t.Errorf("composed to %q as %q", out.To, out.MessageID)
	}
	if err := o.r.Delivered(ctx, Delivery{Message: due[0], Reply: "250 ok"}); err != nil {
		t.Fatal(err)
	}
	_, tok, err := o.r.messageKeys(old.Key)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := o.r.Receipt(ctx, tok); err != nil {
		t.Errorf("the receipt link of the message queued before: %v", err)
	}

	// A new letter is keyed with the domain folded.
	ref2, _ := o.released(t, "The patrols resume on Tuesday.")
	vs, err := o.r.Dispatch(ctx, o.officer, ref2, []string{"ministry"})
	if err != nil {
		t.Fatal(err)
	}
	if len(vs) != 1 || vs[0].Email != "Registry@MOD.example" {
		t.Fatalf("dispatched %+v", vs)
	}
	if _, err := o.r.SetRecipientEmails(ctx, o.admin, "ministry", []string{"Registry@mod.example"}); err != nil {
		t.Fatal(err)
	}
	wantErr(t, "dispatch again to the mailbox", func() error {
		_, err := o.r.Dispatch(ctx, o.officer, ref2, []string{"ministry"})
		return err
	}(), ErrConflict)

	// A recipient whose addresses were stored before the fix, one mailbox in two cases, gets
	// one coordination copy of a draft.
	o.addRecipients(t, NewRecipient{Name: "liaison", Organization: "Liaison cell", Emails: []string{"Cell@Liaison.example"}})
	if err := o.r.cfg.DB.Update(ctx, func(tx *store.Tx) error {
		rec, err := activeRecipient(ctx, tx, "liaison")
		if err != nil {
			return err
		}
		return tx.SetRecipientEmails(ctx, rec.ID, []string{"Cell@Liaison.example", "Cell@liaison.example"})
	}); err != nil {
		t.Fatal(err)
	}
	draft, err := o.r.CreateLetter(ctx, o.drafter, NewLetter{Subject: "Joint exercise", Class: "internal",
		Addressees: []string{"Liaison cell"}, File: Upload{Name: "letter.txt", Data: []byte("The patrols resume.")}})
	if err != nil {
		t.Fatal(err)
	}
	vs, err = o.r.SendDraft(ctx, o.drafter, draft, "liaison")
	if err != nil {
		t.Fatalf("send a draft to a recipient with one mailbox in two cases: %v", err)
	}
	if len(vs) != 1 || vs[0].Email != "Cell@Liaison.example" {
		t.Errorf("draft copies: %+v, want one", vs)
	}
}
