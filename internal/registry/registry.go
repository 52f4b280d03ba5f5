// Package registry is the lifecycle of official letters: offices' members and signer keys,
// letters and their immutable versions, approvals and signatures bound to a version and a
// policy, the release gate, retraction and supersession, draft exports and the audit trail.
//
// Every state change is one store transaction with its audit event; a change that is logged
// (a release, a withdrawal, a key registered or revoked) commits in the same transaction as its
// log entry, through translog.Log.AppendTx. There is no way to produce a released letter but
// Release, and Release refuses unless the policy's decision allows it.
package registry

import (
	"context"
	"crypto"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"github.com/chancery/chancery/internal/convert"
	"github.com/chancery/chancery/internal/cosigned"
	"github.com/chancery/chancery/internal/hsm"
	"github.com/chancery/chancery/internal/i18n"
	"maps"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/chancery/chancery/internal/identify"
	"github.com/chancery/chancery/internal/pdf"
	"github.com/chancery/chancery/internal/policy"
	"github.com/chancery/chancery/internal/script"
	"github.com/chancery/chancery/internal/seal"
	"github.com/chancery/chancery/internal/store"
	"github.com/chancery/chancery/internal/translog"
)

// Roles.
const (
	RoleDrafter  = "drafter"
	RoleReviewer = "reviewer"
	RoleSigner   = "signer"
	RoleRelease  = "release"
	RoleAdmin    = "admin"
)

// Roles lists every role.
var Roles = []string{RoleDrafter, RoleReviewer, RoleSigner, RoleRelease, RoleAdmin}

// Errors that callers (the API, the CLI) branch on.
var (
	ErrUnauthenticated = errors.New("not signed in")
	ErrForbidden       = errors.New("forbidden")
	ErrNotFound        = store.ErrNotFound
	ErrConflict        = store.ErrConflict
	ErrInvalid         = errors.New("invalid request")
	// ErrGone: the letter's content was erased at the office's request.
	ErrGone = errors.New("erased")
	// ErrNotCosigned: the entry is committed, but no checkpoint that the witness quorum
	// cosigned covers it yet; its seal or proof can be had later.
	ErrNotCosigned = cosigned.ErrNotCosigned
	// ErrCatchingUp: another server of the office logged an entry the answer rests on, and
	// this server has not read it yet (it follows the stored log every few milliseconds).
	ErrCatchingUp = errors.New("this server has not yet read the office's latest log entries: try again in a moment")
	// ErrPDFCertificate: the office's PDF signing certificate is not valid at the release's
	// time (expired, or not yet valid): nothing was released, and an administrator must
	// renew it (RenewPDFCertificate).
	ErrPDFCertificate = pdf.ErrCertificateNotValid
	// ErrSigningKey: the office key or the log key is in a token that cannot sign now (gone,
	// or its module failing): nothing was logged, and the same request works once the token
	// is back.
	ErrSigningKey = hsm.ErrUnavailable
	// ErrNotRecorded: the erasure committed, but the record of erased letters outside the
	// database could not be written: a database put back from an older backup would serve
	// the letter again until it is.
	ErrNotRecorded = errors.New("erased, but not recorded outside the database (a database put back from an older backup would serve it again): see the server's log")
)

// catchingUp makes *err, if it asks this server's log for more than it has published,
// ErrCatchingUp: the answer can be had in a moment, from this server or another.
func catchingUp(err *error) {
	if *err != nil && errors.Is(*err, translog.ErrOutOfRange) {
		*err = fmt.Errorf("%w: %w", ErrCatchingUp, *err)
	}
}

// wrapOnce wraps err as fmt.Errorf("what: %w") does, unless its text already begins with
// "what: ": the store names the letter or member it did not find or could not add ("letter
// REF: not found", "add member NAME: conflict"), and the same words twice ("letter REF: letter
// REF: not found") are what the API and the command line would show.
func wrapOnce(what string, err error) error {
	if strings.HasPrefix(err.Error(), what+": ") {
		return err
	}
	return fmt.Errorf("%s: %w", what, err)
}

// GateError is the release gate's refusal, with the policy decision that explains it.
type GateError struct {
	Decision *policy.Decision
	Reasons  []string
}

