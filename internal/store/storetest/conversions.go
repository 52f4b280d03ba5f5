package storetest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/chancery/chancery/internal/store"
)

const docxType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

// pdfFile is a file for tests and its digest.
func pdfFile(name string, n int) (string, []byte) {
	b := bytes.Repeat([]byte(name+" "), n/(len(name)+1)+1)[:n]
	return fmt.Sprintf("sha256:%x", sha256.Sum256(b)), b
}

// testConversions checks the kept conversions of versions' files: none until one is put; the
// first put stays, and a later one (another server's conversion) is given the first, keeping
// none of its bytes, even when several are put at once; a file's conversion as another
// media type is another; and erasing a letter empties its versions' conversions and forgets
// them, but keeps the conversion of a file another letter has too, and a PDF that is another
// file's conversion as well.
func testConversions(t *testing.T, db *store.DB) {
	m := addMember(t, db, "conrad")
	src, srcData := pdfFile("letter.docx", 5000)
	first, firstData := pdfFile("first conversion", 20000)
	second, secondData := pdfFile("second conversion", 20000)
	update(t, db, func(ctx context.Context, tx *store.Tx) error {
		if _, err := tx.Conversion(ctx, src, docxType); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("conversion of a file never converted: %v, want ErrNotFound", err)
		}
		if err := tx.PutBlob(ctx, src, srcData); err != nil {
			return err
		}
		kept, err := tx.PutConversion(ctx, src, docxType, first, firstData)
		if err != nil || kept != first {
			t.Errorf("first conversion kept as %s, %v; want %s", kept, err, first)
		}
		return nil
	})
	update(t, db, func(ctx context.Context, tx *store.Tx) error {
		kept, err := tx.PutConversion(ctx, src, docxType, second, secondData)
		if err != nil || kept != first {
			t.Errorf("a second conversion: given %s, %v; want the first, %s", kept, err, first)
		}
		return nil
	})
	view(t, db, func(ctx context.Context, tx *store.Tx) error {
		if got, err := tx.Conversion(ctx, src, docxType); err != nil || got != first {
			t.Errorf("kept conversion %s, %v; want %s", got, err, first)
		}
		if got, err := tx.Blob(ctx, first); err != nil || !bytes.Equal(got, firstData) {
			t.Errorf("kept conversion's bytes: %d, %v", len(got), err)
		}
		if _, err := tx.Blob(ctx, second); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("the second conversion's bytes were kept: %v", err)
		}
		if _, err := tx.Conversion(ctx, src, "application/vnd.oasis.opendocument.text"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("conversion as another media type: %v, want ErrNotFound", err)
		}
		return nil
	})

	// Servers converting the same file at once: every one is given the same conversion.
	race, raceData := pdfFile("raced.odt", 3000)
	update(t, db, func(ctx context.Context, tx *store.Tx) error { return tx.PutBlob(ctx, race, raceData) })
	const servers = 4
	got := make([]string, servers)
	var wg sync.WaitGroup
	for i := range servers {
		wg.Go(func() {
			d, b := pdfFile(fmt.Sprintf("conversion by server %d", i), 9000)
			err := db.Update(t.Context(), func(tx *store.Tx) (err error) {
				got[i], err = tx.PutConversion(t.Context(), race, docxType, d, b)
				return err
			})
			if err != nil {
				t.Errorf("server %d: %v", i, err)
			}
		})
	}
	wg.Wait()
	for i := range got {
		if got[i] != got[0] || got[i] == "" {
			t.Errorf("servers converting at once were given %v, want one conversion", got)
			break
		}
	}

	// Erasure: the erased letter's own file's conversion goes; that of a file another letter
	// has too stays, and so does a PDF that is also another file's conversion.
	own, ownData := pdfFile("own.docx", 4000)
	ownPDF, ownPDFData := pdfFile("own conversion", 30000)
	shared, sharedData := pdfFile("shared.docx", 4000)
	sharedPDF, sharedPDFData := pdfFile("shared conversion", 30000)
	twin, twinData := pdfFile("twin.docx", 4000)
	twinPDF, twinPDFData := pdfFile("twin conversion", 30000)
	other, otherData := pdfFile("other.docx", 4000)
	rel, relData := pdfFile("released", 2000)
	var erased int64
	update(t, db, func(ctx context.Context, tx *store.Tx) error {
		var ids [2]int64
		for i := range ids {
			l := store.Letter{Reference: fmt.Sprintf("TFC-2020-%06d", i+1), Subject: "s", Class: "c", Tags: []string{}, Addressees: []string{}, AuthorID: m.ID, CreatedAt: t0}
			if err := tx.AddLetter(ctx, &l); err != nil {
				return err
			}
			ids[i] = l.ID
		}
		erased = ids[0]
		for _, f := range []struct {
			d string
			b []byte
		}{{own, ownData}, {shared, sharedData}, {twin, twinData}, {other, otherData}} {
			if err := tx.PutBlob(ctx, f.d, f.b); err != nil {
				return err
			}
		}
		for _, c := range []struct {
			src, pdf string
			b        []byte
		}{{own, ownPDF, ownPDFData}, {shared, sharedPDF, sharedPDFData}, {twin, twinPDF, twinPDFData}, {other, twinPDF, twinPDFData}} {
			if _, err := tx.PutConversion(ctx, c.src, docxType, c.pdf, c.b); err != nil {
				return err
			}
		}
		// The erased letter has own, shared and twin; the other letter shared and other,
		// whose conversion is the same PDF as twin's.
		for _, v := range []struct {
			letter int64
			n      int
			d      string
		}{{ids[0], 1, own}, {ids[0], 2, shared}, {ids[0], 3, twin}, {ids[1], 1, shared}, {ids[1], 2, other}} {
			if err := tx.AddVersion(ctx, store.Version{LetterID: v.letter, N: v.n, Digest: v.d, MediaType: docxType, FileName: "l.docx", Size: 4000, CreatedBy: m.ID, CreatedAt: t0}); err != nil {
				return err
			}
		}
		if err := tx.PutBlob(ctx, rel, relData); err != nil {
			return err
		}
		return tx.AddRelease(ctx, store.Release{LetterID: erased, VersionN: 3, FileDigest: rel, FileName: "l.pdf", MediaType: "application/pdf",
			LogIndex: 40, Entry: []byte("entry"), ReleasedBy: m.ID, ReleasedAt: t0, CheckCodeHash: bytes.Repeat([]byte{7}, 32)})
	})
	chunks := chunkRows(t, db)
	update(t, db, func(ctx context.Context, tx *store.Tx) error { return tx.EraseLetter(ctx, erased, t0) })
	// The erased letter's own and twin files and its released file lose their chunks, and
	// own's conversion too.
	if n, want := chunkRows(t, db), chunks-wantChunks(db, len(ownData), len(twinData), len(relData), len(ownPDFData)); n != want {
		t.Errorf("after the erasure: %d blob_chunks rows, want %d", n, want)
	}
	view(t, db, func(ctx context.Context, tx *store.Tx) error {
		for _, d := range []string{own, twin} {
			if _, err := tx.Conversion(ctx, d, docxType); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("the erased letter's file's conversion is still kept: %v", err)
			}
		}
		if got, err := tx.Blob(ctx, ownPDF); err != nil || len(got) != 0 {
			t.Errorf("the erased letter's conversion: %d bytes after the erasure, %v", len(got), err)
		}
		for _, c := range []struct {
			src, pdf string
			b        []byte
		}{{shared, sharedPDF, sharedPDFData}, {other, twinPDF, twinPDFData}} {
			if got, err := tx.Conversion(ctx, c.src, docxType); err != nil || got != c.pdf {
				t.Errorf("another letter's file's conversion after the erasure: %s, %v; want %s", got, err, c.pdf)
			}
			if got, err := tx.Blob(ctx, c.pdf); err != nil || !bytes.Equal(got, c.b) {
				t.Errorf("another letter's conversion after the erasure: %d bytes, %v", len(got), err)
			}
		}
		return nil
	})
}

