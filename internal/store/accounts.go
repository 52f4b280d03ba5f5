package store

import (
	"context"
	"fmt"
	"time"
)

// SetPassword sets (or replaces) the encoded password hash of a member.
func (t *Tx) SetPassword(ctx context.Context, memberID int64, encoded string, now time.Time) error {
	_, err := t.exec(ctx, `INSERT INTO member_passwords (member_id, hash, updated_at) VALUES ($1, $2, $3)
ON CONFLICT (member_id) DO UPDATE SET hash = excluded.hash, updated_at = excluded.updated_at`, memberID, encoded, ts(now))
	if err != nil {
		return fmt.Errorf("set password of member %d: %w", memberID, err)
	}
	return nil
}

// DeletePassword removes a member's password, if they have one.
func (t *Tx) DeletePassword(ctx context.Context, memberID int64) error {
	if _, err := t.exec(ctx, `DELETE FROM member_passwords WHERE member_id = $1`, memberID); err != nil {
		return fmt.Errorf("delete password of member %d: %w", memberID, err)
	}
	return nil
}

// Password returns the encoded password hash of a member; ErrNotFound if they have none.
func (t *Tx) Password(ctx context.Context, memberID int64) (string, error) {
	var h string
	if err := t.queryRow(ctx, `SELECT hash FROM member_passwords WHERE member_id = $1`, memberID).Scan(&h); err != nil {
		return "", notFound(err, fmt.Sprintf("password of member %d", memberID))
	}
	return h, nil
}

// Session is a browser session. Only the SHA-256 of its ID is stored, so a database leak
// reveals no usable session.
type Session struct {
	IDHash    []byte
	MemberID  int64
	CreatedAt time.Time
	LastSeen  time.Time
	ExpiresAt time.Time
	Remote    string
}

// AddSession records a new session; ErrConflict if its ID hash is taken.
func (t *Tx) AddSession(ctx context.Context, s Session) error {
	_, err := t.exec(ctx, `INSERT INTO sessions (id_hash, member_id, created_at, last_seen, expires_at, remote) VALUES ($1, $2, $3, $4, $5, $6)`,
		s.IDHash, s.MemberID, ts(s.CreatedAt), ts(s.LastSeen), ts(s.ExpiresAt), s.Remote)
	return conflict(err, "add session")
}

// SessionByHash finds a session by the SHA-256 of its ID, expired or not: the caller judges
// expiry and idleness against its own clock.
func (t *Tx) SessionByHash(ctx context.Context, idHash []byte) (*Session, error) {
	var s Session
	var created, seen, expires string
	err := t.queryRow(ctx, `SELECT id_hash, member_id, created_at, last_seen, expires_at, remote FROM sessions WHERE id_hash = $1`, idHash).
		Scan(&s.IDHash, &s.MemberID, &created, &seen, &expires, &s.Remote)
	if err != nil {
		return nil, notFound(err, "session")
	}
	s.CreatedAt, s.LastSeen, s.ExpiresAt = parseTS(created), parseTS(seen), parseTS(expires)
	return &s, nil
}

// TouchSession records that a session was used at now; ErrNotFound if it does not exist.
func (t *Tx) TouchSession(ctx context.Context, idHash []byte, now time.Time) error {
	res, err := t.exec(ctx, `UPDATE sessions SET last_seen = $1 WHERE id_hash = $2`, ts(now), idHash)
	if err != nil {
		return fmt.Errorf("touch session: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("touch session: %w", ErrNotFound)
	}
	return nil
}

// DeleteSession ends a session. Deleting a session that does not exist is not an error, so
// that signing out twice is harmless.
func (t *Tx) DeleteSession(ctx context.Context, idHash []byte) error {
	if _, err := t.exec(ctx, `DELETE FROM sessions WHERE id_hash = $1`, idHash); err != nil {
		return fmt.Errorf("delete session: %w", err)
	}
	return nil
}

// DeleteMemberSessions ends every session of a member (after a password change) and returns
// how many there were.
func (t *Tx) DeleteMemberSessions(ctx context.Context, memberID int64) (int64, error) {
	res, err := t.exec(ctx, `DELETE FROM sessions WHERE member_id = $1`, memberID)
	if err != nil {
		return 0, fmt.Errorf("delete sessions of member %d: %w", memberID, err)
	}
	n, _ := res.RowsAffected()
	return n, nil
}

// DeleteExpiredSessions removes sessions that expired before now, and returns how many it
// removed. Idleness is not its business: a browser session idle too long is refused when it is
// read (and removed here once it expires), while a 'chancery login' token has no idle limit.
func (t *Tx) DeleteExpiredSessions(ctx context.Context, now time.Time) (int64, error) {
	res, err := t.exec(ctx, `DELETE FROM sessions WHERE expires_at <= $1`, ts(now))
	if err != nil {
		return 0, fmt.Errorf("delete expired sessions: %w", err)
	}
	n, _ := res.RowsAffected()
	return n, nil
}

// UnreleasedLetters returns up to limit letters that have no release, newest first.
func (t *Tx) UnreleasedLetters(ctx context.Context, limit int) ([]Letter, error) {
	return t.letters(ctx, "unreleased letters", unreleasedLettersQuery, limit)
}

// RecentReleases returns up to limit released letters, the latest released first.
func (t *Tx) RecentReleases(ctx context.Context, limit int) ([]Letter, error) {
	return t.letters(ctx, "recent releases", recentReleasesQuery, limit)
}

// recentReleasesQuery walks the releases' log_index index from its end, so that the inbox
// every member opens reads limit releases, not every release sorted by its index.
const recentReleasesQuery = `SELECT l.id, l.reference, l.subject, l.class, l.tags, l.addressees, l.author_id, l.created_at
FROM releases r JOIN letters l ON l.id = r.letter_id ORDER BY r.log_index DESC LIMIT $1`

func (t *Tx) letters(ctx context.Context, what, query string, args ...any) ([]Letter, error) {
	rows, err := t.query(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	defer rows.Close()
	var out []Letter
	for rows.Next() {
		l, err := scanLetter(rows)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", what, err)
		}
		out = append(out, *l)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	return out, nil
}

// SpendFormValue records that the web form whose one-use value is once was posted at now,
// and reports whether it had been posted before (then nothing is written). The values
// recorded before forget are removed first: no session that could post them again is left.
func (t *Tx) SpendFormValue(ctx context.Context, once string, now, forget time.Time) (bool, error) {
	if _, err := t.exec(ctx, `DELETE FROM form_posts WHERE used_at < $1`, ts(forget)); err != nil {
		return false, fmt.Errorf("forget form values: %w", err)
	}
	res, err := t.exec(ctx, `INSERT INTO form_posts (once, used_at) VALUES ($1, $2) ON CONFLICT (once) DO NOTHING`, once, ts(now))
	if err != nil {
		return false, fmt.Errorf("record a form's value: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("record a form's value: %w", err)
	}
	return n == 0, nil
}

// ForgetFormValue removes the record of the web form whose one-use value is once, so that it
// may be posted again: its change was refused, nothing done. Forgetting a value never
// recorded is not an error.
func (t *Tx) ForgetFormValue(ctx context.Context, once string) error {
	if _, err := t.exec(ctx, `DELETE FROM form_posts WHERE once = $1`, once); err != nil {
		return fmt.Errorf("forget a form's value: %w", err)
	}
	return nil
}
