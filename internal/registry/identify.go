package registry

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/chancery/chancery/internal/i18n"
	"github.com/chancery/chancery/internal/identify"
	"github.com/chancery/chancery/internal/metrics"
	"github.com/chancery/chancery/internal/ocr"
	"github.com/chancery/chancery/internal/pdf"
	"github.com/chancery/chancery/internal/store"
	"github.com/chancery/chancery/internal/textdiff"
	"github.com/chancery/chancery/internal/textract"
)

// Altered is the outcome of identification for a text close to a released letter's but not
// the same: the differences are shown word by word.
const Altered = "altered"

// Identification is what a text is to this office: the answer of Identify.
type Identification struct {
	Outcome string `json:"outcome"` // valid, altered, retracted, superseded, draft, unknown
	// Reference, Version, Similarity and Containment describe the best match; the public is
	// given no Similarity and Containment (0), and no Matches but the letter answered.
	Reference   string  `json:"reference,omitempty"`
	Version     int     `json:"version,omitempty"`
	Similarity  float64 `json:"similarity"`
	Containment float64 `json:"containment"`
	// Match is how the text matches: exact, near (an altered copy), excerpt or none.
	Match   string `json:"match"`
	Message string `json:"message"`
	// Matches are the ranked candidates the asker may see.
	Matches []IdentifiedLetter `json:"matches"`
	// Diff, for an altered copy, goes from the letter's text to the text given.
	Diff []DiffOp `json:"diff,omitempty"`
	// Status is the best match's status, for a released letter.
	Status *Status `json:"status,omitempty"`
	// Scan says the text was read from a scan (OCR): see IdentifyScan.
	Scan bool `json:"scan,omitempty"`
	// DraftMark says that the text (or what a file's pages show) carries the banner every
	// page of a draft copy or a preview shows, "DRAFT — NOT AN OFFICIAL DOCUMENT" in one of
	// the stamp languages: a fact about the asker's own text, whatever letter it is close to.
	// It does not change the outcome (anyone may type a banner), and the message says so
	// (DraftMarkNote).
	DraftMark bool `json:"draft_mark,omitempty"`
	// Bytes, for a file whose digest was given, says what its bytes are to this office:
	// BytesReleased (the released file itself) or BytesDraft (a draft's file or copy).
	Bytes string `json:"bytes,omitempty"`
	// ForeignCodes, for a scan or a PDF's pages, are the QR codes on it that are not the
	// letter's, as they read: a copy that shows one is altered (see IdentifyScan).
	ForeignCodes []string `json:"foreign_qr_codes,omitempty"`
	// UncheckedCodes, for a scan or a PDF's pages that are a part of a letter only, are the
	// QR codes on it that were not judged, as they read: neither the letter's footer code nor
	// foreign, since judging them would tell the holder of a part what the rest shows.
	UncheckedCodes []string `json:"unchecked_qr_codes,omitempty"`
	// ForeignLinks and UncheckedLinks are ForeignCodes and UncheckedCodes for the addresses
	// of a PDF's link annotations (ocr.Reading.Links), judged as its QR codes are: a reader
	// who clicks on a footer is taken where its link leads, whatever the footer prints.
	ForeignLinks   []string `json:"foreign_links,omitempty"`
	UncheckedLinks []string `json:"unchecked_links,omitempty"`
}

// NamesLetter reports whether the answer says the text is a released letter's, or a part of
// one: valid, retracted or superseded.
func (id *Identification) NamesLetter() bool {
	return id.Reference != "" && id.Outcome != Altered && id.Outcome != Draft && id.Outcome != Unknown
}

// IdentifiedLetter is one ranked match.
type IdentifiedLetter struct {
	Reference   string  `json:"reference"`
	Version     int     `json:"version"`
	State       string  `json:"state"` // valid, retracted, superseded, or draft for an unreleased version
	Score       float64 `json:"score"`
	Similarity  float64 `json:"similarity"`
	Containment float64 `json:"containment"`
}

// DiffOp is a run of words kept ("equal"), added ("insert") or removed ("delete").
type DiffOp struct {
	Op   string `json:"op"`
	Text string `json:"text"`
}

// maxMatches is how many ranked matches Identify returns.
const maxMatches = 10

// notOfficialText is what the public learns of a text that matches no released letter,
// whether or not it resembles a draft.
const notOfficialText = "not an official letter of this office: the text matches no released letter"

// fingerprintSource gives the identification index the stored fingerprints of candidates,
// and keeps the rows it read: the matches are among them, and Identify needs their letters.
// A candidate whose row has lost its data (or is gone) was erased, by this server or another
// on the same database: it is never a match, and gone lists it so that Identify drops it from
// the indexes.
type fingerprintSource struct {
	db   *store.DB
	read map[uint64]store.Fingerprint
	gone []uint64
	// hashes are the text hashes of the fingerprints read, texts the first letter read with
	// each text, and twins joins letters that share a text (see Family): each to a twin of a
	// lower ID, the lowest being the family's.
	hashes map[uint64][32]byte
	texts  map[[32]byte]int64
	twins  map[int64]int64
}

func (s *fingerprintSource) Fingerprints(ctx context.Context, ids []uint64) ([]*identify.Fingerprint, error) {
	byID, err := s.rows(ctx, ids)
	if err != nil {
		return nil, err
	}
	if s.read == nil {
		s.read = byID
	} else {
		maps.Copy(s.read, byID)
	}
	out := make([]*identify.Fingerprint, len(ids))
	for i, id := range ids {
		row, ok := byID[id]
		if !ok || row.Data == nil {
			s.gone = append(s.gone, id) // an indexed row always had data: erased since
			continue
		}
		fp := new(identify.Fingerprint)
		if err := fp.UnmarshalBinary(row.Data); err != nil {
			return nil, fmt.Errorf("fingerprint %d: %w", id, err)
		}
		out[i] = fp
		s.twin(id, row.LetterID, fp.Hash)
	}
	return out, nil
}

// twin records the text hash of document id, of letter, and joins letter to the first
// letter read with that text.
func (s *fingerprintSource) twin(id uint64, letter int64, hash [32]byte) {
	if s.hashes == nil {
		s.hashes, s.texts, s.twins = make(map[uint64][32]byte), make(map[[32]byte]int64), make(map[int64]int64)
	}
	s.hashes[id] = hash
	first, ok := s.texts[hash]
	if !ok {
		s.texts[hash] = letter
		return
	}
	if a, b := s.root(first), s.root(letter); a != b {
		s.twins[max(a, b)] = min(a, b)
	}
}

// root returns the first letter of letter's twins, itself if it has none.
func (s *fingerprintSource) root(letter int64) int64 {
	for {
		next, ok := s.twins[letter]
		if !ok {
			return letter
		}
		letter = next
	}
}

