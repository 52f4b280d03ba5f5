package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// Letter states, as listings report and filter them.
const (
	StateDraft      = "draft"      // not released
	StateReleased   = "released"   // released and standing
	StateRetracted  = "retracted"  // released, then retracted
	StateSuperseded = "superseded" // released, then superseded by another letter
)

// LetterFilter selects letters for [Tx.ListLetters]. Empty fields select everything.
type LetterFilter struct {
	State string // StateDraft, StateReleased, StateRetracted or StateSuperseded
	Class string // exact class
	// Before, when positive, keeps only letters whose ID is below it: the next page of a
	// listing starts before the last letter of the previous one.
	Before int64
}

// ListedLetter is a letter with what a listing shows of its lifecycle.
type ListedLetter struct {
	Letter
	State string
	// Latest is the latest version; zero (N == 0) for a letter without versions.
	Latest Version
	// ReleasedAt and LogIndex are the release's time and log entry; zero and -1 for a draft.
	ReleasedAt time.Time
	LogIndex   int64
	// ErasedAt is when the letter's content was erased, zero if it was not.
	ErasedAt time.Time
	// WithdrawnAt is when the letter was retracted or superseded, zero if it was not.
	WithdrawnAt time.Time
}

// unreleasedLettersSQLite and unreleasedLettersPostgres are migration 44 (see migrations).
// unreleased_letters holds the ID of every letter that has no release, the letters in
// progress: AddLetter adds it and AddRelease removes it, in their transactions. It is a table
// of its own rather than a state column on letters, as SQLite can add a column only once
// (there is no ADD COLUMN IF NOT EXISTS) and a store's steps may be run again, and as it
// holds the few letters in progress, not a copy of every letter's state: the retracted and
// superseded letters are found through withdrawals, indexed by kind. The fill reconciles the
// table with releases, so that it also holds when run again.
const (
	unreleasedLettersSQLite = `CREATE TABLE IF NOT EXISTS unreleased_letters (
	letter_id INTEGER PRIMARY KEY REFERENCES letters (id)
);
` + unreleasedLettersFill
	unreleasedLettersPostgres = `CREATE TABLE IF NOT EXISTS unreleased_letters (
	letter_id BIGINT PRIMARY KEY REFERENCES letters (id)
);
` + unreleasedLettersFill
	unreleasedLettersFill = unreleasedLettersAdd + ";\n" + unreleasedLettersRemove + `;
CREATE INDEX IF NOT EXISTS withdrawals_by_kind ON withdrawals (kind, letter_id);
CREATE INDEX IF NOT EXISTS letters_by_class ON letters (class, id);
`
	unreleasedLettersAdd = `INSERT INTO unreleased_letters (letter_id) SELECT id FROM letters l
	WHERE NOT EXISTS (SELECT 1 FROM releases r WHERE r.letter_id = l.id)
	AND NOT EXISTS (SELECT 1 FROM unreleased_letters u WHERE u.letter_id = l.id)`
	unreleasedLettersRemove = `DELETE FROM unreleased_letters WHERE EXISTS (SELECT 1 FROM releases r WHERE r.letter_id = unreleased_letters.letter_id)`
)

// ReconcileLettersInProgress runs migration 44's fill again (it changes nothing in a store
// chancery kept): every letter without a release gets its row in unreleased_letters, and
// the rows of released letters go. It returns how many rows it added and removed. restore
// runs it on a backup's database, whose table someone who could write the backup may have
// edited: a released letter listed among the drafts, or a draft hidden from the inbox and
// from the listing of drafts, which the schema's and the integrity's checks do not see.
func (db *DB) ReconcileLettersInProgress(ctx context.Context) (added, removed int64, err error) {
	err = db.Update(ctx, func(t *Tx) error {
		added, removed = 0, 0
		for i, q := range []string{unreleasedLettersAdd, unreleasedLettersRemove} {
			res, err := t.exec(ctx, q)
			if err != nil {
				return err
			}
			n, err := res.RowsAffected()
			if err != nil {
				return err
			}
			if i == 0 {
				added = n
			} else {
				removed = n
			}
		}
		return nil
	})
	if err != nil {
		return 0, 0, fmt.Errorf("store: reconcile the letters in progress with the releases: %w", err)
	}
	return added, removed, nil
}

