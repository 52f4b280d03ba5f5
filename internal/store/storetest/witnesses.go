package storetest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/store"
)

// testWitnessesAndSettings checks what the witnessing, the policy and the counters of the
// registry rely on: witnesses unique by name and key, cosignatures of one checkpoint per size
// with the freshest kept, the newest checkpoint a quorum cosigned, settings, counters and the
// policy in force.
func testWitnessesAndSettings(t *testing.T, db *store.DB) {
	t.Run("Witnesses", func(t *testing.T) { testWitnesses(t, db) })
	t.Run("Cosignatures", func(t *testing.T) { testCosignatures(t, db) })
	t.Run("Settings", func(t *testing.T) { testSettings(t, db) })
	t.Run("Counters", func(t *testing.T) { testCounters(t, db) })
	t.Run("Policies", func(t *testing.T) { testPolicies(t, db) })
}

func testWitnesses(t *testing.T, db *store.DB) {
	w := store.Witness{Name: "ministry", URL: "https://w.example", VKey: "ministry+1234+key", AddedAt: t0}
	update(t, db, func(ctx context.Context, tx *store.Tx) error { return tx.AddWitness(ctx, w) })
	for _, dup := range []store.Witness{
		{Name: "ministry", URL: "https://other.example", VKey: "other+1+key", AddedAt: t0},
		{Name: "other", URL: "https://other.example", VKey: w.VKey, AddedAt: t0},
	} {
		err := db.Update(t.Context(), func(tx *store.Tx) error { return tx.AddWitness(t.Context(), dup) })
		if !errors.Is(err, store.ErrConflict) {
			t.Errorf("AddWitness(%s, %s) with the name or key taken: %v, want ErrConflict", dup.Name, dup.VKey, err)
		}
	}
	view(t, db, func(ctx context.Context, tx *store.Tx) error {
		ws, err := tx.Witnesses(ctx)
		if err != nil || len(ws) != 1 || ws[0].Name != w.Name || ws[0].URL != w.URL || ws[0].VKey != w.VKey || !ws[0].AddedAt.Equal(t0) {
			t.Errorf("Witnesses = %+v, %v; want only %+v", ws, err, w)
		}
		return nil
	})
	update(t, db, func(ctx context.Context, tx *store.Tx) error { return tx.RemoveWitness(ctx, w.Name) })
	err := db.Update(t.Context(), func(tx *store.Tx) error { return tx.RemoveWitness(t.Context(), w.Name) })
	if !errors.Is(err, store.ErrNotFound) {
		t.Errorf("RemoveWitness of a removed witness: %v, want ErrNotFound", err)
	}
}