// Family returns the letter of document id: its versions and its released file are one
// family, never each other's competitors. So are letters that have one text (twins: a
// letter retracted and issued again, or superseded by one that only adds an addressee):
// otherwise the words they share would be specific to neither, and a quotation of their
// text, or a copy with a word changed, would be answered as no letter's.
func (s *fingerprintSource) Family(id uint64) uint64 {
	return uint64(s.root(s.read[id].LetterID))
}

func (s *fingerprintSource) rows(ctx context.Context, ids []uint64) (map[uint64]store.Fingerprint, error) {
	keys := make([]int64, len(ids))
	for i, id := range ids {
		keys[i] = int64(id)
	}
	var rows []store.Fingerprint
	err := s.db.View(ctx, func(tx *store.Tx) error {
		var err error
		rows, err = tx.FingerprintsByID(ctx, keys)
		return err
	})
	if err != nil {
		return nil, err
	}
	m := make(map[uint64]store.Fingerprint, len(rows))
	for _, f := range rows {
		m[uint64(f.ID)] = f
	}
	return m, nil
}

// fingerprint computes the stored fingerprint of a version's file: nil data when the file has
// no text (its row still records that it was looked at).
func fingerprint(mediaType string, data []byte) (*identify.Fingerprint, []byte, error) {
	text, err := textract.Text(mediaType, data)
	if errors.Is(err, textract.ErrNoText) {
		return nil, nil, nil
	}
	if err != nil {
		return nil, nil, err
	}
	return fingerprintText(text)
}

// thinTextWords is the fewest words a PDF version's own text layer must have for its
// fingerprint to be taken from it (versionFingerprint).
const thinTextWords = 20

// versionFingerprint is fingerprint of a version's file, except for a PDF whose pages' own
// content streams show fewer than thinTextWords words, where pdf.Text reads its text: one
// whose text is drawn in form XObjects or annotations (a handout of several pages to a
// sheet, a document printed to PDF again, a "fill and sign" text box). pdf.Text leaves
// forms out so that a copy's marks stay out of its text, and such a version had no
// fingerprint: its text, pasted or retyped, or a copy printed to PDF again and read by OCR,
// identified as unknown rather than as the draft. Its fingerprint is taken from the text its
// pages show as pdftotext reads it (ocr.VisibleText, as identification reads the office's
// released files), when pdftotext is installed and reads more words; otherwise, as before,
// from the text layer.
func versionFingerprint(ctx context.Context, mediaType string, data []byte) (*identify.Fingerprint, []byte, error) {
	fp, enc, err := fingerprint(mediaType, data)
	if err != nil || baseType(mediaType) != "application/pdf" || fp != nil && fp.Words >= thinTextWords {
		return fp, enc, err
	}
	shown, err := ocr.VisibleText(ctx, data)
	if err != nil {
		return fp, enc, nil // no pdftotext, or one that cannot read what pdf.Text read
	}
	text, err := textract.Text("text/plain", []byte(shown))
	if err != nil {
		return fp, enc, nil
	}
	sfp, senc, err := fingerprintText(text)
	if err != nil || sfp == nil || fp != nil && sfp.Words <= fp.Words {
		return fp, enc, nil
	}
	return sfp, senc, nil
}

// fingerprintText computes the fingerprint of a text and its encoding: nil for a text too short
// to have one.
func fingerprintText(text string) (*identify.Fingerprint, []byte, error) {
	fp := identify.Compute(text)
	if len(fp.Shingles) == 0 {
		return nil, nil, nil
	}
	enc, err := fp.MarshalBinary()
	if err != nil {
		return nil, nil, err
	}
	return fp, enc, nil
}

// LoadIdentification fills the identification index from the store, first fingerprinting
// any version that has no fingerprint yet (versions stored before identification existed),
// a batch per transaction.
func (r *Registry) LoadIdentification(ctx context.Context) error {
	var last store.Version
	for {
		next, err := r.backfill(ctx, last, 1000)
		if err != nil {
			return fmt.Errorf("identification: %w", err)
		}
		if next == nil {
			break
		}
		last = *next
	}
	for after := int64(0); ; {
		next, err := r.backfillReleases(ctx, after, 100)
		if err != nil {
			return fmt.Errorf("identification: %w", err)
		}
		if next == 0 {
			break
		}
		after = next
	}
	return r.cfg.DB.View(ctx, func(tx *store.Tx) error {
		last, err := tx.LastFingerprintID(ctx)
		if err != nil {
			return fmt.Errorf("identification: %w", err)
		}
		// Where the reading again of fingerprints stood (RereadFingerprints), in the snapshot
		// the indexes are loaded from.
		reread, err := tx.Setting(ctx, rereadDoneSetting)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return fmt.Errorf("identification: %w", err)
		}
		from, _ := strconv.ParseInt(reread, 10, 64)
		erasures, err := tx.Counter(ctx, store.ErasuresCounter)
		if err != nil {
			return fmt.Errorf("identification: %w", err)
		}
		r.seen.start(last, from, erasures)
		ids, err := tx.ReleasedFingerprintIDs(ctx)
		if err != nil {
			return fmt.Errorf("identification: %w", err)
		}
		public := make(map[int64]bool, len(ids))
		for _, id := range ids {
			public[id] = true
		}
		released, drafts := r.released.Load(), r.ident.Load()
		defer released.Done()
		defer drafts.Done()
		return tx.EachFingerprint(ctx, func(f *store.Fingerprint) error {
			fp := new(identify.Fingerprint)
			if err := fp.UnmarshalBinary(f.Data); err != nil {
				return fmt.Errorf("identification: fingerprint %d: %w", f.ID, err)
			}
			if public[f.ID] {
				return released.Add(uint64(f.ID), fp)
			}
			return drafts.Add(uint64(f.ID), fp)
		})
	})
}

// backfillReleases fingerprints the released files of up to max releases after letter after
// that have none yet (releases made before released files were fingerprinted), and returns
// the last letter it did (0 when there were none left).
func (r *Registry) backfillReleases(ctx context.Context, after int64, max int) (int64, error) {
	var last int64
	err := r.cfg.DB.Update(ctx, func(tx *store.Tx) error {
		rels, err := tx.ReleasesWithoutFingerprint(ctx, after, max)
		if err != nil {
			return err
		}
		for _, rel := range rels {
			data, err := tx.Blob(ctx, rel.FileDigest)
			if err != nil {
				return err
			}
			// A file whose text cannot be read is recorded as having none, not retried.
			fp, enc, _ := fingerprint(rel.MediaType, data)
			if _, err := r.addReleasedFingerprint(ctx, tx, rel.LetterID, rel.VersionN, fp, enc); err != nil {
				return err
			}
			last = rel.LetterID
		}
		return nil
	})
	return last, err
}

