package registry

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/chancery/chancery/internal/dsse"
	"github.com/chancery/chancery/internal/entry"
	"github.com/chancery/chancery/internal/i18n"
	"github.com/chancery/chancery/internal/keys"
	"github.com/chancery/chancery/internal/metrics"
	"github.com/chancery/chancery/internal/policy"
	"github.com/chancery/chancery/internal/seal"
	"github.com/chancery/chancery/internal/store"
	"github.com/chancery/chancery/internal/translog"
)

// officeEntry signs the public record of a version 2 entry of kind k with the office key and
// returns the log entry. The statement the record commits to stays in the registry, as the
// entry's opening (putOpening), and reaches only those who hold the letter.
func (r *Registry) officeEntry(k entry.Kind, record any, extra ...dsse.Signature) ([]byte, error) {
	payload := seal.Marshal(record)
	pt := k.PayloadTypeV(entry.V2)
	sig, err := officeSign(r.cfg.OfficeKey, pt, payload)
	if err != nil {
		return nil, err
	}
	env := &dsse.Envelope{Payload: payload, PayloadType: pt, Signatures: append(extra, sig)}
	return (&entry.Entry{Version: entry.V2, Kind: k, Envelope: env}).Encode()
}

// putOpening stores the opening of the entry logged at index, in the entry's transaction.
func putOpening(ctx context.Context, tx *store.Tx, index int64, o *seal.Opening) error {
	return tx.PutOpening(ctx, index, o.Salt, o.Statement)
}

// opening returns the stored opening of the entry at index: nil for a version 1 entry or an
// erased one.
func opening(ctx context.Context, tx *store.Tx, index int64) (*seal.Opening, error) {
	salt, st, err := tx.Opening(ctx, index)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &seal.Opening{Salt: salt, Statement: st}, nil
}

// keyEntryFor returns the key-added (or key-revoked) entry of st and its opening.
func (r *Registry) keyEntryFor(k entry.Kind, st seal.KeyStatement) ([]byte, *seal.Opening, error) {
	o := seal.NewOpening(st)
	e, err := r.officeEntry(k, seal.KeyRecord{Office: st.Office, KeyID: st.KeyID, PublicKey: st.PublicKey,
		Commitment: o.Commitment(k), Time: st.Time})
	return e, o, err
}

// RegisterKey registers an Ed25519 signer key for the calling signer: a key-added entry,
// signed by the office, is logged in the same transaction. It returns the key ID.
func (r *Registry) RegisterKey(ctx context.Context, a Actor, pub ed25519.PublicKey) (string, int64, error) {
	if err := a.require(RoleSigner); err != nil {
		return "", 0, err
	}
	if err := checkSignerKey(pub); err != nil {
		return "", 0, err
	}
	return r.registerKey(ctx, a, a.Member, pub)
}

// checkSignerKey checks a public key a signer registers: Ed25519, not of small order.
func checkSignerKey(pub ed25519.PublicKey) error {
	if len(pub) != ed25519.PublicKeySize {
		return i18n.Errorf(ErrInvalid, "an Ed25519 public key has 32 bytes, not %d", len(pub))
	}
	if err := keys.CheckPublicKey(pub); err != nil {
		return i18n.Errorf(ErrInvalid, "this public key is of small order: anyone could sign under it; make a new key")
	}
	return nil
}

func (r *Registry) registerKey(ctx context.Context, a Actor, m *store.Member, pub ed25519.PublicKey) (string, int64, error) {
	keyID := dsse.KeyID(pub)
	now := r.now()
	e, o, err := r.keyEntryFor(entry.KeyAdded, seal.KeyStatement{Office: r.cfg.Office.Name, KeyID: keyID, PublicKey: pub, Member: m.Name, Time: now})
	if err != nil {
		return "", 0, err
	}
	// The log grows: cached answers carry a seal proved against the older tree, which a
	// verifier that has seen this one refuses as a rollback (issue 12 item 4). None is kept
	// until the log's transaction has ended (see publicCache).
	defer r.public.changing()()
	idx, err := r.appendSigned(ctx, e, func(tx *store.Tx, index int64) error {
		return r.addKey(ctx, tx, a, m, keyID, pub, o, index, now)
	})
	if err != nil {
		return "", 0, fmt.Errorf("register key: %w", err)
	}
	return keyID, idx, nil
}

// addKey records, in the transaction of its key-added entry at index, m's key pub, whose
// opening is o.
func (r *Registry) addKey(ctx context.Context, tx *store.Tx, a Actor, m *store.Member, keyID string, pub ed25519.PublicKey, o *seal.Opening, index int64, now time.Time) error {
	// A member disabled, or whose signer role was taken away, since the request was
	// authenticated registers nothing: both revoke the keys they read in their own
	// transaction, which a key added after it would escape. Nor does a request whose token
	// was replaced, or whose session ended, since: a new token revokes the keys too.
	if a.Member != nil {
		if _, err := actingMember(ctx, tx, a.Member); err != nil {
			return err
		}
	}
	if cur, err := tx.MemberByID(ctx, m.ID); err != nil {
		return err
	} else if cur.Disabled() {
		return i18n.Errorf(ErrForbidden, "%s is disabled", m.Name)
	} else if !cur.HasRole(RoleSigner) {
		return i18n.Errorf(ErrForbidden, "%s no longer holds the signer role", m.Name)
	}
	if err := putOpening(ctx, tx, index, o); err != nil {
		return err
	}
	if err := tx.AddSignerKey(ctx, store.SignerKey{KeyID: keyID, MemberID: m.ID, PublicKey: pub, AddedIndex: index, CreatedAt: now}); err != nil {
		return err
	}
	return r.audit(ctx, tx, a, "key.add", "", fmt.Sprintf("%s for %s, log entry %d", keyID, m.Name, index))
}

// revokeKey records, in the transaction of its key-revoked entry at index, the revocation of
// owner's key keyID, whose opening is o.
func (r *Registry) revokeKey(ctx context.Context, tx *store.Tx, a Actor, owner *store.Member, keyID, reason string, o *seal.Opening, index int64, now time.Time) error {
	if err := putOpening(ctx, tx, index, o); err != nil {
		return err
	}
	if err := tx.RevokeSignerKey(ctx, keyID, index, now); errors.Is(err, store.ErrNotFound) {
		// Key rows are never deleted: another revocation of it committed since the read.
		return fmt.Errorf("%w meanwhile", errKeyRevoked)
	} else if err != nil {
		return err
	}
	return r.audit(ctx, tx, a, "key.revoke", "", fmt.Sprintf("%s of %s, log entry %d: %s", keyID, owner.Name, index, reason))
}