func testCosignatures(t *testing.T, db *store.DB) {
	cp := func(size int64) []byte { return fmt.Appendf(nil, "test.example/log\n%d\nroot\n", size) }
	cosig := func(size int64, key string, at time.Time) store.Cosignature {
		return store.Cosignature{Size: size, VKey: key, Line: fmt.Appendf(nil, "— %s %d %d\n", key, size, at.Unix()), At: at}
	}
	add := func(size int64, key string, at time.Time) error {
		return db.Update(t.Context(), func(tx *store.Tx) error { return tx.AddCosignature(t.Context(), cp(size), cosig(size, key, at)) })
	}
	for _, c := range []struct {
		size int64
		key  string
		at   time.Time
	}{
		{10, "a", t0}, {10, "b", t0}, {10, "c", t0}, {20, "a", t0.Add(time.Hour)},
		{10, "a", t0.Add(-time.Hour)},  // older: the fresher one is kept
		{10, "b", t0.Add(time.Minute)}, // newer: replaces
	} {
		if err := add(c.size, c.key, c.at); err != nil {
			t.Fatalf("AddCosignature(%d, %s): %v", c.size, c.key, err)
		}
	}
	err := db.Update(t.Context(), func(tx *store.Tx) error {
		return tx.AddCosignature(t.Context(), []byte("another checkpoint of 10\n"), cosig(10, "d", t0))
	})
	if !errors.Is(err, store.ErrConflict) {
		t.Errorf("AddCosignature of another checkpoint of a stored size: %v, want ErrConflict", err)
	}
	view(t, db, func(ctx context.Context, tx *store.Tx) error {
		got, err := tx.Cosignatures(ctx, 10)
		want := []store.Cosignature{cosig(10, "a", t0), cosig(10, "b", t0.Add(time.Minute)), cosig(10, "c", t0)}
		if err != nil || fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("Cosignatures(10) = %v, %v; want %v", got, err, want)
		}
		c, cs, err := tx.LatestCosigned(ctx, []string{"a", "b"}, 2, 0)
		if err != nil || string(c) != string(cp(10)) || fmt.Sprint(cs) != fmt.Sprint(want[:2]) {
			t.Errorf("LatestCosigned(a, b; quorum 2) = %q, %v, %v; want the checkpoint of 10 with a's and b's cosignatures", c, cs, err)
		}
		if c, _, err := tx.LatestCosigned(ctx, []string{"a", "b"}, 1, 0); err != nil || string(c) != string(cp(20)) {
			t.Errorf("LatestCosigned(a, b; quorum 1) = %q, %v; want the checkpoint of 20", c, err)
		}
		if _, _, err := tx.LatestCosigned(ctx, []string{"a", "b"}, 2, 10); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("LatestCosigned after 10 with quorum 2: %v, want ErrNotFound", err)
		}
		if c, err := tx.LatestCosignatureBy(ctx, "a"); err != nil || c.Size != 20 || !c.At.Equal(t0.Add(time.Hour)) {
			t.Errorf("LatestCosignatureBy(a) = %+v, %v; want the cosignature of 20", c, err)
		}
		if _, err := tx.LatestCosignatureBy(ctx, "d"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("LatestCosignatureBy of a key that never cosigned: %v, want ErrNotFound", err)
		}
		if c, err := tx.LatestCosignatureSince(ctx, "b", t0.Add(time.Minute)); err != nil || c.Size != 10 || !c.At.Equal(t0.Add(time.Minute)) {
			t.Errorf("LatestCosignatureSince(b, its cosignature's time) = %+v, %v; want the cosignature of 10", c, err)
		}
		if _, err := tx.LatestCosignatureSince(ctx, "a", t0.Add(2*time.Hour)); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("LatestCosignatureSince(a) after its last cosignature: %v, want ErrNotFound", err)
		}
		return nil
	})
}

func testSettings(t *testing.T, db *store.DB) {
	view(t, db, func(ctx context.Context, tx *store.Tx) error {
		if _, err := tx.Setting(ctx, "quorum"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("Setting never set: %v, want ErrNotFound", err)
		}
		return nil
	})
	for _, v := range []string{"1", "2"} {
		update(t, db, func(ctx context.Context, tx *store.Tx) error { return tx.SetSetting(ctx, "quorum", v) })
		view(t, db, func(ctx context.Context, tx *store.Tx) error {
			if got, err := tx.Setting(ctx, "quorum"); err != nil || got != v {
				t.Errorf("Setting = %q, %v; want %q (set replaces)", got, err, v)
			}
			return nil
		})
	}
}

// testCounters: a counter counts from 1, apart from the others, and concurrent Updates never
// take the same value (references are made from them).
func testCounters(t *testing.T, db *store.DB) {
	next := func(name string) int64 {
		var v int64
		update(t, db, func(ctx context.Context, tx *store.Tx) (err error) { v, err = tx.NextCounter(ctx, name); return err })
		return v
	}
	if a, b, c := next("letters"), next("letters"), next("other"); a != 1 || b != 2 || c != 1 {
		t.Errorf("counters gave %d, %d, then %d for another; want 1, 2, 1", a, b, c)
	}
	const n = 40
	var mu sync.Mutex
	seen := map[int64]bool{}
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() {
			v := next("letters")
			mu.Lock()
			defer mu.Unlock()
			if seen[v] {
				t.Errorf("counter value %d taken twice", v)
			}
			seen[v] = true
		})
	}
	wg.Wait()
	if len(seen) != n || next("letters") != n+3 {
		t.Errorf("%d concurrent counts gave %d distinct values", n, len(seen))
	}
}