// addReleasedFingerprint records, in the release's transaction, the fingerprint of the file a
// release published (fp and enc from fingerprint; nil when it has no text). The row's data is
// NULL when the file's text is the version's own. It returns a function, to be called once the
// transaction has committed, that moves the released version from the drafts' index to the
// public one and indexes the released file there.
func (r *Registry) addReleasedFingerprint(ctx context.Context, tx *store.Tx, letterID int64, n int, fp *identify.Fingerprint, enc []byte) (func(), error) {
	rows, err := tx.FingerprintsOf(ctx, letterID)
	if err != nil {
		return nil, err
	}
	var ver *store.Fingerprint
	var verFP *identify.Fingerprint
	for i := range rows {
		if rows[i].VersionN == n && !rows[i].Released && rows[i].Data != nil {
			ver, verFP = &rows[i], new(identify.Fingerprint)
			if err := verFP.UnmarshalBinary(ver.Data); err != nil {
				return nil, fmt.Errorf("fingerprint %d: %w", ver.ID, err)
			}
		}
	}
	if fp != nil && verFP != nil && fp.Hash == verFP.Hash {
		fp, enc = nil, nil // the released file is the version's text: one document is enough
	}
	row := &store.Fingerprint{LetterID: letterID, VersionN: n, Released: true, Data: enc}
	if err := tx.AddFingerprint(ctx, row); err != nil {
		return nil, err
	}
	return func() {
		r.seen.own(row.ID)
		if ver != nil {
			r.ident.Remove(uint64(ver.ID))
			r.released.Add(uint64(ver.ID), verFP)
		}
		if fp != nil {
			r.released.Add(uint64(row.ID), fp)
		}
	}, nil
}

// backfill fingerprints up to max versions after the version after that have none, and
// returns the last one it did (nil when there were none left).
func (r *Registry) backfill(ctx context.Context, after store.Version, max int) (*store.Version, error) {
	var rows []store.Fingerprint
	var vs []store.Version
	err := r.cfg.DB.View(ctx, func(tx *store.Tx) error {
		var err error
		vs, err = tx.VersionsWithoutFingerprint(ctx, after.LetterID, after.N, max)
		if err != nil {
			return err
		}
		for _, v := range vs {
			data, err := tx.Blob(ctx, v.Digest)
			if err != nil {
				return err
			}
			// A file whose text cannot be read is recorded as having none, not retried.
			_, enc, _ := versionFingerprint(ctx, v.MediaType, data)
			rows = append(rows, store.Fingerprint{LetterID: v.LetterID, VersionN: v.N, Data: enc})
		}
		return nil
	})
	if err != nil || len(rows) == 0 {
		return nil, err
	}
	err = r.cfg.DB.Update(ctx, func(tx *store.Tx) error {
		for i := range rows {
			err := tx.Savepoint(ctx, func() error { return tx.AddFingerprint(ctx, &rows[i]) })
			if err != nil && !errors.Is(err, store.ErrConflict) { // a conflict: fingerprinted by an upload meanwhile
				return err
			}
		}
		return nil
	})
	return &vs[len(vs)-1], err
}

// addFingerprint records the fingerprint of a version inside its transaction and returns a
// function that indexes it, to be called once the transaction has committed.
func (r *Registry) addFingerprint(ctx context.Context, tx *store.Tx, letterID int64, n int, fp *identify.Fingerprint, enc []byte) (func(), error) {
	row := &store.Fingerprint{LetterID: letterID, VersionN: n, Data: enc}
	if err := tx.AddFingerprint(ctx, row); err != nil {
		return nil, err
	}
	return func() {
		r.seen.own(row.ID)
		if fp != nil {
			// Add fails only for a text without shingles, which fingerprint never returns.
			r.ident.Add(uint64(row.ID), fp)
		}
	}, nil
}

// fingerprintsSeen is how far a registry's identification indexes have followed the
// fingerprints table: every row up to through is indexed, and so are the rows in mine, which
// this server stored itself and indexed once they committed.
type fingerprintsSeen struct {
	mu      sync.Mutex
	through int64
	mine    map[int64]bool
	// reread is the last letter whose fingerprints had been read again when the indexes
	// were loaded (RereadFingerprints).
	reread int64
	// erasures is the store's count of erasures (store.ErasuresCounter) when the indexes
	// were loaded or last refreshed.
	erasures int64
	// refreshing serializes RefreshIdentification.
	refreshing sync.Mutex
}

func (s *fingerprintsSeen) start(through, reread, erasures int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.through, s.mine, s.reread, s.erasures = through, map[int64]bool{}, reread, erasures
}

// erased records the store's count of erasures n and reports whether it moved since.
func (s *fingerprintsSeen) erased(n int64) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	moved := n != s.erasures
	s.erasures = n
	return moved
}

// rereadFrom returns where RereadFingerprints starts, and whether the indexes are loaded.
func (s *fingerprintsSeen) rereadFrom() (int64, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.reread, s.mine != nil
}

// at returns the last row the indexes read (every row up to it is indexed), -1 before they
// are loaded.
func (s *fingerprintsSeen) at() int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.mine == nil {
		return -1
	}
	return s.through
}

// own records that this server indexed row id.
func (s *fingerprintsSeen) own(id int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.mine != nil && id > s.through {
		s.mine[id] = true
	}
}

// skip reports whether row id is indexed already, as this server's own.
func (s *fingerprintsSeen) skip(id int64) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.mine[id]
}

// advance records that every row up to through is indexed.
func (s *fingerprintsSeen) advance(through int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.through = through
	for id := range s.mine {
		if id <= through {
			delete(s.mine, id)
		}
	}
}

// RefreshIdentification indexes the fingerprints that other servers on the same database
// stored since this one loaded or last refreshed its indexes: drafts they took in, and the
// versions and files they released, which move to the public index. Without it a server
// would identify only what it released itself, until it restarted. The server's own rows are
// indexed when they commit and skipped here. When letters were erased since (by any server:
// the store counts erasures), it also forgets what it holds in memory of letters' content, as
// the erasing server does (forgetContent). It does nothing before LoadIdentification.
func (r *Registry) RefreshIdentification(ctx context.Context) error {
	return r.refreshThrough(ctx, 0)
}