// testEraseBothLettersOfAFile: two letters with the same file, both released and both erased.
// The first erasure keeps the file and its conversion, the other letter's; the second leaves
// no letter that needs them, and empties them: an erased letter does not hold a file.
func testEraseBothLettersOfAFile(t *testing.T, db *store.DB) {
	eraseTwoLettersOfAFile(t, db, "bertha", "TFC-2021", true)
}

// testEraseADraftAndALetterOfAFile: as testEraseBothLettersOfAFile, the first of the two
// letters a draft erased (one a restored backup held as a draft, erased again at a server's
// start): an erased draft does not hold the file either, and the second erasure empties it.
func testEraseADraftAndALetterOfAFile(t *testing.T, db *store.DB) {
	eraseTwoLettersOfAFile(t, db, "dorothea", "TFC-2023", false)
}

// eraseTwoLettersOfAFile makes two letters of member's, references prefix-000001 and
// prefix-000002, with the same file and its conversion, the second released (the first too
// when firstReleased), erases the first, checks that the file and the conversion are kept,
// then erases the second and checks that they are emptied.
func eraseTwoLettersOfAFile(t *testing.T, db *store.DB, member, prefix string, firstReleased bool) {
	m := addMember(t, db, member)
	src, srcData := pdfFile(prefix+" file.docx", 4000)
	conv, convData := pdfFile(prefix+" conversion", 30000)
	var ids [2]int64
	update(t, db, func(ctx context.Context, tx *store.Tx) error {
		if err := tx.PutBlob(ctx, src, srcData); err != nil {
			return err
		}
		if _, err := tx.PutConversion(ctx, src, docxType, conv, convData); err != nil {
			return err
		}
		for i := range ids {
			l := store.Letter{Reference: fmt.Sprintf("%s-%06d", prefix, i+1), Subject: "s", Class: "c", Tags: []string{}, Addressees: []string{}, AuthorID: m.ID, CreatedAt: t0}
			if err := tx.AddLetter(ctx, &l); err != nil {
				return err
			}
			ids[i] = l.ID
			if err := tx.AddVersion(ctx, store.Version{LetterID: l.ID, N: 1, Digest: src, MediaType: docxType, FileName: "l.docx", Size: 4000, CreatedBy: m.ID, CreatedAt: t0}); err != nil {
				return err
			}
			if i == 0 && !firstReleased {
				continue
			}
			rel, relData := pdfFile(fmt.Sprintf("%s released %d", prefix, i), 2000)
			if err := tx.PutBlob(ctx, rel, relData); err != nil {
				return err
			}
			if err := tx.AddRelease(ctx, store.Release{LetterID: l.ID, VersionN: 1, FileDigest: rel, FileName: "l.pdf", MediaType: "application/pdf",
				LogIndex: int64(50 + i), Entry: []byte("entry"), ReleasedBy: m.ID, ReleasedAt: t0, CheckCodeHash: bytes.Repeat([]byte{byte(i + 1)}, 32)}); err != nil {
				return err
			}
		}
		return nil
	})
	kept := func(want bool) {
		t.Helper()
		view(t, db, func(ctx context.Context, tx *store.Tx) error {
			got, err := tx.Conversion(ctx, src, docxType)
			if (err == nil) != want || (want && got != conv) {
				t.Errorf("the file's conversion: %s, %v; want it kept: %v", got, err, want)
			}
			for _, f := range []struct {
				d    string
				b    []byte
				what string
			}{{src, srcData, "file"}, {conv, convData, "conversion"}} {
				b, err := tx.Blob(ctx, f.d)
				if err != nil {
					return err
				}
				if whole := bytes.Equal(b, f.b); whole != want || (!want && len(b) != 0) {
					t.Errorf("the %s: %d bytes; want it kept: %v", f.what, len(b), want)
				}
			}
			return nil
		})
	}
	update(t, db, func(ctx context.Context, tx *store.Tx) error { return tx.EraseLetter(ctx, ids[0], t0) })
	kept(true)
	update(t, db, func(ctx context.Context, tx *store.Tx) error { return tx.EraseLetter(ctx, ids[1], t0) })
	kept(false)
}

