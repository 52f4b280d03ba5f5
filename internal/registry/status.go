package registry

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/chancery/chancery/internal/checkpoint"
	"github.com/chancery/chancery/internal/entry"
	"github.com/chancery/chancery/internal/metrics"
	"github.com/chancery/chancery/internal/seal"
	"github.com/chancery/chancery/internal/store"
)

// Verification outcomes, as the CLI's exit status and the API's outcome field name them.
const (
	Valid      = "valid"
	Retracted  = "retracted"
	Superseded = "superseded"
	Draft      = "draft"
	Unknown    = "unknown"
	Invalid    = "invalid"
)

// Status is the public answer about a letter or a file. Seal and Withdrawal carry the signed,
// logged evidence, so a client need not take the registry's word for valid, retracted or
// superseded.
type Status struct {
	Outcome      string     `json:"outcome"`
	Reference    string     `json:"reference,omitempty"`
	Office       string     `json:"office"`
	Subject      string     `json:"subject,omitempty"`
	Class        string     `json:"class,omitempty"`
	Signers      []string   `json:"signers,omitempty"`
	ReleasedAt   *time.Time `json:"released_at,omitempty"`
	LogIndex     *int64     `json:"log_index,omitempty"`
	FileDigest   string     `json:"file_digest,omitempty"`
	Reason       string     `json:"reason,omitempty"`
	SupersededBy string     `json:"superseded_by,omitempty"`
	Message      string     `json:"message"`
	// Seal proves the release (for valid, retracted and superseded). For a letter that
	// stands, it is the kept seal, against the first checkpoint that included the release.
	Seal *seal.Seal `json:"-"`
	// SealJSON, when set, is Seal's file form as kept: answers write it as it is.
	SealJSON []byte `json:"-"`
	// Withdrawal is the logged retraction or supersession entry, with its inclusion proof in the
	// seal's checkpoint.
	Withdrawal *seal.LoggedEntry `json:"withdrawal,omitempty"`
	// WithdrawalKey is the key-added entry of the signer key that signed the withdrawal, with
	// its opening and inclusion proof in the seal's checkpoint, so that a verifier can check
	// the member's signature on the withdrawal's envelope, not only the office's. Absent for
	// an erased letter and from registries that predate it.
	WithdrawalKey *seal.LoggedEntry `json:"withdrawal_key,omitempty"`
	// Revocations are the key-revoked entries of the keys that signed the letter, with their
	// inclusion proofs in the seal's checkpoint: a verifier refuses a letter signed with a key
	// revoked before its release, and says when a key was revoked after it. A version 2 entry
	// comes without its opening: the record's key ID and time are what a verifier needs, and
	// the statement holds the revocation's reason, which is not the holder's to read.
	Revocations []seal.LoggedEntry `json:"revocations,omitempty"`
	// Draft tells members with a role which draft, version and export the file is.
	Draft *DraftInfo `json:"draft,omitempty"`
	// Erased says that the letter's content was erased at the office's request: the release
	// stands in the log, but nothing of what it said can be shown.
	Erased bool `json:"erased,omitempty"`
	// EnclosedBy names the released letter that encloses the file (an outcome unknown): the
	// file is that letter's version byte for byte, a type the release attached to a cover
	// letter, which the letter's PDF and its seal vouch for. Its holder holds the content, so
	// the reference and the letter's state are told, nothing else.
	EnclosedBy *EnclosedBy `json:"enclosed_by,omitempty"`
	// Holder says that the answer is for a holder of the letter (by its digest or its check
	// code), who may fetch the released file and its seal.
	Holder bool `json:"-"`
	// checkCode is the hash of the letter's check code, for answers by reference.
	checkCode []byte
	// publicOf is what the public is told by reference (cached with the holder's answer).
	publicOf *Status
	// shared is set when the answer is cached: later lookups return this same Status.
	shared bool
}