// refreshThrough is RefreshIdentification, which does nothing when the indexes hold row
// target already (target > 0): a refresh made meanwhile by another request, which this one
// waited for, read it.
func (r *Registry) refreshThrough(ctx context.Context, target int64) error {
	s := &r.seen
	s.refreshing.Lock()
	defer s.refreshing.Unlock()
	s.mu.Lock()
	through, loaded := s.through, s.mine != nil
	s.mu.Unlock()
	if !loaded || target > 0 && through >= target {
		return nil
	}
	for first := true; ; first = false {
		var rows []store.Fingerprint
		drafts := map[[2]int64]*store.Fingerprint{} // the version rows of new released rows
		erasures := int64(-1)
		err := r.cfg.DB.View(ctx, func(tx *store.Tx) error {
			var err error
			if first {
				if erasures, err = tx.Counter(ctx, store.ErasuresCounter); err != nil {
					return err
				}
			}
			if rows, err = tx.FingerprintsAfter(ctx, through, 500); err != nil {
				return err
			}
			for _, f := range rows {
				if !f.Released || s.skip(f.ID) {
					continue
				}
				vs, err := tx.FingerprintsOf(ctx, f.LetterID)
				if err != nil {
					return err
				}
				for i := range vs {
					if v := &vs[i]; v.VersionN == f.VersionN && !v.Released && v.Data != nil {
						drafts[[2]int64{f.LetterID, int64(f.VersionN)}] = v
					}
				}
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("identification: refresh: %w", err)
		}
		if erasures >= 0 && s.erased(erasures) {
			r.forgetContent()
		}
		if len(rows) == 0 {
			return nil
		}
		for _, f := range rows {
			if s.skip(f.ID) {
				continue
			}
			if err := r.indexSeen(f, drafts[[2]int64{f.LetterID, int64(f.VersionN)}]); err != nil {
				return fmt.Errorf("identification: refresh: %w", err)
			}
		}
		through = rows[len(rows)-1].ID
		s.advance(through)
	}
}

// maxFollowed bounds the rows followReleases reads: the releases of a quarter of a second
// (the interval at which a server refreshes its indexes) on a busy office are far fewer.
const maxFollowed = 100

// followReleases indexes, on a database that several servers share, the releases the other
// servers stored after row through (where the indexes stood, seen.at: a server refreshes
// them every quarter of a second), and reports whether there were any: then the indexes hold
// them on return, whether this refresh or one made meanwhile (the periodic one, another
// request's) read them. It is one read of the fingerprints' primary key after through, and,
// only when it finds a release that is not this server's own, a refresh. A text that is not
// a standing letter's is looked up again after it (identifyText): without it, a letter
// released through one server was "not an official letter of this office" on the others for
// up to a quarter of a second, or an altered copy of the letter it corrected. On SQLite,
// where one server serves the database, it does nothing.
func (r *Registry) followReleases(ctx context.Context, through int64) (bool, error) {
	if r.cfg.DB.Dialect() != store.Postgres || through < 0 {
		return false, nil
	}
	s := &r.seen
	var ids []int64
	err := r.cfg.DB.View(ctx, func(tx *store.Tx) error {
		var err error
		ids, err = tx.ReleasedFingerprintsAfter(ctx, through, maxFollowed)
		return err
	})
	if err != nil {
		return false, fmt.Errorf("identification: %w", err)
	}
	var target int64
	for _, id := range ids {
		if !s.skip(id) {
			target = id
		}
	}
	if len(ids) == maxFollowed {
		target = ids[len(ids)-1] // more may follow: the refresh reads them all
	}
	if target == 0 {
		return false, nil
	}
	if err := r.refreshThrough(ctx, target); err != nil {
		return false, err
	}
	return true, nil
}

// indexSeen indexes fingerprint row f that another server stored: a draft's in the drafts'
// index; for a release, the released version's (draft, its row) moves to the public index,
// and the released file's joins it.
func (r *Registry) indexSeen(f store.Fingerprint, draft *store.Fingerprint) error {
	var fp *identify.Fingerprint
	if f.Data != nil {
		fp = new(identify.Fingerprint)
		if err := fp.UnmarshalBinary(f.Data); err != nil {
			return fmt.Errorf("fingerprint %d: %w", f.ID, err)
		}
	}
	if !f.Released {
		if fp != nil {
			return r.ident.Add(uint64(f.ID), fp)
		}
		return nil
	}
	if draft != nil {
		dfp := new(identify.Fingerprint)
		if err := dfp.UnmarshalBinary(draft.Data); err != nil {
			return fmt.Errorf("fingerprint %d: %w", draft.ID, err)
		}
		r.ident.Remove(uint64(draft.ID))
		if err := r.released.Add(uint64(draft.ID), dfp); err != nil {
			return err
		}
	}
	if fp != nil {
		return r.released.Add(uint64(f.ID), fp)
	}
	return nil
}

// MaxIdentifyText bounds the texts identified, in bytes of their NFKC form (see
// identify.Normalize): twice the largest text a request may carry (the API's JSON body,
// textract.MaxText, ocr.MaxText), which ordinary text does not pass, while a text of
// characters that NFKC expands (U+FDFA: 3 bytes, 33 in NFKC, four words) cost 272 MB of
// allocation and 1.6 s of work a megabyte before it was refused.
const MaxIdentifyText = 2 << 20

// identifyMemoryPerByte is about the most memory identification allocates for one byte of
// normalized text: a megabyte of one-letter words ("a b c …", half a million words) takes
// 79 MB to fingerprint alone.
const identifyMemoryPerByte = 64

// IdentifyMemory returns how much memory identifying texts (a text, and what a file's pages
// show) may take, for a server to reserve in its memory budget before it asks, or an error
// wrapping ErrInvalid for a text over MaxIdentifyText. It reads each text once and keeps
// nothing of it.
func IdentifyMemory(texts ...string) (int64, error) {
	var n int64
	for _, t := range texts {
		size := identify.NormalizedSize(t, MaxIdentifyText)
		if size > MaxIdentifyText {
			return 0, errTextTooLong()
		}
		n += int64(size) * identifyMemoryPerByte
	}
	return n, nil
}

// checkIdentifyText refuses a text over MaxIdentifyText.
func checkIdentifyText(text string) error {
	if identify.NormalizedSize(text, MaxIdentifyText) > MaxIdentifyText {
		return errTextTooLong()
	}
	return nil
}

func errTextTooLong() error {
	return i18n.Errorf(ErrInvalid, "the text is too long to identify: at most %d bytes once its compatibility characters are spelt out", MaxIdentifyText)
}

// draftLetters returns the letters of the unreleased versions whose text is close to fp, best
// first. A member's text that is close to a released letter is scored among released letters
// only; a draft copy of another letter with much of its text (a correction of the released
// letter, a note drafted from it) is traced among these letters too (traceCopy), so that its
// copy line, not the released letter's words, says what it is.
func (r *Registry) draftLetters(ctx context.Context, fp *identify.Fingerprint) ([]int64, error) {
	src := &fingerprintSource{db: r.cfg.DB}
	res, err := identify.QueryAll(ctx, fp, 4*maxMatches, src, r.ident)
	if err != nil {
		return nil, err
	}
	for _, id := range src.gone {
		r.ident.Remove(id)
	}
	var out []int64
	for _, m := range res.Matches {
		if row, ok := src.read[m.ID]; ok && !slices.Contains(out, row.LetterID) {
			out = append(out, row.LetterID)
		}
	}
	return out, nil
}

// Identify says what a text is to this office: the text of a released letter (valid,
// retracted or superseded), an altered copy of one, an excerpt of one, the text of a draft,
// or unknown. Drafts are visible only to members with a role: for the public a text that
// matches only drafts is "not an official letter of this office".
func (r *Registry) Identify(ctx context.Context, a Actor, text string) (*Identification, error) {
	id, err := r.identify(ctx, a, text)
	if err == nil {
		id.noteDraftMark()
		metrics.VerifyAnswer(id.Outcome)
	}
	return id, err
}

// identify is Identify without its count in the metrics (IdentifyScan answers on from it).
// The public is told which letter a text is, or is a part or a copy of, and nothing of how
// it scored or of the other letters it was weighed against (forPublic).
func (r *Registry) identify(ctx context.Context, a Actor, text string) (*Identification, error) {
	id, err := r.identifyText(ctx, a, text, true)
	if err != nil || a.Member != nil && len(a.Member.Roles) > 0 {
		return id, err
	}
	return id.forPublic(), nil
}

// waitIdentifyFloor waits until Config.IdentifyFloor has passed since start, or, when the
// work took longer, until the next whole multiple of the floor since start (floorEnd), or
// until ctx is done. Go wakes an idle process for a timer to the millisecond, rounded up from when the
// timer was set (epoll's timeout), so a timer set for what is left of the floor fired late by
// the fraction of a millisecond the work before it took, and the answer's time told that work
// as well as without a floor. The timer ends a millisecond early, and the rest of the floor
// is waited out by yielding the processor until it ends.
func (r *Registry) waitIdentifyFloor(ctx context.Context, start time.Time) {
	if r.cfg.IdentifyFloor <= 0 {
		return
	}
	end := floorEnd(start, time.Now(), r.cfg.IdentifyFloor)
	if wait := time.Until(end) - time.Millisecond; wait > 0 {
		t := time.NewTimer(wait)
		defer t.Stop()
		select {
		case <-t.C:
		case <-ctx.Done():
			return
		}
	}
	for time.Now().Before(end) && ctx.Err() == nil {
		runtime.Gosched()
	}
}

// floorEnd returns when an answer whose work started at start and ended at now is given,
// with a floor of floor > 0: start+floor, or for work that took longer, the next whole
// multiple of floor after it. An answer past the floor (a long text, a machine under load)
// then tells its time only to a multiple of the floor: the fraction of a millisecond that
// reading a released letter sharing words with the text costs does not show in it.
func floorEnd(start, now time.Time, floor time.Duration) time.Time {
	took := now.Sub(start)
	if took < floor {
		return start.Add(floor)
	}
	return start.Add((took/floor + 1) * floor)
}

// forPublic returns the answer without the figures and candidates that would let an asker
// who holds nothing of a letter, or a part of it, learn more by guessing: the candidates
// ranked below (or, for a text that names no letter, instead of) the letter answered, and
// the scores. A letterhead rebuilt from a reference and a date, with a guessed subject or
// addressee, is a candidate of that letter whose containment rises when the guess is right;
// a paragraph with a guessed word from elsewhere in the letter has a higher containment when
// the letter has that word. The class (exact, near, excerpt) is what the product must say.
func (id *Identification) forPublic() *Identification {
	var named []IdentifiedLetter
	for _, m := range id.Matches {
		if id.Reference != "" && m.Reference == id.Reference && m.Version == id.Version {
			named = append(named, IdentifiedLetter{Reference: m.Reference, Version: m.Version, State: m.State})
			break
		}
	}
	if named == nil {
		named = []IdentifiedLetter{}
	}
	id.Matches, id.Similarity, id.Containment = named, 0, 0
	return id
}

// identifyText identifies text, with the scores and candidates a member is shown. With
// oneAltered, the public is given one answer for a copy close to a letter and for a
// quotation close to a part of it (see below); IdentifyScan, which judges the scan's text by
// its class, asks without it.
func (r *Registry) identifyText(ctx context.Context, a Actor, text string, oneAltered bool) (*Identification, error) {
	member := a.Member != nil && len(a.Member.Roles) > 0
	if !member {
		defer r.waitIdentifyFloor(ctx, time.Now())
	}
	// Where the indexes stood before the look: a refresh made during it (the periodic one, or
	// another request's) may have read what it missed.
	through := r.seen.at()
	id, err := r.identifyIndexed(ctx, a, text, oneAltered)
	if err != nil || id.Outcome == Valid {
		return id, err
	}
	// The text may be that of a letter another server released within the last quarter of
	// a second, which this server's indexes had not read (followReleases): "not an official
	// letter" (a member's "matches no letter") is given only once they hold every release
	// stored; and so is an answer about an older letter ("altered: close to" a letter the
	// new one corrects and supersedes, "retracted" for a text issued again after a
	// retraction, a member's "draft: close to" another draft), which the new letter's text
	// would otherwise get. The answer of a standing letter keeps its reads; the others'
	// time, within the public's floor, does not tell more than that other servers released
	// letters meanwhile.
	found, err := r.followReleases(ctx, through)
	if err != nil {
		return nil, fmt.Errorf("identify: %w", err)
	}
	if !found {
		return id, nil
	}
	return r.identifyIndexed(ctx, a, text, oneAltered)
}

// identifyIndexed is identifyText on what the indexes hold.
func (r *Registry) identifyIndexed(ctx context.Context, a Actor, text string, oneAltered bool) (*Identification, error) {
	if err := checkIdentifyText(text); err != nil {
		return nil, err
	}
	// Browsers send pasted text with CRLF line endings: without this, every line of an exact
	// copy would show as changed in the difference.
	text = strings.ReplaceAll(strings.ReplaceAll(text, "\r\n", "\n"), "\r", "\n")
	// A paragraph copied with pdftotext from a line of Arabic with figures or Latin words
	// may come in screen order: it is put back in the order it was written.
	text = pdf.ScreenOrder(text)
	fp, marked := identify.ComputeFinding(text, draftBanners())
	// The words in a row may be a sentence's, with a comma between them: only a text that has
	// them is read again, clause by clause.
	marked = marked && draftMarked(text)
	if len(fp.Shingles) == 0 {
		return nil, i18n.Errorf(ErrInvalid, "the text has no words to identify")
	}
	// Released letters are scored among released letters only: the public's query never reads
	// a draft (neither its answer nor its timing depends on drafts), and a member is answered
	// about drafts only when the text matches no released letter.
	src := &fingerprintSource{db: r.cfg.DB}
	res, err := identify.QueryAll(ctx, fp, 4*maxMatches, src, r.released)
	if err != nil {
		return nil, fmt.Errorf("identify: %w", err)
	}
	member := a.Member != nil && len(a.Member.Roles) > 0
	class, _ := identify.Classify(res)
	draftsRead := member && class == identify.None
	if draftsRead {
		if res, err = identify.QueryAll(ctx, fp, 4*maxMatches, src, r.released, r.ident); err != nil {
			return nil, fmt.Errorf("identify: %w", err)
		}
	}
	for _, id := range src.gone {
		r.ident.Remove(id)
		r.released.Remove(id)
	}
	rows := src.read // every match is a candidate whose row the source read
	// Each match is a version; it counts as its letter only if it is the released version.
	var kept []foundMatch
	visible := identify.Result{QueryWords: res.QueryWords, QueryShingles: res.QueryShingles}
	err = r.cfg.DB.View(ctx, func(tx *store.Tx) error {
		for _, m := range res.Matches {
			row, ok := rows[m.ID]
			if !ok {
				continue
			}
			l, err := tx.LetterByID(ctx, row.LetterID)
			if err != nil {
				return err
			}
			state := Draft
			rel, err := tx.ReleaseOf(ctx, l.ID)
			switch {
			case err == nil && rel.VersionN == row.VersionN:
				state = Valid
				w, err := tx.WithdrawalOf(ctx, l.ID)
				if err == nil {
					state = Superseded
					if w.Kind == Retraction {
						state = Retracted
					}
				} else if !errors.Is(err, store.ErrNotFound) {
					return err
				}
			case err != nil && !errors.Is(err, store.ErrNotFound):
				return err
			}
			if state == Draft && !member {
				continue
			}
			kept = append(kept, foundMatch{m: m, v: row, text: src.hashes[m.ID], about: IdentifiedLetter{Reference: l.Reference, Version: row.VersionN, State: state,
				Score: m.Score, Similarity: m.Similarity, Containment: m.Containment}})
			visible.Matches = append(visible.Matches, m)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("identify: %w", err)
	}
	// Two letters released with the same text (one retracted and issued again to other
	// addressees, or superseded by one that only adds some) match the text, or a part of it,
	// equally, ranked in the order they were stored: the holder of the letter that stands was
	// told that it was withdrawn, with the other's reason. The letter that stands is answered
	// first, and the others are named (twins, below).
	if i := standingTwin(kept); i > 0 {
		k, m := kept[i], visible.Matches[i]
		copy(kept[1:i+1], kept[:i])
		copy(visible.Matches[1:i+1], visible.Matches[:i])
		kept[0], visible.Matches[0] = k, m
	}
	out := &Identification{Outcome: Unknown, Match: identify.None.String(), Matches: []IdentifiedLetter{}, DraftMark: marked}
	listed := make(map[IdentifiedLetter]bool) // a version and its released file are listed once
	for i := 0; i < len(kept) && len(out.Matches) < maxMatches; i++ {
		key := IdentifiedLetter{Reference: kept[i].about.Reference, Version: kept[i].about.Version}
		if !listed[key] {
			listed[key] = true
			out.Matches = append(out.Matches, kept[i].about)
		}
	}
	class, best := identify.Classify(visible)
	out.Match = class.String()
	if member {
		// A draft copy's text names its copy on every page: a member is told which copy it
		// is, whatever letter or version its words are closest to (the same words may have
		// been released since, and the copy is still not an official document), and however
		// little of the letter it holds, since the line names a recorded copy.
		var letters []int64 // the best match's letter first
		for _, k := range kept {
			if k.m.ID == best.ID && class != identify.None {
				letters = append(letters, k.v.LetterID)
			}
		}
		for _, k := range kept {
			if !slices.Contains(letters, k.v.LetterID) {
				letters = append(letters, k.v.LetterID)
			}
		}
		if !draftsRead {
			drafts, err := r.draftLetters(ctx, fp)
			if err != nil {
				return nil, fmt.Errorf("identify: %w", err)
			}
			for _, id := range drafts {
				if !slices.Contains(letters, id) {
					letters = append(letters, id)
				}
			}
		}
		c, err := r.traceCopy(ctx, text, letters)
		if err != nil {
			return nil, fmt.Errorf("identify: %w", err)
		}
		if c != nil {
			out.Outcome, out.Reference, out.Version = Draft, c.reference, c.version
			e := c.exports[0]
			out.Message = fmt.Sprintf("draft: the text is that of a draft copy of version %d of %s, made for %s by %s on %s: it is not an official document",
				c.version, c.reference, e.Recipient, e.By, e.At.UTC().Format("2 January 2006 15:04 UTC"))
			out.Status = &Status{Office: r.cfg.Office.Name, Outcome: Draft, Message: notOfficial,
				Draft: &DraftInfo{Reference: c.reference, Version: c.version, Exports: c.exports}}
			return out, nil
		}
	}
	if class == identify.None {
		out.Message = "unknown: the text matches no letter of this office"
		if !member {
			out.Message = notOfficialText
		}
		return out, nil
	}
	var b foundMatch
	for _, k := range kept {
		if k.m.ID == best.ID {
			b = k
		}
	}
	out.Reference, out.Version, out.Similarity, out.Containment = b.about.Reference, b.about.Version, best.Similarity, best.Containment
	if b.about.State == Draft {
		out.Outcome = Draft
		out.Message = fmt.Sprintf("draft: the text is close to version %d of %s, which is not released", b.about.Version, b.about.Reference)
		return out, nil
	}
	// The exact hash and the shingles see words only: to them "+15%" is "-15%", and "€" no
	// different from "$". A text with a letter's words is its text, and a quotation a part
	// of it, only if its signs are the letter's too (identify.SameText, identify.Quotes);
	// otherwise it is an altered copy, whose difference shows the signs that changed.
	verbatim, letterText := true, ""
	if class == identify.Exact || class == identify.Excerpt {
		if verbatim, letterText, err = r.signsMatch(ctx, b.about.Reference, b.v.Released, class, text); err != nil {
			return nil, fmt.Errorf("identify: %w", err)
		}
		// Letters of the same words and other signs (one with a ">" before every line, one
		// without; "+15%" and "-15%") have one fingerprint and match equally: the text is
		// the one whose signs are its own, whichever was stored first.
		for _, k := range kept {
			if verbatim {
				break
			}
			if k.text != b.text || k.m.Score != best.Score || k.about.State == Draft || k.about.Reference == b.about.Reference {
				continue
			}
			ok, _, err := r.signsMatch(ctx, k.about.Reference, k.v.Released, class, text)
			if err != nil {
				return nil, fmt.Errorf("identify: %w", err)
			}
			if ok {
				b, best, verbatim = k, k.m, true
				out.Reference, out.Version, out.Similarity, out.Containment = b.about.Reference, b.about.Version, best.Similarity, best.Containment
			}
		}
	}
	// A text copied whole from the released PDF as its pages show it (a PDF viewer's copy,
	// pdftotext's reading, the letterhead and the office's stamp included) is the letter's
	// text too, sign for sign; a run of it, a part.
	if class == identify.Near || !verbatim {
		shown, err := r.shownMatch(ctx, b.about.Reference, text)
		if err != nil {
			return nil, fmt.Errorf("identify: %w", err)
		}
		if shown != identify.None {
			class, verbatim = shown, true
			out.Match = class.String()
		}
	}
	// Whoever holds the letter's whole text is one of its holders: they are told what the
	// holder of its file is told (subject, signers, a withdrawal's reason). A text that is
	// only close to a letter, or part of one, must not buy the rest of it: the public then
	// gets the answer a reference alone gets, and a difference that shows where its text
	// departs from the letter without the letter's words. Nor does a text released in
	// several letters (twins: a letter issued again to other addressees, the same note to
	// several embassies): which of them its holder holds is not known, and each one's
	// subject, addressees, reason and supersession (whose opening opens the new letter) are
	// for that letter's own holders, who verify its file or seal. The twins are named below.
	twinned := slices.ContainsFunc(kept, func(k foundMatch) bool {
		return k.text == b.text && k.about.State != Draft && k.about.Reference != b.about.Reference
	})
	// So is a text that another letter's version, never released, has and that went out as
	// a draft copy (the same note drafted for another embassy and sent for coordination):
	// whoever the copy was made for holds the text and not the released letter.
	if !twinned && !member && class == identify.Exact && verbatim {
		if twinned, err = r.copiedTwin(ctx, fp, src, b); err != nil {
			return nil, fmt.Errorf("identify: %w", err)
		}
	}
	st, err := r.statusFor(ctx, b.about.Reference, class == identify.Exact && verbatim && !twinned || member)
	if err != nil {
		return nil, fmt.Errorf("identify: %w", err)
	}
	out.Status = st
	switch {
	case oneAltered && !member && (class == identify.Near || !verbatim && class != identify.Exact):
		// For the public, a copy close to the letter and a quotation close to a part of it
		// are one answer: which of the two a text is turns on how many of its words the
		// letter shares (identify.Classify), so a paragraph with a guessed word from
		// elsewhere in the letter would be "near" when the letter has it and an altered
		// "excerpt" when not. The difference is against the whole letter, cut to the part
		// the text quotes (publicTextDiff).
		out.Outcome, out.Match = Altered, identify.Near.String()
		out.Message = fmt.Sprintf("altered: the text is close to %s (%s), or to a part of it, but not the same: see what differs", b.about.Reference, st.Outcome)
		if out.Diff, err = r.diffWith(ctx, b.about.Reference, b.v.Released, text); err != nil {
			return nil, fmt.Errorf("identify: %w", err)
		}
		out.Diff = redactDeletions(publicTextDiff(out.Diff, true))
	case class == identify.Near:
		out.Outcome = Altered
		out.Message = fmt.Sprintf("altered: the text is close to %s (%s), but not the same: see what differs", b.about.Reference, st.Outcome)
		if out.Diff, err = r.diffWith(ctx, b.about.Reference, b.v.Released, text); err != nil {
			return nil, fmt.Errorf("identify: %w", err)
		}
		if !member {
			out.Diff = redactDeletions(publicTextDiff(out.Diff, true))
		}
	case !verbatim && class == identify.Exact:
		out.Outcome, out.Match = Altered, identify.Near.String()
		out.Message = fmt.Sprintf("altered: the text has the words of %s (%s), but not all its figures and signs: see what differs", b.about.Reference, st.Outcome)
		// The text has every word of the letter: its difference shows no word it does not
		// hold, and is not cut to a quoted part (publicTextDiff).
		out.Diff = diffOps(strings.TrimSpace(letterText), strings.TrimSpace(text), true)
		if !member {
			out.Diff = redactDeletions(out.Diff)
		}
	case !verbatim:
		out.Outcome = Altered
		out.Message = fmt.Sprintf("altered: the text is close to a part of %s (%s), but not the same: see what differs", b.about.Reference, st.Outcome)
		out.Diff = diffOps(textdiff.Span(letterText, text), strings.TrimSpace(text), member)
	case class == identify.Excerpt:
		out.Outcome = st.Outcome
		out.Message = fmt.Sprintf("%s: the text is an excerpt of %s — %s", st.Outcome, b.about.Reference, st.Message)
	default:
		out.Outcome = st.Outcome
		out.Message = st.Message
	}
	// Whoever holds the whole text holds the twins' too: they are told which letters have it
	// in another state, so that the holder of a withdrawn twin is not told only that the
	// text stands; and, when none stands, which other letters have it whatever their state,
	// since the reason given is one letter's.
	if class == identify.Exact && verbatim {
		var others []string
		for _, k := range kept {
			if k.m.Exact && k.m.Score == best.Score && k.about.State != Draft && (k.about.State != st.Outcome || st.Outcome != Valid) && k.about.Reference != out.Reference &&
				!slices.Contains(others, k.about.Reference+" ("+k.about.State+")") {
				others = append(others, k.about.Reference+" ("+k.about.State+")")
			}
		}
		if len(others) > 0 {
			out.Message = AddSentence(out.Message, "The same text is also that of "+strings.Join(others, ", "))
		}
	}
	return out, nil
}

// copiedTwin reports whether a version of a letter other than b's that is not released (the
// drafts' index) has b's text and went out as a draft copy (exported or sent; a member's
// preview aside). fp is the text asked about and src the source its query read.
func (r *Registry) copiedTwin(ctx context.Context, fp *identify.Fingerprint, src *fingerprintSource, b foundMatch) (bool, error) {
	res, err := identify.QueryAll(ctx, fp, 4*maxMatches, src, r.ident)
	if err != nil {
		return false, err
	}
	versions := make(map[int64][]int) // of each other letter, its versions with b's text
	for _, m := range res.Matches {
		row, ok := src.read[m.ID]
		if !ok || row.Released || row.LetterID == b.v.LetterID || src.hashes[m.ID] != b.text {
			continue
		}
		versions[row.LetterID] = append(versions[row.LetterID], row.VersionN)
	}
	copied := false
	err = r.cfg.DB.View(ctx, func(tx *store.Tx) error {
		for letter, ns := range versions {
			xs, err := tx.DraftExportsOf(ctx, letter)
			if err != nil {
				return err
			}
			if slices.ContainsFunc(xs, func(x store.DraftExport) bool {
				return x.Recipient != PreviewRecipient && slices.Contains(ns, x.VersionN)
			}) {
				copied = true
				return nil
			}
		}
		return nil
	})
	return copied, err
}

// foundMatch is a match of identification (identifyText) and what it is: its letter and
// state, and its fingerprint's row.
type foundMatch struct {
	m     identify.Match
	about IdentifiedLetter
	v     store.Fingerprint
	text  [32]byte // the hash of the fingerprint's text
}

// standingTwin returns the index of the first of kept, best first, whose letter stands
// (valid) among those with the first's text and score (its twins), when the first does not
// stand; 0 otherwise.
func standingTwin(kept []foundMatch) int {
	if len(kept) < 2 || kept[0].about.State == Valid {
		return 0
	}
	for i := 1; i < len(kept) && kept[i].text == kept[0].text && kept[i].m.Score == kept[0].m.Score; i++ {
		if kept[i].about.State == Valid {
			return i
		}
	}
	return 0
}

// shownMatch returns Exact when text is, sign for sign, the text the released file of letter
// ref shows (ocr.VisibleText: what a PDF viewer copies, its letterhead and the office's stamp
// included), Excerpt when it is a run of it, and None otherwise, or when that text cannot be
// read (no pdftotext here, or a released file that is not a PDF).
func (r *Registry) shownMatch(ctx context.Context, ref, text string) (identify.Class, error) {
	f, err := r.releasedFilesOf(ctx, ref)
	if err != nil {
		return identify.None, err
	}
	if baseType(f.rel.MediaType) != "application/pdf" {
		return identify.None, nil
	}
	shown, err := r.shownText(ctx, f)
	switch {
	case errors.Is(err, ocr.ErrNoOCR):
		return identify.None, nil
	case err != nil:
		return identify.None, err
	}
	// Its lines in screen order put back in logical order, as the text asked about is.
	switch shown = pdf.ScreenOrder(shown); {
	case identify.SameText(shown, text):
		return identify.Exact, nil
	case identify.Quotes(shown, text):
		return identify.Excerpt, nil
	}
	return identify.None, nil
}

// shownText is ocr.VisibleText of the released file f, kept by its digest (shownTexts).
func (r *Registry) shownText(ctx context.Context, f *releasedFiles) (string, error) {
	if s, ok := r.shown.get(f.rel.FileDigest); ok {
		return s, nil
	}
	file, _, err := f.bytes(ctx)
	if err != nil {
		return "", err
	}
	s, err := ocr.VisibleText(ctx, file)
	if err == nil {
		r.shown.put(f.gen.shown, f.rel.FileDigest, s)
	}
	return s, err
}

// redactDeletions replaces the letter's words that the asker's text lacks by their count, so
// that the difference shows where the text departs from the letter and reveals nothing the
// asker did not send.
func redactDeletions(ops []DiffOp) []DiffOp {
	out := make([]DiffOp, 0, len(ops))
	for _, op := range ops {
		if op.Op == "delete" {
			n := len(strings.Fields(op.Text))
			if n == 0 {
				continue // only spaces: nothing to count
			}
			op.Text = omittedWords(n)
		}
		out = append(out, op)
	}
	return out
}

// omittedWords is the text of a removed run that stands for n of the letter's words.
func omittedWords(n int) string {
	return fmt.Sprintf("[%d word%s of the letter not in this text] ", n, map[bool]string{true: "", false: "s"}[n == 1])
}

// OmittedWords is how many of the letter's words the removed run op of a public answer
// stands for (its text says so in English), and 0 for any other run; the web pages say it
// in the reader's language.
func OmittedWords(op DiffOp) int {
	if op.Op != "delete" {
		return 0
	}
	count, _, ok := strings.Cut(strings.TrimPrefix(op.Text, "["), " ")
	n, err := strconv.Atoi(count)
	if !ok || err != nil || n < 1 || op.Text != omittedWords(n) {
		return 0
	}
	return n
}

// diffWith returns the word-level differences from the text of the released letter ref's
// file that its identification matched (the released file's if released, else the released
// version's) to text.
func (r *Registry) diffWith(ctx context.Context, ref string, released bool, text string) ([]DiffOp, error) {
	f, err := r.releasedFilesOf(ctx, ref)
	if err != nil {
		return nil, err
	}
	orig, err := f.text(ctx, released)
	if err != nil {
		return nil, err
	}
	return diffOps(strings.TrimSpace(orig), strings.TrimSpace(text), true), nil
}

// diffOps returns the word-level differences from the letter's text to text; for an asker who
// is not a member, the letter's words that text lacks are replaced by their count
// (redactDeletions).
func diffOps(letter, text string, member bool) []DiffOp {
	var out []DiffOp
	for _, op := range textdiff.Words(letter, text) {
		out = append(out, DiffOp{Op: op.Kind.String(), Text: op.Text})
	}
	if !member {
		out = redactDeletions(publicTextDiff(out, false))
	}
	return out
}

// signsMatch reports whether text is the text of the released letter ref (class exact), or a
// part of it (class excerpt), sign for sign (identify.SameText, identify.Quotes), against
// either of the letter's texts: the released version's, which a member may paste as its
// Markdown, and the released file's, which its holders paste. The version's is tried first,
// as it is the cheaper to read. When text is neither, it also returns the letter's text to
// show the difference against: the text of the file whose fingerprint matched (released,
// the released file's; otherwise the version's).
func (r *Registry) signsMatch(ctx context.Context, ref string, released bool, class identify.Class, text string) (bool, string, error) {
	f, err := r.releasedFilesOf(ctx, ref)
	if err != nil {
		return false, "", err
	}
	var shown string
	var errs []error
	for _, file := range []bool{false, true} {
		t, err := f.text(ctx, file)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if class == identify.Exact && identify.SameText(t, text) || class == identify.Excerpt && identify.Quotes(t, text) {
			return true, "", nil
		}
		if shown == "" || file == released {
			shown = t
		}
	}
	if shown == "" {
		return false, "", fmt.Errorf("%s: no text to compare with: %w", ref, errors.Join(errs...))
	}
	return false, shown, nil
}