// testErasedFileStoredAgain: a file erased with its letter, then uploaded again as another
// letter's (by someone who has it), is that letter's whole file, kept in chunks or inline as
// any other; and erasing that letter empties it again.
func testErasedFileStoredAgain(t *testing.T, db *store.DB) {
	m := addMember(t, db, "agatha")
	big, bigData := pdfFile("erased then uploaded again", 300000)
	small, smallData := pdfFile("small erased file", 300)
	letter := func(ctx context.Context, tx *store.Tx, n int) (int64, error) {
		l := store.Letter{Reference: fmt.Sprintf("TFC-2022-%06d", n), Subject: "s", Class: "c", Tags: []string{}, Addressees: []string{}, AuthorID: m.ID, CreatedAt: t0}
		if err := tx.AddLetter(ctx, &l); err != nil {
			return 0, err
		}
		for i, d := range []string{big, small} {
			if err := tx.AddVersion(ctx, store.Version{LetterID: l.ID, N: i + 1, Digest: d, MediaType: "application/pdf", FileName: "l.pdf", Size: 300, CreatedBy: m.ID, CreatedAt: t0}); err != nil {
				return 0, err
			}
		}
		rel, relData := pdfFile(fmt.Sprintf("released file %d", n), 2000)
		if err := tx.PutBlob(ctx, rel, relData); err != nil {
			return 0, err
		}
		return l.ID, tx.AddRelease(ctx, store.Release{LetterID: l.ID, VersionN: 2, FileDigest: rel, FileName: "l.pdf", MediaType: "application/pdf",
			LogIndex: int64(60 + n), Entry: []byte("entry"), ReleasedBy: m.ID, ReleasedAt: t0, CheckCodeHash: bytes.Repeat([]byte{byte(n)}, 32)})
	}
	files := func(want bool) {
		t.Helper()
		view(t, db, func(ctx context.Context, tx *store.Tx) error {
			for _, f := range []struct {
				d string
				b []byte
			}{{big, bigData}, {small, smallData}} {
				b, err := tx.Blob(ctx, f.d)
				if err != nil {
					return err
				}
				if whole := bytes.Equal(b, f.b); whole != want || (!want && len(b) != 0) {
					t.Errorf("a file of %d bytes reads %d; want it whole: %v", len(f.b), len(b), want)
				}
			}
			return nil
		})
	}
	var ids [2]int64
	for i := range ids {
		update(t, db, func(ctx context.Context, tx *store.Tx) (err error) {
			for _, f := range [][]byte{bigData, smallData} {
				if err := tx.PutBlob(ctx, fmt.Sprintf("sha256:%x", sha256.Sum256(f)), f); err != nil {
					return err
				}
			}
			ids[i], err = letter(ctx, tx, i+1)
			return err
		})
		files(true)
		update(t, db, func(ctx context.Context, tx *store.Tx) error { return tx.EraseLetter(ctx, ids[i], t0) })
		files(false)
	}
	// A file stored after them has chunks of its own.
	other, otherData := pdfFile("stored after", 300000)
	update(t, db, func(ctx context.Context, tx *store.Tx) error { return tx.PutBlob(ctx, other, otherData) })
	view(t, db, func(ctx context.Context, tx *store.Tx) error {
		if b, err := tx.Blob(ctx, other); err != nil || !bytes.Equal(b, otherData) {
			t.Errorf("a file stored after: %d bytes, %v", len(b), err)
		}
		return nil
	})
}

