package storetest

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/store"
)

const hex64 = "9960d119171b13b8cc0c0b07b889d2f078e94be868a507a3dd1f7a4471a487a2"

// Digests are values the digest columns of approvals and signatures must give back exactly,
// whether or not they are stored compact (issue 19 item 5): canonical SHA-256 digests, and
// strings that only look like one.
var Digests = []string{
	"sha256:" + hex64,
	"sha256:" + strings.ToUpper(hex64),
	"sha256:" + hex64[:63],
	"sha256:" + hex64 + "0",
	"sha512:" + hex64 + hex64,
	"sha256:aa",
	"",
	"é, a digest of 31 bytes long...",
	hex64,
}

// Details are audit event details that must read back exactly: the registry's (quoting
// digests and key IDs in hex, which are stored as bytes), and any other text.
var Details = []string{
	"",
	"version 1 sha256:" + hex64 + " (application/octet-stream, 102409 bytes)",
	"version 1 sha256:" + hex64 + " with key " + hex64[1:] + "0",
	"version 2 sha256:" + hex64 + ": reviewed",
	hex64,
	hex64 + hex64 + hex64[:10],
	"x" + hex64[:63] + "y" + hex64[:63],
	"sha256:" + strings.ToUpper(hex64),
	"sha256:" + hex64[:32] + "G" + hex64[33:] + ", sha256:" + hex64,
	"\x01 a detail starting with the packed tag, sha256:" + hex64,
	"\x02 and " + hex64,
	"admin (admin)",
	"Rücknahme, sha256:" + hex64 + " — خطاب",
}

// AuditTimes are audit event times that must read back equal.
var AuditTimes = []time.Time{
	time.Date(2026, 11, 30, 16, 33, 43, 114435755, time.UTC),
	time.Date(2026, 11, 30, 16, 33, 43, 0, time.UTC),
	time.Date(2026, 11, 30, 16, 33, 43, 500000000, time.UTC),
	time.Date(2026, 11, 30, 16, 33, 43, 1, time.UTC),
	time.Date(2026, 11, 30, 16, 33, 43, 10, time.UTC),
	time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC),
	time.Date(1900, 2, 28, 23, 59, 59, 999999999, time.UTC),
	time.Date(2262, 4, 11, 0, 0, 0, 0, time.UTC),
}

// testCompactRows checks that approvals, signatures and audit events read back exactly what
// was written, in their compact stored forms (issue 19 item 5).
func testCompactRows(t *testing.T, db *store.DB) {
	m := addMember(t, db, "cora")
	var l store.Letter
	update(t, db, func(ctx context.Context, tx *store.Tx) error {
		l = store.Letter{Reference: "TCR-2026-000001", Subject: "s", Class: "c", AuthorID: m.ID, CreatedAt: t0}
		if err := tx.AddLetter(ctx, &l); err != nil {
			return err
		}
		if err := tx.AddSignerKey(ctx, store.SignerKey{KeyID: "k1", MemberID: m.ID, PublicKey: []byte("pk"), CreatedAt: t0}); err != nil {
			return err
		}
		for i, d := range Digests {
			p := Digests[len(Digests)-1-i]
			if err := tx.AddApproval(ctx, store.Approval{LetterID: l.ID, VersionDigest: d, PolicyDigest: p, MemberID: m.ID,
				Role: "reviewer", Decision: "approve", Comment: "ok", CreatedAt: t0}); err != nil {
				return err
			}
			if err := tx.AddSignature(ctx, store.SignatureRow{LetterID: l.ID, VersionDigest: d, PolicyDigest: p, MemberID: m.ID,
				KeyID: "k1", Sig: []byte{byte(i)}, CreatedAt: t0}); err != nil {
				return err
			}
		}
		for i, d := range Details {
			at := AuditTimes[i%len(AuditTimes)]
			if err := tx.AddAuditEvent(ctx, store.AuditEvent{Time: at, Actor: "cora", Action: "letter.test", Reference: l.Reference, Detail: d, Remote: "127.0.0.1:1"}); err != nil {
				return err
			}
		}
		return nil
	})
	view(t, db, func(ctx context.Context, tx *store.Tx) error {
		CheckCompactRows(t, tx, l.ID, l.Reference)
		// A member's decisions on every letter not released read back as the letter's do.
		byLetter, err := tx.Approvals(ctx, l.ID)
		if err != nil {
			return err
		}
		byMember, err := tx.UnreleasedApprovalsBy(ctx, m.ID)
		if err != nil {
			return err
		}
		if len(byMember) != len(byLetter) {
			t.Fatalf("%d approvals by the member, %d on the letter", len(byMember), len(byLetter))
		}
		for i := range byMember {
			if byMember[i] != byLetter[i] {
				t.Errorf("approval %d by the member %+v, on the letter %+v", i, byMember[i], byLetter[i])
			}
		}
		if none, err := tx.UnreleasedApprovalsBy(ctx, m.ID+1000); err != nil || len(none) != 0 {
			t.Errorf("approvals by a member who gave none: %+v, %v", none, err)
		}
		return nil
	})
	err := db.Update(t.Context(), func(tx *store.Tx) error {
		return tx.AddAuditEvent(t.Context(), store.AuditEvent{Time: time.Time{}, Actor: "cora", Action: "x", Reference: l.Reference})
	})
	if err == nil {
		t.Error("an audit event at the zero time was stored; its time cannot be kept in Unix nanoseconds")
	}
}

