package storetest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/store"
)

// testMembers checks the administration of members: listing, roles, tokens, disabling and
// their signer keys.
func testMembers(t *testing.T, db *store.DB) {
	rita := addMember(t, db, "rita")
	sam := addMember(t, db, "sam")
	const missing = int64(1 << 40)

	view(t, db, func(ctx context.Context, tx *store.Tx) error {
		ms, err := tx.Members(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(ms) != 2 || ms[0].Name != "rita" || ms[1].Name != "sam" {
			t.Fatalf("members = %+v, want rita then sam (in the order added)", ms)
		}
		if ms[0].Disabled() || !ms[0].CreatedAt.Equal(t0) {
			t.Errorf("a new member read back as %+v", ms[0])
		}
		return nil
	})

	// Roles are replaced, in the order given.
	update(t, db, func(ctx context.Context, tx *store.Tx) error {
		return tx.SetMemberRoles(ctx, rita.ID, []string{"reviewer", "legal"})
	})
	view(t, db, func(ctx context.Context, tx *store.Tx) error {
		m, err := tx.MemberByID(ctx, rita.ID)
		if err != nil || fmt.Sprint(m.Roles) != "[reviewer legal]" {
			t.Errorf("roles after SetMemberRoles: %v, %v", m, err)
		}
		return nil
	})

	// A new token hash replaces the old one at once; another member's hash is a conflict.
	newHash := bytes.Repeat([]byte{9}, 32)
	update(t, db, func(ctx context.Context, tx *store.Tx) error { return tx.SetMemberToken(ctx, rita.ID, newHash) })
	view(t, db, func(ctx context.Context, tx *store.Tx) error {
		if _, err := tx.MemberByToken(ctx, []byte("token of rita")); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("the old token hash still finds the member: %v", err)
		}
		if m, err := tx.MemberByToken(ctx, newHash); err != nil || m.ID != rita.ID {
			t.Errorf("the new token hash finds %v, %v", m, err)
		}
		return nil
	})
	// The same outside a transaction.
	if _, err := db.MemberByToken(t.Context(), []byte("token of rita")); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("DB.MemberByToken: the old token hash still finds the member: %v", err)
	}
	if m, err := db.MemberByToken(t.Context(), newHash); err != nil || m.ID != rita.ID || fmt.Sprint(m.Roles) != "[reviewer legal]" {
		t.Errorf("DB.MemberByToken: the new token hash finds %+v, %v", m, err)
	}
	err := db.Update(t.Context(), func(tx *store.Tx) error { return tx.SetMemberToken(t.Context(), sam.ID, newHash) })
	if !errors.Is(err, store.ErrConflict) {
		t.Errorf("taking another member's token hash: %v, want ErrConflict", err)
	}

	// Disabled, then enabled again.
	later := t0.Add(48 * time.Hour)
	update(t, db, func(ctx context.Context, tx *store.Tx) error { return tx.SetMemberDisabled(ctx, sam.ID, later) })
	view(t, db, func(ctx context.Context, tx *store.Tx) error {
		m, err := tx.MemberByName(ctx, "sam")
		if err != nil || !m.Disabled() || !m.DisabledAt.Equal(later) {
			t.Errorf("after SetMemberDisabled: %+v, %v", m, err)
		}
		return nil
	})
	update(t, db, func(ctx context.Context, tx *store.Tx) error { return tx.SetMemberDisabled(ctx, sam.ID, time.Time{}) })
	view(t, db, func(ctx context.Context, tx *store.Tx) error {
		if m, err := tx.MemberByID(ctx, sam.ID); err != nil || m.Disabled() {
			t.Errorf("after enabling: %+v, %v", m, err)
		}
		return nil
	})

	// A member the OpenID provider created is found by its issuer and subject; a user of the
	// provider is one member at most; members created in Chancery have neither.
	const idp = "https://login.example"
	update(t, db, func(ctx context.Context, tx *store.Tx) error {
		return tx.SetMemberSubject(ctx, rita.ID, idp, "0f3c-rita")
	})
	view(t, db, func(ctx context.Context, tx *store.Tx) error {
		if m, err := tx.MemberBySubject(ctx, idp, "0f3c-rita"); err != nil || m.ID != rita.ID || m.Issuer != idp || m.Subject != "0f3c-rita" || !m.FromProvider() {
			t.Errorf("MemberBySubject: %+v, %v", m, err)
		}
		for _, k := range [][2]string{{idp, "0f3c-sam"}, {"https://other.example", "0f3c-rita"}} {
			if m, err := tx.MemberBySubject(ctx, k[0], k[1]); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("MemberBySubject(%q, %q) = %+v, %v, want ErrNotFound", k[0], k[1], m, err)
			}
		}
		if m, err := tx.MemberByID(ctx, sam.ID); err != nil || m.FromProvider() || m.Issuer != "" || m.Subject != "" {
			t.Errorf("a member created in Chancery: %+v, %v", m, err)
		}
		return nil
	})
	err = db.Update(t.Context(), func(tx *store.Tx) error { return tx.SetMemberSubject(t.Context(), sam.ID, idp, "0f3c-rita") })
	if !errors.Is(err, store.ErrConflict) {
		t.Errorf("taking another member's subject: %v, want ErrConflict", err)
	}

	// Changes to a member that does not exist are ErrNotFound.
	for name, fn := range map[string]func(ctx context.Context, tx *store.Tx) error{
		"SetMemberRoles": func(ctx context.Context, tx *store.Tx) error {
			return tx.SetMemberRoles(ctx, missing, []string{"admin"})
		},
		"SetMemberToken":    func(ctx context.Context, tx *store.Tx) error { return tx.SetMemberToken(ctx, missing, []byte("x")) },
		"SetMemberDisabled": func(ctx context.Context, tx *store.Tx) error { return tx.SetMemberDisabled(ctx, missing, later) },
		"SetMemberSubject": func(ctx context.Context, tx *store.Tx) error {
			return tx.SetMemberSubject(ctx, missing, "https://idp", "x")
		},
	} {
		if err := db.Update(t.Context(), func(tx *store.Tx) error { return fn(t.Context(), tx) }); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("%s of a member that does not exist: %v, want ErrNotFound", name, err)
		}
	}

	// A member's signer keys, revoked or not, in the order registered; none for another.
	update(t, db, func(ctx context.Context, tx *store.Tx) error {
		for i, id := range []string{"key-b", "key-a"} {
			k := store.SignerKey{KeyID: id, MemberID: sam.ID, PublicKey: bytes.Repeat([]byte{byte(i)}, 32), AddedIndex: int64(10 + i), CreatedAt: t0}
			if err := tx.AddSignerKey(ctx, k); err != nil {
				return err
			}
		}
		return tx.RevokeSignerKey(ctx, "key-b", 12, later)
	})
	view(t, db, func(ctx context.Context, tx *store.Tx) error {
		ks, err := tx.SignerKeysOf(ctx, sam.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(ks) != 2 || ks[0].KeyID != "key-b" || ks[1].KeyID != "key-a" {
			t.Fatalf("keys of sam = %+v, want key-b then key-a", ks)
		}
		if !ks[0].Revoked() || ks[0].RevokedIndex != 12 || !ks[0].RevokedAt.Equal(later) || ks[1].Revoked() || ks[1].AddedIndex != 11 {
			t.Errorf("keys read back as %+v", ks)
		}
		if ks, err := tx.SignerKeysOf(ctx, rita.ID); err != nil || len(ks) != 0 {
			t.Errorf("keys of a member without any: %v, %v", ks, err)
		}
		return nil
	})
}

