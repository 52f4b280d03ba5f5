package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"
)

// ErrConflict is wrapped when a write collides with a uniqueness rule (a name or key already
// taken, a letter already released or withdrawn).
var ErrConflict = errors.New("conflict")

func ts(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

func parseTS(s string) time.Time {
	t, _ := time.Parse(time.RFC3339Nano, s)
	return t
}

// conflict turns a uniqueness violation into ErrConflict.
func conflict(err error, what string) error {
	if err != nil && (strings.Contains(err.Error(), "UNIQUE constraint failed") || uniqueViolation(err)) {
		return fmt.Errorf("%s: %w", what, ErrConflict)
	}
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	return nil
}

// Member is a person of the office.
type Member struct {
	ID        int64
	Name      string
	Roles     []string
	CreatedAt time.Time
	// DisabledAt is when the member was disabled, zero while they are active.
	DisabledAt time.Time
	// Issuer and Subject are the OpenID provider that created the member and its stable ID
	// of the user ("sub" claim); both are empty for a member created in Chancery. Subject
	// alone is empty for a member the provider created before schema version 30, until its
	// next sign-in through Issuer (provider_members.go).
	Issuer, Subject string
	// TokenHash and SessionHash name the credential a request was authenticated with: the
	// SHA-256 of the member's bearer token, or of the ID of their session (the web's or
	// `chancery login`'s). The registry's authentication sets one of them on the member it
	// returns; they are never stored, and nil on a member read otherwise.
	TokenHash, SessionHash []byte `json:"-"`
	// Password is the stored hash of the password a sign-in was checked against
	// (registry.CheckPassword), for the session that follows: it is started only while that
	// password still stands. Never stored, and empty on a member read otherwise.
	Password string `json:"-"`
}

// FromProvider reports whether the office's OpenID provider created the member.
func (m *Member) FromProvider() bool { return m.Issuer != "" }

// Disabled reports whether the member is disabled.
func (m *Member) Disabled() bool { return !m.DisabledAt.IsZero() }

// HasRole reports whether m has role r.
func (m *Member) HasRole(r string) bool {
	for _, x := range m.Roles {
		if x == r {
			return true
		}
	}
	return false
}

// AddMember adds a member with the SHA-256 of their bearer token.
func (t *Tx) AddMember(ctx context.Context, name string, roles []string, tokenHash []byte, now time.Time) (*Member, error) {
	var id int64
	err := t.queryRow(ctx, `INSERT INTO members (name, roles, token_hash, created_at) VALUES ($1, $2, $3, $4) RETURNING id`,
		name, strings.Join(roles, ","), tokenHash, ts(now)).Scan(&id)
	if err != nil {
		return nil, conflict(err, "add member "+name)
	}
	return &Member{ID: id, Name: name, Roles: roles, CreatedAt: now}, nil
}

const memberCols = `id, name, roles, created_at, disabled_at, oidc_issuer, oidc_subject`

func scanMember(row interface{ Scan(...any) error }) (*Member, error) {
	var m Member
	var roles, created string
	var disabled, issuer, subject sql.NullString
	if err := row.Scan(&m.ID, &m.Name, &roles, &created, &disabled, &issuer, &subject); err != nil {
		return nil, err
	}
	if roles != "" {
		m.Roles = strings.Split(roles, ",")
	}
	m.CreatedAt = parseTS(created)
	if disabled.Valid {
		m.DisabledAt = parseTS(disabled.String)
	}
	m.Issuer, m.Subject = issuer.String, subject.String
	return &m, nil
}

// MemberByToken finds the member whose token hashes to tokenHash.
func (t *Tx) MemberByToken(ctx context.Context, tokenHash []byte) (*Member, error) {
	m, err := scanMember(t.queryRow(ctx, `SELECT `+memberCols+` FROM members WHERE token_hash = $1`, tokenHash))
	if err != nil {
		return nil, notFound(err, "member")
	}
	return m, nil
}

// MemberByName finds a member by name.
func (t *Tx) MemberByName(ctx context.Context, name string) (*Member, error) {
	m, err := scanMember(t.queryRow(ctx, `SELECT `+memberCols+` FROM members WHERE name = $1`, name))
	if err != nil {
		return nil, notFound(err, "member "+name)
	}
	return m, nil
}

// MemberByID finds a member by ID.
func (t *Tx) MemberByID(ctx context.Context, id int64) (*Member, error) {
	m, err := scanMember(t.queryRow(ctx, `SELECT `+memberCols+` FROM members WHERE id = $1`, id))
	if err != nil {
		return nil, notFound(err, fmt.Sprintf("member %d", id))
	}
	return m, nil
}

// LetterMembers reads, in one statement, every member a letter names: its author, its
// versions' authors, its reviewers and signers, its releaser and whoever withdrew it. The map
// is keyed by member ID; a letter that does not exist names nobody.
func (t *Tx) LetterMembers(ctx context.Context, letterID int64) (map[int64]*Member, error) {
	rows, err := t.query(ctx, `SELECT `+memberCols+` FROM members WHERE id IN (
		SELECT author_id FROM letters WHERE id = $1
		UNION SELECT created_by FROM versions WHERE letter_id = $1
		UNION SELECT member_id FROM approvals WHERE letter_id = $1
		UNION SELECT member_id FROM signatures WHERE letter_id = $1
		UNION SELECT released_by FROM releases WHERE letter_id = $1
		UNION SELECT member_id FROM withdrawals WHERE letter_id = $1)`, letterID)
	if err != nil {
		return nil, fmt.Errorf("members of letter %d: %w", letterID, err)
	}
	defer rows.Close()
	out := map[int64]*Member{}
	for rows.Next() {
		m, err := scanMember(rows)
		if err != nil {
			return nil, fmt.Errorf("members of letter %d: %w", letterID, err)
		}
		out[m.ID] = m
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("members of letter %d: %w", letterID, err)
	}
	return out, nil
}

// MemberByToken is Tx.MemberByToken in one statement outside any transaction: a request's
// authentication, which on PostgreSQL would otherwise cost a BEGIN and a ROLLBACK round trip
// besides its one read.
func (db *DB) MemberByToken(ctx context.Context, tokenHash []byte) (*Member, error) {
	var m *Member
	err := db.readOne(ctx, func(row *sql.Row) (err error) {
		if m, err = scanMember(row); err != nil {
			return notFound(err, "member")
		}
		return nil
	}, `SELECT `+memberCols+` FROM members WHERE token_hash = $1`, tokenHash)
	return m, err
}

// SignerKey is a registered signer public key.
type SignerKey struct {
	KeyID        string
	MemberID     int64
	PublicKey    []byte
	AddedIndex   int64
	CreatedAt    time.Time
	RevokedIndex int64 // -1 while not revoked
	RevokedAt    time.Time
}

// Revoked reports whether the key has been revoked.
func (k *SignerKey) Revoked() bool { return k.RevokedIndex >= 0 }

// AddSignerKey records a signer key registered by the log entry at index.
func (t *Tx) AddSignerKey(ctx context.Context, k SignerKey) error {
	_, err := t.exec(ctx, `INSERT INTO signer_keys (keyid, member_id, public_key, added_index, created_at) VALUES ($1, $2, $3, $4, $5)`,
		k.KeyID, k.MemberID, k.PublicKey, k.AddedIndex, ts(k.CreatedAt))
	return conflict(err, "add signer key "+k.KeyID)
}

// RevokeSignerKey records the revocation of a key by the log entry at index.
func (t *Tx) RevokeSignerKey(ctx context.Context, keyID string, index int64, now time.Time) error {
	t.keysChanged() // the held answers' count of revoked keys (answer_memory.go)
	res, err := t.exec(ctx, `UPDATE signer_keys SET revoked_index = $1, revoked_at = $2 WHERE keyid = $3 AND revoked_index IS NULL`,
		index, ts(now), keyID)
	if err != nil {
		return fmt.Errorf("revoke key %s: %w", keyID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("revoke key %s: %w", keyID, ErrNotFound)
	}
	return nil
}

// SignerKey finds a key by ID.
func (t *Tx) SignerKey(ctx context.Context, keyID string) (*SignerKey, error) {
	k, err := scanSignerKey(t.queryRow(ctx, `SELECT `+signerKeyCols+` FROM signer_keys WHERE keyid = $1`, keyID))
	if err != nil {
		return nil, notFound(err, "signer key "+keyID)
	}
	return k, nil
}

// NextCounter increments and returns the named counter, starting at 1.
func (t *Tx) NextCounter(ctx context.Context, name string) (int64, error) {
	var v int64
	err := t.queryRow(ctx, `INSERT INTO counters (name, value) VALUES ($1, 1)
		ON CONFLICT (name) DO UPDATE SET value = counters.value + 1 RETURNING value`, name).Scan(&v)
	if err != nil {
		return 0, fmt.Errorf("counter %s: %w", name, err)
	}
	return v, nil
}

// Counter returns the value of the named counter, 0 if it was never incremented.
func (t *Tx) Counter(ctx context.Context, name string) (int64, error) {
	var v int64
	err := t.queryRow(ctx, `SELECT value FROM counters WHERE name = $1`, name).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("counter %s: %w", name, err)
	}
	return v, nil
}

// Letter is a letter's stable metadata.
type Letter struct {
	ID         int64
	Reference  string
	Subject    string
	Class      string
	Tags       []string
	Addressees []string
	AuthorID   int64
	CreatedAt  time.Time
}

// AddLetter inserts a letter, in progress until its release, and sets its ID.
func (t *Tx) AddLetter(ctx context.Context, l *Letter) error {
	if err := t.addLetterRow(ctx, l); err != nil {
		return err
	}
	if _, err := t.exec(ctx, `INSERT INTO unreleased_letters (letter_id) VALUES ($1)`, l.ID); err != nil {
		return fmt.Errorf("add letter %s: %w", l.Reference, err)
	}
	return nil
}

// addLetterRow inserts the row of l in letters and sets its ID.
func (t *Tx) addLetterRow(ctx context.Context, l *Letter) error {
	tags, _ := json.Marshal(nonNil(l.Tags))
	to, _ := json.Marshal(nonNil(l.Addressees))
	err := t.queryRow(ctx, `INSERT INTO letters (reference, subject, class, tags, addressees, author_id, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`, l.Reference, l.Subject, l.Class, string(tags), string(to), l.AuthorID, ts(l.CreatedAt)).Scan(&l.ID)
	return conflict(err, "add letter "+l.Reference)
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

const letterCols = `id, reference, subject, class, tags, addressees, author_id, created_at`

// scanLetter scans letterCols, then into extra the columns after them.
func scanLetter(row interface{ Scan(...any) error }, extra ...any) (*Letter, error) {
	var l Letter
	var tags, to, created string
	if err := row.Scan(append([]any{&l.ID, &l.Reference, &l.Subject, &l.Class, &tags, &to, &l.AuthorID, &created}, extra...)...); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(tags), &l.Tags); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(to), &l.Addressees); err != nil {
		return nil, err
	}
	l.CreatedAt = parseTS(created)
	return &l, nil
}

