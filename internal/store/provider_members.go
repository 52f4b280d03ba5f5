package store

import (
	"context"
	"fmt"
)

// Migration 30: a member the office's OpenID provider created is bound to the provider's
// stable identity of its user, the issuer and the subject ("sub" claim), instead of the name
// claim alone (docs/identity.md). Members created in Chancery (chancery init, member add)
// have neither and are never linked to a provider user.
//
// Members the provider created before it are known by their audit trail: SignInExternal
// recorded their creation as "member.add" with themselves as the actor and a detail ending in
// " on first sign-in through ISSUER"; no other creation has the member as its own actor. They
// get that issuer and no subject: the registry binds them to the subject of their next
// sign-in through the same issuer. The detail's text after the marker is stored as it was
// written in every stored form of a detail (audit.go): an issuer URL holds no phrase of the
// packed form.
const (
	providerMembersSQLite = `
ALTER TABLE members ADD COLUMN oidc_issuer TEXT;
ALTER TABLE members ADD COLUMN oidc_subject TEXT;
CREATE UNIQUE INDEX members_by_subject ON members (oidc_issuer, oidc_subject);
` + markProviderMembersSQLite
	markProviderMembersSQLite = `
UPDATE members SET oidc_issuer = (
	SELECT CAST(substr(e.detail, instr(e.detail, CAST(' on first sign-in through ' AS BLOB)) + 26) AS TEXT)
	FROM audit_events e
	WHERE e.action = 'member.add' AND e.reference = '' AND e.actor = members.name
		AND instr(e.detail, CAST(' on first sign-in through ' AS BLOB)) > 0
	ORDER BY e.id LIMIT 1)
WHERE oidc_issuer IS NULL;
`
	providerMembersPostgres = `
ALTER TABLE members ADD COLUMN oidc_issuer TEXT, ADD COLUMN oidc_subject TEXT;
CREATE UNIQUE INDEX members_by_subject ON members (oidc_issuer, oidc_subject);
` + markProviderMembersPostgres
	markProviderMembersPostgres = `
UPDATE members SET oidc_issuer = (
	SELECT convert_from(substring(e.detail FROM position(convert_to(' on first sign-in through ', 'UTF8') IN e.detail) + 26), 'UTF8')
	FROM audit_events e
	WHERE e.action = 'member.add' AND e.reference = '' AND e.actor = members.name
		AND position(convert_to(' on first sign-in through ', 'UTF8') IN e.detail) > 0
	ORDER BY e.id LIMIT 1)
WHERE oidc_issuer IS NULL;
`
)

// MemberBySubject finds the member the provider issuer created for its user subject;
// ErrNotFound if there is none.
func (t *Tx) MemberBySubject(ctx context.Context, issuer, subject string) (*Member, error) {
	m, err := scanMember(t.queryRow(ctx, `SELECT `+memberCols+` FROM members WHERE oidc_issuer = $1 AND oidc_subject = $2`, issuer, subject))
	if err != nil {
		return nil, notFound(err, "member of "+issuer+" subject "+subject)
	}
	return m, nil
}

// SetMemberSubject records that member id is the provider issuer's user subject.
// ErrNotFound if there is no such member, ErrConflict if another member is that user.
func (t *Tx) SetMemberSubject(ctx context.Context, id int64, issuer, subject string) error {
	if issuer == "" || subject == "" {
		return fmt.Errorf("set subject of member %d: the issuer and the subject are required", id)
	}
	return t.updateMember(ctx, "set subject", id, `UPDATE members SET oidc_issuer = $1, oidc_subject = $2 WHERE id = $3`, issuer, subject, id)
}