func testPolicies(t *testing.T, db *store.DB) {
	m := addMember(t, db, "paula")
	view(t, db, func(ctx context.Context, tx *store.Tx) error {
		if _, err := tx.CurrentPolicy(ctx); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("CurrentPolicy before any: %v, want ErrNotFound", err)
		}
		return nil
	})
	for i, idx := range []int64{7, 3} {
		p := &store.AdoptedPolicy{LogIndex: idx, Digest: fmt.Sprintf("sha256:%064d", i), Name: fmt.Sprint("policy ", i), Source: []byte("rules"), AdoptedBy: m.ID, AdoptedAt: t0}
		update(t, db, func(ctx context.Context, tx *store.Tx) error { return tx.AddPolicy(ctx, p) })
	}
	err := db.Update(t.Context(), func(tx *store.Tx) error {
		return tx.AddPolicy(t.Context(), &store.AdoptedPolicy{LogIndex: 7, Digest: "sha256:" + fmt.Sprintf("%064d", 9), Name: "again", Source: []byte("rules"), AdoptedBy: m.ID, AdoptedAt: t0})
	})
	if !errors.Is(err, store.ErrConflict) {
		t.Errorf("AddPolicy at a log index taken: %v, want ErrConflict", err)
	}
	view(t, db, func(ctx context.Context, tx *store.Tx) error {
		p, err := tx.CurrentPolicy(ctx)
		if err != nil || p.LogIndex != 7 || p.Name != "policy 0" || string(p.Source) != "rules" || p.AdoptedBy != m.ID || !p.AdoptedAt.Equal(t0) {
			t.Errorf("CurrentPolicy = %+v, %v; want the one at log index 7 (the last adopted)", p, err)
		}
		return nil
	})
}

// testVersionsAndExports checks the lookups verification by digest relies on: the first version
// of any letter with a file's digest, in letter and version order, a letter's versions, and the
// draft copies handed out, by digest and by letter, oldest first.
func testVersionsAndExports(t *testing.T, db *store.DB) {
	m := addMember(t, db, "vera")
	shared, other := Digest("shared file"), Digest("other file")
	var ids [2]int64
	update(t, db, func(ctx context.Context, tx *store.Tx) error {
		for _, d := range []string{shared, other} {
			if err := tx.PutBlob(ctx, d, []byte(d)); err != nil {
				return err
			}
		}
		for i := range ids {
			l := store.Letter{Reference: fmt.Sprintf("TVE-2020-%06d", i+1), Subject: "s", Class: "c", AuthorID: m.ID, CreatedAt: t0}
			if err := tx.AddLetter(ctx, &l); err != nil {
				return err
			}
			ids[i] = l.ID
		}
		for _, v := range []store.Version{
			{LetterID: ids[1], N: 1, Digest: shared}, {LetterID: ids[0], N: 1, Digest: other}, {LetterID: ids[0], N: 2, Digest: shared},
		} {
			v.MediaType, v.FileName, v.Size, v.CreatedBy, v.CreatedAt = "text/plain", "l.txt", 11, m.ID, t0
			if err := tx.AddVersion(ctx, v); err != nil {
				return err
			}
		}
		for i, d := range []store.DraftExport{
			{LetterID: ids[0], VersionN: 2, Recipient: "zeta", Digest: shared},
			{LetterID: ids[1], VersionN: 1, Recipient: "alpha", Digest: other},
			{LetterID: ids[0], VersionN: 1, Recipient: "beta", Digest: shared},
		} {
			d.MemberID, d.CreatedAt = m.ID, t0.Add(time.Duration(i)*time.Minute)
			if err := tx.AddDraftExport(ctx, d); err != nil {
				return err
			}
		}
		return nil
	})
	err := db.Update(t.Context(), func(tx *store.Tx) error {
		return tx.AddVersion(t.Context(), store.Version{LetterID: ids[0], N: 2, Digest: other, MediaType: "text/plain", FileName: "l.txt", Size: 10, CreatedBy: m.ID, CreatedAt: t0})
	})
	if !errors.Is(err, store.ErrConflict) {
		t.Errorf("AddVersion of a version number taken: %v, want ErrConflict", err)
	}
	view(t, db, func(ctx context.Context, tx *store.Tx) error {
		l, err := tx.LetterByRef(ctx, "TVE-2020-000002")
		if err != nil || l.ID != ids[1] {
			t.Errorf("LetterByRef = %+v, %v; want letter %d", l, err, ids[1])
		}
		if _, err := tx.LetterByRef(ctx, "TVE-2020-000003"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("LetterByRef of no letter: %v, want ErrNotFound", err)
		}
		v, err := tx.FirstVersionByDigest(ctx, shared)
		if err != nil || v.LetterID != ids[0] || v.N != 2 || v.Digest != shared || v.CreatedBy != m.ID || !v.CreatedAt.Equal(t0) {
			t.Errorf("FirstVersionByDigest = %+v, %v; want letter %d version 2 (before letter %d version 1)", v, err, ids[0], ids[1])
		}
		if v, err := tx.FirstVersionByDigest(ctx, Digest("no such file")); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("FirstVersionByDigest of no version = %+v, %v; want ErrNotFound", v, err)
		}
		if vs, err := tx.Versions(ctx, ids[0]); err != nil || len(vs) != 2 || vs[0].N != 1 || vs[0].Digest != other || vs[1].N != 2 {
			t.Errorf("Versions = %+v, %v; want versions 1 and 2, in order", vs, err)
		}
		exps, err := tx.DraftExportsByDigest(ctx, shared)
		if err != nil || len(exps) != 2 || exps[0].Recipient != "zeta" || exps[1].Recipient != "beta" || exps[0].MemberID != m.ID || !exps[1].CreatedAt.Equal(t0.Add(2*time.Minute)) {
			t.Errorf("DraftExportsByDigest = %+v, %v; want the copies for zeta then beta", exps, err)
		}
		exps, err = tx.DraftExportsOf(ctx, ids[0])
		if err != nil || len(exps) != 2 || exps[0].VersionN != 2 || exps[1].VersionN != 1 {
			t.Errorf("DraftExportsOf = %+v, %v; want the two copies of the first letter, oldest first", exps, err)
		}
		return nil
	})
}