func (e *GateError) Error() string {
	return "release refused: " + strings.Join(e.Reasons, "; ")
}

// Translate says the refusal in p's language, from the decision its reasons were written from.
func (e *GateError) Translate(p *i18n.Printer) string {
	if e.Decision == nil {
		return p.Text(e.Error())
	}
	var reasons []string
	for _, m := range e.Decision.MissingMessages() {
		reasons = append(reasons, i18n.Msg("missing %s", m).Translate(p))
	}
	for _, n := range e.Decision.NoteMessages() {
		reasons = append(reasons, n.Translate(p))
	}
	return i18n.Msg("release refused: %s", strings.Join(reasons, p.Text("; "))).Translate(p)
}

// Office is the issuing unit this registry serves.
type Office struct {
	Name   string
	Prefix string // reference prefix, e.g. "TFN"
	URL    string // public base URL
	// StampLanguages are the languages of the stamps on its PDFs (footer, draft and preview
	// marks), codes such as "en" or "ar" in the order printed; empty: English alone.
	StampLanguages []string
	// Zone is the office's time zone: its letters' dates (letterhead, footer) and the
	// release dates its answers give are the dates there. Nil: UTC.
	Zone *time.Location
}

// Config configures a Registry.
type Config struct {
	DB     *store.DB
	Log    *translog.Log
	Office Office
	// OfficeKey is the office's current release key: it signs release statements, co-signs
	// withdrawals and signs key registrations. It stays on the server: an ed25519.PrivateKey
	// from a key file, or an *hsm.Key in a token. Whatever it is, Public returns an
	// ed25519.PublicKey, Sign(nil, msg, crypto.Hash(0)) returns the pure Ed25519 signature
	// of msg, and it is safe for concurrent use. Sign may fail (a token removed): the entry
	// it was for is then not logged, and nothing is recorded.
	OfficeKey crypto.Signer
	// OfficeKeys is the office key history that trust roots carry (seal.OfficeKey windows),
	// oldest first, ending with OfficeKey's; nil: OfficeKey alone, never rotated.
	OfficeKeys []seal.OfficeKey
	// DispatchSecret keys message IDs and receipt tokens (datadir.Dir.DispatchSecret). Nil:
	// derived from OfficeKey's seed, as before dispatch.key existed; a key in a token has no
	// seed, so it needs one.
	DispatchSecret []byte
	// LogKey is the log's note verifier key, for the trust root.
	LogKey string
	// LogOrigin is the log's checkpoint origin.
	LogOrigin string
	// Policy is the policy in force until one is adopted (default: the built-in policy).
	// LoadPolicy replaces it with the latest adopted policy in the store.
	Policy *policy.Policy
	// PDFSigner, if set, embeds the office's X.509 signature in released PDFs, so that
	// standard readers show them as signed. The Ed25519 seal stays the primary proof.
	PDFSigner *pdf.Signer
	// Converter, if set, turns Word letters into PDF for release and draft copies; without
	// it they can be drafted and reviewed, but not released or copied.
	Converter *convert.Converter
	// Now returns the current time (default time.Now).
	Now func() time.Time
	// Heads, if set, holds the office's witnesses and the newest checkpoint their quorum
	// cosigned: seals and proofs are built against that checkpoint. Without it, against the
	// log's own latest checkpoint.
	Heads *cosigned.Heads
	// SealWait bounds how long a seal waits for the witness quorum to cosign a checkpoint that
	// covers its entry (default DefaultSealWait). The entry is committed before the wait.
	SealWait time.Duration
	// IdentifyFloor is the least time identifying a text takes for callers who are not
	// members with a role: their answer waits out the rest. Identification reads from the
	// store every released letter that shares a few words with the text, also when it names
	// none of them, so without a floor the time of an answer "matches no released letter"
	// told whether a sentence stood in one. Zero: no floor (office.Open sets
	// DefaultIdentifyFloor).
	IdentifyFloor time.Duration
}

// DefaultSealWait is the default of Config.SealWait.
const DefaultSealWait = 10 * time.Second

