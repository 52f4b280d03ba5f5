package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"
)

// Members returns every member, disabled or not, in the order they were added.
func (t *Tx) Members(ctx context.Context) ([]Member, error) {
	rows, err := t.query(ctx, `SELECT `+memberCols+` FROM members ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("members: %w", err)
	}
	defer rows.Close()
	var out []Member
	for rows.Next() {
		m, err := scanMember(rows)
		if err != nil {
			return nil, fmt.Errorf("members: %w", err)
		}
		out = append(out, *m)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("members: %w", err)
	}
	return out, nil
}

// updateMember runs an UPDATE of one member row and turns "no row" into ErrNotFound.
func (t *Tx) updateMember(ctx context.Context, what string, id int64, query string, args ...any) error {
	res, err := t.exec(ctx, query, args...)
	if err != nil {
		return conflict(err, fmt.Sprintf("%s of member %d", what, id))
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("%s of member %d: %w", what, id, ErrNotFound)
	}
	t.membersChanged = true
	return nil
}

// SetMemberRoles replaces a member's roles; ErrNotFound if there is no such member.
func (t *Tx) SetMemberRoles(ctx context.Context, id int64, roles []string) error {
	return t.updateMember(ctx, "set roles", id, `UPDATE members SET roles = $1 WHERE id = $2`, strings.Join(roles, ","), id)
}

// SetMemberToken replaces the SHA-256 of a member's bearer token, so that the old token stops
// working when the transaction commits. ErrNotFound if there is no such member, ErrConflict if
// the hash is another member's.
func (t *Tx) SetMemberToken(ctx context.Context, id int64, tokenHash []byte) error {
	return t.updateMember(ctx, "set token", id, `UPDATE members SET token_hash = $1 WHERE id = $2`, tokenHash, id)
}

// SetMemberDisabled marks a member disabled since at, or enabled again when at is zero;
// ErrNotFound if there is no such member.
func (t *Tx) SetMemberDisabled(ctx context.Context, id int64, at time.Time) error {
	var v any
	if !at.IsZero() {
		v = ts(at)
	}
	return t.updateMember(ctx, "set disabled", id, `UPDATE members SET disabled_at = $1 WHERE id = $2`, v, id)
}

const signerKeyCols = `keyid, member_id, public_key, added_index, created_at, revoked_index, revoked_at`

func scanSignerKey(row interface{ Scan(...any) error }) (*SignerKey, error) {
	var k SignerKey
	var created string
	var revIdx sql.NullInt64
	var revAt sql.NullString
	if err := row.Scan(&k.KeyID, &k.MemberID, &k.PublicKey, &k.AddedIndex, &created, &revIdx, &revAt); err != nil {
		return nil, err
	}
	k.CreatedAt = parseTS(created)
	k.RevokedIndex = -1
	if revIdx.Valid {
		k.RevokedIndex = revIdx.Int64
		k.RevokedAt = parseTS(revAt.String)
	}
	return &k, nil
}

// SignerKeysOf returns a member's signer keys, revoked or not, in the order they were
// registered; none (and no error) for a member without keys.
func (t *Tx) SignerKeysOf(ctx context.Context, memberID int64) ([]SignerKey, error) {
	rows, err := t.query(ctx, `SELECT `+signerKeyCols+` FROM signer_keys WHERE member_id = $1 ORDER BY added_index`, memberID)
	if err != nil {
		return nil, fmt.Errorf("signer keys of member %d: %w", memberID, err)
	}
	defer rows.Close()
	var out []SignerKey
	for rows.Next() {
		k, err := scanSignerKey(rows)
		if err != nil {
			return nil, fmt.Errorf("signer keys of member %d: %w", memberID, err)
		}
		out = append(out, *k)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("signer keys of member %d: %w", memberID, err)
	}
	return out, nil
}
