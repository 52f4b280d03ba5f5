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

// testAccounts checks passwords, sessions and the letter listings the web application reads.
func testAccounts(t *testing.T, db *store.DB) {
	t.Run("Passwords", func(t *testing.T) { testPasswords(t, db) })
	t.Run("Sessions", func(t *testing.T) { testSessions(t, db) })
	t.Run("FormValues", func(t *testing.T) { testFormValues(t, db) })
	t.Run("LetterListings", func(t *testing.T) { testLetterListings(t, db) })
}

var t0 = time.Date(2020, 1, 6, 9, 0, 0, 0, time.UTC)

func addMember(t *testing.T, db *store.DB, name string) *store.Member {
	t.Helper()
	var m *store.Member
	update(t, db, func(ctx context.Context, tx *store.Tx) error {
		var err error
		m, err = tx.AddMember(ctx, name, []string{"reviewer"}, []byte("token of "+name), t0)
		return err
	})
	return m
}

func testPasswords(t *testing.T, db *store.DB) {
	m := addMember(t, db, "rita")
	view(t, db, func(ctx context.Context, tx *store.Tx) error {
		if _, err := tx.Password(ctx, m.ID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("password of a member without one: %v, want ErrNotFound", err)
		}
		return nil
	})
	for _, h := range []string{"$argon2id$first", "$argon2id$second"} {
		update(t, db, func(ctx context.Context, tx *store.Tx) error { return tx.SetPassword(ctx, m.ID, h, t0) })
		view(t, db, func(ctx context.Context, tx *store.Tx) error {
			got, err := tx.Password(ctx, m.ID)
			if err != nil || got != h {
				t.Errorf("password = %q, %v; want %q (set replaces)", got, err, h)
			}
			return nil
		})
	}
	update(t, db, func(ctx context.Context, tx *store.Tx) error { return tx.DeletePassword(ctx, m.ID) })
	update(t, db, func(ctx context.Context, tx *store.Tx) error { return tx.DeletePassword(ctx, m.ID) })
	view(t, db, func(ctx context.Context, tx *store.Tx) error {
		if _, err := tx.Password(ctx, m.ID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("password after DeletePassword: %v, want ErrNotFound (deleting twice is no error)", err)
		}
		return nil
	})
}

func testSessions(t *testing.T, db *store.DB) {
	m := addMember(t, db, "sam")
	other := addMember(t, db, "otto")
	s := store.Session{IDHash: bytes.Repeat([]byte{1}, 32), MemberID: m.ID, CreatedAt: t0, LastSeen: t0, ExpiresAt: t0.Add(12 * time.Hour), Remote: "192.0.2.1"}
	update(t, db, func(ctx context.Context, tx *store.Tx) error { return tx.AddSession(ctx, s) })
	err := db.Update(t.Context(), func(tx *store.Tx) error { return tx.AddSession(t.Context(), s) })
	if !errors.Is(err, store.ErrConflict) {
		t.Errorf("adding a session with a taken ID hash: %v, want ErrConflict", err)
	}
	later := t0.Add(time.Hour)
	update(t, db, func(ctx context.Context, tx *store.Tx) error { return tx.TouchSession(ctx, s.IDHash, later) })
	view(t, db, func(ctx context.Context, tx *store.Tx) error {
		got, err := tx.SessionByHash(ctx, s.IDHash)
		if err != nil {
			t.Fatal(err)
		}
		if got.MemberID != m.ID || !got.LastSeen.Equal(later) || !got.ExpiresAt.Equal(s.ExpiresAt) || !got.CreatedAt.Equal(t0) || got.Remote != s.Remote {
			t.Errorf("session read back as %+v", got)
		}
		if _, err := tx.SessionByHash(ctx, bytes.Repeat([]byte{2}, 32)); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("unknown session: %v, want ErrNotFound", err)
		}
		return nil
	})
	err = db.Update(t.Context(), func(tx *store.Tx) error { return tx.TouchSession(t.Context(), []byte("nope"), later) })
	if !errors.Is(err, store.ErrNotFound) {
		t.Errorf("touching an unknown session: %v, want ErrNotFound", err)
	}

	// Expiry: one session expired, one idle (kept), one fresh, one of another member.
	add := func(b byte, member int64, seen, expires time.Time) []byte {
		h := bytes.Repeat([]byte{b}, 32)
		update(t, db, func(ctx context.Context, tx *store.Tx) error {
			return tx.AddSession(ctx, store.Session{IDHash: h, MemberID: member, CreatedAt: t0, LastSeen: seen, ExpiresAt: expires})
		})
		return h
	}
	now := t0.Add(10 * time.Hour)
	expired := add(3, m.ID, now, now.Add(-time.Minute))
	idle := add(4, m.ID, now.Add(-3*time.Hour), now.Add(time.Hour))
	fresh := add(5, m.ID, now, now.Add(time.Hour))
	others := add(6, other.ID, now, now.Add(time.Hour))
	update(t, db, func(ctx context.Context, tx *store.Tx) error {
		n, err := tx.DeleteExpiredSessions(ctx, now)
		if n != 1 {
			t.Errorf("deleted %d expired sessions, want 1 (idle ones are refused when read, not deleted)", n)
		}
		return err
	})
	exists := func(h []byte) bool {
		var ok bool
		view(t, db, func(ctx context.Context, tx *store.Tx) error {
			_, err := tx.SessionByHash(ctx, h)
			ok = err == nil
			return nil
		})
		return ok
	}
	if exists(expired) || !exists(idle) || !exists(fresh) || !exists(others) {
		t.Errorf("after expiry: expired %v, idle %v, fresh %v, other member's %v", exists(expired), exists(idle), exists(fresh), exists(others))
	}
	update(t, db, func(ctx context.Context, tx *store.Tx) error { return tx.DeleteSession(ctx, fresh) })
	update(t, db, func(ctx context.Context, tx *store.Tx) error { return tx.DeleteSession(ctx, fresh) }) // twice is harmless
	if exists(fresh) {
		t.Error("a deleted session still exists")
	}
	add(7, other.ID, now, now.Add(time.Hour))
	update(t, db, func(ctx context.Context, tx *store.Tx) error {
		n, err := tx.DeleteMemberSessions(ctx, other.ID)
		if n != 2 {
			t.Errorf("deleted %d sessions of a member, want 2", n)
		}
		return err
	})
	if exists(others) {
		t.Error("a member's session survived DeleteMemberSessions")
	}
}