// CheckCompactRows checks that the letter's approvals and signatures hold Digests, and its
// audit events Details at AuditTimes, as testCompactRows writes them and as a migrated store
// must read them.
func CheckCompactRows(t *testing.T, tx *store.Tx, letterID int64, ref string) {
	t.Helper()
	ctx := t.Context()
	as, err := tx.Approvals(ctx, letterID)
	if err != nil {
		t.Fatal(err)
	}
	ss, err := tx.Signatures(ctx, letterID)
	if err != nil {
		t.Fatal(err)
	}
	if len(as) != len(Digests) || len(ss) != len(Digests) {
		t.Fatalf("%d approvals and %d signatures, want %d", len(as), len(ss), len(Digests))
	}
	for i, d := range Digests {
		p := Digests[len(Digests)-1-i]
		if as[i].VersionDigest != d || as[i].PolicyDigest != p || as[i].Comment != "ok" || !as[i].CreatedAt.Equal(t0) {
			t.Errorf("approval %d: %q %q %q %v, want %q %q", i, as[i].VersionDigest, as[i].PolicyDigest, as[i].Comment, as[i].CreatedAt, d, p)
		}
		if ss[i].VersionDigest != d || ss[i].PolicyDigest != p || ss[i].KeyID != "k1" || string(ss[i].Sig) != string([]byte{byte(i)}) {
			t.Errorf("signature %d: %q %q %q %x, want %q %q", i, ss[i].VersionDigest, ss[i].PolicyDigest, ss[i].KeyID, ss[i].Sig, d, p)
		}
	}
	evs, err := tx.AuditEvents(ctx, ref)
	if err != nil {
		t.Fatal(err)
	}
	if len(evs) != len(Details) {
		t.Fatalf("%d audit events, want %d", len(evs), len(Details))
	}
	for i, e := range evs {
		at := AuditTimes[i%len(AuditTimes)]
		if e.Detail != Details[i] || !e.Time.Equal(at) || e.Time.Location() != time.UTC || e.Actor != "cora" || e.Action != "letter.test" || e.Reference != ref || e.Remote != "127.0.0.1:1" {
			t.Errorf("audit event %d: %+v, want detail %q at %s", i, e, Details[i], at.Format(time.RFC3339Nano))
		}
	}
}

