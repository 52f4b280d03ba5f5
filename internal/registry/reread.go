package registry

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/chancery/chancery/internal/identify"
	"github.com/chancery/chancery/internal/pdf"
	"github.com/chancery/chancery/internal/store"
	"github.com/chancery/chancery/internal/textract"
)

// Fingerprints stored by earlier builds were computed from a PDF's text read otherwise than
// this build reads it: right-to-left words reversed (docs/security.md, item 601), so that an
// Arabic or Hebrew letter was not found by its text; words drawn apart by gaps rather than
// spaces glued together (LibreOffice's right-to-left lines, pdfTeX's lines; item 637); an
// Arabic text's tatweel kept in its words (item 639); characters drawn as nothing (the
// zero-width space, joiner and non-joiner …) taken for breaks between words (item 643);
// Arabic presentation forms that draw letters apart read as those letters joined
// (script.FormsApart); and Cherokee's capitals folded to its small letters, U+0149 read as a
// modifier letter and n, Arabic mathematical letters read as letters joined, a letter whose
// folding composes with the mark after it folded once (identify.HasRefolded); Word and
// OpenDocument fields, hidden text, drop-downs and placeholders read otherwise than
// LibreOffice shows them. RereadFingerprints computes them again: the fingerprints of every PDF, Word and OpenDocument version (readOtherwise) and
// released file, and of every other version whose text holds a right-to-left letter (the
// presentation forms are), such a character (identify.HasZeroWidth) or such letters
// (identify.HasRefolded). Two settings follow its work across restarts and servers:
//
//   - rereadThroughSetting: the last letter whose fingerprints may have been computed so,
//     the highest fingerprinted letter when a build that reads so first ran it;
//   - rereadDoneSetting: the last letter every fingerprint of which has been read again.
//
// A fresh office has no fingerprint then, and nothing to read again. A build that reads
// text otherwise again names two new settings, so that its reading starts over: the first
// reading (items 613 to 639) kept its work in fingerprints_reread_through and
// fingerprints_reread_done, the second (items 643 to 652, zero-width characters) in
// fingerprints_reread2_through and fingerprints_reread2_done, the third (item 660,
// presentation forms) in fingerprints_reread3_through and fingerprints_reread3_done, which
// stay as they were and are no longer read.
const (
	rereadThroughSetting = "fingerprints_reread4_through"
	rereadDoneSetting    = "fingerprints_reread4_done"
)

// rereadBatch is how many letters' fingerprints are read again per transaction.
const rereadBatch = 50