func testLetterListings(t *testing.T, db *store.DB) {
	m := addMember(t, db, "dana")
	var ids []int64
	update(t, db, func(ctx context.Context, tx *store.Tx) error {
		for i := range 4 {
			l := &store.Letter{Reference: fmt.Sprintf("TFN-2020-%06d", i+1), Subject: "s", Class: "c", AuthorID: m.ID, CreatedAt: t0}
			if err := tx.AddLetter(ctx, l); err != nil {
				return err
			}
			d := fmt.Sprintf("sha256:%064d", i)
			if err := tx.PutBlob(ctx, d, []byte{byte(i)}); err != nil {
				return err
			}
			ids = append(ids, l.ID)
		}
		// Letters 1 and 3 are released, 3 before 1 in the log.
		for i, idx := range map[int]int64{0: 9, 2: 4} {
			err := tx.AddRelease(ctx, store.Release{LetterID: ids[i], VersionN: 1, FileDigest: fmt.Sprintf("sha256:%064d", i), FileName: "f",
				MediaType: "text/plain", LogIndex: idx, Entry: []byte("e"), ReleasedBy: m.ID, ReleasedAt: t0})
			if err != nil {
				return err
			}
		}
		return nil
	})
	refs := func(ls []store.Letter) []string {
		var out []string
		for _, l := range ls {
			out = append(out, l.Reference)
		}
		return out
	}
	view(t, db, func(ctx context.Context, tx *store.Tx) error {
		un, err := tx.UnreleasedLetters(ctx, 10)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := fmt.Sprint(refs(un)), "[TFN-2020-000004 TFN-2020-000002]"; got != want {
			t.Errorf("unreleased letters %s, want %s (newest first)", got, want)
		}
		if un, _ := tx.UnreleasedLetters(ctx, 1); len(un) != 1 {
			t.Errorf("limit 1 gave %d letters", len(un))
		}
		rel, err := tx.RecentReleases(ctx, 10)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := fmt.Sprint(refs(rel)), "[TFN-2020-000001 TFN-2020-000003]"; got != want {
			t.Errorf("recent releases %s, want %s (latest log index first)", got, want)
		}
		return nil
	})
}

// testFormValues checks SpendFormValue: a value is spent once, each value apart, and the
// values recorded before the time given are forgotten (and can be spent again); and
// ForgetFormValue: a value given back can be spent again, the others stay spent.
func testFormValues(t *testing.T, db *store.DB) {
	spend := func(once string, now, forget time.Time) bool {
		t.Helper()
		var used bool
		update(t, db, func(ctx context.Context, tx *store.Tx) error {
			var err error
			used, err = tx.SpendFormValue(ctx, once, now, forget)
			return err
		})
		return used
	}
	if spend("a", t0, t0.Add(-time.Hour)) || spend("b", t0, t0.Add(-time.Hour)) {
		t.Error("a value spent for the first time: reported spent before")
	}
	if !spend("a", t0.Add(time.Minute), t0.Add(-time.Hour)) {
		t.Error("a value spent again: reported not spent before")
	}
	if spend("a", t0.Add(2*time.Hour), t0.Add(time.Hour)) {
		t.Error("a value recorded before the time to forget: still reported spent")
	}
	// Given back (its change refused), a value can be spent again; the others stay spent.
	if spend("c", t0.Add(2*time.Hour), t0.Add(time.Hour)) {
		t.Error("a value spent for the first time: reported spent before")
	}
	update(t, db, func(ctx context.Context, tx *store.Tx) error { return tx.ForgetFormValue(ctx, "a") })
	update(t, db, func(ctx context.Context, tx *store.Tx) error { return tx.ForgetFormValue(ctx, "never spent") })
	if spend("a", t0.Add(2*time.Hour), t0.Add(time.Hour)) {
		t.Error("a value given back: still reported spent")
	}
	if !spend("c", t0.Add(2*time.Hour), t0.Add(time.Hour)) {
		t.Error("another value, after one was given back: reported not spent before")
	}
}