// testConversionAfterErasure: a conversion made while its letter was erased (a release's or a
// copy's, begun before the erasure and kept after it) is refused, and keeps no byte: the
// erasure found no conversion to delete, and nothing would delete it later.
func testConversionAfterErasure(t *testing.T, db *store.DB) {
	m := addMember(t, db, "cyril")
	src, srcData := pdfFile("converted while erased.docx", 4000)
	late, lateData := pdfFile("conversion kept after the erasure", 30000)
	var id int64
	update(t, db, func(ctx context.Context, tx *store.Tx) error {
		if err := tx.PutBlob(ctx, src, srcData); err != nil {
			return err
		}
		l := store.Letter{Reference: "TFC-2023-000001", Subject: "s", Class: "c", Tags: []string{}, Addressees: []string{}, AuthorID: m.ID, CreatedAt: t0}
		if err := tx.AddLetter(ctx, &l); err != nil {
			return err
		}
		id = l.ID
		if err := tx.AddVersion(ctx, store.Version{LetterID: l.ID, N: 1, Digest: src, MediaType: docxType, FileName: "l.docx", Size: 4000, CreatedBy: m.ID, CreatedAt: t0}); err != nil {
			return err
		}
		rel, relData := pdfFile("released while converting", 2000)
		if err := tx.PutBlob(ctx, rel, relData); err != nil {
			return err
		}
		return tx.AddRelease(ctx, store.Release{LetterID: l.ID, VersionN: 1, FileDigest: rel, FileName: "l.pdf", MediaType: "application/pdf",
			LogIndex: 80, Entry: []byte("entry"), ReleasedBy: m.ID, ReleasedAt: t0, CheckCodeHash: bytes.Repeat([]byte{8}, 32)})
	})
	update(t, db, func(ctx context.Context, tx *store.Tx) error { return tx.EraseLetter(ctx, id, t0) })
	err := db.Update(t.Context(), func(tx *store.Tx) error {
		_, err := tx.PutConversion(t.Context(), src, docxType, late, lateData)
		return err
	})
	if !errors.Is(err, store.ErrNotFound) {
		t.Errorf("a conversion of an erased file: %v, want ErrNotFound", err)
	}
	view(t, db, func(ctx context.Context, tx *store.Tx) error {
		if got, err := tx.Conversion(ctx, src, docxType); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("a conversion of an erased file is kept: %s, %v", got, err)
		}
		if _, err := tx.Blob(ctx, late); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("the bytes of a conversion of an erased file are kept: %v", err)
		}
		return nil
	})
}