// errKeyRevoked is RevokeKey's conflict for a key revoked already: what a caller revoking a
// member's keys may take as done, unlike its other conflicts (a server that signs with a
// retired office key refuses every entry with ErrConflict too).
var errKeyRevoked = fmt.Errorf("%w: already revoked", ErrConflict)

// RevokeKey revokes a signer key: its owner or an admin may. The key-revoked entry is logged;
// signatures by the key no longer count for any release after it.
func (r *Registry) RevokeKey(ctx context.Context, a Actor, keyID, reason string) (int64, error) {
	if a.Member == nil {
		return 0, ErrUnauthenticated
	}
	var k *store.SignerKey
	var owner *store.Member
	err := r.cfg.DB.View(ctx, func(tx *store.Tx) error {
		full, err := resolveKeyID(ctx, tx, a, keyID)
		if err != nil {
			return err
		}
		if k, err = tx.SignerKey(ctx, full); err != nil {
			return err
		}
		owner, err = tx.MemberByID(ctx, k.MemberID)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("revoke key %s: %w", keyID, err)
	}
	keyID = k.KeyID
	if k.MemberID != a.Member.ID && !a.Member.HasRole(RoleAdmin) {
		return 0, fmt.Errorf("revoke key %s: %w: only its owner or an admin may revoke it", keyID, ErrForbidden)
	}
	// The reason is judged once the caller is known to be one who may revoke the key.
	if err := checkText("reason", reason, 1000); err != nil {
		return 0, err
	}
	if k.Revoked() {
		return 0, fmt.Errorf("revoke key %s: %w at log entry %d", keyID, errKeyRevoked, k.RevokedIndex)
	}
	now := r.now()
	e, o, err := r.keyEntryFor(entry.KeyRevoked, seal.KeyStatement{Office: r.cfg.Office.Name, KeyID: keyID, PublicKey: k.PublicKey, Member: owner.Name, Reason: reason, Time: now})
	if err != nil {
		return 0, err
	}
	// The log grows: cached answers carry a seal proved against the older tree, which a
	// verifier that has seen this one refuses as a rollback (issue 12 item 4). None is kept
	// until the log's transaction has ended (see publicCache).
	defer r.public.changing()()
	idx, err := r.appendSigned(ctx, e, func(tx *store.Tx, index int64) error {
		// Another member's key is revoked by an admin as stored in tx: one disabled, or whose
		// admin role was taken, since the request was authenticated revokes nothing. A member
		// may always revoke their own key.
		if k.MemberID != a.Member.ID {
			if err := stillActs(ctx, tx, a); err != nil {
				return err
			}
		}
		return r.revokeKey(ctx, tx, a, owner, keyID, reason, o, index, now)
	})
	if err != nil {
		return 0, fmt.Errorf("revoke key %s: %w", keyID, err)
	}
	return idx, nil
}

// KeyRotation is what a rotation of a signer key logged: the new key's ID and its key-added
// entry, the old key's full ID and its key-revoked entry.
type KeyRotation struct {
	KeyID        string
	Added        int64
	RevokedKeyID string
	Revoked      int64
}

// RotateSignerKey replaces the calling signer's key oldKeyID (as RevokeKey takes it) with
// pub: the key-added entry of pub and the key-revoked entry of the old key (reason "rotated
// to <new key ID>") are logged at consecutive indexes in one transaction, so that both keys
// are never in force together after a failure, nor the old one revoked without the new one
// registered. The old key must be the caller's own and in force, pub a key the registry does
// not know. A rotation asked for again once done (its answer lost) answers as the first one
// did.
func (r *Registry) RotateSignerKey(ctx context.Context, a Actor, oldKeyID string, pub ed25519.PublicKey) (*KeyRotation, error) {
	if err := a.require(RoleSigner); err != nil {
		return nil, err
	}
	if err := checkSignerKey(pub); err != nil {
		return nil, err
	}
	keyID := dsse.KeyID(pub)
	var old, known *store.SignerKey
	var revokedFor string // the reason of the old key's revocation, if it is revoked
	err := r.cfg.DB.View(ctx, func(tx *store.Tx) error {
		full, err := resolveKeyID(ctx, tx, a, oldKeyID)
		if err != nil {
			return err
		}
		if old, err = tx.SignerKey(ctx, full); err != nil {
			return err
		}
		if old.Revoked() {
			o, err := opening(ctx, tx, old.RevokedIndex)
			if err != nil {
				return err
			}
			var st seal.KeyStatement
			if o != nil && seal.Unmarshal(o.Statement, &st) == nil {
				revokedFor = st.Reason
			}
		}
		known, err = tx.SignerKey(ctx, keyID)
		if errors.Is(err, store.ErrNotFound) {
			known, err = nil, nil
		}
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("rotate key %s: %w", oldKeyID, err)
	}
	if old.MemberID != a.Member.ID {
		return nil, fmt.Errorf("rotate key %s: %w: it is not yours: a signer rotates only their own key", old.KeyID, ErrForbidden)
	}
	if known != nil {
		// Done already: the old key revoked by this rotation, right after the new key's entry
		// (not by a revocation of its own that happened to follow the new key's registration).
		if known.MemberID == a.Member.ID && known.KeyID != old.KeyID && old.Revoked() && old.RevokedIndex == known.AddedIndex+1 &&
			revokedFor == "rotated to "+keyID {
			return &KeyRotation{KeyID: keyID, Added: known.AddedIndex, RevokedKeyID: old.KeyID, Revoked: old.RevokedIndex}, nil
		}
		return nil, fmt.Errorf("rotate key %s: %w: the new key %s is registered already, at log entry %d: make a new key", old.KeyID, ErrConflict, keyID, known.AddedIndex)
	}
	if old.Revoked() {
		return nil, fmt.Errorf("rotate key %s: %w at log entry %d: register the new key instead", old.KeyID, errKeyRevoked, old.RevokedIndex)
	}
	reason := "rotated to " + keyID
	now := r.now()
	addE, addO, err := r.keyEntryFor(entry.KeyAdded, seal.KeyStatement{Office: r.cfg.Office.Name, KeyID: keyID, PublicKey: pub, Member: a.Member.Name, Time: now})
	if err != nil {
		return nil, err
	}
	revE, revO, err := r.keyEntryFor(entry.KeyRevoked, seal.KeyStatement{Office: r.cfg.Office.Name, KeyID: old.KeyID, PublicKey: old.PublicKey, Member: a.Member.Name, Reason: reason, Time: now})
	if err != nil {
		return nil, err
	}
	// The log grows: cached answers carry a seal proved against the older tree, which a
	// verifier that has seen this one refuses as a rollback (issue 12 item 4). None is kept
	// until the log's transaction has ended (see publicCache).
	defer r.public.changing()()
	added, err := r.appendSignedAll(ctx, [][]byte{addE, revE}, func(tx *store.Tx, index int64) error {
		if err := r.addKey(ctx, tx, a, a.Member, keyID, pub, addO, index, now); err != nil {
			return err
		}
		return r.revokeKey(ctx, tx, a, a.Member, old.KeyID, reason, revO, index+1, now)
	})
	if err != nil {
		return nil, fmt.Errorf("rotate key %s: %w", old.KeyID, err)
	}
	return &KeyRotation{KeyID: keyID, Added: added, RevokedKeyID: old.KeyID, Revoked: added + 1}, nil
}

// shortKeyID is the fewest hex digits of a key ID that RevokeKey takes: the short form the
// command line prints ('chancery key new', 'chancery sign').
const shortKeyID = 12

// resolveKeyID returns the key ID that keyID names: itself, or the one key whose ID starts
// with it (shortKeyID hex digits or more) among the actor's own keys, or any member's for an
// admin, so that a signer who kept only the short ID of a stolen key can still revoke it. A
// prefix two keys share is refused; one that matches nothing is left for the lookup to report.
func resolveKeyID(ctx context.Context, tx *store.Tx, a Actor, keyID string) (string, error) {
	if len(keyID) < shortKeyID || len(keyID) >= 2*sha256.Size || strings.Trim(keyID, "0123456789abcdef") != "" {
		return keyID, nil
	}
	owners := []int64{a.Member.ID}
	if a.Member.HasRole(RoleAdmin) {
		ms, err := tx.Members(ctx)
		if err != nil {
			return "", err
		}
		owners = owners[:0]
		for _, m := range ms {
			owners = append(owners, m.ID)
		}
	}
	var found []string
	for _, id := range owners {
		ks, err := tx.SignerKeysOf(ctx, id)
		if err != nil {
			return "", err
		}
		for _, k := range ks {
			if strings.HasPrefix(k.KeyID, keyID) {
				found = append(found, k.KeyID)
			}
		}
	}
	switch len(found) {
	case 0:
		return keyID, nil
	case 1:
		return found[0], nil
	}
	return "", i18n.Errorf(ErrConflict, "%d keys have IDs starting with %s: give more of the key ID", len(found), keyID)
}

// Released is the result of a release.
type Released struct {
	Reference string
	LogIndex  int64
	FileName  string
	MediaType string
	File      []byte
	// FileDigest is the digest of File, as the release statement states it.
	FileDigest seal.Digest
	// Seal is nil when the witness quorum did not cosign a checkpoint covering the release
	// within Config.SealWait; SealPending then says so. The release is committed either way,
	// and the seal can be fetched later (Seal).
	Seal        *seal.Seal
	SealPending string
	// CheckCode is the capability printed on the letter (footer and QR code) with which its
	// holder sees the letter's details on the verify page. Only its hash is stored.
	CheckCode string
}

// Release is the gate: it releases the latest version of ref if, and only if, the policy's
// decision allows it. The release statement, signed by the office, is logged in the same
// transaction that marks the letter released.
func (r *Registry) Release(ctx context.Context, a Actor, ref string) (*Released, error) {
	return r.ReleaseVersion(ctx, a, ref, "")
}

// ReleaseVersion is Release of the version the release officer was shown: version, if not
// empty, is its digest, and the release is refused with ErrConflict unless it is still the
// latest version when the release commits, so that a revision uploaded meanwhile (and
// approved and signed by others) is never released on a decision taken over other text.
func (r *Registry) ReleaseVersion(ctx context.Context, a Actor, ref, version string) (*Released, error) {
	if err := a.require(RoleRelease); err != nil {
		return nil, err
	}
	var shown seal.Digest
	if version != "" {
		d, err := seal.ParseDigest(version)
		if err != nil {
			return nil, i18n.Errorf(ErrInvalid, "%v", err)
		}
		shown = d
	}
	// Build the statement from a snapshot, then check in the log's transaction that nothing it
	// rests on changed since.
	var (
		stmt *seal.ReleaseStatement
		ev   *evidence
		file []byte
	)
	err := r.cfg.DB.View(ctx, func(tx *store.Tx) error {
		var err error
		stmt, ev, file, err = r.prepareRelease(ctx, tx, a, ref, shown, true)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("release %s: %w", ref, err)
	}
	// Stamping and signing the file take milliseconds: they run outside any transaction.
	code := newCheckCode()
	if r.checkCodes != nil {
		code = r.checkCodes(ref)
	}
	rel, err := r.releasedFile(ev.letter, ev.version, file, stmt, code)
	if err != nil {
		return nil, fmt.Errorf("release %s: %w", ref, err)
	}
	file = rel.Doc
	// What was released is fingerprinted too, so that the file, its text or a copy of it
	// identifies as the letter. A file whose text cannot be read is recorded as having none.
	fileFP, fileEnc, _ := laidOutFingerprint(ev.version.MediaType, stmt.ReleasedMediaType(), rel)
	var publish func()
	disclosed, err := seal.Disclose(stmt, ev.pol.Disclose(ev.letter.Class))
	if err != nil {
		return nil, fmt.Errorf("release %s: %w", ref, err)
	}
	o := seal.NewOpening(stmt)
	e, err := r.officeEntry(entry.Release, seal.NewReleaseRecord(stmt, o, disclosed))
	if err != nil {
		return nil, fmt.Errorf("release %s: %w", ref, err)
	}
	// No answer is kept from before the log's transaction until after it has ended (see
	// publicCache): its commit is seen before the log's batch answers.
	ended := r.public.changing()
	idx, err := r.appendSigned(ctx, e, func(tx *store.Tx, index int64) error {
		again, ev2, _, err := r.prepareRelease(ctx, tx, a, ref, shown, false)
		if err != nil {
			return err
		}
		// The final file derives from the version checked here (its digest is compared).
		again.ReleasedAt, again.FileDigest, again.FileName, again.FileMediaType = stmt.ReleasedAt, stmt.FileDigest, stmt.FileName, stmt.FileMediaType
		if string(seal.Marshal(again)) != string(seal.Marshal(stmt)) {
			return i18n.Errorf(ErrConflict, "%s changed while it was being released: try again", ref)
		}
		// A policy adopted since the decision (and not yet in memory) is the one in force.
		if cur, err := tx.CurrentPolicy(ctx); err == nil && cur.LogIndex != ev2.epoch.logIndex {
			return i18n.Errorf(ErrConflict, "the release policy changed while %s was being released: try again", ref)
		} else if err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		}
		if err := tx.PutBlob(ctx, string(stmt.FileDigest), file); err != nil {
			return err
		}
		if err := putOpening(ctx, tx, index, o); err != nil {
			return err
		}
		err = tx.AddRelease(ctx, store.Release{LetterID: ev2.version.LetterID, VersionN: ev2.version.N, FileDigest: string(stmt.FileDigest),
			FileName: stmt.FileName, MediaType: stmt.ReleasedMediaType(), LogIndex: index, Entry: e, ReleasedBy: a.Member.ID, ReleasedAt: stmt.ReleasedAt,
			CheckCodeHash: checkCodeHash(code)})
		if errors.Is(err, store.ErrConflict) {
			return i18n.Errorf(ErrConflict, "these exact bytes are already released as another letter")
		}
		if err != nil {
			return err
		}
		if publish, err = r.addReleasedFingerprint(ctx, tx, ev2.version.LetterID, ev2.version.N, fileFP, fileEnc); err != nil {
			return err
		}
		if err := r.releaseEvent(ctx, tx, ref, index); err != nil {
			return err
		}
		return r.audit(ctx, tx, a, "letter.release", ref, fmt.Sprintf("version %d %s, log entry %d, signed by %s",
			ev2.version.N, stmt.FileDigest, index, strings.Join(signerNames(stmt), ", ")))
	})
	// Once the log's transaction ends, whatever its outcome, and not when this returns: the
	// answers kept from before it ("no released letter has this reference") must not be given
	// while the seal below waits up to SealWait for the witnesses.
	if txEnded != nil {
		txEnded()
	}
	ended()
	if err != nil {
		return nil, fmt.Errorf("release %s: %w", ref, err)
	}
	// Committed (AppendTx answers the outcome, even to a caller who went away): what follows
	// runs to its end whatever the caller does, the seal's wait bounded by SealWait.
	ctx = context.WithoutCancel(ctx)
	publish()
	metrics.Releases.Inc()
	out := &Released{Reference: ref, LogIndex: idx, FileName: stmt.FileName, MediaType: stmt.ReleasedMediaType(), File: file,
		FileDigest: stmt.FileDigest, CheckCode: code}
	s, err := r.sealFor(ctx, idx, e, o, stmt)
	switch {
	case errors.Is(err, ErrNotCosigned):
		out.SealPending = err.Error()
	case err != nil:
		return nil, fmt.Errorf("release %s: logged at %d, but the seal could not be built: %w", ref, idx, err)
	}
	if s != nil {
		// Kept for lookups; if it is not, the first lookup builds and keeps it.
		_ = r.keepSeal(ctx, idx, s)
	}
	out.Seal = s
	return out, nil
}

// signerNames returns the names of the statement's signers in order, each once: a member who
// signed with two keys is one signer.
func signerNames(s *seal.ReleaseStatement) []string {
	var out []string
	for _, sg := range s.Signatures {
		if !slices.Contains(out, sg.Signer) {
			out = append(out, sg.Signer)
		}
	}
	return out
}

// validMessage is the message of a valid letter's answer: the office, the day of release and
// the signers, as a list of names; a letter released under a rule that asks for no signature
// names none.
func validMessage(office, day string, signers []string) string {
	if len(signers) == 0 {
		return fmt.Sprintf("valid: released by %s on %s", office, day)
	}
	return fmt.Sprintf("valid: released by %s on %s, signed by %s", office, day, strings.Join(signers, ", "))
}

// prepareRelease checks the gate for ref in tx and returns the release statement it would
// sign, with the file digest of the version's own bytes, which it returns (releasedFile makes
// the final file). shown, if not empty, is the digest of the version the release officer was
// shown: any other latest version is refused. Without withFile (the re-check in the log's
// transaction, where the file digest is the final file's, already made) the version's bytes
// are neither read nor hashed: the statement's version digest already names them.
func (r *Registry) prepareRelease(ctx context.Context, tx *store.Tx, a Actor, ref string, shown seal.Digest, withFile bool) (*seal.ReleaseStatement, *evidence, []byte, error) {
	// The releaser as stored in tx, not as the request was authenticated: an admin may have
	// disabled them, taken their release role or replaced their token since, and the re-check
	// in the log's transaction must see it as it sees a disabled approver or signer.
	releaser, err := actingMember(ctx, tx, a.Member)
	if err != nil {
		return nil, nil, nil, err
	}
	if releaser.Disabled() {
		return nil, nil, nil, i18n.Errorf(ErrForbidden, "%s is disabled", releaser.Name)
	}
	if err := (Actor{Member: releaser}).require(RoleRelease); err != nil {
		return nil, nil, nil, err
	}
	l, vs, err := r.draftLetter(ctx, tx, ref)
	if err != nil {
		return nil, nil, nil, err
	}
	if latest := vs[len(vs)-1]; shown != "" && string(shown) != latest.Digest {
		return nil, nil, nil, i18n.Errorf(ErrConflict, "%s is not the latest version of %s (version %d is %s): read the latest version first",
			shown, ref, latest.N, latest.Digest)
	}
	ev, err := r.gather(ctx, tx, l, vs)
	if err != nil {
		return nil, nil, nil, err
	}
	ev.policy.Releaser = &policy.Actor{Name: releaser.Name, Roles: releaser.Roles, At: ev.policy.Now}
	d := r.decision(ev)
	if !d.Allowed {
		return nil, nil, nil, &GateError{Decision: d, Reasons: gateReasons(d)}
	}
	var file []byte
	if withFile {
		if file, err = tx.Blob(ctx, ev.version.Digest); err != nil {
			return nil, nil, nil, err
		}
		// What was approved and signed is the version's digest: bytes that do not hash to it
		// (a damaged store, an erasure that reached a file it should not have) are never
		// released as that version.
		if seal.DigestOf(file) != seal.Digest(ev.version.Digest) {
			return nil, nil, nil, fmt.Errorf("the stored file of version %d is not the one approved and signed (it hashes to %s, not %s): the store is damaged; restore the file or a backup",
				ev.version.N, seal.DigestOf(file), ev.version.Digest)
		}
	}
	stmt := &seal.ReleaseStatement{
		Office:        r.cfg.Office.Name,
		Letter:        letterMeta(l),
		Version:       ev.version.N,
		VersionDigest: seal.Digest(ev.version.Digest),
		MediaType:     ev.version.MediaType,
		FileName:      ev.version.FileName,
		Policy:        ev.pol.Digest,
		ReleasedBy:    releaser.Name,
		ReleasedAt:    ev.policy.Now.UTC().Truncate(time.Second),
		Signatures:    []seal.Signature{},
		Approvals:     []seal.Approval{},
	}
	if withFile {
		stmt.FileDigest = seal.DigestOf(file)
	}
	// Only the people the decision counted go into the statement, in requirement order.
	counted := map[string]bool{}
	for _, st := range d.Requirements {
		for _, n := range st.By {
			counted[st.Kind+":"+n] = true
		}
	}
	for _, s := range ev.signatures {
		m := ev.members[s.MemberID]
		if counted["signature:"+m.Name] {
			stmt.Signatures = append(stmt.Signatures, seal.Signature{Signer: m.Name, KeyID: s.KeyID, Sig: s.Sig})
		}
	}
	for _, ap := range ev.approvals {
		m := ev.members[ap.MemberID]
		if counted["approval:"+m.Name] {
			at := ap.CreatedAt.UTC().Truncate(time.Second)
			stmt.Approvals = append(stmt.Approvals, seal.Approval{Member: m.Name, Role: ap.Role, Time: at})
			// Never dated before an approval it records: the server that approved may have a
			// clock ahead of this one's (by at most policy.MaxClockSkew, or it would not count).
			stmt.ReleasedAt = later(stmt.ReleasedAt, at)
		}
	}
	return stmt, ev, file, nil
}

func gateReasons(d *policy.Decision) []string {
	var out []string
	for _, m := range d.Missing() {
		out = append(out, "missing "+m)
	}
	return append(out, d.Notes...)
}

// Withdraw kinds.
const (
	Retraction   = "retraction"
	Supersession = "supersession"
)

// WithdrawalStatement returns what a signer signs to retract ref (by == "") or to supersede
// it by the released letter by: the public record of the withdrawal entry, its payload type,
// and the opening of the statement the record commits to (the reason, the signer's name),
// which the signer can check before signing and hands back with the signature.
func (r *Registry) WithdrawalStatement(ctx context.Context, a Actor, ref, by, reason string) ([]byte, string, *seal.Opening, error) {
	if err := a.require(RoleSigner); err != nil {
		return nil, "", nil, err
	}
	if err := checkText("reason", reason, 1000); err != nil {
		return nil, "", nil, err
	}
	var out []byte
	var o *seal.Opening
	err := r.cfg.DB.View(ctx, func(tx *store.Tx) error {
		w, err := r.withdrawal(ctx, tx, a, ref, by, reason, r.now())
		if err != nil {
			return err
		}
		o = seal.NewOpening(w.statement)
		out = seal.Marshal(w.record(o))
		return nil
	})
	if err != nil {
		return nil, "", nil, fmt.Errorf("withdraw %s: %w", ref, err)
	}
	return out, kindOf(by).PayloadTypeV(entry.V2), o, nil
}

// withdrawalPlan is a withdrawal as it would be logged now: its statement and the log indexes
// of the releases it points at.
type withdrawalPlan struct {
	statement any // seal.RetractionStatement or seal.SupersessionStatement
	office    string
	at        time.Time
	// floor is the latest release the withdrawal points at (the letter's, and the superseding
	// letter's): at is never before it.
	floor     time.Time
	release   int64
	byRelease int64
}

// record returns the public record committing to the plan's statement through o.
func (w *withdrawalPlan) record(o *seal.Opening) any {
	if _, ok := w.statement.(seal.RetractionStatement); ok {
		return seal.RetractionRecord{Office: w.office, Release: w.release, Commitment: o.Commitment(entry.Retraction), Time: w.at}
	}
	return seal.SupersessionRecord{Office: w.office, Release: w.release, ByRelease: w.byRelease,
		Commitment: o.Commitment(entry.Supersession), Time: w.at}
}

func kindOf(by string) entry.Kind {
	if by == "" {
		return entry.Retraction
	}
	return entry.Supersession
}

// withdrawal builds the withdrawal of ref as of now, checking that it can be. It is dated now,
// or at the latest release it points at if now is before it: the clock of the server that
// released may be ahead of this one's, or this one's stepped back since, and a withdrawal
// dated before what it withdraws would tell every verifier a day the letter was not released.
func (r *Registry) withdrawal(ctx context.Context, tx *store.Tx, a Actor, ref, by, reason string, now time.Time) (*withdrawalPlan, error) {
	l, err := tx.LetterByRef(ctx, ref)
	if err != nil {
		return nil, err
	}
	rel, err := tx.ReleaseOf(ctx, l.ID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, i18n.Errorf(ErrConflict, "%s is not released: a draft needs no retraction", ref)
	}
	if err != nil {
		return nil, err
	}
	if w, err := tx.WithdrawalOf(ctx, l.ID); err == nil {
		return nil, i18n.Errorf(ErrConflict, "%s is already withdrawn (%s at log entry %d)", ref, w.Kind, w.LogIndex)
	} else if !errors.Is(err, store.ErrNotFound) {
		return nil, err
	}
	plan := &withdrawalPlan{office: r.cfg.Office.Name, floor: rel.ReleasedAt, release: rel.LogIndex}
	if by == "" {
		plan.at = later(now, plan.floor)
		plan.statement = seal.RetractionStatement{Office: r.cfg.Office.Name, Reference: ref, FileDigest: seal.Digest(rel.FileDigest),
			Reason: reason, RetractedBy: a.Member.Name, Time: plan.at}
		return plan, nil
	}
	if by == ref {
		return nil, i18n.Errorf(ErrInvalid, "a letter cannot supersede itself")
	}
	// Erasure emptied its addressees, so the check below could not tell whom a superseding
	// letter would be handed to.
	if !rel.ErasedAt.IsZero() {
		return nil, i18n.Errorf(ErrConflict, "the content of %s was erased, and with it whom it was for: it cannot be superseded (retract it instead)", ref)
	}
	bl, err := tx.LetterByRef(ctx, by)
	if err != nil {
		return nil, err
	}
	brel, err := tx.ReleaseOf(ctx, bl.ID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, i18n.Errorf(ErrConflict, "%s is not released: release the new letter first", by)
	}
	if err != nil {
		return nil, err
	}
	if _, err := tx.WithdrawalOf(ctx, bl.ID); err == nil {
		return nil, i18n.Errorf(ErrConflict, "%s is itself withdrawn", by)
	}
	// Erasure emptied its addressees too: the check below would name one of ref's as missing.
	if !brel.ErasedAt.IsZero() {
		return nil, i18n.Errorf(ErrConflict, "the content of %s was erased: it cannot supersede another letter", by)
	}
	// The supersession hands the holders of ref the new letter's reference and file digest,
	// and a file's digest opens its seal (subject, addressees, signers) to whoever has it: the
	// new letter must be meant for them, addressed to everyone ref was.
	for _, to := range l.Addressees {
		if !slices.Contains(bl.Addressees, to) {
			return nil, i18n.Errorf(ErrConflict, "%s is not addressed to %s, as %s is: the holders of %s would learn of a letter not meant for them (check the reference, or retract %s)",
				by, to, ref, ref, ref)
		}
	}
	// A letter may be dispatched to any recipient of the directory, whose copy's digest opens
	// the same answer: the new letter must be meant for each of them too.
	to, err := dispatchedNotMeant(ctx, tx, l.ID, bl)
	if err != nil {
		return nil, err
	}
	if to != nil {
		ok, err := r.dispatchable(ctx, tx, bl, to)
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, i18n.Errorf(ErrConflict, "%s was dispatched to %s, to whom %s is neither addressed nor dispatched: the holders of %s would learn of a letter not meant for them (retract %s)",
				ref, to.Name, by, ref, ref)
		}
		return nil, i18n.Errorf(ErrConflict, "%s was dispatched to %s, to whom %s is neither addressed nor dispatched: the holders of %s would learn of a letter not meant for them (dispatch %s to %s first, or retract %s)",
			ref, to.Name, by, ref, by, to.Name, ref)
	}
	// Whoever holds ref's whole text is answered as its holder (identification), the
	// withdrawal's opening and so the new letter's file digest included: a draft copy of the
	// text released is held by whoever it was made for, who is not among the addressees
	// checked above.
	who, rec, err := draftCopyOfReleasedText(ctx, tx, l.ID, rel.VersionN, bl)
	if err != nil {
		return nil, err
	}
	if rec != nil {
		ok, err := r.dispatchable(ctx, tx, bl, rec)
		if err != nil {
			return nil, err
		}
		if ok {
			return nil, i18n.Errorf(ErrConflict, "a draft copy of the released text of %s was made for %s, who would be handed %s by a supersession: dispatch %s to %s first, or retract %s and dispatch %s to its addressees",
				ref, who, by, by, rec.Name, ref, by)
		}
	}
	if who != "" {
		return nil, i18n.Errorf(ErrConflict, "a draft copy of the released text of %s was made for %s, who would be handed %s by a supersession: retract %s and dispatch %s to its addressees",
			ref, who, by, ref, by)
	}
	// The supersession links the two releases in the public log, and hands whoever holds ref
	// the new letter's file digest, which opens its answer: everyone, when ref's class
	// logs its file digest or its text is public. Two releases that log different fields in
	// the clear are not linked (a press release superseded by a letter to a ministry made
	// the latter public; the reverse tied a confidential release to a public one).
	was, err := disclosedFields(rel)
	if err != nil {
		return nil, err
	}
	will, err := disclosedFields(brel)
	if err != nil {
		return nil, err
	}
	if !slices.Equal(was, will) {
		return nil, i18n.Errorf(ErrConflict, "%s logs %s in the clear and %s logs %s: a supersession would link them in the public log, and hand whoever holds %s the other letter: retract %s and dispatch %s to its addressees",
			ref, fieldList(was), by, fieldList(will), ref, ref, by)
	}
	plan.byRelease = brel.LogIndex
	plan.floor = later(plan.floor, brel.ReleasedAt)
	plan.at = later(now, plan.floor)
	plan.statement = seal.SupersessionStatement{Office: r.cfg.Office.Name, Reference: ref, FileDigest: seal.Digest(rel.FileDigest),
		By: by, ByFileDigest: seal.Digest(brel.FileDigest), Reason: reason, SupersededBy: a.Member.Name, Time: plan.at}
	return plan, nil
}

// dispatchedNotMeant returns a recipient that holds, or may hold, the letter letterID (a
// copy sent, one that may have been delivered, or one on its way, which the withdrawal leaves
// to the dispatcher: store.Tx.FailUnsent) and that the letter by is not meant for: neither
// dispatched to them (whatever became of that copy) nor addressed to their organisation or
// name. It returns nil when there is none.
func dispatchedNotMeant(ctx context.Context, tx *store.Tx, letterID int64, by *store.Letter) (*store.Recipient, error) {
	ms, err := tx.LetterMessages(ctx, letterID)
	if err != nil {
		return nil, err
	}
	bms, err := tx.LetterMessages(ctx, by.ID)
	if err != nil {
		return nil, err
	}
	sent := map[int64]bool{}
	for _, m := range bms {
		if m.Kind == store.KindLetter {
			sent[m.RecipientID] = true
		}
	}
	for _, m := range ms {
		onItsWay := m.Reply == store.ReplySending || m.Reply == store.ReplySendingAgain
		if m.Kind != store.KindLetter || !m.MayBeHeld() && !onItsWay || sent[m.RecipientID] {
			continue
		}
		rec, err := tx.RecipientByID(ctx, m.RecipientID)
		if err != nil {
			return nil, err
		}
		if !slices.Contains(by.Addressees, rec.Name) && (rec.Organization == "" || !slices.Contains(by.Addressees, rec.Organization)) {
			return rec, nil
		}
	}
	return nil, nil
}

// draftCopyOfReleasedText returns for whom a draft copy of the released version of letter
// letterID, or of another of its versions with the same text, was exported or sent (a
// member's preview left out) that the letter by is not meant for (draftHoldersMeant), and ""
// when there is none; with the directory's recipient the copy names, if it names one, to
// whom dispatching by would make it meant for them.
func draftCopyOfReleasedText(ctx context.Context, tx *store.Tx, letterID int64, released int, by *store.Letter) (who string, recipient *store.Recipient, err error) {
	fs, err := tx.FingerprintsOf(ctx, letterID)
	if err != nil {
		return "", nil, err
	}
	var text []byte
	for _, f := range fs {
		if !f.Released && f.VersionN == released {
			text = f.Data
		}
	}
	same := map[int]bool{released: true}
	for _, f := range fs {
		if !f.Released && text != nil && bytes.Equal(f.Data, text) {
			same[f.VersionN] = true
		}
	}
	xs, err := tx.DraftExportsOf(ctx, letterID)
	if err != nil {
		return "", nil, err
	}
	meant, err := draftHoldersMeant(ctx, tx, by)
	if err != nil {
		return "", nil, err
	}
	for _, x := range xs {
		if same[x.VersionN] && x.Recipient != PreviewRecipient && !meant[x.Recipient] {
			recs, err := tx.Recipients(ctx)
			if err != nil {
				return "", nil, err
			}
			for _, rec := range recs {
				if x.Recipient == rec.Name || rec.Organization != "" && x.Recipient == rec.Organization+" ("+rec.Name+")" {
					return x.Recipient, &rec, nil
				}
			}
			return x.Recipient, nil, nil
		}
	}
	return "", nil, nil
}

// dispatchable reports whether Dispatch would send the released letter l to the recipient
// rec: mail is set up, rec is not retired from the directory, and no rule of the policy in
// force asks more for rec than l's rules did (rulesEscaped).
func (r *Registry) dispatchable(ctx context.Context, tx *store.Tx, l *store.Letter, rec *store.Recipient) (bool, error) {
	if !r.dispatchSettings().Mail || !rec.RetiredAt.IsZero() {
		return false, nil
	}
	escapes, err := r.rulesEscaped(ctx, tx, l)
	if errors.Is(err, ErrConflict) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return escapes(rec) == nil, nil
}

// draftHoldersMeant returns the names, as a draft copy records whom it was made for, that the
// letter by is meant for: its addressees, and each recipient of the directory it is addressed
// to (by organisation or name) or was dispatched to, as a copy sent to them names them
// ("Organisation (name)", or the name alone) and as an export may (the name); and the
// organisation of recipients, as an export may name it, when by is meant for every recipient
// of it.
func draftHoldersMeant(ctx context.Context, tx *store.Tx, by *store.Letter) (map[string]bool, error) {
	meant := map[string]bool{}
	for _, a := range by.Addressees {
		meant[a] = true
	}
	ms, err := tx.LetterMessages(ctx, by.ID)
	if err != nil {
		return nil, err
	}
	sent := map[int64]bool{}
	for _, m := range ms {
		if m.Kind == store.KindLetter {
			sent[m.RecipientID] = true
		}
	}
	recs, err := tx.Recipients(ctx)
	if err != nil {
		return nil, err
	}
	// An organisation is meant when each of its recipients is: a copy made for it is held by
	// one of them, and which one is not known.
	everyone := map[string]bool{}
	for _, rec := range recs {
		addressed := slices.Contains(by.Addressees, rec.Name) || rec.Organization != "" && slices.Contains(by.Addressees, rec.Organization)
		isMeant := sent[rec.ID] || addressed
		if rec.Organization != "" {
			all, seen := everyone[rec.Organization]
			everyone[rec.Organization] = isMeant && (all || !seen)
		}
		if !isMeant {
			continue
		}
		meant[rec.Name] = true
		if rec.Organization != "" {
			meant[rec.Organization+" ("+rec.Name+")"] = true
		}
	}
	for org, all := range everyone {
		if all {
			meant[org] = true
		}
	}
	return meant, nil
}

// disclosedFields returns the names of the fields the release entry of rel logs in the clear,
// in seal.DisclosableFields' order: all of them for a version 1 entry, whose statement is
// logged whole.
func disclosedFields(rel *store.Release) ([]string, error) {
	d, err := entry.Decode(rel.Entry)
	if err != nil {
		return nil, err
	}
	if d.V() == entry.V1 {
		return seal.DisclosableFields, nil
	}
	var rec seal.ReleaseRecord
	if err := seal.Unmarshal(d.Envelope.Payload, &rec); err != nil {
		return nil, err
	}
	return rec.Disclosed.Fields(), nil
}

// fieldList names fields for a message: "no field" when there are none, translated with
// the message.
func fieldList(fields []string) any {
	if len(fields) == 0 {
		return i18n.Msg("no field")
	}
	return strings.Join(fields, ", ")
}

// later returns the later of a and b.
func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// Withdraw logs a retraction (by == "") or supersession of ref, signed by the calling signer
// (over the record from WithdrawalStatement) and co-signed by the office. o is the opening
// WithdrawalStatement returned with the record.
func (r *Registry) Withdraw(ctx context.Context, a Actor, ref, by, keyID string, record []byte, o *seal.Opening, sig []byte) (int64, error) {
	if err := a.require(RoleSigner); err != nil {
		return 0, err
	}
	defer r.public.changing()() // no answer kept until the log's transaction has ended (see publicCache)
	defer r.wakeDispatch()      // notices queued with the withdrawal
	kind := kindOf(by)
	if o == nil || len(o.Salt) != seal.SaltSize {
		return 0, i18n.Errorf(ErrInvalid, "the signed record comes without its opening (a client older than seal format v2?): fetch a new statement")
	}
	// Decode the opened statement to learn its time and reason, then require the statement
	// and the record to be exactly what the registry would build now with them.
	var reason string
	var at time.Time
	if by == "" {
		var st seal.RetractionStatement
		if err := seal.Unmarshal(o.Statement, &st); err != nil {
			return 0, i18n.Errorf(ErrInvalid, "%v", err)
		}
		reason, at = st.Reason, st.Time
	} else {
		var st seal.SupersessionStatement
		if err := seal.Unmarshal(o.Statement, &st); err != nil {
			return 0, i18n.Errorf(ErrInvalid, "%v", err)
		}
		reason, at = st.Reason, st.Time
	}
	// The reason comes from the signer's opening, not from WithdrawalStatement: check it again.
	if err := checkText("reason", reason, 1000); err != nil {
		return 0, err
	}
	var pub []byte
	pt := kind.PayloadTypeV(entry.V2)
	check := func(tx *store.Tx) error {
		// The signer as stored in tx: one disabled, or whose signer role was taken, since the
		// request was authenticated withdraws nothing, though their keys are revoked only
		// after that commit, each by a log entry of its own.
		if err := stillActs(ctx, tx, a); err != nil {
			return err
		}
		w, err := r.withdrawal(ctx, tx, a, ref, by, reason, at)
		if err != nil {
			return err
		}
		if at.Before(w.floor) {
			return i18n.Errorf(ErrInvalid, "the statement is dated %s, before the release it points at (%s): fetch a new one",
				at.Format(time.RFC3339), w.floor.Format(time.RFC3339))
		}
		// Measured from the release when this clock is behind it, as WithdrawalStatement dates
		// the statement then.
		if d := later(r.now(), w.floor).Sub(at); d > 10*time.Minute || d < -time.Minute {
			return i18n.Errorf(ErrInvalid, "the statement was made at %s, too far from now: fetch a new one", at.Format(time.RFC3339))
		}
		if string(seal.Marshal(w.statement)) != string(o.Statement) || string(seal.Marshal(w.record(o))) != string(record) {
			return i18n.Errorf(ErrConflict, "the signed statement does not match %s as it stands", ref)
		}
		pub, err = checkSignature(ctx, tx, a, keyID, pt, record, sig)
		return err
	}
	if err := r.cfg.DB.View(ctx, check); err != nil {
		return 0, fmt.Errorf("%s %s: %w", kind, ref, err)
	}
	e, err := r.officeEntry(kind, json.RawMessage(record), dsse.Signature{KeyID: dsse.KeyID(pub), Sig: sig})
	if err != nil {
		return 0, err
	}
	idx, err := r.appendSigned(ctx, e, func(tx *store.Tx, index int64) error {
		if err := check(tx); err != nil {
			return err
		}
		if err := putOpening(ctx, tx, index, o); err != nil {
			return err
		}
		l, _ := tx.LetterByRef(ctx, ref)
		w := store.Withdrawal{LetterID: l.ID, Kind: string(kind), Reason: reason, LogIndex: index, Entry: e, MemberID: a.Member.ID, CreatedAt: at}
		detail := fmt.Sprintf("log entry %d: %s", index, reason)
		if by != "" {
			bl, _ := tx.LetterByRef(ctx, by)
			w.ByLetter = bl.ID
			detail = fmt.Sprintf("by %s, %s", by, detail)
		}
		if err := tx.AddWithdrawal(ctx, w); err != nil {
			return err
		}
		if err := r.queueNotices(ctx, tx, l, w, by); err != nil {
			return err
		}
		return r.audit(ctx, tx, a, "letter."+string(kind), ref, detail)
	})
	if txEnded != nil {
		txEnded()
	}
	if err != nil {
		return 0, fmt.Errorf("%s %s: %w", kind, ref, err)
	}
	metrics.Withdrawn(string(kind))
	return idx, nil
}

// headCovering returns the head that seals and proofs are built against, once it covers
// index: the newest checkpoint the witness quorum cosigned when witnesses are configured
// (waiting up to SealWait for it), else the latest published head (an entry's registry row
// commits with the entry, and the head is published just after the commit).
func (r *Registry) headCovering(ctx context.Context, index int64) (*translog.Head, error) {
	if r.cfg.Heads != nil {
		h, err := r.cfg.Heads.Covering(ctx, index, r.SealWait())
		if err != nil {
			return nil, err
		}
		return &h.Head, nil
	}
	for i := 0; ; i++ {
		head := r.cfg.Log.Head()
		if index < head.Size {
			return head, nil
		}
		if i == 1000 {
			return nil, fmt.Errorf("log entry %d is not in a published checkpoint", index)
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(time.Millisecond):
		}
	}
}

// SealWait is how long a seal waits for the witness quorum to cosign a checkpoint that
// covers its entry (Config.SealWait, or DefaultSealWait): a release or a withdrawal commits,
// then its answer may wait that long.
func (r *Registry) SealWait() time.Duration {
	if r.cfg.SealWait <= 0 {
		return DefaultSealWait
	}
	return r.cfg.SealWait
}

// sealFor builds the seal of a release entry, with its opening o (nil for a version 1 entry),
// against the latest checkpoint covering index.
func (r *Registry) sealFor(ctx context.Context, index int64, e []byte, o *seal.Opening, stmt *seal.ReleaseStatement) (*seal.Seal, error) {
	head, err := r.headCovering(ctx, index)
	if err != nil {
		return nil, err
	}
	proof, err := r.cfg.Log.InclusionProof(ctx, index, head.Size)
	if err != nil {
		return nil, err
	}
	s := &seal.Seal{Checkpoint: head.Checkpoint, Release: seal.LoggedEntry{Index: index, Entry: e, Proof: proof, Opening: o}}
	seen := map[string]bool{}
	for _, sg := range stmt.Signatures {
		if seen[sg.KeyID] {
			continue
		}
		seen[sg.KeyID] = true
		k, err := r.keyEntry(ctx, sg.KeyID)
		if err != nil {
			return nil, err
		}
		kp, err := r.cfg.Log.InclusionProof(ctx, k.Index, head.Size)
		if err != nil {
			return nil, err
		}
		s.Keys = append(s.Keys, seal.LoggedEntry{Index: k.Index, Entry: k.Entry, Proof: kp, Opening: k.Opening})
	}
	return s, nil
}

// keyEntry returns the logged key-added entry of a signer key. Logged entries never change,
// so each is read from the store once: every seal of that signer's letters carries it.
func (r *Registry) keyEntry(ctx context.Context, keyID string) (seal.LoggedEntry, error) {
	if e, ok := r.keyEntries.Load(keyID); ok {
		return e.(seal.LoggedEntry), nil
	}
	var k *store.SignerKey
	var o *seal.Opening
	err := r.cfg.DB.View(ctx, func(tx *store.Tx) error {
		var err error
		if k, err = tx.SignerKey(ctx, keyID); err != nil {
			return err
		}
		o, err = opening(ctx, tx, k.AddedIndex)
		return err
	})
	if err != nil {
		return seal.LoggedEntry{}, err
	}
	e, err := r.cfg.Log.Entry(ctx, k.AddedIndex)
	if err != nil {
		return seal.LoggedEntry{}, err
	}
	le := seal.LoggedEntry{Index: k.AddedIndex, Entry: e, Opening: o}
	r.keyEntries.Store(keyID, le)
	return le, nil
}