// testLetterMembers checks that LetterMembers reads every member a letter names, each once,
// and nobody else, and that LetterReleased tells a released letter from a draft.
func testLetterMembers(t *testing.T, db *store.DB) {
	names := []string{"author", "editor", "reviewer", "signer", "releaser", "retractor", "other"}
	ms := map[string]*store.Member{}
	for _, n := range names {
		ms[n] = addMember(t, db, n)
	}
	const d = "sha256:" + "ab" + "00000000000000000000000000000000000000000000000000000000000000"
	var l, other store.Letter
	update(t, db, func(ctx context.Context, tx *store.Tx) error {
		l = store.Letter{Reference: "TLM-2026-000001", Subject: "s", Class: "c", AuthorID: ms["author"].ID, CreatedAt: t0}
		other = store.Letter{Reference: "TLM-2026-000002", Subject: "s", Class: "c", AuthorID: ms["other"].ID, CreatedAt: t0}
		for _, x := range []*store.Letter{&l, &other} {
			if err := tx.AddLetter(ctx, x); err != nil {
				return err
			}
		}
		for n := range 3 {
			if err := tx.PutBlob(ctx, fmt.Sprintf("sha256:%064d", n), []byte{byte(n)}); err != nil {
				return err
			}
		}
		if err := tx.PutBlob(ctx, d, []byte("d")); err != nil {
			return err
		}
		for n, by := range []string{"author", "editor", "editor"} {
			if err := tx.AddVersion(ctx, store.Version{LetterID: l.ID, N: n + 1, Digest: fmt.Sprintf("sha256:%064d", n), MediaType: "text/plain",
				FileName: "l.txt", Size: 1, CreatedBy: ms[by].ID, CreatedAt: t0}); err != nil {
				return err
			}
		}
		if err := tx.AddVersion(ctx, store.Version{LetterID: other.ID, N: 1, Digest: d, MediaType: "text/plain",
			FileName: "l.txt", Size: 1, CreatedBy: ms["other"].ID, CreatedAt: t0}); err != nil {
			return err
		}
		if err := tx.AddSignerKey(ctx, store.SignerKey{KeyID: "k1", MemberID: ms["signer"].ID, PublicKey: []byte("pk"), CreatedAt: t0}); err != nil {
			return err
		}
		for _, x := range []int64{l.ID, other.ID} {
			by := map[int64]string{l.ID: "reviewer", other.ID: "other"}[x]
			if err := tx.AddApproval(ctx, store.Approval{LetterID: x, VersionDigest: d, PolicyDigest: d, MemberID: ms[by].ID,
				Role: "reviewer", Decision: "approve", CreatedAt: t0}); err != nil {
				return err
			}
		}
		if err := tx.AddSignature(ctx, store.SignatureRow{LetterID: l.ID, VersionDigest: d, PolicyDigest: d, MemberID: ms["signer"].ID,
			KeyID: "k1", Sig: []byte{1}, CreatedAt: t0}); err != nil {
			return err
		}
		if err := tx.AddRelease(ctx, store.Release{LetterID: l.ID, VersionN: 3, FileDigest: d, FileName: "f", MediaType: "text/plain",
			LogIndex: 4, Entry: []byte("e"), ReleasedBy: ms["releaser"].ID, ReleasedAt: t0}); err != nil {
			return err
		}
		return tx.AddWithdrawal(ctx, store.Withdrawal{LetterID: l.ID, Kind: "retraction", Reason: "r", LogIndex: 5, Entry: []byte("e"),
			MemberID: ms["retractor"].ID, CreatedAt: t0})
	})
	view(t, db, func(ctx context.Context, tx *store.Tx) error {
		got, err := tx.LetterMembers(ctx, l.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(names)-1 {
			t.Errorf("LetterMembers gave %d members, want %d: %v", len(got), len(names)-1, got)
		}
		for _, n := range names[:len(names)-1] {
			if m := got[ms[n].ID]; m == nil || m.Name != n || fmt.Sprint(m.Roles) != "[reviewer]" {
				t.Errorf("LetterMembers: %s read back as %+v", n, m)
			}
		}
		if got, err := tx.LetterMembers(ctx, other.ID); err != nil || len(got) != 1 || got[ms["other"].ID] == nil {
			t.Errorf("LetterMembers of the other letter: %v, %v, want only other", got, err)
		}
		if got, err := tx.LetterMembers(ctx, 1<<40); err != nil || len(got) != 0 {
			t.Errorf("LetterMembers of a letter that does not exist: %v, %v, want none", got, err)
		}
		// LetterReleased, on the way: the one letter released, the other not.
		for _, x := range []*store.Letter{&l, &other} {
			got, released, err := tx.LetterReleased(ctx, x.Reference)
			if err != nil || got.ID != x.ID || got.AuthorID != x.AuthorID || released != (x == &l) {
				t.Errorf("LetterReleased(%s) = %+v, %v, %v", x.Reference, got, released, err)
			}
		}
		if _, _, err := tx.LetterReleased(ctx, "TLM-2026-000003"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("LetterReleased of a reference never used: %v, want ErrNotFound", err)
		}
		return nil
	})
}
