package storetest

import (
	"context"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/store"
)

// testErasedAuditEvents checks the one change the audit trail allows (migration 31): erasure
// rewrites the events of an erased letter, packed as any event is; an event of a letter that
// stands cannot be rewritten so. RefusedAuditChanges checks the rest of the rule.
func testErasedAuditEvents(t *testing.T, db *store.DB) {
	erased, stands := ErasedLetterEvents(t, db)
	e := events(t, db, erased)[0]
	e.Detail, e.Actor = "log entry 12: (erased)", "someone"
	update(t, db, func(ctx context.Context, tx *store.Tx) error { return tx.EraseAuditEvent(ctx, e) })
	if got := events(t, db, erased)[0]; got != e {
		t.Errorf("erased event: %+v, want %+v", got, e)
	}
	o := events(t, db, stands)[0]
	o.Detail = "log entry 12: (erased)"
	err := db.Update(t.Context(), func(tx *store.Tx) error { return tx.EraseAuditEvent(t.Context(), o) })
	if err == nil || !strings.Contains(err.Error(), "append-only") {
		t.Errorf("rewrite an event of a letter that stands: %v, want the append-only refusal", err)
	}
	if got := events(t, db, stands)[0]; !strings.Contains(got.Detail, "secret reason") {
		t.Errorf("the event of a letter that stands changed: %+v", got)
	}
}

// ErasedLetterEvents stores two released letters with an audit event each that quotes a
// withdrawal's reason, and erases the first; it returns their references.
func ErasedLetterEvents(t *testing.T, db *store.DB) (erased, stands string) {
	t.Helper()
	m := addMember(t, db, "dana")
	var ls [2]store.Letter
	update(t, db, func(ctx context.Context, tx *store.Tx) error {
		for i := range ls {
			p := &ls[i]
			*p = store.Letter{Reference: []string{"TFN-2020-000001", "TFN-2020-000002"}[i], Subject: "s", Class: "c",
				Tags: []string{}, Addressees: []string{}, AuthorID: m.ID, CreatedAt: t0}
			if err := tx.AddLetter(ctx, p); err != nil {
				return err
			}
			v, f := []string{Digest("v1"), Digest("v2")}[i], []string{Digest("f1"), Digest("f2")}[i]
			for _, d := range []string{v, f} {
				if err := tx.PutBlob(ctx, d, []byte("content "+d)); err != nil {
					return err
				}
			}
			if err := tx.AddVersion(ctx, store.Version{LetterID: p.ID, N: 1, Digest: v, MediaType: "text/plain", FileName: "l.txt", Size: 1, CreatedBy: m.ID, CreatedAt: t0}); err != nil {
				return err
			}
			if err := tx.AddRelease(ctx, store.Release{LetterID: p.ID, VersionN: 1, FileDigest: f, FileName: "l.pdf", MediaType: "application/pdf",
				LogIndex: int64(10 + i), Entry: []byte("entry"), ReleasedBy: m.ID, ReleasedAt: t0}); err != nil {
				return err
			}
			if err := tx.AddAuditEvent(ctx, store.AuditEvent{Time: t0, Actor: "sam", Action: "letter.retraction", Reference: p.Reference,
				Detail: "log entry 12: secret reason", Remote: "192.0.2.1:4000"}); err != nil {
				return err
			}
		}
		return tx.EraseLetter(ctx, ls[0].ID, t0)
	})
	return ls[0].Reference, ls[1].Reference
}

func events(t *testing.T, db *store.DB, ref string) []store.AuditEvent {
	t.Helper()
	var es []store.AuditEvent
	view(t, db, func(ctx context.Context, tx *store.Tx) error {
		var err error
		es, err = tx.AuditEvents(ctx, ref)
		return err
	})
	if len(es) != 1 {
		t.Fatalf("events of %s: %+v", ref, es)
	}
	return es
}

// testErasedDraftAuditEvents: the event of a draft erased (EraseLetter without a release: a
// restored backup's draft of a letter erased since) is rewritten as a released letter's is;
// that of a draft not erased is not.
func testErasedDraftAuditEvents(t *testing.T, db *store.DB) {
	m := addMember(t, db, "dana")
	var ls [2]store.Letter
	update(t, db, func(ctx context.Context, tx *store.Tx) error {
		for i := range ls {
			p := &ls[i]
			*p = store.Letter{Reference: []string{"TFN-2020-000001", "TFN-2020-000002"}[i], Subject: "s", Class: "c",
				Tags: []string{}, Addressees: []string{}, AuthorID: m.ID, CreatedAt: t0}
			if err := tx.AddLetter(ctx, p); err != nil {
				return err
			}
			v := []string{Digest("v1"), Digest("v2")}[i]
			if err := tx.PutBlob(ctx, v, []byte("content "+v)); err != nil {
				return err
			}
			if err := tx.AddVersion(ctx, store.Version{LetterID: p.ID, N: 1, Digest: v, MediaType: "text/plain", FileName: "l.txt", Size: 1, CreatedBy: m.ID, CreatedAt: t0}); err != nil {
				return err
			}
			if err := tx.AddAuditEvent(ctx, store.AuditEvent{Time: t0, Actor: "dana", Action: "draft.export", Reference: p.Reference,
				Detail: "version 1 for Secret Recipient", Remote: "192.0.2.1:4000"}); err != nil {
				return err
			}
		}
		return tx.EraseLetter(ctx, ls[0].ID, t0)
	})
	e := events(t, db, ls[0].Reference)[0]
	e.Detail = "version 1 for (erased)"
	update(t, db, func(ctx context.Context, tx *store.Tx) error { return tx.EraseAuditEvent(ctx, e) })
	if got := events(t, db, ls[0].Reference)[0]; got != e {
		t.Errorf("erased draft's event: %+v, want %+v", got, e)
	}
	o := events(t, db, ls[1].Reference)[0]
	o.Detail = "version 1 for (erased)"
	err := db.Update(t.Context(), func(tx *store.Tx) error { return tx.EraseAuditEvent(t.Context(), o) })
	if err == nil || !strings.Contains(err.Error(), "append-only") {
		t.Errorf("rewrite an event of a draft not erased: %v, want the append-only refusal", err)
	}
}
