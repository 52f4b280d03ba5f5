package registry

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/seal"
	"github.com/chancery/chancery/internal/store"
)

// TestEraseLeftoversOfAnEarlierBuild: builds before migration 31 erased a letter's content
// but left, in the audit trail every member with a role reads, its draft copy's recipient,
// its review's comment and its withdrawal's reason, and the names of its uploaded and
// released files (found live: an office erased a letter with the build of f911845, then
// upgraded; `chancery audit` and `letter show` still quoted them). The upgraded server
// erases them once, keeping the erasure's time and every event in its place.
func TestEraseLeftoversOfAnEarlierBuild(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	ref := o.letter(t, "Supplies for the northern garrison, kept by an older build.")
	if _, err := o.r.ExportDraft(ctx, o.drafter, ref, "mkrrecipient-old"); err != nil {
		t.Fatal(err)
	}
	if err := o.r.Approve(ctx, o.reviewer, ref, "", "mkrcomment-old"); err != nil {
		t.Fatal(err)
	}
	if err := o.sign(t, ref); err != nil {
		t.Fatal(err)
	}
	if _, err := o.r.Release(ctx, o.officer, ref); err != nil {
		t.Fatal(err)
	}
	stmt, pt := o.withdrawalStatement(t, o.signer, ref, "", "mkrreason-old")
	if _, err := o.withdraw(ctx, o.signer, ref, "", o.keyID, stmt, signPAE(o.signerKey, pt, stmt)); err != nil {
		t.Fatal(err)
	}
	raw, err := sql.Open("sqlite", "file:"+filepath.Join(o.dir, store.SQLiteFile)+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	// The stored audit events as they are before the erasure, byte for byte.
	type row struct {
		id                    int64
		actor, action, remote string
		detail                []byte
	}
	var before []row
	rows, err := raw.QueryContext(ctx, `SELECT id, actor, action, remote, detail FROM audit_events WHERE reference = ? ORDER BY id`, ref)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var r row
		if err := rows.Scan(&r.id, &r.actor, &r.action, &r.remote, &r.detail); err != nil {
			t.Fatal(err)
		}
		before = append(before, r)
	}
	if err := rows.Close(); err != nil {
		t.Fatal(err)
	}
	if err := o.r.Erase(ctx, o.admin, ref, "erasure request"); err != nil {
		t.Fatal(err)
	}
	// What an erasure by a build before migration 31 left: the events as they were, the
	// files' names. The append-only trigger lets an erased letter's events be rewritten.
	for _, r := range before {
		if _, err := raw.ExecContext(ctx, `UPDATE audit_events SET actor = ?, action = ?, remote = ?, detail = ? WHERE id = ?`,
			r.actor, r.action, r.remote, r.detail, r.id); err != nil {
			t.Fatal(err)
		}
	}
	for _, q := range []string{
		`UPDATE versions SET file_name = 'mkrfile-old.txt' WHERE letter_id = (SELECT id FROM letters WHERE reference = ?)`,
		`UPDATE releases SET file_name = 'mkrfile-old.pdf' WHERE letter_id = (SELECT id FROM letters WHERE reference = ?)`,
	} {
		if _, err := raw.ExecContext(ctx, q, ref); err != nil {
			t.Fatal(err)
		}
	}
	var erasedAt string
	if err := raw.QueryRowContext(ctx, `SELECT erased_at FROM releases WHERE letter_id = (SELECT id FROM letters WHERE reference = ?)`, ref).Scan(&erasedAt); err != nil {
		t.Fatal(err)
	}
	markers := []string{"mkrrecipient-old", "mkrcomment-old", "mkrreason-old"}
	old, err := o.r.Audit(ctx, o.reviewer, ref)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range markers {
		if !strings.Contains(stringOf(old), m) {
			t.Fatalf("the set-up left no %q in the audit trail: %s", m, stringOf(old))
		}
	}

	n, err := o.r.EraseLeftovers(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if n != 1 {
		t.Errorf("erased again %d letters, want 1", n)
	}
	after, err := o.r.Audit(ctx, o.reviewer, ref)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range after {
		for _, m := range markers {
			if strings.Contains(e.Actor+" "+e.Detail, m) {
				t.Errorf("the audit trail still shows %q after the upgrade: %s by %s: %s", m, e.Action, e.Actor, e.Detail)
			}
		}
	}
	if len(after) != len(old) {
		t.Errorf("the audit trail has %d events after the upgrade, %d before", len(after), len(old))
	}
	for i := range min(len(after), len(old)) {
		if a, e := after[i], old[i]; a.ID != e.ID || a.Action != e.Action || !a.Time.Equal(e.Time) {
			t.Errorf("event %d moved: %+v, was %+v", i, a, e)
		}
	}
	var names, erasedAgain string
	if err := raw.QueryRowContext(ctx, `SELECT group_concat(v.file_name, ',') || '|' || r.file_name, r.erased_at
		FROM versions v JOIN releases r ON r.letter_id = v.letter_id WHERE v.letter_id = (SELECT id FROM letters WHERE reference = ?)`, ref).Scan(&names, &erasedAgain); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(names, "mkrfile") {
		t.Errorf("the erased letter's files keep their names after the upgrade: %s", names)
	}
	if erasedAgain != erasedAt {
		t.Errorf("the erasure's time changed: %s, was %s", erasedAgain, erasedAt)
	}
	// Once per database: a later start does nothing.
	if n, err := o.r.EraseLeftovers(ctx, nil); err != nil || n != 0 {
		t.Errorf("a second pass erased again %d letters, %v; want 0", n, err)
	}
}

// TestEraseLeftoversKeepsARetractionAfterTheErasure: a letter retracted after its erasure
// gives its holders the signed reason of its retraction, which is new and no content of the
// letter (TestEveryPathFollowsState). The pass that erases again what earlier builds'
// erasures left erased that reason too, and the retraction's opening, on the first start of
// an office whose build retracted an erased letter (found by review, fifty-seventh session):
// holders were then told "retracted" without the reason the signer gave. It keeps them.
func TestEraseLeftoversKeepsARetractionAfterTheErasure(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	ref, rel := o.released(t, "A letter erased, then retracted with a reason of its own.")
	if err := o.r.Erase(ctx, o.admin, ref, "erasure request"); err != nil {
		t.Fatal(err)
	}
	record, sig := o.retraction(t, ref, "", "mkrlaterreason: sent to the wrong registry")
	if _, err := o.withdraw(ctx, o.signer, ref, "", o.keyID, record, sig); err != nil {
		t.Fatal(err)
	}
	d := seal.DigestOf(rel.File)
	before, err := o.r.VerifyDigest(ctx, Actor{}, d)
	if err != nil {
		t.Fatal(err)
	}
	if before.Outcome != Retracted || !strings.Contains(before.Reason, "mkrlaterreason") || before.Withdrawal == nil {
		t.Fatalf("the set-up: the holder's answer before the pass: %+v", before)
	}
	trail := func() string {
		t.Helper()
		events, err := o.r.Audit(ctx, o.reviewer, ref)
		if err != nil {
			t.Fatal(err)
		}
		return stringOf(events)
	}
	if !strings.Contains(trail(), "mkrlaterreason") {
		t.Fatalf("the set-up: the audit trail has no retraction reason: %s", trail())
	}
	// A database whose erasures were not done again by this build (an office upgraded).
	raw, err := sql.Open("sqlite", "file:"+filepath.Join(o.dir, store.SQLiteFile)+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if _, err := raw.ExecContext(ctx, `DELETE FROM settings WHERE name = ?`, erasedAgainSetting); err != nil {
		t.Fatal(err)
	}
	if n, err := o.r.EraseLeftovers(ctx, nil); err != nil || n != 1 {
		t.Fatalf("EraseLeftovers: %d, %v; want 1 letter", n, err)
	}
	after, err := o.r.VerifyDigest(ctx, Actor{}, d)
	if err != nil {
		t.Fatal(err)
	}
	if after.Outcome != Retracted || after.Reason != before.Reason || after.Withdrawal == nil {
		t.Errorf("the holder's answer after the pass: outcome %s, reason %q, withdrawal %v; before: %s, %q", after.Outcome, after.Reason, after.Withdrawal != nil, before.Outcome, before.Reason)
	}
	if !strings.Contains(trail(), "mkrlaterreason") {
		t.Errorf("the pass erased the reason of the retraction made after the erasure from the audit trail: %s", trail())
	}
}