// LettersInProgressDisagreement counts what ReconcileLettersInProgress would change, and
// changes nothing: the letters without a release that unreleased_letters lacks (missing),
// and its rows of released letters (extra). Both are read in one statement, one snapshot:
// a server releasing a letter meanwhile changes the two tables in one transaction. 'log
// verify' asks it of a store restored by other means than restore (pg_restore), or by a
// build before restore reconciled.
func (db *DB) LettersInProgressDisagreement(ctx context.Context) (missing, extra int64, err error) {
	err = db.View(ctx, func(t *Tx) error {
		return t.queryRow(ctx, `SELECT (SELECT COUNT(*) FROM letters l
	WHERE NOT EXISTS (SELECT 1 FROM releases r WHERE r.letter_id = l.id)
	AND NOT EXISTS (SELECT 1 FROM unreleased_letters u WHERE u.letter_id = l.id)),
	(SELECT COUNT(*) FROM unreleased_letters u WHERE EXISTS (SELECT 1 FROM releases r WHERE r.letter_id = u.letter_id))`).Scan(&missing, &extra)
	})
	if err != nil {
		return 0, 0, fmt.Errorf("store: compare the letters in progress with the releases: %w", err)
	}
	return missing, extra, nil
}

// LettersInProgressRepair is ReconcileLettersInProgress's statements as one line of SQL, in
// one transaction, for an operator to run with psql or sqlite3 (docs/operations.md gives
// it, and 'log verify' when the table disagrees).
var LettersInProgressRepair = strings.Join(strings.Fields("BEGIN; "+unreleasedLettersAdd+"; "+unreleasedLettersRemove+"; COMMIT;"), " ")

// lettersByClass is migration 46: 44 makes letters_by_class too, but was first written
// without it, and the stores its first build migrated are recorded at 44 with no index, where
// a listing of a class read every letter and a backup refused the schema.
const lettersByClass = `CREATE INDEX IF NOT EXISTS letters_by_class ON letters (class, id)`

// unreleasedLettersQuery reads the letters in progress, newest first, from unreleased_letters:
// at 100,000 released letters, reading the letters from the newest for those without a release
// took 87 ms at each inbox.
const unreleasedLettersQuery = `SELECT l.id, l.reference, l.subject, l.class, l.tags, l.addressees, l.author_id, l.created_at
FROM unreleased_letters u JOIN letters l ON l.id = u.letter_id ORDER BY u.letter_id DESC LIMIT $1`

