package store_test

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/store"
	"github.com/chancery/chancery/internal/store/storetest"
)

// copyToPostgres copies the SQLite store in dir into a new PostgreSQL database, as
// 'chancery store migrate' does, and returns the target and the copy's error.
func copyToPostgres(t *testing.T, dir string) (*store.DB, error) {
	t.Helper()
	snap, err := store.OpenSQLiteSnapshot(t.Context(), dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { snap.Close() })
	dst, err := store.OpenPostgresTarget(t.Context(), storetest.PostgresURL(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { dst.Close() })
	_, err = store.CopyTo(t.Context(), snap, dst)
	return dst, err
}

// An empty value is copied as an empty value, never as NULL: SQLite's driver reads an empty
// BLOB as a nil slice, which PostgreSQL's takes for NULL. A kept answer still pending (its
// body empty, as migrations 20 and 21 leave the answers of an office upgraded past them until
// its server builds them) made the copy fail on the NOT NULL body; an empty value in a column
// that may be NULL came out as NULL.
func TestCopyToKeepsEmptyValues(t *testing.T) {
	ctx := t.Context()
	dir := t.TempDir()
	src := openSQLite(t, dir)
	digest := bytes.Repeat([]byte{0xab}, 32)
	for _, q := range []string{
		// A pending answer, as migration 21 writes it.
		`INSERT INTO answers (id, digest, part, body) VALUES (12345, x'` + hexOf(digest) + `', 0, x'')`,
	} {
		if err := src.ExecForTest(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	if err := src.Close(); err != nil {
		t.Fatal(err)
	}
	dst, err := copyToPostgres(t, dir)
	if err != nil {
		t.Fatalf("copy of a store with empty values: %v", err)
	}
	err = dst.View(ctx, func(tx *store.Tx) error {
		pending, err := tx.PendingAnswers(ctx, 10)
		if err != nil {
			return err
		}
		if len(pending) != 1 || pending[0] != "sha256:"+hexOf(digest) {
			t.Errorf("pending answers in the target: %v, want the source's one", pending)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func hexOf(b []byte) string {
	const digits = "0123456789abcdef"
	out := make([]byte, 0, 2*len(b))
	for _, c := range b {
		out = append(out, digits[c>>4], digits[c&15])
	}
	return string(out)
}

// A kept conversion (migration 33) is copied with the rest: the target gives the file the
// same PDF, byte for byte, and a conversion put again is given it.
func TestCopyToKeepsConversions(t *testing.T) {
	ctx := t.Context()
	dir := t.TempDir()
	src := openSQLite(t, dir)
	const docx = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
	doc, conv := []byte("a Word letter"), bytes.Repeat([]byte("%PDF its conversion "), 2000)
	docDigest, convDigest := "sha256:"+hexOf(sha256Of(doc)), "sha256:"+hexOf(sha256Of(conv))
	err := src.Update(ctx, func(tx *store.Tx) error {
		if err := tx.PutBlob(ctx, docDigest, doc); err != nil {
			return err
		}
		_, err := tx.PutConversion(ctx, docDigest, docx, convDigest, conv)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := src.Close(); err != nil {
		t.Fatal(err)
	}
	dst, err := copyToPostgres(t, dir)
	if err != nil {
		t.Fatalf("copy of a store with a kept conversion: %v", err)
	}
	again := bytes.Repeat([]byte("%PDF converted again "), 2000)
	err = dst.Update(ctx, func(tx *store.Tx) error {
		got, err := tx.Conversion(ctx, docDigest, docx)
		if err != nil || got != convDigest {
			t.Errorf("the copy's conversion of the letter: %s, %v; want %s", got, err, convDigest)
		}
		if b, err := tx.Blob(ctx, convDigest); err != nil || !bytes.Equal(b, conv) {
			t.Errorf("the copy's conversion: %d bytes, %v; want the source's %d", len(b), err, len(conv))
		}
		if got, err := tx.PutConversion(ctx, docDigest, docx, "sha256:"+hexOf(sha256Of(again)), again); err != nil || got != convDigest {
			t.Errorf("converted again in the copy: given %s, %v; want the copied %s", got, err, convDigest)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func sha256Of(b []byte) []byte {
	s := sha256.Sum256(b)
	return s[:]
}

// The letters in progress (unreleased_letters, migration 44) are copied with the letters, so
// that the target's inbox and listings of drafts find the source's drafts, and its next
// release takes the letter out of them.
func TestCopyToKeepsTheLettersInProgress(t *testing.T) {
	ctx := t.Context()
	dir := t.TempDir()
	src := openSQLite(t, dir)
	now := time.Date(2026, 12, 7, 6, 0, 0, 0, time.UTC)
	var ids []int64
	err := src.Update(ctx, func(tx *store.Tx) error {
		m, err := tx.AddMember(ctx, "cora", []string{"signer"}, []byte("token"), now)
		if err != nil {
			return err
		}
		for i := 1; i <= 3; i++ {
			l := store.Letter{Reference: fmt.Sprintf("TCP-2026-%06d", i), Subject: "s", Class: "c", AuthorID: m.ID, CreatedAt: now}
			if err := tx.AddLetter(ctx, &l); err != nil {
				return err
			}
			ids = append(ids, l.ID)
		}
		d := storetest.Digest("released")
		if err := tx.PutBlob(ctx, d, []byte("released")); err != nil {
			return err
		}
		return tx.AddRelease(ctx, store.Release{LetterID: ids[1], VersionN: 1, FileDigest: d, FileName: "l.pdf", MediaType: "application/pdf",
			LogIndex: 0, Entry: []byte("e"), ReleasedBy: m.ID, ReleasedAt: now})
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := src.Close(); err != nil {
		t.Fatal(err)
	}
	dst, err := copyToPostgres(t, dir)
	if err != nil {
		t.Fatalf("copy: %v", err)
	}
	err = dst.View(ctx, func(tx *store.Tx) error {
		un, err := tx.UnreleasedLetters(ctx, 10)
		if err != nil {
			return err
		}
		var got []string
		for _, l := range un {
			got = append(got, l.Reference)
		}
		if want := []string{"TCP-2026-000003", "TCP-2026-000001"}; !slices.Equal(got, want) {
			t.Errorf("letters in progress in the target: %v, want %v", got, want)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