// DefaultIdentifyFloor is the floor office.Open sets (Config.IdentifyFloor): several times
// what identifying a letter's text costs (docs/benchmarks.md: 3 to 5 ms), so that reading
// the released letters a short text shares words with (a fraction of a millisecond each)
// does not show.
const DefaultIdentifyFloor = 20 * time.Millisecond

// Registry is the lifecycle service. It is safe for concurrent use.
type Registry struct {
	cfg     Config
	inForce atomic.Pointer[inForce]
	// history is the office key history as last read from the store (LoadOfficeKeys); nil:
	// Config.OfficeKeys.
	history atomic.Pointer[[]seal.OfficeKey]
	trust   atomic.Pointer[trustFile] // the trust root's file last made (TrustRootFile)
	public  publicCache
	shown   shownTexts  // what released PDFs show, read by pdftotext (identify)
	files   sharedFiles // released files being sent (ReleasedFile)
	codes   shownCodes  // the QR codes released PDFs show (identify)
	// relTexts keeps the texts of released files and released versions (identify): every
	// identification that names a letter compares with them.
	relTexts shownTexts
	links    shownCodes      // the addresses of released PDFs' links (identify)
	ident    *identify.Index // text fingerprints of unreleased versions (LoadIdentification)
	// released holds the fingerprints of released versions and released files: the only
	// ones public identification reads, so that drafts never change (or time) its answers.
	released *identify.Index
	texts    textCache // versions' words, for searching letters (ListLetters)
	// forgetting are the functions OnForgetContent gave, called by forgetContent.
	forgetting struct {
		sync.Mutex
		fs []func()
	}
	// keyEntries holds signer keys' logged entries by key ID (see keyEntry).
	keyEntries sync.Map
	// dispatch is how letters leave by mail and webhooks (SetDispatch); nil: they do not.
	dispatch atomic.Pointer[DispatchSettings]
	// onErased is called once an erasure a member asked for has committed (SetOnErased).
	onErased atomic.Pointer[func() error]

	// seen is how far the two indexes follow the fingerprints stored by any server.
	seen fingerprintsSeen
	// tokens caches bearer tokens' members on SQLite (authcache.go).
	tokens tokenCache
	// keyStates keeps the revoked signer keys for lookups (keystates.go).
	keyStates keyStates
	// answers keeps the signer keys' pieces of kept public answers (answer.go).
	answers keptAnswers
	// quorumKeys is what keptSealCosigned reads the witness configuration in force as.
	quorumKeys atomic.Pointer[quorumKeys]
	// checkCodes, set only by this package's tests, gives the check code of the letter
	// released under a reference instead of a random one, so that the scans of a test's
	// letters read the same from run to run (the QR code and the footer print the code).
	checkCodes func(ref string) string
}

// inForce is the policy in force and the adoption that put it there. Only approvals and
// signatures recorded after that adoption count under it (their IDs are above the marks).
type inForce struct {
	pol *policy.Policy
	// logIndex is the adoption's log entry, -1 for the configured policy.
	logIndex                        int64
	approvalsAfter, signaturesAfter int64
}

// New returns a registry.
func New(cfg Config) *Registry {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Policy == nil {
		cfg.Policy = policy.Builtin()
	}
	r := &Registry{cfg: cfg, ident: identify.NewIndex(), released: identify.NewIndex()}
	r.inForce.Store(&inForce{pol: cfg.Policy, logIndex: -1})
	return r
}

// Policy returns the policy in force.
func (r *Registry) Policy() *policy.Policy { return r.inForce.Load().pol }

// Office returns the office.
func (r *Registry) Office() Office { return r.cfg.Office }

// Actor is who asks: a member, or nobody for the public.
type Actor struct {
	Member *store.Member
	Remote string
	// change is the ID of the two-admin change being carried out for the admin Member,
	// who approves it (ApproveChange); 0 otherwise.
	change int64
	// local marks the operator acting on the data directory with the server stopped
	// (RecoverAdmin): no member, so no credential to check again and no second admin to ask.
	local bool
}

func (a Actor) name() string {
	if a.Member == nil {
		return "anonymous"
	}
	return a.Member.Name
}