// listLettersQuery is the query of ListLetters for the filter f. The letters of a state the
// office has few of (drafts, retracted and superseded letters) are read from
// unreleased_letters and from withdrawals by kind, so that a listing of them does not read
// every letter from the newest (0.46 s and 0.56 s at 100,000 released letters); the others
// (every letter, released letters) from letters, those of a class through its index, and the
// next page from where the last ended, rather than from the newest letter again: at 100,000
// letters, a class without letters took 41–93 ms, every letter read. The condition on a filter
// left empty is left out of the text, so that the one given can use its index; every parameter
// stays in it, as PostgreSQL wants them all used. The state is computed
// once, in the SELECT list, and filtered on in the outer query, so that the filter and the
// reported state cannot disagree.
func listLettersQuery(f LetterFilter) string {
	from, id, where := `letters l`, `l.id`, ``
	switch f.State {
	case StateDraft:
		from, id = `unreleased_letters s JOIN letters l ON l.id = s.letter_id`, `s.letter_id`
	case StateRetracted, StateSuperseded:
		kind := "retraction"
		if f.State == StateSuperseded {
			kind = "supersession"
		}
		from, id, where = `withdrawals s JOIN letters l ON l.id = s.letter_id`, `s.letter_id`, ` AND s.kind = '`+kind+`'`
	}
	before, class := `$1 <= 0`, `$2 = ''`
	if f.Before > 0 {
		before = id + ` < $1`
	}
	switch {
	case f.Class != "" && id == `l.id`:
		class = `l.class = $2`
	case f.Class != "":
		// Written so that it uses no index: the letters of the state are few, and the
		// letters of a class many.
		class = `($2 = '' OR l.class = $2)`
	}
	return `SELECT * FROM (
SELECT ` + id + ` AS id, l.reference, l.subject, l.class, l.tags, l.addressees, l.author_id, l.created_at,
	CASE WHEN r.letter_id IS NULL THEN 'draft' WHEN w.kind IS NULL THEN 'released'
		WHEN w.kind = 'retraction' THEN 'retracted' ELSE 'superseded' END AS state,
	v.n, v.digest, v.media_type, v.file_name, v.size, v.created_by, v.created_at,
	r.released_at, r.log_index, r.erased_at, w.created_at
FROM ` + from + `
LEFT JOIN versions v ON v.letter_id = l.id AND v.n = (SELECT MAX(n) FROM versions WHERE letter_id = l.id)
LEFT JOIN releases r ON r.letter_id = l.id
LEFT JOIN withdrawals w ON w.letter_id = l.id
WHERE ` + before + ` AND ` + class + where + `
) AS listed WHERE ($3 = '' OR state = $3) ORDER BY id DESC LIMIT $4`
}

// ListLetters returns up to limit letters that f selects, newest (highest ID) first.
func (t *Tx) ListLetters(ctx context.Context, f LetterFilter, limit int) ([]ListedLetter, error) {
	rows, err := t.query(ctx, listLettersQuery(f), f.Before, f.Class, f.State, limit)
	if err != nil {
		return nil, fmt.Errorf("list letters: %w", err)
	}
	defer rows.Close()
	var out []ListedLetter
	for rows.Next() {
		var (
			l                                 ListedLetter
			tags, to, created                 string
			n, size, by, logIndex             sql.NullInt64
			digest                            string
			mediaType, fileName, vAt          sql.NullString
			releasedAt, erasedAt, withdrawnAt sql.NullString
		)
		err := rows.Scan(&l.ID, &l.Reference, &l.Subject, &l.Class, &tags, &to, &l.AuthorID, &created, &l.State,
			&n, fileDigestText{&digest}, &mediaType, &fileName, &size, &by, &vAt, &releasedAt, &logIndex, &erasedAt, &withdrawnAt)
		if err != nil {
			return nil, fmt.Errorf("list letters: %w", err)
		}
		if err := json.Unmarshal([]byte(tags), &l.Tags); err != nil {
			return nil, fmt.Errorf("list letters: tags of %s: %w", l.Reference, err)
		}
		if err := json.Unmarshal([]byte(to), &l.Addressees); err != nil {
			return nil, fmt.Errorf("list letters: addressees of %s: %w", l.Reference, err)
		}
		l.CreatedAt = parseTS(created)
		if n.Valid {
			l.Latest = Version{LetterID: l.ID, N: int(n.Int64), Digest: digest, MediaType: mediaType.String,
				FileName: fileName.String, Size: size.Int64, CreatedBy: by.Int64, CreatedAt: parseTS(vAt.String)}
		}
		l.LogIndex = -1
		if logIndex.Valid {
			l.LogIndex, l.ReleasedAt = logIndex.Int64, parseTS(releasedAt.String)
		}
		if erasedAt.Valid {
			l.ErasedAt = parseTS(erasedAt.String)
		}
		if withdrawnAt.Valid {
			l.WithdrawnAt = parseTS(withdrawnAt.String)
		}
		out = append(out, l)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list letters: %w", err)
	}
	return out, nil
}
