package store_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/store"
	"github.com/chancery/chancery/internal/store/storetest"
)

func TestRefingerprintDocumentsMigrationSQLite(t *testing.T) {
	testRefingerprintDocumentsMigration(t, openSQLite(t, t.TempDir()))
}

func TestRefingerprintDocumentsMigrationPostgres(t *testing.T) {
	testRefingerprintDocumentsMigration(t, openPostgres(t, storetest.PostgresURL(t)))
}

// testRefingerprintDocumentsMigration runs migration 38 on the rows of a draft with a Word
// version and a PDF one, a released OpenDocument letter, an erased Word letter (rows without
// data) and a released PDF letter: the rows of the Word and OpenDocument versions, and of
// their released files, go; the erased letter's and the PDF versions' stay.
func testRefingerprintDocumentsMigration(t *testing.T, db *store.DB) {
	ctx := t.Context()
	defer db.Close()
	const (
		docx = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
		odt  = "application/vnd.oasis.opendocument.text"
		pdf  = "application/pdf"
	)
	now := time.Date(2026, 12, 1, 6, 0, 0, 0, time.UTC)
	type row struct {
		letter, n int
		released  bool
	}
	var kept []row
	err := db.Update(ctx, func(tx *store.Tx) error {
		m, err := tx.AddMember(ctx, "cora", []string{"signer"}, []byte("token"), now)
		if err != nil {
			return err
		}
		blob := 0
		letter := func(i int, types []string, released, erased bool) error {
			l := store.Letter{Reference: fmt.Sprintf("TRF-2026-%06d", i), Subject: "s", Class: "c", AuthorID: m.ID, CreatedAt: now}
			if err := tx.AddLetter(ctx, &l); err != nil {
				return err
			}
			var data []byte
			if !erased {
				data = []byte("fingerprint")
			}
			for n, mt := range types {
				blob++
				d := fmt.Sprintf("sha256:%064x", blob)
				if err := tx.PutBlob(ctx, d, []byte{byte(blob)}); err != nil {
					return err
				}
				if err := tx.AddVersion(ctx, store.Version{LetterID: l.ID, N: n + 1, Digest: d, MediaType: mt, FileName: "l", Size: 1, CreatedBy: m.ID, CreatedAt: now}); err != nil {
					return err
				}
				if err := tx.AddFingerprint(ctx, &store.Fingerprint{LetterID: l.ID, VersionN: n + 1, Data: data}); err != nil {
					return err
				}
				if mt == pdf || erased {
					kept = append(kept, row{i, n + 1, false})
				}
			}
			if !released {
				return nil
			}
			n := len(types)
			blob++
			d := fmt.Sprintf("sha256:%064x", blob)
			if err := tx.PutBlob(ctx, d, []byte{byte(blob)}); err != nil {
				return err
			}
			if err := tx.AddRelease(ctx, store.Release{LetterID: l.ID, VersionN: n, FileDigest: d, FileName: "l.pdf", MediaType: pdf,
				LogIndex: int64(i), Entry: []byte{byte(i)}, ReleasedBy: m.ID, ReleasedAt: now}); err != nil {
				return err
			}
			if err := tx.AddFingerprint(ctx, &store.Fingerprint{LetterID: l.ID, VersionN: n, Released: true, Data: data}); err != nil {
				return err
			}
			if types[n-1] == pdf || erased {
				kept = append(kept, row{i, n, true})
			}
			if erased {
				return store.ExecTx(ctx, tx, `UPDATE releases SET erased_at = $1 WHERE letter_id = $2`, now.Format(time.RFC3339), l.ID)
			}
			return nil
		}
		for i, c := range []struct {
			types            []string
			released, erased bool
		}{
			{[]string{docx, pdf}, false, false},
			{[]string{odt}, true, false},
			{[]string{docx}, true, true},
			{[]string{pdf}, true, false},
		} {
			if err := letter(i+1, c.types, c.released, c.erased); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.RunMigrationForTest(ctx, 38); err != nil {
		t.Fatalf("migration 38: %v", err)
	}
	var got []row
	err = db.View(ctx, func(tx *store.Tx) error {
		for i := 1; i <= 4; i++ {
			l, err := tx.LetterByRef(ctx, fmt.Sprintf("TRF-2026-%06d", i))
			if err != nil {
				return err
			}
			fs, err := tx.FingerprintsOf(ctx, l.ID)
			if err != nil {
				return err
			}
			for _, f := range fs {
				got = append(got, row{i, f.VersionN, f.Released})
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got, kept) {
		t.Errorf("fingerprint rows after migration 38: %v, want %v", got, kept)
	}
}