// require checks that the actor is a member holding one of roles.
func (a Actor) require(roles ...string) error {
	if a.Member == nil {
		return ErrUnauthenticated
	}
	for _, r := range roles {
		if a.Member.HasRole(r) {
			return nil
		}
	}
	return i18n.Errorf(ErrForbidden, "%s needs the %s role", a.Member.Name, strings.Join(roles, " or "))
}

// requireSomeRole checks that the actor is a member holding a role, whichever: the office's
// letters, drafts and released alike, and their audit trails are for members with a role. A
// member whose provider took their last role away is still authenticated by a session or
// token that outlived the change, and reads no more than the public.
func (a Actor) requireSomeRole() error {
	if a.Member == nil {
		return ErrUnauthenticated
	}
	if len(a.Member.Roles) == 0 {
		return i18n.Errorf(ErrForbidden, "%s has no role: the office's letters are for members with a role", a.Member.Name)
	}
	return nil
}

// stillActs checks, in the write transaction tx, that the actor still is what their request
// was authorized as: not disabled, and holding every role they held when it was
// authenticated. A request is authenticated when it arrives and acts when its body is read
// and its transaction runs, up to serve's read timeout (30 seconds) later, which its client
// chooses by sending the body slowly; an admin disabled meanwhile, through this server or
// another on the same database, must not add a member, give a token or a password, adopt a
// policy or change the witnesses. The release (prepareRelease) and a reviewer's decision
// (decide) read their actor again themselves.
func stillActs(ctx context.Context, tx *store.Tx, a Actor) error {
	if a.Member == nil || a.local {
		return nil
	}
	m, err := actingMember(ctx, tx, a.Member)
	if err != nil {
		return err
	}
	if m.Disabled() {
		return i18n.Errorf(ErrForbidden, "%s is disabled", m.Name)
	}
	for _, role := range a.Member.Roles {
		if !m.HasRole(role) {
			return i18n.Errorf(ErrForbidden, "%s no longer holds the %s role", m.Name, role)
		}
	}
	return nil
}

// actingMember reads in tx the member am, authenticated for a request, and refuses
// (ErrUnauthenticated) a request whose credential no longer holds: a token replaced since
// (IssueToken), a session ended (a password set, a new token, a sign-out). Such a request
// was authenticated before the change, and its body may have taken until now to arrive: a
// new token another admin issues answers a leaked one, and whoever held the old one must not
// approve, sign, release or register a key through a request they opened before. A member
// disabled since is returned as read, for the caller to refuse by name.
func actingMember(ctx context.Context, tx *store.Tx, am *store.Member) (*store.Member, error) {
	held := true
	switch {
	case am.TokenHash != nil:
		m, err := tx.MemberByToken(ctx, am.TokenHash)
		if err == nil && m.ID == am.ID {
			return m, nil
		}
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return nil, err
		}
		held = false
	case am.SessionHash != nil:
		s, err := tx.SessionByHash(ctx, am.SessionHash)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return nil, err
		}
		held = err == nil && s.MemberID == am.ID
	}
	m, err := tx.MemberByID(ctx, am.ID)
	if err != nil {
		return nil, err
	}
	if !held && !m.Disabled() {
		return nil, ErrUnauthenticated
	}
	return m, nil
}

func (r *Registry) now() time.Time { return r.cfg.Now().UTC().Truncate(time.Second) }

// witnessedNow is the clock's time, or the time the office's witness quorum vouches has come
// if that is later: the quorum-th newest cosignature time of the newest cosigned checkpoint.
// A server whose clock was stepped back cannot make approvals or sessions look younger than
// the witnesses, independent clocks, say they are (as far as the log's latest cosigning
// tells). Without witnesses it is the clock's.
func (r *Registry) witnessedNow() time.Time {
	now := r.cfg.Now().UTC()
	if r.cfg.Heads == nil {
		return now
	}
	q, h := r.cfg.Heads.Quorum(), r.cfg.Heads.Head()
	if q < 1 || h == nil || len(h.Cosignatures) < q {
		return now
	}
	ts := make([]time.Time, len(h.Cosignatures))
	for i, c := range h.Cosignatures {
		ts[i] = c.At
	}
	slices.SortFunc(ts, func(a, b time.Time) int { return b.Compare(a) })
	return later(now, ts[q-1].UTC())
}