// Shared reports whether st is a cached answer, which later lookups return again, the same
// pointer, until the registry changes: what a caller derives from it (its encoding) may be
// kept with it. An answer that is not shared is given once.
func (st *Status) Shared() bool { return st.shared }

// EnclosedBy is the released letter that encloses a file, and its state: valid (in force),
// retracted or superseded.
type EnclosedBy struct {
	Reference string `json:"reference"`
	State     string `json:"state"`
}

// enclosedStates are the words for an enclosing letter's state in the answer's message.
var enclosedStates = map[string]string{Valid: "in force", Retracted: "retracted", Superseded: "superseded"}

// EnclosedMessage is the message for a file a released letter encloses.
const EnclosedMessage = "unknown: this file is what released letter %s of this office encloses (the letter is %s): the letter's PDF, verified with its seal, is what vouches for it"

// DraftInfo identifies a draft for members.
type DraftInfo struct {
	Reference string       `json:"reference"`
	Version   int          `json:"version"`
	Exports   []ExportInfo `json:"exports"`
}

// ExportInfo is one recorded export.
type ExportInfo struct {
	Recipient string    `json:"recipient"`
	By        string    `json:"by"`
	At        time.Time `json:"at"`
}

const notOfficial = "not an official document: this file is not a released letter of this office"

// VerifyDigest answers what the file with this digest is. The public learns only that a draft
// is not a released letter; members see which draft and export it is. Public answers are
// cached (see publicCache) and shared: callers must not modify the Status.
func (r *Registry) VerifyDigest(ctx context.Context, a Actor, digest seal.Digest) (_ *Status, err error) {
	defer catchingUp(&err)
	public := a.Member == nil || len(a.Member.Roles) == 0
	if !public || !r.cachesAnswers() {
		return answered(r.verifyDigest(ctx, a, digest))
	}
	key := "digest " + string(digest)
	if st := r.public.get(key); st != nil {
		return answered(st, nil)
	}
	gen := r.public.generation()
	st, err := r.verifyDigest(ctx, a, digest)
	if err == nil {
		r.public.put(key, gen, st)
	}
	return answered(st, err)
}

// answered counts a verification answer by its outcome (package metrics) and passes it on.
func answered(st *Status, err error) (*Status, error) {
	if err == nil {
		metrics.VerifyAnswer(st.Outcome)
	}
	return st, err
}