// LetterByRef finds a letter by reference.
func (t *Tx) LetterByRef(ctx context.Context, ref string) (*Letter, error) {
	l, err := scanLetter(t.queryRow(ctx, `SELECT `+letterCols+` FROM letters WHERE reference = $1`, ref))
	if err != nil {
		return nil, notFound(err, "letter "+ref)
	}
	return l, nil
}

// LetterReleased finds a letter by reference and tells whether it was released, in one
// statement.
func (t *Tx) LetterReleased(ctx context.Context, ref string) (*Letter, bool, error) {
	var released bool
	l, err := scanLetter(t.queryRow(ctx, `SELECT `+letterCols+`, EXISTS (SELECT 1 FROM releases r WHERE r.letter_id = letters.id)
		FROM letters WHERE reference = $1`, ref), &released)
	if err != nil {
		return nil, false, notFound(err, "letter "+ref)
	}
	return l, released, nil
}

// LetterByID finds a letter by ID.
func (t *Tx) LetterByID(ctx context.Context, id int64) (*Letter, error) {
	l, err := scanLetter(t.queryRow(ctx, `SELECT `+letterCols+` FROM letters WHERE id = $1`, id))
	if err != nil {
		return nil, notFound(err, fmt.Sprintf("letter %d", id))
	}
	return l, nil
}