// audit appends an audit event in tx.
func (r *Registry) audit(ctx context.Context, tx *store.Tx, a Actor, action, ref, detail string) error {
	return tx.AddAuditEvent(ctx, store.AuditEvent{Time: r.cfg.Now().UTC(), Actor: a.name(), Action: action, Reference: ref, Detail: detail, Remote: a.Remote})
}

// NewToken returns a fresh bearer token and its stored hash.
func NewToken() (string, []byte) {
	b := make([]byte, 32)
	rand.Read(b)
	tok := "chy_" + base64.RawURLEncoding.EncodeToString(b)
	return tok, HashToken(tok)
}

// HashToken is how tokens are stored: SHA-256, so a database leak reveals no usable token.
func HashToken(tok string) []byte {
	h := sha256.Sum256([]byte(tok))
	return h[:]
}

// Authenticate returns the member a bearer token belongs to.
func (r *Registry) Authenticate(ctx context.Context, token string) (*store.Member, error) {
	if strings.HasPrefix(token, cliPrefix) {
		return r.cliSessionMember(ctx, token)
	}
	if !strings.HasPrefix(token, "chy_") {
		return nil, ErrUnauthenticated
	}
	hash := HashToken(token)
	cache := r.cfg.DB.Dialect() == store.SQLite
	version := r.cfg.DB.MembersVersion()
	if cache {
		if m, ok := r.tokens.get(hash, version); ok {
			m.TokenHash = hash
			return m, nil
		}
	}
	m, err := r.cfg.DB.MemberByToken(ctx, hash)
	if errors.Is(err, store.ErrNotFound) || err == nil && m.Disabled() {
		return nil, ErrUnauthenticated
	}
	if err != nil {
		return nil, err
	}
	if cache {
		r.tokens.put(hash, version, m)
	}
	m.TokenHash = hash
	return m, nil
}

// AddMember adds a member and returns their token, shown once. Only an admin may, except
// for the first member (the bootstrap admin), which `chancery init` creates.
func (r *Registry) AddMember(ctx context.Context, a Actor, name string, roles []string) (string, error) {
	if err := a.require(RoleAdmin); err != nil {
		return "", err
	}
	if r.twoAdmins(ctx, a) {
		name, err := r.checkNewMember(name, roles)
		if err != nil {
			return "", err
		}
		return "", r.propose(ctx, a, ChangeAddMember, name, changeDetail{Roles: roles})
	}
	return r.addMember(ctx, a, name, roles)
}

// Bootstrap creates the first admin member. It fails if any member exists.
func (r *Registry) Bootstrap(ctx context.Context, name string) (string, error) {
	return r.addMember(ctx, Actor{Remote: "init"}, name, []string{RoleAdmin})
}

// ReissueBootstrap gives the first admin, name, a new token and returns it, shown once, for an
// init that made them but stopped before their token reached the operator (office.Init): the
// token it made stops working, as an admin's new token ends the old one's (IssueToken). It
// refuses, with ErrConflict, unless name is the office's only member, an active admin: once
// the admin has added anyone, their token evidently arrived.
func (r *Registry) ReissueBootstrap(ctx context.Context, name string) (string, error) {
	name = nfc(name)
	tok, hash := NewToken()
	a := Actor{Remote: "init"}
	err := r.cfg.DB.Update(ctx, func(tx *store.Tx) error {
		ms, err := tx.Members(ctx)
		if err != nil {
			return err
		}
		if len(ms) != 1 || ms[0].Name != name || !ms[0].HasRole(RoleAdmin) || ms[0].Disabled() {
			// Said only to the operator running init, never on a web page.
			return fmt.Errorf("%w: the office's members are not its first admin %s alone", ErrConflict, name)
		}
		if err := tx.SetMemberToken(ctx, ms[0].ID, hash); err != nil {
			return err
		}
		if _, err := endCredentials(ctx, tx, &ms[0]); err != nil {
			return err
		}
		return r.audit(ctx, tx, a, "member.token", "", name+", the token of an unfinished init replaced")
	})
	if err != nil {
		return "", fmt.Errorf("issue a token for %s: %w", name, err)
	}
	return tok, nil
}