// LifeEvents are the audit events of a letter's life as the registry writes them (issue 19
// item 5: their actions and phrases are stored as one byte each), and others: every one must
// read back exactly.
var LifeEvents = []store.AuditEvent{
	{Action: "letter.create", Detail: "version 1 sha256:" + hex64 + " (application/octet-stream, 102411 bytes)"},
	{Action: "letter.revise", Detail: "version 2 sha256:" + hex64 + " (text/plain; charset=utf-8, 12 bytes)"},
	{Action: "letter.approve", Detail: "version 1 sha256:" + hex64 + ": reviewed"},
	{Action: "letter.reject", Detail: "version 1 sha256:" + hex64},
	{Action: "letter.sign", Detail: "version 1 sha256:" + hex64 + " with key " + hex64},
	{Action: "letter.release", Detail: "version 1 sha256:" + hex64 + ", log entry 502, signed by bench-signer"},
	{Action: "letter.dispatch", Detail: "queued to Ada <ada@example.org>; Bob <bob@example.org>"},
	{Action: "letter.received", Detail: "notice received by Ada <ada@example.org> (<m1@example.org>)"},
	{Action: "letter.retraction", Detail: "log entry 9: sent in error"},
	{Action: "letter.supersession", Detail: "by TCR-2026-000002, log entry 10: corrected"},
	{Action: "letter.erase", Detail: "content erased (log entry 7 kept): asked by the addressee"},
	{Action: "draft.export", Detail: "version 1 sha256:" + hex64 + " for Ada, by mail to ada@example.org"},
	{Action: "dispatch.sent", Detail: "letter to Ada <ada@example.org>"},
	{Action: "dispatch.failed", Detail: "letter to Ada <ada@example.org> after 5 attempts: 550 no such user"},
	{Action: "letter.sign", Detail: "\x03 starts as a stored form, sha256:" + hex64},
	{Action: "letter.sign", Detail: "a tab\tversion 1 sha256:" + hex64},
	{Action: "letter.create", Detail: ""},
	{Action: "member.add", Detail: "admin (admin)"},
	{Action: "policy.adopt", Detail: "default sha256:" + hex64 + ", log entry 3"},
	{Action: "", Detail: "version 1 sha256:" + hex64},
	{Action: "letter.test", Detail: "Rücknahme, version 3 — خطاب"},
}

// Remotes are remote addresses of audit events that must read back exactly: as net/http gives
// them (stored as bytes) and others.
var Remotes = []string{"127.0.0.1:1", "[2001:db8::1]:443", "worker", "[fe80::1%eth0]:80", "", "192.0.2.1", "[::ffff:192.0.2.1]:8080"}

// testAuditWords checks that LifeEvents read back exactly, each with its own action and
// remote address.
func testAuditWords(t *testing.T, db *store.DB) {
	ref := "TAW-2026-000001"
	update(t, db, func(ctx context.Context, tx *store.Tx) error {
		for i, e := range LifeEvents {
			e.Time, e.Actor, e.Reference, e.Remote = AuditTimes[i%len(AuditTimes)], "cora", ref, Remotes[i%len(Remotes)]
			if err := tx.AddAuditEvent(ctx, e); err != nil {
				return err
			}
		}
		return nil
	})
	view(t, db, func(ctx context.Context, tx *store.Tx) error {
		CheckLifeEvents(t, tx, ref, 0)
		return nil
	})
}

// CheckLifeEvents checks that the events about ref, from the skip-th on, are LifeEvents as
// testAuditWords writes them, from Remotes.
func CheckLifeEvents(t *testing.T, tx *store.Tx, ref string, skip int) {
	t.Helper()
	evs, err := tx.AuditEvents(t.Context(), ref)
	if err != nil {
		t.Fatal(err)
	}
	if len(evs) != skip+len(LifeEvents) {
		t.Fatalf("%d audit events, want %d", len(evs), skip+len(LifeEvents))
	}
	for i, e := range evs[skip:] {
		w := LifeEvents[i]
		if e.Action != w.Action || e.Detail != w.Detail || !e.Time.Equal(AuditTimes[i%len(AuditTimes)]) || e.Actor != "cora" || e.Reference != ref || e.Remote != Remotes[i%len(Remotes)] {
			t.Errorf("audit event %d: %+v, want %q %q", i, e, w.Action, w.Detail)
		}
	}
}