// Version is one immutable version of a letter.
type Version struct {
	LetterID  int64
	N         int
	Digest    string
	MediaType string
	FileName  string
	Size      int64
	CreatedBy int64
	CreatedAt time.Time
}

// AddVersion inserts a version; its blob must be stored.
func (t *Tx) AddVersion(ctx context.Context, v Version) error {
	key, err := fileDigest(v.Digest)
	if err != nil {
		return fmt.Errorf("add version %d: %w", v.N, err)
	}
	_, err = t.exec(ctx, `INSERT INTO versions (letter_id, n, digest, media_type, file_name, size, created_by, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, v.LetterID, v.N, key, v.MediaType, v.FileName, v.Size, v.CreatedBy, ts(v.CreatedAt))
	return conflict(err, fmt.Sprintf("add version %d", v.N))
}

const versionCols = `letter_id, n, digest, media_type, file_name, size, created_by, created_at`

func scanVersion(row interface{ Scan(...any) error }) (*Version, error) {
	var v Version
	var created string
	if err := row.Scan(&v.LetterID, &v.N, fileDigestText{&v.Digest}, &v.MediaType, &v.FileName, &v.Size, &v.CreatedBy, &created); err != nil {
		return nil, err
	}
	v.CreatedAt = parseTS(created)
	return &v, nil
}

// Versions returns a letter's versions, oldest first.
func (t *Tx) Versions(ctx context.Context, letterID int64) ([]Version, error) {
	rows, err := t.query(ctx, `SELECT `+versionCols+` FROM versions WHERE letter_id = $1 ORDER BY n`, letterID)
	if err != nil {
		return nil, fmt.Errorf("versions: %w", err)
	}
	defer rows.Close()
	var out []Version
	for rows.Next() {
		v, err := scanVersion(rows)
		if err != nil {
			return nil, fmt.Errorf("versions: %w", err)
		}
		out = append(out, *v)
	}
	return out, rows.Err()
}

// FirstVersionByDigest returns the first version, in letter and version order, of any letter
// whose bytes have this digest; ErrNotFound if there is none. It returns one row however many
// letters share the file (the database still orders their index entries).
func (t *Tx) FirstVersionByDigest(ctx context.Context, digest string) (*Version, error) {
	v, err := scanVersion(t.queryRow(ctx, `SELECT `+versionCols+` FROM versions WHERE digest = $1 ORDER BY letter_id, n LIMIT 1`, fileDigestKey(digest)))
	if err != nil {
		return nil, notFound(err, "version by digest")
	}
	return v, nil
}

// ReleasedVersionByDigest returns the first version, in letter order, whose bytes have this
// digest and that its letter released; ErrNotFound if no released version has them.
func (t *Tx) ReleasedVersionByDigest(ctx context.Context, digest string) (*Version, error) {
	v, err := scanVersion(t.queryRow(ctx, `SELECT v.letter_id, v.n, v.digest, v.media_type, v.file_name, v.size, v.created_by, v.created_at
		FROM versions v JOIN releases r ON r.letter_id = v.letter_id AND r.version_n = v.n
		WHERE v.digest = $1 ORDER BY v.letter_id LIMIT 1`, fileDigestKey(digest)))
	if err != nil {
		return nil, notFound(err, "released version by digest")
	}
	return v, nil
}

// DigestHeld is what the office holds with the bytes of one digest, besides a release.
type DigestHeld struct {
	// Version is whether a version of some letter has these bytes, and ReleasedVersion
	// whether one such version is the version its letter released.
	Version, ReleasedVersion bool
	// Export is whether a draft copy handed out has these bytes.
	Export bool
}

// HeldByDigest says what the office holds with the bytes of digest, for answers to anyone who
// holds a file: it asks whether such rows exist and returns none of them, so that the answer
// does not grow with the letters, versions or copies a drafter makes of one file. Each EXISTS
// stops at the first row found in the digest indexes; ReleasedVersion, when false, has
// visited the index entries of every version with the digest.
func (t *Tx) HeldByDigest(ctx context.Context, digest string) (DigestHeld, error) {
	var h DigestHeld
	err := t.queryRow(ctx, `SELECT
		EXISTS (SELECT 1 FROM versions WHERE digest = $1),
		EXISTS (SELECT 1 FROM versions v JOIN releases r ON r.letter_id = v.letter_id AND r.version_n = v.n WHERE v.digest = $1),
		EXISTS (SELECT 1 FROM draft_exports WHERE digest = $2)`, fileDigestKey(digest), digest).Scan(&h.Version, &h.ReleasedVersion, &h.Export)
	if err != nil {
		return DigestHeld{}, fmt.Errorf("held by digest: %w", err)
	}
	return h, nil
}

// Approval is a reviewer's decision on one version under one policy.
type Approval struct {
	ID            int64
	LetterID      int64
	VersionDigest string
	PolicyDigest  string
	MemberID      int64
	Role          string
	Decision      string // "approve" or "reject"
	Comment       string
	CreatedAt     time.Time
}

// AddApproval records a decision.
func (t *Tx) AddApproval(ctx context.Context, a Approval) error {
	_, err := t.exec(ctx, `INSERT INTO approvals (letter_id, version_digest, policy_digest, member_id, role, decision, comment, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, a.LetterID, packDigest(a.VersionDigest), packDigest(a.PolicyDigest), a.MemberID, a.Role, a.Decision, a.Comment, ts(a.CreatedAt))
	if err != nil {
		return fmt.Errorf("add approval: %w", err)
	}
	return nil
}

// Approvals returns every decision on a letter, oldest first.
func (t *Tx) Approvals(ctx context.Context, letterID int64) ([]Approval, error) {
	return t.approvals(ctx, `SELECT id, letter_id, version_digest, policy_digest, member_id, role, decision, comment, created_at
		FROM approvals WHERE letter_id = $1 ORDER BY id`, letterID)
}

// UnreleasedApprovalsBy returns every decision a member gave on a letter not released, oldest
// first: the decisions that may still count at a release gate, without those on the letters
// the member reviewed over the years.
func (t *Tx) UnreleasedApprovalsBy(ctx context.Context, memberID int64) ([]Approval, error) {
	return t.approvals(ctx, `SELECT id, letter_id, version_digest, policy_digest, member_id, role, decision, comment, created_at
		FROM approvals a WHERE member_id = $1 AND NOT EXISTS (SELECT 1 FROM releases r WHERE r.letter_id = a.letter_id) ORDER BY id`, memberID)
}

func (t *Tx) approvals(ctx context.Context, query string, arg int64) ([]Approval, error) {
	rows, err := t.query(ctx, query, arg)
	if err != nil {
		return nil, fmt.Errorf("approvals: %w", err)
	}
	defer rows.Close()
	var out []Approval
	for rows.Next() {
		var a Approval
		var created string
		var version, policy []byte
		if err := rows.Scan(&a.ID, &a.LetterID, &version, &policy, &a.MemberID, &a.Role, &a.Decision, &a.Comment, &created); err != nil {
			return nil, fmt.Errorf("approvals: %w", err)
		}
		if a.VersionDigest, a.PolicyDigest, err = unpackDigests(version, policy); err != nil {
			return nil, fmt.Errorf("approval %d: %w", a.ID, err)
		}
		a.CreatedAt = parseTS(created)
		out = append(out, a)
	}
	return out, rows.Err()
}

// SignatureRow is a signer's signature on one version under one policy.
type SignatureRow struct {
	ID            int64
	LetterID      int64
	VersionDigest string
	PolicyDigest  string
	MemberID      int64
	KeyID         string
	Sig           []byte
	CreatedAt     time.Time
}

// AddSignature records a signature.
func (t *Tx) AddSignature(ctx context.Context, s SignatureRow) error {
	_, err := t.exec(ctx, `INSERT INTO signatures (letter_id, version_digest, policy_digest, member_id, keyid, sig, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`, s.LetterID, packDigest(s.VersionDigest), packDigest(s.PolicyDigest), s.MemberID, s.KeyID, s.Sig, ts(s.CreatedAt))
	if err != nil {
		return fmt.Errorf("add signature: %w", err)
	}
	return nil
}

// Signatures returns every signature on a letter, oldest first.
func (t *Tx) Signatures(ctx context.Context, letterID int64) ([]SignatureRow, error) {
	rows, err := t.query(ctx, `SELECT id, letter_id, version_digest, policy_digest, member_id, keyid, sig, created_at
		FROM signatures WHERE letter_id = $1 ORDER BY id`, letterID)
	if err != nil {
		return nil, fmt.Errorf("signatures: %w", err)
	}
	defer rows.Close()
	var out []SignatureRow
	for rows.Next() {
		var s SignatureRow
		var created string
		var version, policy []byte
		if err := rows.Scan(&s.ID, &s.LetterID, &version, &policy, &s.MemberID, &s.KeyID, &s.Sig, &created); err != nil {
			return nil, fmt.Errorf("signatures: %w", err)
		}
		if s.VersionDigest, s.PolicyDigest, err = unpackDigests(version, policy); err != nil {
			return nil, fmt.Errorf("signature %d: %w", s.ID, err)
		}
		s.CreatedAt = parseTS(created)
		out = append(out, s)
	}
	return out, rows.Err()
}

// Release is a released letter.
type Release struct {
	LetterID   int64
	VersionN   int
	FileDigest string
	FileName   string
	MediaType  string
	LogIndex   int64
	Entry      []byte
	ReleasedBy int64
	ReleasedAt time.Time
	// CheckCodeHash is the SHA-256 of the check code printed on the released letter; nil for
	// releases made before check codes.
	CheckCodeHash []byte
	// ErasedAt is when the letter's content was erased, zero if it was not.
	ErasedAt time.Time
}

// AddRelease records a release; a letter is released once.
func (t *Tx) AddRelease(ctx context.Context, r Release) error {
	key, err := fileDigest(r.FileDigest)
	if err != nil {
		return fmt.Errorf("add release: %w", err)
	}
	_, err = t.exec(ctx, `INSERT INTO releases (letter_id, version_n, file_digest, file_name, media_type, log_index, entry, released_by, released_at, check_code_hash)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`, r.LetterID, r.VersionN, key, r.FileName, r.MediaType, r.LogIndex, packEntry(r.Entry), r.ReleasedBy, ts(r.ReleasedAt), r.CheckCodeHash)
	if err != nil {
		return conflict(err, "add release")
	}
	// The letter is no longer in progress (UnreleasedLetters, ListLetters).
	if _, err := t.exec(ctx, `DELETE FROM unreleased_letters WHERE letter_id = $1`, r.LetterID); err != nil {
		return fmt.Errorf("add release: %w", err)
	}
	return nil
}

const releaseCols = `letter_id, version_n, file_digest, file_name, media_type, log_index, entry, released_by, released_at, check_code_hash, erased_at`

func scanRelease(row interface{ Scan(...any) error }) (*Release, error) {
	var r Release
	var at string
	var erased sql.NullString
	if err := row.Scan(&r.LetterID, &r.VersionN, fileDigestText{&r.FileDigest}, &r.FileName, &r.MediaType, &r.LogIndex, &r.Entry, &r.ReleasedBy, &at, &r.CheckCodeHash, &erased); err != nil {
		return nil, err
	}
	var err error
	if r.Entry, err = unpackEntry(r.Entry); err != nil {
		return nil, fmt.Errorf("release entry %d: %w", r.LogIndex, err)
	}
	r.ReleasedAt = parseTS(at)
	if erased.Valid {
		r.ErasedAt = parseTS(erased.String)
	}
	return &r, nil
}

// PutOpening stores the opening (salt and statement) of the version 2 entry at index.
func (t *Tx) PutOpening(ctx context.Context, index int64, salt, statement []byte) error {
	_, err := t.exec(ctx, `INSERT INTO openings (log_index, salt, statement) VALUES ($1, $2, $3)`, index, salt, packStatement(statement))
	return conflict(err, "put opening")
}

// Opening returns the opening of the entry at index: ErrNotFound for a version 1 entry, and
// for an entry whose opening was erased.
func (t *Tx) Opening(ctx context.Context, index int64) (salt, statement []byte, err error) {
	err = t.queryRow(ctx, `SELECT salt, statement FROM openings WHERE log_index = $1`, index).Scan(&salt, &statement)
	if err != nil {
		return nil, nil, notFound(err, "opening")
	}
	if statement, err = unpackStatement(statement); err != nil {
		return nil, nil, fmt.Errorf("opening of %d: %w", index, err)
	}
	return salt, statement, nil
}

// DeleteOpening deletes the opening of the entry at index, if it has one.
func (t *Tx) DeleteOpening(ctx context.Context, index int64) error {
	_, err := t.exec(ctx, `DELETE FROM openings WHERE log_index = $1`, index)
	if err != nil {
		return fmt.Errorf("delete opening: %w", err)
	}
	return nil
}

// notSharedOf is the condition that the file whose digest is the column col is no other
// letter's (EraseLetter): not a version of a letter other than $1 that was not erased, nor
// the released file of one not erased. It is asked per file through the indexes on
// versions.digest and releases.file_digest: a NOT IN over every other letter's versions was
// built again at each statement, which made the erasure of each letter cost the size of
// the office, and the erasures done again at an upgrade (Registry.EraseLeftovers) that many
// times over.
func notSharedOf(col string) string {
	return ` AND NOT EXISTS (SELECT 1 FROM versions sv WHERE sv.digest = ` + col + ` AND sv.letter_id <> $1
			AND NOT EXISTS (SELECT 1 FROM releases sr WHERE sr.letter_id = sv.letter_id AND sr.erased_at IS NOT NULL)
			AND NOT EXISTS (SELECT 1 FROM letters sl WHERE sl.id = sv.letter_id AND sl.subject = ''))
		AND NOT EXISTS (SELECT 1 FROM releases so WHERE so.file_digest = ` + col + ` AND so.letter_id <> $1 AND so.erased_at IS NULL)`
}

// EraseLetter erases a released letter's content: its subject, tags and addressees, the
// names and bytes of its versions and their kept conversions, its released file and its draft
// copies (but not a file another letter not erased has too, which is that letter's content as
// well), its text fingerprints, its
// withdrawal's reason, and the openings of its release and withdrawal entries. What stays is
// what the public log already shows (log indexes, times) and the digests that let the
// registry still say that a file was released on its date. The release is marked erased.
// A letter without a release (a draft in a database restored from a backup taken before
// the letter was released and erased) is erased the same way, its empty subject saying so.
// On SQLite, run it between SecureDelete(true) and SecureDelete(false).
func (t *Tx) EraseLetter(ctx context.Context, letterID int64, at time.Time) error {
	rel, err := t.ReleaseOf(ctx, letterID)
	if errors.Is(err, ErrNotFound) {
		rel, err = nil, nil
	}
	if err != nil {
		return fmt.Errorf("erase letter: %w", err)
	}
	// The files of its draft copies: draft_exports keeps their digests as text.
	var files [][]byte
	relIndex := int64(-1)
	if rel != nil {
		files, relIndex = append(files, fileDigestKey(rel.FileDigest)), rel.LogIndex
	}
	rows, err := t.query(ctx, erasedExportsQuery, letterID)
	if err != nil {
		return fmt.Errorf("erase letter: %w", err)
	}
	for rows.Next() {
		var d string
		if err := rows.Scan(&d); err != nil {
			rows.Close()
			return fmt.Errorf("erase letter: %w", err)
		}
		if key := fileDigestKey(d); key != nil {
			files = append(files, key)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("erase letter: %w", err)
	}
	type statement struct {
		q    string
		args []any
	}
	// Files are kept once by digest: one another letter has too (the same file uploaded as
	// its version, or a released file uploaded again) is that letter's as well, and stays,
	// unless that letter was erased (its release, or as a draft: its subject is empty): it
	// holds nothing, and its erasure kept the file for this one.
	notShared := notSharedOf("blobs.digest")
	stmts := []statement{
		{`UPDATE letters SET subject = '', tags = '[]', addressees = '[]' WHERE id = $1`, []any{letterID}},
		// An uploaded file's name often says what the letter is about and to whom.
		{`UPDATE versions SET file_name = '' WHERE letter_id = $1`, []any{letterID}},
		{`UPDATE releases SET file_name = '' WHERE letter_id = $1`, []any{letterID}},
		// A file kept in chunks (blobs.go) loses them before its row is emptied.
		{`DELETE FROM blob_chunks WHERE blob IN (SELECT chunked FROM blobs WHERE digest IN (SELECT digest FROM versions WHERE letter_id = $1)` + notShared + `)`, []any{letterID}},
		// The empty blob is a parameter: the backends spell its literal differently.
		{`UPDATE blobs SET data = $2, chunked = NULL WHERE digest IN (SELECT digest FROM versions WHERE letter_id = $1)` + notShared, []any{letterID, []byte{}}},
	}
	// The kept conversions of its versions (conversions.go) go with them: the PDF is emptied
	// unless another letter has it too (as its file, or as the conversion of its file), and
	// the row is deleted. A conversion of a file another letter has is that letter's too.
	var (
		ownSources   = `SELECT digest FROM versions WHERE letter_id = $1` + notSharedOf("versions.digest")
		erasedPDFs   = ` digest IN (SELECT pdf FROM conversions WHERE source IN (` + ownSources + `))` + notShared
		notConverted = ` AND digest NOT IN (SELECT pdf FROM conversions WHERE source NOT IN (` + ownSources + `))`
	)
	stmts = append(stmts,
		statement{`DELETE FROM blob_chunks WHERE blob IN (SELECT chunked FROM blobs WHERE` + erasedPDFs + notConverted + `)`, []any{letterID}},
		statement{`UPDATE blobs SET data = $2, chunked = NULL WHERE` + erasedPDFs + notConverted, []any{letterID, []byte{}}},
		statement{`DELETE FROM conversions WHERE source IN (` + ownSources + `)`, []any{letterID}})
	for _, key := range files {
		stmts = append(stmts,
			statement{`DELETE FROM blob_chunks WHERE blob IN (SELECT chunked FROM blobs WHERE digest = $2` + notShared + `)`, []any{letterID, key}},
			statement{`UPDATE blobs SET data = $3, chunked = NULL WHERE digest = $2` + notShared, []any{letterID, key, []byte{}}})
	}
	stmts = append(stmts,
		statement{`UPDATE fingerprints SET data = NULL WHERE letter_id = $1`, []any{letterID}},
		statement{`UPDATE withdrawals SET reason = '' WHERE letter_id = $1`, []any{letterID}},
		statement{`UPDATE draft_exports SET recipient = '' WHERE letter_id = $1`, []any{letterID}},
		statement{`UPDATE approvals SET comment = '' WHERE letter_id = $1`, []any{letterID}},
		statement{`DELETE FROM openings WHERE log_index = $1 OR log_index IN (SELECT log_index FROM withdrawals WHERE letter_id = $2)`, []any{relIndex, letterID}},
		statement{`UPDATE releases SET erased_at = $1 WHERE letter_id = $2`, []any{ts(at), letterID}})
	for _, st := range stmts {
		if _, err := t.exec(ctx, st.q, st.args...); err != nil {
			return fmt.Errorf("erase letter: %w", err)
		}
	}
	// Other servers on the database see the count move and forget what they hold in memory
	// of letters' content (registry, RefreshIdentification).
	if _, err := t.NextCounter(ctx, ErasuresCounter); err != nil {
		return fmt.Errorf("erase letter: %w", err)
	}
	if rel == nil {
		return nil
	}
	return t.DropAnswer(ctx, rel.FileDigest) // its answer no longer holds the content
}

// ErasuresCounter names the counter EraseLetter increments: how many erasures were made.
const ErasuresCounter = "erasures"

// ReleaseOf returns a letter's release.
func (t *Tx) ReleaseOf(ctx context.Context, letterID int64) (*Release, error) {
	r, err := scanRelease(t.queryRow(ctx, `SELECT `+releaseCols+` FROM releases WHERE letter_id = $1`, letterID))
	if err != nil {
		return nil, notFound(err, "release")
	}
	return r, nil
}

// ReleaseAt returns the release whose entry is at log index i.
func (t *Tx) ReleaseAt(ctx context.Context, i int64) (*Release, error) {
	r, err := scanRelease(t.queryRow(ctx, `SELECT `+releaseCols+` FROM releases WHERE log_index = $1`, i))
	if err != nil {
		return nil, notFound(err, "release")
	}
	return r, nil
}

// erasedReleasesIndex is migration 37 (see migrations): the few erased releases, indexed
// apart from the many that are not.
const erasedReleasesIndex = `CREATE INDEX releases_erased ON releases (log_index) WHERE erased_at IS NOT NULL;`

// ErasedReleases returns the releases whose content was erased (EraseLetter), by log index.
func (t *Tx) ErasedReleases(ctx context.Context) ([]Release, error) {
	rows, err := t.query(ctx, `SELECT `+releaseCols+` FROM releases WHERE erased_at IS NOT NULL ORDER BY log_index`)
	if err != nil {
		return nil, fmt.Errorf("erased releases: %w", err)
	}
	defer rows.Close()
	var out []Release
	for rows.Next() {
		r, err := scanRelease(rows)
		if err != nil {
			return nil, fmt.Errorf("erased releases: %w", err)
		}
		out = append(out, *r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("erased releases: %w", err)
	}
	return out, nil
}

// HasErasures reports whether the store holds an erasure (EraseLetter): an erased release,
// an erased draft (no release, its subject empty), or a count of erasures made. restore
// asks it of a backup's database: one without has nothing to bring from its former data
// directory's records, unless the office erased a letter after the backup was taken.
func (db *DB) HasErasures(ctx context.Context) (bool, error) {
	var has bool
	err := db.View(ctx, func(t *Tx) error {
		n, err := t.Counter(ctx, ErasuresCounter)
		if err != nil || n > 0 {
			has = n > 0
			return err
		}
		return t.queryRow(ctx, `SELECT EXISTS (SELECT 1 FROM releases WHERE erased_at IS NOT NULL)
	OR EXISTS (SELECT 1 FROM letters l WHERE l.subject = '' AND NOT EXISTS (SELECT 1 FROM releases r WHERE r.letter_id = l.id))`).Scan(&has)
	})
	if err != nil {
		return false, fmt.Errorf("store: erasures: %w", err)
	}
	return has, nil
}

// ReleaseByDigest returns the release whose final file has this digest.
func (t *Tx) ReleaseByDigest(ctx context.Context, digest string) (*Release, error) {
	r, err := scanRelease(t.queryRow(ctx, `SELECT `+releaseCols+` FROM releases WHERE file_digest = $1`, fileDigestKey(digest)))
	if err != nil {
		return nil, notFound(err, "release")
	}
	return r, nil
}

// Withdrawal is a retraction or supersession of a released letter.
type Withdrawal struct {
	LetterID  int64
	Kind      string // "retraction" or "supersession"
	ByLetter  int64  // the superseding letter, 0 for a retraction
	Reason    string
	LogIndex  int64
	Entry     []byte
	MemberID  int64
	CreatedAt time.Time
}

// AddWithdrawal records a withdrawal; a letter is withdrawn once.
func (t *Tx) AddWithdrawal(ctx context.Context, w Withdrawal) error {
	var by any
	if w.ByLetter != 0 {
		by = w.ByLetter
	}
	_, err := t.exec(ctx, `INSERT INTO withdrawals (letter_id, kind, by_letter, reason, log_index, entry, member_id, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, w.LetterID, w.Kind, by, w.Reason, w.LogIndex, w.Entry, w.MemberID, ts(w.CreatedAt))
	if err != nil {
		return conflict(err, "add "+w.Kind)
	}
	return t.dropAnswerOf(ctx, w.LetterID) // the letter no longer stands
}

// RestoreWithdrawalReason sets again the reason of the withdrawal of the letter letterID,
// which EraseLetter empties: for a withdrawal made after the letter's erasure, whose signed
// reason is no content of the letter, when the erasure is done again
// (Registry.EraseLeftovers).
func (t *Tx) RestoreWithdrawalReason(ctx context.Context, letterID int64, reason string) error {
	if _, err := t.exec(ctx, `UPDATE withdrawals SET reason = $1 WHERE letter_id = $2`, reason, letterID); err != nil {
		return fmt.Errorf("restore withdrawal reason: %w", err)
	}
	return nil
}

// WithdrawalOf returns a letter's withdrawal.
func (t *Tx) WithdrawalOf(ctx context.Context, letterID int64) (*Withdrawal, error) {
	var w Withdrawal
	var by sql.NullInt64
	var created string
	err := t.queryRow(ctx, `SELECT letter_id, kind, by_letter, reason, log_index, entry, member_id, created_at FROM withdrawals WHERE letter_id = $1`, letterID).
		Scan(&w.LetterID, &w.Kind, &by, &w.Reason, &w.LogIndex, &w.Entry, &w.MemberID, &created)
	if err != nil {
		return nil, notFound(err, "withdrawal")
	}
	w.ByLetter = by.Int64
	w.CreatedAt = parseTS(created)
	return &w, nil
}

// DraftExport records a draft copy handed out.
type DraftExport struct {
	ID        int64
	LetterID  int64
	VersionN  int
	Recipient string
	Digest    string
	MemberID  int64
	CreatedAt time.Time
}

// AddDraftExport records an export.
func (t *Tx) AddDraftExport(ctx context.Context, d DraftExport) error {
	_, err := t.exec(ctx, `INSERT INTO draft_exports (letter_id, version_n, recipient, digest, member_id, created_at)
		VALUES ($1, $2, $3, $4, $5, $6)`, d.LetterID, d.VersionN, d.Recipient, d.Digest, d.MemberID, ts(d.CreatedAt))
	if err != nil {
		return fmt.Errorf("add draft export: %w", err)
	}
	return nil
}

// DraftExportsByDigest returns the exports whose bytes have this digest.
func (t *Tx) DraftExportsByDigest(ctx context.Context, digest string) ([]DraftExport, error) {
	return t.draftExports(ctx, "digest = $1", digest)
}

// draftExportsByLetter is migration 43 (see migrations): the exports of one letter, read by
// each release of it (the copies of its released text made for someone else), its erasure and
// identification, without reading every export of the office.
const draftExportsByLetter = `CREATE INDEX IF NOT EXISTS draft_exports_by_letter ON draft_exports (letter_id, id);`

// erasedExportsQuery reads the files of a letter's draft copies, for its erasure.
const erasedExportsQuery = `SELECT digest FROM draft_exports WHERE letter_id = $1`

// DraftExportsOf returns the exports of the letter letterID, oldest first.
func (t *Tx) DraftExportsOf(ctx context.Context, letterID int64) ([]DraftExport, error) {
	return t.draftExports(ctx, "letter_id = $1", letterID)
}

func draftExportsQuery(where string) string {
	return `SELECT id, letter_id, version_n, recipient, digest, member_id, created_at
		FROM draft_exports WHERE ` + where + ` ORDER BY id`
}

// draftExports returns the exports the condition where (on arg) selects, oldest first.
func (t *Tx) draftExports(ctx context.Context, where string, arg any) ([]DraftExport, error) {
	rows, err := t.query(ctx, draftExportsQuery(where), arg)
	if err != nil {
		return nil, fmt.Errorf("draft exports: %w", err)
	}
	defer rows.Close()
	var out []DraftExport
	for rows.Next() {
		var d DraftExport
		var created string
		if err := rows.Scan(&d.ID, &d.LetterID, &d.VersionN, &d.Recipient, &d.Digest, &d.MemberID, &created); err != nil {
			return nil, fmt.Errorf("draft exports: %w", err)
		}
		d.CreatedAt = parseTS(created)
		out = append(out, d)
	}
	return out, rows.Err()
}

// AuditEvent is one append-only audit record.
type AuditEvent struct {
	ID        int64
	Time      time.Time
	Actor     string
	Action    string
	Reference string
	Detail    string
	Remote    string
}

// AddAuditEvent appends an audit event.
func (t *Tx) AddAuditEvent(ctx context.Context, e AuditEvent) error {
	at, err := auditTime(e.Time)
	if err != nil {
		return err
	}
	action, remote, detail := packEvent(e.Action, e.Remote, e.Detail)
	_, err = t.exec(ctx, `INSERT INTO audit_events (time, actor, action, reference, detail, remote) VALUES ($1, $2, $3, $4, $5, $6)`,
		at, e.Actor, action, e.Reference, detail, remote)
	if err != nil {
		return fmt.Errorf("audit: %w", err)
	}
	return nil
}

// AuditEvents returns the events about a reference, oldest first.
func (t *Tx) AuditEvents(ctx context.Context, ref string) ([]AuditEvent, error) {
	out, err := t.auditEvents(ctx, `SELECT id, time, actor, action, reference, detail, remote FROM audit_events WHERE reference = $1 ORDER BY id`, ref)
	if err != nil {
		return nil, fmt.Errorf("audit events: %w", err)
	}
	return out, nil
}

// OfficeAuditEvents returns the audit events that name no letter (members, tokens, policy,
// witnesses, recipients and webhook endpoints), newest first: at most limit, of those before
// the event before (every one when before is 0), so that a listing resumes with its last ID.
// It reads the index on (reference, id).
func (t *Tx) OfficeAuditEvents(ctx context.Context, before int64, limit int) ([]AuditEvent, error) {
	if before <= 0 {
		before = math.MaxInt64
	}
	out, err := t.auditEvents(ctx, `SELECT id, time, actor, action, reference, detail, remote FROM audit_events WHERE reference = '' AND id < $1 ORDER BY id DESC LIMIT $2`, before, limit)
	if err != nil {
		return nil, fmt.Errorf("office audit events: %w", err)
	}
	return out, nil
}

// auditEvents runs query, which selects the columns of audit events in AuditEvent's order,
// and returns the events unpacked.
func (t *Tx) auditEvents(ctx context.Context, query string, args ...any) ([]AuditEvent, error) {
	rows, err := t.query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []AuditEvent
	for rows.Next() {
		var e AuditEvent
		var at int64
		var detail []byte
		if err := rows.Scan(&e.ID, &at, &e.Actor, &e.Action, &e.Reference, &detail, &e.Remote); err != nil {
			return nil, err
		}
		e.Time = time.Unix(0, at).UTC()
		if e.Action, e.Remote, e.Detail, err = unpackEvent(e.Action, e.Remote, detail); err != nil {
			return nil, fmt.Errorf("audit event %d: %w", e.ID, err)
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// AdoptedPolicy is a release policy adopted by the office.
type AdoptedPolicy struct {
	LogIndex  int64
	Digest    string
	Name      string
	Source    []byte
	AdoptedBy int64
	AdoptedAt time.Time
	// ApprovalsBefore and SignaturesBefore are the IDs of the last approval and signature
	// recorded before the adoption (set by AddPolicy): only later ones count under it.
	ApprovalsBefore, SignaturesBefore int64
}

// AddPolicy records a policy adopted by the log entry at p.LogIndex.
func (t *Tx) AddPolicy(ctx context.Context, p *AdoptedPolicy) error {
	err := t.queryRow(ctx, `SELECT (SELECT COALESCE(MAX(id), 0) FROM approvals), (SELECT COALESCE(MAX(id), 0) FROM signatures)`).
		Scan(&p.ApprovalsBefore, &p.SignaturesBefore)
	if err != nil {
		return fmt.Errorf("add policy %s: %w", p.Digest, err)
	}
	_, err = t.exec(ctx, `INSERT INTO policies (log_index, digest, name, source, adopted_by, adopted_at, approvals_before, signatures_before)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
		p.LogIndex, p.Digest, p.Name, p.Source, p.AdoptedBy, ts(p.AdoptedAt), p.ApprovalsBefore, p.SignaturesBefore)
	return conflict(err, "add policy "+p.Digest)
}

// CurrentPolicy returns the policy adopted last.
func (t *Tx) CurrentPolicy(ctx context.Context) (*AdoptedPolicy, error) {
	var p AdoptedPolicy
	var at string
	err := t.queryRow(ctx, `SELECT log_index, digest, name, source, adopted_by, adopted_at, approvals_before, signatures_before
		FROM policies ORDER BY log_index DESC LIMIT 1`).
		Scan(&p.LogIndex, &p.Digest, &p.Name, &p.Source, &p.AdoptedBy, &at, &p.ApprovalsBefore, &p.SignaturesBefore)
	if err != nil {
		return nil, notFound(err, "policy")
	}
	p.AdoptedAt = parseTS(at)
	return &p, nil
}

// SecureDelete, on SQLite, makes the rows the transaction deletes or rewrites from now on
// (on = true), or no longer (false), overwritten with zeros where they lay: otherwise SQLite
// leaves their bytes in their page's free space, and a freed page's in the file, until they
// are reused, which erasure cannot allow. It is a setting of the writer's connection: turn it
// off in the same transaction, since it costs I/O in every later write. The pages as they were
// stay in the WAL until DB.ScrubWAL. On PostgreSQL it does nothing: a deleted row's bytes
// stay in its table's files until VACUUM reuses its space.
func (t *Tx) SecureDelete(ctx context.Context, on bool) error {
	if t.dialect != SQLite {
		return nil
	}
	v := 0
	if on {
		v = 1
	}
	if _, err := t.exec(ctx, fmt.Sprintf("PRAGMA secure_delete = %d", v)); err != nil {
		return fmt.Errorf("secure delete: %w", err)
	}
	return nil
}

// PolicyByDigest returns the policy adopted last whose digest is digest.
func (t *Tx) PolicyByDigest(ctx context.Context, digest string) (*AdoptedPolicy, error) {
	var p AdoptedPolicy
	var at string
	err := t.queryRow(ctx, `SELECT log_index, digest, name, source, adopted_by, adopted_at, approvals_before, signatures_before
		FROM policies WHERE digest = $1 ORDER BY log_index DESC LIMIT 1`, digest).
		Scan(&p.LogIndex, &p.Digest, &p.Name, &p.Source, &p.AdoptedBy, &at, &p.ApprovalsBefore, &p.SignaturesBefore)
	if err != nil {
		return nil, notFound(err, "policy "+digest)
	}
	p.AdoptedAt = parseTS(at)
	return &p, nil
}