// RereadFingerprints reads again the text of the files whose stored fingerprints may have
// been computed from text read otherwise (above), and replaces each such fingerprint with the
// one its text gives now, in the store and in this server's indexes. It starts where the work stood when this server loaded its indexes
// (LoadIdentification), so that a server of a PostgreSQL database indexes again what others
// replaced after it loaded; it returns when every such letter is done or ctx ends, with the
// number of fingerprints it replaced. progress, if not nil, is called after each batch with
// the last letter done and the last to do. It takes at most half of one core: after each
// batch it waits as long as the batch took.
func (r *Registry) RereadFingerprints(ctx context.Context, progress func(done, through int64)) (int, error) {
	from, loaded := r.seen.rereadFrom()
	if !loaded {
		return 0, nil
	}
	var through int64
	err := r.cfg.DB.Update(ctx, func(tx *store.Tx) error {
		s, err := tx.Setting(ctx, rereadThroughSetting)
		if errors.Is(err, store.ErrNotFound) {
			if through, err = tx.LastFingerprintLetter(ctx); err != nil {
				return err
			}
			return tx.SetSetting(ctx, rereadThroughSetting, strconv.FormatInt(through, 10))
		}
		if err != nil {
			return err
		}
		through, err = strconv.ParseInt(s, 10, 64)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("read fingerprints again: %w", err)
	}
	replaced := 0
	for done := from; done < through; {
		end := min(done+rereadBatch, through)
		start := time.Now()
		n, err := r.rereadLetters(ctx, done, end)
		if err != nil {
			return replaced, fmt.Errorf("read fingerprints again: letters %d to %d: %w", done+1, end, err)
		}
		replaced += n
		done = end
		if progress != nil {
			progress(done, through)
		}
		// At most half of one core, beside what the server serves.
		select {
		case <-time.After(time.Since(start)):
		case <-ctx.Done():
			return replaced, fmt.Errorf("read fingerprints again: %w", ctx.Err())
		}
	}
	return replaced, nil
}

// rereadLetters reads again the fingerprints of the letters after after and through through.
func (r *Registry) rereadLetters(ctx context.Context, after, through int64) (int, error) {
	type change struct {
		row  store.StoredFingerprint
		data []byte
		fp   *identify.Fingerprint
	}
	var changes []change
	err := r.cfg.DB.View(ctx, func(tx *store.Tx) error {
		rows, err := tx.FingerprintsOfLetters(ctx, after, through)
		if err != nil {
			return err
		}
		versions := map[[2]int64][]byte{} // each version's fingerprint, as it is to be stored
		for _, f := range rows {
			key := [2]int64{f.LetterID, int64(f.VersionN)}
			fp, data, again, err := reread(ctx, tx, f)
			if err != nil {
				return fmt.Errorf("fingerprint %d: %w", f.ID, err)
			}
			if !f.Released {
				versions[key] = f.Data
				if again {
					versions[key] = data
				}
			}
			if !again {
				continue
			}
			if f.Released && fp != nil && sameText(fp, versions[key]) {
				fp, data = nil, nil // the released file is the version's text, as addReleasedFingerprint keeps it
			}
			changes = append(changes, change{row: f, data: data, fp: fp})
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	if rereadRead != nil {
		rereadRead()
	}
	// held: the row holds the fingerprint read now; mine: this server replaced it.
	held, mine := make([]bool, len(changes)), make([]bool, len(changes))
	err = r.cfg.DB.Update(ctx, func(tx *store.Tx) error {
		for i, c := range changes {
			if bytes.Equal(c.row.Data, c.data) {
				held[i] = true // nothing to write; indexed again all the same, below
				continue
			}
			ok, err := tx.ReplaceFingerprint(ctx, c.row.ID, c.row.Data, c.data)
			if err != nil {
				return err
			}
			held[i], mine[i] = ok, ok
			if ok {
				continue
			}
			// Another server of the database may have replaced it since it was read, with
			// the same fingerprint: this server's indexes still hold the one it loaded.
			now, err := tx.FingerprintsByID(ctx, []int64{c.row.ID})
			if err != nil {
				return err
			}
			held[i] = len(now) == 1 && bytes.Equal(now[0].Data, c.data)
		}
		s, err := tx.Setting(ctx, rereadDoneSetting)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		}
		if done, _ := strconv.ParseInt(s, 10, 64); done >= through {
			return nil // another server went further
		}
		return tx.SetSetting(ctx, rereadDoneSetting, strconv.FormatInt(through, 10))
	})
	if err != nil {
		return 0, err
	}
	replaced := 0
	for i, c := range changes {
		if !held[i] {
			continue // erased, or changed otherwise by another writer, since it was read
		}
		if mine[i] && string(c.row.Data) != string(c.data) {
			replaced++
		}
		// Indexed again even when another server replaced it first: this server may have
		// loaded it before.
		if err := r.reindex(c.row.ID, c.fp); err != nil {
			return replaced, err
		}
	}
	return replaced, nil
}

// reread computes again the fingerprint of stored row f, from its file, as the upload
// (versionFingerprint) or the release (releasedFingerprint) computed it; again reports
// whether it did: for a PDF, whose reading changed, and for a version of another type whose
// text holds a right-to-left letter (tatweel is in such text only), a character drawn as
// nothing (identify.HasZeroWidth) or a letter folded otherwise before (identify.HasRefolded).
func reread(ctx context.Context, tx *store.Tx, f store.StoredFingerprint) (fp *identify.Fingerprint, data []byte, again bool, err error) {
	digest := f.VersionDigest
	if f.Released {
		digest = f.ReleaseDigest
	}
	file, err := tx.Blob(ctx, digest)
	if err != nil {
		return nil, nil, false, err
	}
	var text string
	if f.Released {
		text, err = releasedText(f.VersionType, f.ReleaseType, file)
	} else {
		text, err = textract.Text(f.VersionType, file)
	}
	if err != nil || !f.Released && !readOtherwise(f.VersionType) && !pdf.HasRTL(text) && !identify.HasZeroWidth(text) && !identify.HasRefolded(text) {
		return nil, nil, false, nil // a text that cannot be read now was not read otherwise
	}
	if f.Released {
		fp, data, err = fingerprintText(text)
	} else {
		fp, data, err = versionFingerprint(ctx, f.VersionType, file)
	}
	return fp, data, true, err
}

// readOtherwise reports whether versions of mediaType, whatever their text, may have been
// read otherwise by earlier builds: PDFs (their text layers), Word and OpenDocument files
// (their fields, hidden and web-hidden text, drop-downs and placeholders, read since the
// fifty-fourth session as LibreOffice shows them).
func readOtherwise(mediaType string) bool {
	switch baseType(mediaType) {
	case "application/pdf", textract.DOCXType, textract.ODTType:
		return true
	}
	return false
}

// sameText reports whether fp is of the same text as the stored fingerprint data.
func sameText(fp *identify.Fingerprint, data []byte) bool {
	if data == nil {
		return false
	}
	var stored identify.Fingerprint
	return stored.UnmarshalBinary(data) == nil && stored.Hash == fp.Hash
}

// reindex puts fingerprint id in the index that holds it with fp, or takes it out if fp is
// nil; a fingerprint in neither (its letter erased) stays out.
func (r *Registry) reindex(id int64, fp *identify.Fingerprint) error {
	u := uint64(id)
	for _, ix := range []*identify.Index{r.released, r.ident} {
		if ix.Remove(u) {
			if fp != nil {
				return ix.Add(u, fp)
			}
			return nil
		}
	}
	return nil
}

// rereadRead, set only by tests, is called once rereadLetters has read the fingerprints it
// replaces, before it replaces them.
var rereadRead func()
