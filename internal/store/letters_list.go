package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
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

// ListLetters returns up to limit letters that f selects, newest (highest ID) first.
func (t *Tx) ListLetters(ctx context.Context, f LetterFilter, limit int) ([]ListedLetter, error) {
	// The state is computed once, in the SELECT list, and filtered on in the outer query, so
	// that the filter and the reported state cannot disagree.
	rows, err := t.query(ctx, `SELECT * FROM (
SELECT l.id, l.reference, l.subject, l.class, l.tags, l.addressees, l.author_id, l.created_at,
	CASE WHEN r.letter_id IS NULL THEN 'draft' WHEN w.kind IS NULL THEN 'released'
		WHEN w.kind = 'retraction' THEN 'retracted' ELSE 'superseded' END AS state,
	v.n, v.digest, v.media_type, v.file_name, v.size, v.created_by, v.created_at,
	r.released_at, r.log_index, r.erased_at, w.created_at
FROM letters l
LEFT JOIN versions v ON v.letter_id = l.id AND v.n = (SELECT MAX(n) FROM versions WHERE letter_id = l.id)
LEFT JOIN releases r ON r.letter_id = l.id
LEFT JOIN withdrawals w ON w.letter_id = l.id
WHERE ($1 <= 0 OR l.id < $1) AND ($2 = '' OR l.class = $2)
) AS listed WHERE ($3 = '' OR state = $3) ORDER BY id DESC LIMIT $4`, f.Before, f.Class, f.State, limit)
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