// checkNewMember returns name in NFC, as member names are stored, or refuses a name or
// roles no new member can have.
func (r *Registry) checkNewMember(name string, roles []string) (string, error) {
	name = nfc(name)
	if err := checkMemberName(name); err != nil {
		return "", err
	}
	if len(roles) == 0 {
		return "", i18n.Errorf(ErrInvalid, "a member needs at least one role (%s)", strings.Join(Roles, ", "))
	}
	return name, r.checkRoles(roles)
}

func (r *Registry) addMember(ctx context.Context, a Actor, name string, roles []string) (string, error) {
	name, err := r.checkNewMember(name, roles)
	if err != nil {
		return "", err
	}
	tok, hash := NewToken()
	err = r.cfg.DB.Update(ctx, func(tx *store.Tx) error {
		if err := stillActs(ctx, tx, a); err != nil {
			return err
		}
		if a.Member == nil {
			// Bootstrap: only into an empty registry.
			if _, err := tx.MemberByID(ctx, 1); err == nil {
				return i18n.Errorf(ErrConflict, "the registry already has members")
			}
		} else if err := r.takeChange(ctx, tx, a, ChangeAddMember, name, changeDetail{Roles: roles}); err != nil {
			return err
		}
		if err := checkLookAlikeMember(ctx, tx, name); err != nil {
			return err
		}
		if err := r.checkLookAlikeGroupName(ctx, tx, name); err != nil {
			return err
		}
		if _, err := tx.AddMember(ctx, name, roles, hash, r.now()); err != nil {
			return err
		}
		return r.audit(ctx, tx, a, "member.add", "", fmt.Sprintf("%s (%s)", name, strings.Join(roles, ",")))
	})
	if err != nil {
		return "", wrapOnce("add member "+name, err)
	}
	return tok, nil
}

// CheckMemberName refuses a name no member can have, so that init checks its admin's name
// before it writes anything.
func CheckMemberName(name string) error { return checkMemberName(name) }

// CheckOfficeName returns the office's name as init is given it, in NFC as member names are
// stored, or refuses it. The name heads and footers every released letter and is signed into
// every seal and the trust root, so it is held to what a class or a tag is (checkLabel: one
// line of at most 200 bytes, no control, format or invisible character such as a
// bidirectional override or a zero-width space, no space at either end) and more: a letter,
// digit or sign to read, no space other than U+0020 (verifiers refuse a trust root whose
// office name has one), and characters the fonts draw, short enough for the footer's line
// with a reference of prefix (pdf.CheckOffice).
func CheckOfficeName(name, prefix string) (string, error) {
	name = nfc(name)
	if err := checkLabel("office name", name, 200); err != nil {
		return "", err
	}
	if !strings.ContainsFunc(name, func(c rune) bool { return unicode.In(c, unicode.L, unicode.N, unicode.P, unicode.S) }) {
		return "", i18n.Errorf(ErrInvalid, "office name %q has no letter, digit or sign to read", name)
	}
	if i := strings.IndexRune(name, script.NonJoiner); i >= 0 {
		return "", i18n.Errorf(ErrInvalid, "office name %q contains a zero-width non-joiner at byte %d, which verifiers refuse in a trust root: type the name without it", name, i)
	}
	for i, c := range name {
		if c != ' ' && unicode.Is(unicode.Zs, c) {
			return "", i18n.Errorf(ErrInvalid, "office name %q contains the space %U at byte %d, which verifiers refuse in a trust root: type an ordinary space instead", name, c, i)
		}
	}
	// A run of spaces reads as one on the letterhead and in the footer, and a mark with no
	// letter before it is drawn over nothing: either makes a name that looks like another.
	if i := strings.Index(name, "  "); i >= 0 {
		return "", i18n.Errorf(ErrInvalid, "office name %q has two spaces in a row at byte %d: type one", name, i)
	}
	if c, _ := utf8.DecodeRuneInString(name); unicode.Is(unicode.M, c) {
		return "", i18n.Errorf(ErrInvalid, "office name %q begins with a combining mark (%U): type the letter it belongs to first", name, c)
	}
	if err := pdf.CheckOffice(name, prefix); errors.Is(err, pdf.ErrNoFonts) {
		return "", err
	} else if err != nil {
		return "", i18n.Errorf(ErrInvalid, "%v", err)
	}
	return name, nil
}