func (r *Registry) verifyDigest(ctx context.Context, a Actor, digest seal.Digest) (*Status, error) {
	st := &Status{Office: r.cfg.Office.Name}
	lk, keys, err := r.lookup(ctx, false, string(digest))
	if err == nil {
		st.Holder = true
		if err := r.answerRelease(ctx, lk, keys, st); err != nil {
			return nil, fmt.Errorf("verify %s: %w", digest, err)
		}
		return st, nil
	}
	if !errors.Is(err, store.ErrNotFound) {
		return nil, fmt.Errorf("verify %s: %w", digest, err)
	}
	err = r.cfg.DB.View(ctx, func(tx *store.Tx) error {
		// The public is told only whether a draft has these bytes: asked, not read, however
		// many letters or copies a drafter makes of one file.
		held, err := tx.HeldByDigest(ctx, string(digest))
		if err != nil {
			return err
		}
		if !held.Version && !held.Export {
			st.Outcome, st.Message = Unknown, "unknown: no letter of this office has these exact bytes"
			return nil
		}
		if held.ReleasedVersion {
			v, err := tx.ReleasedVersionByDigest(ctx, string(digest))
			if err != nil {
				return err
			}
			if isEnclosure(v.MediaType) {
				l, err := tx.LetterByID(ctx, v.LetterID)
				if err != nil {
					return err
				}
				st.Outcome, st.EnclosedBy = Unknown, &EnclosedBy{Reference: l.Reference}
				return nil
			}
		}
		st.Outcome, st.Message = Draft, notOfficial
		if a.Member == nil || len(a.Member.Roles) == 0 {
			return nil
		}
		info := &DraftInfo{}
		if held.Version {
			v, err := tx.FirstVersionByDigest(ctx, string(digest))
			if err != nil {
				return err
			}
			l, err := tx.LetterByID(ctx, v.LetterID)
			if err != nil {
				return err
			}
			info.Reference, info.Version = l.Reference, v.N
		}
		exps, err := tx.DraftExportsByDigest(ctx, string(digest))
		if err != nil {
			return err
		}
		names := map[int64]string{} // the copies of one file are mostly one member's
		for _, e := range exps {
			name, ok := names[e.MemberID]
			if !ok {
				m, err := tx.MemberByID(ctx, e.MemberID)
				if err != nil {
					return err
				}
				name, names[e.MemberID] = m.Name, m.Name
			}
			if info.Reference == "" {
				l, err := tx.LetterByID(ctx, e.LetterID)
				if err != nil {
					return err
				}
				info.Reference, info.Version = l.Reference, e.VersionN
			}
			info.Exports = append(info.Exports, ExportInfo{Recipient: e.Recipient, By: name, At: e.CreatedAt})
		}
		st.Draft = info
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("verify %s: %w", digest, err)
	}
	if st.EnclosedBy != nil {
		// The letter's state, as its reference tells the public.
		public, _, err := r.publicStatus(ctx, st.EnclosedBy.Reference)
		if err != nil {
			return nil, fmt.Errorf("verify %s: %w", digest, err)
		}
		word, ok := enclosedStates[public.Outcome]
		if !ok {
			// Not a state a released letter is told in (none is known to reach here): the
			// file is told as an enclosure, without a letter or a state to misread.
			st.EnclosedBy, st.Message = nil, "unknown: this file is what a released letter of this office encloses: the letter's PDF, verified with its seal, is what vouches for it"
			return st, nil
		}
		st.EnclosedBy.State = public.Outcome
		st.Message = fmt.Sprintf(EnclosedMessage, st.EnclosedBy.Reference, word)
	}
	return st, nil
}

// StatusOf answers the public for a reference typed in (/v/{ref}): a reference alone says no
// more than that a released letter with it exists and whether it stands, and nothing of
// drafts. Answers are cached and shared: callers must not modify the Status.
func (r *Registry) StatusOf(ctx context.Context, ref string) (_ *Status, err error) {
	defer catchingUp(&err)
	public, _, err := r.publicStatus(ctx, ref)
	return answered(public, err)
}

// StatusWithCode answers for a reference and the check code printed beside it (the QR code's
// /v/{ref}/{code}): with the right code, everything a holder of the letter sees, as for its
// digest; with a wrong one, exactly what StatusOf says, and ok false. Answers are shared:
// callers must not modify the Status.
func (r *Registry) StatusWithCode(ctx context.Context, ref, code string) (st *Status, ok bool, err error) {
	public, checkCode, err := r.publicStatus(ctx, ref)
	if err != nil {
		return nil, false, err
	}
	if !checkCodeMatches(checkCode, code) {
		metrics.VerifyAnswer(public.Outcome)
		return public, false, nil
	}
	full, err := r.holderStatus(ctx, ref)
	if err != nil {
		return nil, false, err
	}
	metrics.VerifyAnswer(full.holder.Outcome)
	return full.holder, true, nil
}

// statusFor is the answer for ref to a holder of the letter (holder true: its details, seal
// and proofs) or to the public (what a reference alone tells).
func (r *Registry) statusFor(ctx context.Context, ref string, holder bool) (*Status, error) {
	if !holder {
		public, _, err := r.publicStatus(ctx, ref)
		return public, err
	}
	full, err := r.holderStatus(ctx, ref)
	if err != nil {
		return nil, err
	}
	return full.holder, nil
}

// publicStatus returns what a reference alone tells the public (publicAnswer), and the hash of
// the letter's check code (nil if none). It is read from the stored state alone, never waiting
// for a seal or proofs: the holder's answer waits, when witnesses are configured, until their
// quorum cosigned every entry it proves (the release, a withdrawal, a revocation of a signer's
// key), and the public answer must not: a revoked key's letters, and only they, would answer
// late or 503 until the revocation is cosigned, telling anyone who asks by reference which
// letters that key signed. The answer is the same whether or not the letter's entries are
// cosigned yet.
func (r *Registry) publicStatus(ctx context.Context, ref string) (*Status, []byte, error) {
	ref = canonicalReference(ref)
	cache := r.cachesAnswers()
	if cache {
		if st := r.public.get("reference " + ref); st != nil {
			return st.publicOf, st.checkCode, nil
		}
		if st := r.public.get("public " + ref); st != nil {
			return st.publicOf, st.checkCode, nil
		}
	}
	gen := r.public.generation()
	st, err := r.statusOf(ctx, ref, false)
	if err != nil {
		return nil, nil, err
	}
	st.publicOf = publicAnswer(st)
	if cache {
		r.public.put("public "+ref, gen, st)
	}
	return st.publicOf, st.checkCode, nil
}

// MemberStatus answers a member with a role for a reference as a holder would be answered.
func (r *Registry) MemberStatus(ctx context.Context, a Actor, ref string) (*Status, error) {
	if err := a.requireSomeRole(); err != nil {
		return nil, err
	}
	full, err := r.holderStatus(ctx, ref)
	if err != nil {
		return nil, err
	}
	return answered(full.holder, nil)
}

// refStatus is the cached answer for a reference: the public one and the holder's.
type refStatus struct {
	public, holder *Status
}

func (r *Registry) holderStatus(ctx context.Context, ref string) (*refStatus, error) {
	ref = canonicalReference(ref)
	key := "reference " + ref
	cache := r.cachesAnswers()
	if cache {
		if st := r.public.get(key); st != nil {
			return &refStatus{public: st.publicOf, holder: st}, nil
		}
	}
	gen := r.public.generation()
	st, err := r.statusOf(ctx, ref, true)
	if err != nil {
		return nil, err
	}
	st.Holder = st.Outcome != Unknown
	st.publicOf = publicAnswer(st)
	if cache {
		r.public.put(key, gen, st)
	}
	return &refStatus{public: st.publicOf, holder: st}, nil
}

// cachesAnswers reports whether public answers are cached. The cache is voided by this
// process's changes only, so it is used on SQLite, where serve's lock makes this process the
// only writer, and not on PostgreSQL, where another server's retraction, supersession or key
// revocation would leave a cached "valid" standing.
func (r *Registry) cachesAnswers() bool { return r.cfg.DB.Dialect() == store.SQLite }

// publicAnswer is what a reference alone may tell: that a letter with this reference was
// released and whether it stands.
func publicAnswer(st *Status) *Status {
	p := &Status{Outcome: st.Outcome, Reference: st.Reference, Office: st.Office}
	switch st.Outcome {
	case Valid:
		p.Message = "a letter with this reference was released by " + st.Office + " and stands. Only the holder of the letter can check it: drop the file, paste its text, or scan its QR code"
	case Retracted, Superseded:
		p.Message = "a letter with this reference was released by " + st.Office + " and has been withdrawn (" + st.Outcome + "). The holder of the letter sees the signed reason by checking the letter itself"
	default:
		p.Outcome, p.Message = Unknown, st.Message
	}
	return p
}

// statusOf answers for ref as its holder would be answered; without evidence, only its
// outcome (what publicAnswer needs), read from the stored state.
func (r *Registry) statusOf(ctx context.Context, ref string, evidence bool) (*Status, error) {
	st := &Status{Office: r.cfg.Office.Name, Reference: ref}
	lk, keys, err := r.lookup(ctx, true, ref)
	if errors.Is(err, store.ErrNotFound) {
		// The public must not learn what drafts exist: an unreleased reference and one never
		// used get the same answer.
		st.Outcome, st.Message = Unknown, "unknown: no released letter of this office has this reference"
		return st, nil
	}
	if err == nil {
		st.checkCode = lk.Release.CheckCodeHash
		if evidence {
			err = r.answerRelease(ctx, lk, keys, st)
		} else {
			_, _, err = r.releaseOutcome(lk, st)
		}
	}
	if err != nil {
		return nil, fmt.Errorf("status of %s: %w", ref, err)
	}
	return st, nil
}

// releaseStatement returns the statement of a release and its opening (nil for a version 1
// entry): the statement is nil when the entry's opening was erased.
func releaseStatement(ctx context.Context, tx *store.Tx, rel *store.Release) (*seal.ReleaseStatement, *seal.Opening, error) {
	d, err := entry.Decode(rel.Entry)
	if err != nil {
		return nil, nil, err
	}
	var o *seal.Opening
	if d.V() != entry.V1 {
		if o, err = opening(ctx, tx, rel.LogIndex); err != nil {
			return nil, nil, err
		}
	}
	return openRelease(d, o)
}

// openRelease returns the statement of the decoded release entry d, whose stored opening is o
// (nil if it has none), and the opening the answer gives: nil for a version 1 entry. The
// statement is nil when a version 2 entry's opening was erased.
func openRelease(d *entry.Entry, o *seal.Opening) (*seal.ReleaseStatement, *seal.Opening, error) {
	if d.V() == entry.V1 {
		var stmt seal.ReleaseStatement
		if err := seal.Unmarshal(d.Envelope.Payload, &stmt); err != nil {
			return nil, nil, err
		}
		return &stmt, nil, nil
	}
	if o == nil {
		return nil, nil, nil
	}
	st, err := seal.Open(d, o)
	if err != nil {
		return nil, nil, err
	}
	return st.(*seal.ReleaseStatement), o, nil
}

// lookup reads a released letter, by reference or by its file's digest, with one statement
// (store.LookupRelease), and the revoked keys at the count that statement saw. When the count
// is not the one the key states were read at (a key was revoked since, by any server, or this
// is the first lookup), the letter and the key states are read again together, in one
// snapshot, and kept: no answer is ever given with key states other than its snapshot's.
// A seal kept in the letter's answer (keptseals.go) is read from there, after the statement.
func (r *Registry) lookup(ctx context.Context, byRef bool, key string) (*store.ReleaseLookup, *revokedKeys, error) {
	var lk *store.ReleaseLookup
	var err error
	if byRef {
		lk, err = r.cfg.DB.LookupReleaseOf(ctx, key)
	} else {
		lk, err = r.cfg.DB.LookupRelease(ctx, key)
	}
	if err != nil {
		return nil, nil, err
	}
	if keys := r.keyStates.at(lk.RevokedKeys); keys != nil {
		return lk, keys, r.sealFromAnswer(ctx, lk)
	}
	var revoked []store.RevokedKey
	err = r.cfg.DB.View(ctx, func(tx *store.Tx) error {
		var err error
		if byRef {
			lk, err = tx.LookupReleaseOf(ctx, key)
		} else {
			lk, err = tx.LookupRelease(ctx, key)
		}
		if err != nil {
			return err
		}
		revoked, err = tx.RevokedKeys(ctx)
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	if int64(len(revoked)) != lk.RevokedKeys {
		return nil, nil, fmt.Errorf("%d revoked keys read, %d counted in the same snapshot", len(revoked), lk.RevokedKeys)
	}
	return lk, r.keyStates.put(lk.RevokedKeys, revoked), r.sealFromAnswer(ctx, lk)
}

// answerRelease fills st for the released letter lk, whose signers' key states are keys, with
// its evidence: the kept seal for a letter that stands, signed by keys in force; otherwise a
// seal and inclusion proofs against one checkpoint (attachEvidence).
func (r *Registry) answerRelease(ctx context.Context, lk *store.ReleaseLookup, keys *revokedKeys, st *Status) error {
	stmt, o, err := r.releaseOutcome(lk, st)
	if err != nil {
		return err
	}
	ev := &proofs{}
	if stmt != nil {
		for _, id := range seal.SignerKeys(stmt) {
			if k, ok := keys.byID[id]; ok {
				ev.revocations = append(ev.revocations, k)
			}
		}
		if st.Withdrawal == nil && len(ev.revocations) == 0 && lk.Seal != nil {
			if r.keptSealCosigned(lk.Seal.Checkpoint) {
				ev.kept = lk.Seal
			} else {
				ev.uncosigned = true
			}
		}
	}
	return r.attachEvidence(ctx, &lk.Release, stmt, o, st, ev)
}

// releaseOutcome fills in st what the stored state of the release lk tells (its details,
// outcome and withdrawal), and returns its statement and opening (nil when erased).
func (r *Registry) releaseOutcome(lk *store.ReleaseLookup, st *Status) (*seal.ReleaseStatement, *seal.Opening, error) {
	rel := &lk.Release
	d, err := entry.Decode(rel.Entry)
	if err != nil {
		return nil, nil, err
	}
	var o *seal.Opening
	if d.V() != entry.V1 && lk.Salt != nil {
		o = &seal.Opening{Salt: lk.Salt, Statement: lk.Statement}
	}
	stmt, o, err := openRelease(d, o)
	if err != nil {
		return nil, nil, err
	}
	at, idx := rel.ReleasedAt.UTC(), rel.LogIndex
	st.ReleasedAt, st.LogIndex, st.FileDigest = &at, &idx, rel.FileDigest
	if stmt == nil {
		st.Erased = true
		st.Outcome, st.Message = Valid, fmt.Sprintf("valid: released by %s on %s (log entry %d); its content was erased at the office's request", st.Office, r.day(at), idx)
	} else {
		st.Reference, st.Subject, st.Class = stmt.Reference, stmt.Subject, stmt.Class
		st.Signers = signerNames(stmt)
		at = stmt.ReleasedAt
		st.ReleasedAt = &at
		st.Outcome, st.Message = Valid, validMessage(stmt.Office, r.day(at), st.Signers)
	}
	if w := lk.Withdrawal; w != nil {
		var wo *seal.Opening
		if lk.WithdrawalSalt != nil {
			wo = &seal.Opening{Salt: lk.WithdrawalSalt, Statement: lk.WithdrawalStatement}
		}
		st.Reason = w.Reason
		st.Withdrawal = &seal.LoggedEntry{Index: w.LogIndex, Entry: w.Entry, Opening: wo}
		switch {
		case w.Kind == Retraction:
			st.Outcome, st.Message = Retracted, "retracted: "+w.Reason
			// A retraction logged after the erasure keeps its reason: only one logged before
			// lost it with the letter's content.
			if st.Erased && w.Reason == "" {
				st.Message = "retracted (the reason was erased with the letter's content)"
			}
		case st.Erased:
			st.Outcome, st.Message = Superseded, "superseded"
		default:
			st.Outcome, st.SupersededBy = Superseded, lk.SupersededBy
			st.Message = fmt.Sprintf("superseded by %s: %s", lk.SupersededBy, w.Reason)
		}
	}
	return stmt, o, nil
}

// attachEvidence adds the seal and the withdrawal's inclusion proof, against one checkpoint.
// An erased letter has no seal to give: its opening is gone.
func (r *Registry) attachEvidence(ctx context.Context, rel *store.Release, stmt *seal.ReleaseStatement, o *seal.Opening, st *Status, ev *proofs) error {
	if stmt == nil {
		return nil
	}
	revs := ev.revocations
	for i := range revs {
		e, err := r.cfg.Log.Entry(ctx, revs[i].Index)
		if err != nil {
			return err
		}
		revs[i].Entry = e
	}
	// A letter that stands, signed by keys still in force, is answered with its kept seal:
	// nothing logged since changes what it proves.
	if st.Withdrawal == nil && len(revs) == 0 {
		if ev.kept != nil {
			s, err := r.expandSeal(ctx, *ev.kept, rel, o, stmt)
			if err != nil {
				return fmt.Errorf("kept seal of log entry %d: %w", rel.LogIndex, err)
			}
			st.Seal, st.SealJSON = s, appendSealJSON(make([]byte, 0, sealJSONSize(s)), s)
			return nil
		}
		s, err := r.sealFor(ctx, rel.LogIndex, rel.Entry, o, stmt)
		if err != nil {
			return err
		}
		// Kept for the next lookup; this answer stands either way.
		if !ev.uncosigned {
			_ = r.keepSeal(ctx, rel.LogIndex, s)
		}
		st.Seal = s
		return nil
	}
	// Wait until the checkpoint covers every entry given, so all prove against the seal's.
	last := int64(-1)
	if st.Withdrawal != nil {
		last = st.Withdrawal.Index
	}
	for _, le := range revs {
		last = max(last, le.Index)
	}
	if last >= 0 {
		if _, err := r.headCovering(ctx, last); err != nil {
			return err
		}
	}
	s, err := r.sealFor(ctx, rel.LogIndex, rel.Entry, o, stmt)
	if err != nil {
		return err
	}
	st.Seal = s
	c, err := checkpoint.Size(s.Checkpoint)
	if err != nil {
		return err
	}
	prove := func(le *seal.LoggedEntry) error {
		p, err := r.cfg.Log.InclusionProof(ctx, le.Index, c)
		le.Proof = p
		return err
	}
	if st.Withdrawal != nil {
		if err := prove(st.Withdrawal); err != nil {
			return err
		}
		k, ok, err := r.withdrawalKey(ctx, st.Withdrawal.Entry)
		if err != nil {
			return err
		}
		if ok {
			if err := prove(&k); err != nil {
				return err
			}
			st.WithdrawalKey = &k
		}
	}
	for i := range revs {
		if err := prove(&revs[i]); err != nil {
			return err
		}
	}
	st.Revocations = revs
	return nil
}

// withdrawalKey returns the logged key-added entry of the signer key whose signature a
// withdrawal entry carries beside the office's (Withdraw checked it when it logged the entry);
// false if no signature is by a registered signer key.
func (r *Registry) withdrawalKey(ctx context.Context, e []byte) (seal.LoggedEntry, bool, error) {
	d, err := entry.Decode(e)
	if err != nil {
		return seal.LoggedEntry{}, false, err
	}
	for _, sg := range d.Envelope.Signatures {
		k, err := r.keyEntry(ctx, sg.KeyID)
		if errors.Is(err, store.ErrNotFound) {
			continue // the office's signature
		}
		if err != nil {
			return seal.LoggedEntry{}, false, err
		}
		return k, true, nil
	}
	return seal.LoggedEntry{}, false, nil
}

// proofs is what a status needs from the store beyond the release: the key-revoked entries
// (with their openings) of the keys that signed it, and its kept seal.
type proofs struct {
	revocations []seal.LoggedEntry
	kept        *store.KeptSeal // nil when none is kept, or when the answer cannot use it
	// uncosigned: a seal is kept, below the witness quorum in force (keptSealCosigned). The
	// seal proved afresh is not kept in its place: lookups would each write.
	uncosigned bool
}

// canonicalReference is ref in the capitals the office writes its references in: a prefix is
// capital letters and digits (datadir), a reference PREFIX-YEAR-NUMBER, so a reference typed
// in small letters names the same letter, as a check code typed in capitals does
// (checkCodeMatches). A holder who typed "tfn-2026-000001" was told that no released letter
// has it. Only ASCII letters change: a reference with another character is left as it is
// (and names no letter).
func canonicalReference(ref string) string {
	for i := 0; i < len(ref); i++ {
		if ref[i] >= utf8.RuneSelf {
			return ref
		}
	}
	return strings.ToUpper(ref)
}