// testHeldByDigest checks what the public's answers about a file ask: whether a version of
// some letter has its bytes, whether one such version is the one its letter released (the
// released version, not another of that letter), and whether a draft copy has them.
func testHeldByDigest(t *testing.T, db *store.DB) {
	m := addMember(t, db, "hilda")
	draft, released, earlier, copied, file := Digest("draft file"), Digest("released version"), Digest("earlier version"), Digest("copy"), Digest("released file")
	update(t, db, func(ctx context.Context, tx *store.Tx) error {
		for _, d := range []string{draft, released, earlier, copied, file} {
			if err := tx.PutBlob(ctx, d, []byte(d)); err != nil {
				return err
			}
		}
		var ids [4]int64
		for i := range ids {
			l := store.Letter{Reference: fmt.Sprintf("THD-2020-%06d", i+1), Subject: "s", Class: "c", AuthorID: m.ID, CreatedAt: t0}
			if err := tx.AddLetter(ctx, &l); err != nil {
				return err
			}
			ids[i] = l.ID
		}
		// Letter 0 released its version 2; letter 1 has the released bytes as a draft, and
		// letters 2 and 3 the same draft file as letter 1's version 2.
		for _, v := range []store.Version{
			{LetterID: ids[0], N: 1, Digest: earlier}, {LetterID: ids[0], N: 2, Digest: released},
			{LetterID: ids[1], N: 1, Digest: released}, {LetterID: ids[1], N: 2, Digest: draft},
			{LetterID: ids[2], N: 1, Digest: draft}, {LetterID: ids[3], N: 1, Digest: draft},
		} {
			v.MediaType, v.FileName, v.Size, v.CreatedBy, v.CreatedAt = "text/plain", "l.txt", 11, m.ID, t0
			if err := tx.AddVersion(ctx, v); err != nil {
				return err
			}
		}
		if err := tx.AddRelease(ctx, store.Release{LetterID: ids[0], VersionN: 2, FileDigest: file, FileName: "l.pdf", MediaType: "application/pdf",
			LogIndex: 1, Entry: []byte("entry"), ReleasedBy: m.ID, ReleasedAt: t0}); err != nil {
			return err
		}
		for range 2 {
			if err := tx.AddDraftExport(ctx, store.DraftExport{LetterID: ids[1], VersionN: 2, Recipient: "zeta", Digest: copied, MemberID: m.ID, CreatedAt: t0}); err != nil {
				return err
			}
		}
		return nil
	})
	view(t, db, func(ctx context.Context, tx *store.Tx) error {
		for _, c := range []struct {
			digest string
			want   store.DigestHeld
		}{
			{draft, store.DigestHeld{Version: true}},
			{released, store.DigestHeld{Version: true, ReleasedVersion: true}},
			{earlier, store.DigestHeld{Version: true}},
			{copied, store.DigestHeld{Export: true}},
			{file, store.DigestHeld{}},
			{Digest("no such file"), store.DigestHeld{}},
		} {
			if h, err := tx.HeldByDigest(ctx, c.digest); err != nil || h != c.want {
				t.Errorf("HeldByDigest(%s) = %+v, %v; want %+v", c.digest, h, err, c.want)
			}
		}
		// The released version with the bytes, not letter 1's draft of them.
		if v, err := tx.ReleasedVersionByDigest(ctx, released); err != nil || v.N != 2 || v.Digest != released {
			t.Errorf("ReleasedVersionByDigest(released) = %+v, %v; want letter 0's version 2", v, err)
		}
		for _, d := range []string{draft, earlier, file} {
			if v, err := tx.ReleasedVersionByDigest(ctx, d); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("ReleasedVersionByDigest(%s) = %+v, %v; want not found", d, v, err)
			}
		}
		return nil
	})
}