// checkLookAlikeMember refuses a new member's name that a reader could take for another
// member's (lookalike.Skeleton): release statements, the log's key entries, the audit trail and
// the pages name members by their name alone, so the approvals and signatures of a member
// named "r\u0456ta" (Cyrillic i) or "Rita" would read as rita's. Writers are serialized (the
// store's writer lock), so two look-alikes added at once cannot both pass.
func checkLookAlikeMember(ctx context.Context, tx *store.Tx, name string) error {
	ms, err := tx.Members(ctx)
	if err != nil {
		return err
	}
	names := make([]string, len(ms))
	for i, m := range ms {
		names[i] = m.Name
	}
	if other := lookAlike(name, names); other != "" {
		return i18n.Errorf(ErrConflict, "member name %q looks like the name of the member %q: choose a name that cannot be mistaken for it", name, other)
	}
	return nil
}

// checkLookAlikeGroupName refuses a new member name that reads as a name a group of the
// policy in force lists without being it ("Carol" or "\u0441arol" beside the listed "carol"):
// the group would never count that member, and the name it lists could then never be a
// member's, since it reads as theirs (checkLookAlikeMember). The adoption of a policy refuses
// the same pair the other way round (checkGroupNames).
func (r *Registry) checkLookAlikeGroupName(ctx context.Context, tx *store.Tx, name string) error {
	p, err := r.policyRead(ctx, tx)
	if err != nil {
		return err
	}
	groups := p.Groups()
	for _, g := range slices.Sorted(maps.Keys(groups)) {
		if other := lookAlike(name, groups[g]); other != "" && !slices.Contains(groups[g], name) {
			return i18n.Errorf(ErrConflict, "member name %q reads as %q, whom group %s of the policy in force lists: the group would never count this member; choose the name as the policy writes it, or one that cannot be mistaken for it", name, other, g)
		}
	}
	return nil
}

// policyRead returns the policy in force this server holds, or refuses (ErrConflict) when it
// is not the one in force in tx: another server adopted one that this server reads within a
// second (office.Open follows the log), and what is checked against the policy here would be
// checked against the one before it.
func (r *Registry) policyRead(ctx context.Context, tx *store.Tx) (*policy.Policy, error) {
	epoch := r.inForce.Load()
	cur, err := tx.CurrentPolicy(ctx)
	if errors.Is(err, store.ErrNotFound) {
		return epoch.pol, nil
	}
	if err != nil {
		return nil, err
	}
	if cur.LogIndex != epoch.logIndex {
		return nil, i18n.Errorf(ErrConflict, "a policy was adopted that this server has not read yet: try again in a few seconds")
	}
	return epoch.pol, nil
}

// checkMemberName is checkName for a member, whose name is also printed: on the released
// letter among its signatories and on the line of every draft copy they export. A name the
// fonts cannot draw made each letter its holder signed fail at release, after its approvals
// and signatures, and each copy they exported fail; it is refused now, as a subject is.
func checkMemberName(name string) error {
	if err := checkName("member name", name); err != nil {
		return err
	}
	if err := pdf.CheckText("member name", name); err != nil {
		return i18n.Errorf(ErrInvalid, "%v", err)
	}
	return nil
}

// checkName checks the name of a member, a recipient or a webhook (what: "member name",
// "recipient name", "webhook name"), which errors call it by.
func checkName(what, name string) error {
	if name == "" || len(name) > 64 || strings.ContainsAny(name, " ,\t\n/") {
		return i18n.Errorf(ErrInvalid, "%s %q must be 1 to 64 characters without spaces, commas or slashes", i18n.Msg(what), name)
	}
	// A name is a path segment of its addresses (/admin/members/NAME/…,
	// /api/v1/recipients/NAME), where browsers and the server's router resolve "." and "..":
	// no form could reach them.
	if name == "." || name == ".." {
		return i18n.Errorf(ErrInvalid, "%s %q is not a name: it cannot be part of an address", i18n.Msg(what), name)
	}
	return checkChars(what, name, false)
}