// testUnreleasedApprovalsBy checks the decisions read when a member is disabled: the member's
// own, oldest first, on the letters not released only.
func testUnreleasedApprovalsBy(t *testing.T, db *store.DB) {
	m, other := addMember(t, db, "ursula"), addMember(t, db, "otto")
	file := Digest("released file")
	var ids [3]int64
	update(t, db, func(ctx context.Context, tx *store.Tx) error {
		if err := tx.PutBlob(ctx, file, []byte(file)); err != nil {
			return err
		}
		for i := range ids {
			l := store.Letter{Reference: fmt.Sprintf("TUA-2020-%06d", i+1), Subject: "s", Class: "c", AuthorID: m.ID, CreatedAt: t0}
			if err := tx.AddLetter(ctx, &l); err != nil {
				return err
			}
			ids[i] = l.ID
		}
		for i, a := range []store.Approval{
			{LetterID: ids[0], MemberID: m.ID, Decision: "approve"},
			{LetterID: ids[1], MemberID: m.ID, Decision: "approve"},
			{LetterID: ids[2], MemberID: other.ID, Decision: "approve"},
			{LetterID: ids[2], MemberID: m.ID, Decision: "reject"},
			{LetterID: ids[0], MemberID: m.ID, Decision: "reject"},
		} {
			a.VersionDigest, a.PolicyDigest, a.Role, a.Comment, a.CreatedAt = Digests[0], Digests[1], "reviewer", fmt.Sprint(i), t0
			if err := tx.AddApproval(ctx, a); err != nil {
				return err
			}
		}
		return tx.AddRelease(ctx, store.Release{LetterID: ids[1], VersionN: 1, FileDigest: file, FileName: "l.pdf", MediaType: "application/pdf",
			LogIndex: 1, Entry: []byte("entry"), ReleasedBy: m.ID, ReleasedAt: t0})
	})
	view(t, db, func(ctx context.Context, tx *store.Tx) error {
		aps, err := tx.UnreleasedApprovalsBy(ctx, m.ID)
		var got []string
		for _, a := range aps {
			if a.MemberID != m.ID || a.VersionDigest != Digests[0] || a.PolicyDigest != Digests[1] {
				t.Errorf("UnreleasedApprovalsBy gave %+v", a)
			}
			got = append(got, fmt.Sprintf("%d %s %s", a.LetterID, a.Decision, a.Comment))
		}
		want := []string{fmt.Sprintf("%d approve 0", ids[0]), fmt.Sprintf("%d reject 3", ids[2]), fmt.Sprintf("%d reject 4", ids[0])}
		if err != nil || !slices.Equal(got, want) {
			t.Errorf("UnreleasedApprovalsBy = %q, %v; want %q (not those on the released letter, nor otto's)", got, err, want)
		}
		return nil
	})
}
