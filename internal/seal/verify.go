package seal

import (
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"sync"
	"time"

	tlogcp "github.com/chancery/chancery/internal/checkpoint"
	"github.com/chancery/chancery/internal/dsse"
	"github.com/chancery/chancery/internal/edkey"
	"github.com/chancery/chancery/internal/entry"
	"github.com/chancery/chancery/internal/keys"
	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// maxCheckpointSize bounds the checkpoint notes a Verifier opens (the log's own bound).
const maxCheckpointSize = 1 << 16

// maxCached bounds each of a Verifier's caches. Only checkpoints and key entries that verified
// are cached, so forging entries cannot fill them; the bound is for a long-running verifier
// that meets every checkpoint its log ever signed.
const maxCached = 4096

// Verifier verifies seals and log entries against one trust root, offline. It is safe for
// concurrent use. It remembers the checkpoints and key-added entries it has verified, so that
// verifying many seals against the same checkpoint checks its signatures once.
type Verifier struct {
	t *trust

	mu          sync.RWMutex
	checkpoints map[[sha256.Size]byte]*checkpoint // by SHA-256 of the signed note
	keys        map[keyEntryID]*signerKey         // verified key-added entries
}

// keyEntryID identifies a verified key entry in a Verifier's cache: its leaf hash (with its
// opening, if any, hashed in) and its index. The index is part of it because the office
// signature's judgement depends on it (an office key signs only its window): the same bytes
// logged again where the key that signed them is retired are refused, as a fresh verifier
// refuses them.
type keyEntryID struct {
	id    tlog.Hash
	index int64
}

// signerKey is a verified key-added entry's statement and its key, decoded once for the many
// signatures a folder's seals make with it.
type signerKey struct {
	*KeyStatement
	key *edkey.Key
}

// checkpoint is what a verified checkpoint says.
type checkpoint struct {
	size      int64
	root      tlog.Hash
	witnesses int
	// cosigners are the trust root's witnesses that cosigned, in the note's order.
	cosigners []Cosigner
	// keys are the key entries proven included in this tree, by index. The same few signer
	// keys appear in every seal, so their proofs are checked once. Guarded by the Verifier's
	// mu.
	keys map[int64]provenKey
}

// provenKey is a key entry's leaf hash and the inclusion proof that verified for it. A seal
// that gives the entry with another proof has it checked: one damaged proof must make a
// seal bad-proof for a verifier that proved the entry before, as for a fresh one.
type provenKey struct {
	leaf  tlog.Hash
	proof tlog.RecordProof
}

// NewVerifier returns a Verifier for the trust root t.
func NewVerifier(t *TrustRoot) (*Verifier, error) {
	c, err := t.compile()
	if err != nil {
		return nil, err
	}
	return &Verifier{t: c, checkpoints: map[[sha256.Size]byte]*checkpoint{}, keys: map[keyEntryID]*signerKey{}}, nil
}

// Result is what a valid seal proves.
type Result struct {
	// Statement is the release statement, signed by the office and in the log.
	Statement *ReleaseStatement
	// Index is the release entry's index in the log.
	Index int64
	// TreeSize is the size of the tree of the seal's checkpoint.
	TreeSize int64
	// Root is the root hash of that tree: two seals of one tree size with different roots,
	// both signed by the log key, prove a split view.
	Root tlog.Hash
	// Witnesses is how many of the trust root's witnesses cosigned the checkpoint.
	Witnesses int
	// Cosigners are those witnesses, with the time each cosignature carries.
	Cosigners []Cosigner
	// Signers are the members whose signatures verified, one per distinct key, in the
	// statement's order.
	Signers []string
	// ReleasedAt is the release time the statement records.
	ReleasedAt time.Time
}

// Verify checks that s is a valid seal of the file whose SHA-256 digest is file, following the
// algorithm of docs/seal-format.md. The error wraps one of ErrMalformed, ErrBadCheckpoint,
// ErrBadSignature, ErrUntrustedKey, ErrBadProof and ErrDigestMismatch. The last is reported
// only for a seal that is valid in every other respect: the seal is genuine, the file is not
// the letter it seals; the error is then a *DigestMismatchError (errors.As), with the tree of
// the seal's checkpoint.
//
// Verify says nothing about what the log recorded after the release, such as a retraction:
// that is for online verification (see VerifyEntry).
func (v *Verifier) Verify(s *Seal, file Digest) (*Result, error) {
	return v.verify(s, file, nil)
}

// verify is Verify, with the Decoder whose memory it may use, if d is not nil (see
// Decoder.Verify).
func (v *Verifier) verify(s *Seal, file Digest, d *Decoder) (*Result, error) {
	want, err := ParseDigest(string(file))
	if err != nil {
		return nil, fmt.Errorf("verify seal: file %w", err)
	}
	cp, err := v.checkpoint(s.Checkpoint)
	if err != nil {
		return nil, fmt.Errorf("verify seal: %w", err)
	}
	rel := s.Release
	e, err := entry.Decode(rel.Entry)
	if err != nil {
		return nil, fmt.Errorf("verify seal: release entry: %w: %w", ErrMalformed, err)
	}
	if e.Kind != entry.Release {
		return nil, fmt.Errorf("verify seal: release entry: %w: a %s entry", ErrMalformed, e.Kind)
	}
	if err := v.officeSigned(e.Envelope, rel.Index); err != nil {
		return nil, fmt.Errorf("verify seal: release entry: %w", v.outdated(err, cp, rel.Index, rel.Entry, rel.Proof))
	}
	if err := cp.prove(rel.Index, tlog.RecordHash(rel.Entry), rel.Proof); err != nil {
		return nil, fmt.Errorf("verify seal: release entry: %w", err)
	}
	st, err := v.releaseStatement(e, rel.Opening, d)
	if err != nil {
		return nil, fmt.Errorf("verify seal: release statement: %w", err)
	}
	if st.Office != v.t.office {
		return nil, fmt.Errorf("verify seal: %w: release by office %q, trust root is for %q", ErrUntrustedKey, truncate(st.Office), v.t.office)
	}
	signers, err := v.signers(s, st, cp)
	if err != nil {
		return nil, fmt.Errorf("verify seal: %w", err)
	}
	if !canonicalDigest(st.FileDigest) {
		return nil, fmt.Errorf("verify seal: release statement: %w: file digest %q is not sha256:<64 lowercase hex digits>", ErrMalformed, truncate(string(st.FileDigest)))
	}
	if st.FileDigest != want {
		return nil, fmt.Errorf("verify seal: %w", &DigestMismatchError{Sealed: st.FileDigest, Reference: st.Reference, File: want, TreeSize: cp.size, Root: cp.root})
	}
	return &Result{Statement: st, Index: rel.Index, TreeSize: cp.size, Root: cp.root, Witnesses: cp.witnesses, Cosigners: cp.cosigners,
		Signers: signers, ReleasedAt: st.ReleasedAt}, nil
}

// releaseStatement returns the statement of a release entry: its payload (version 1), or
// the statement its opening reveals (version 2), checked against the public record. d, if
// not nil, is the Decoder whose memory it may use.
func (v *Verifier) releaseStatement(e *entry.Entry, o *Opening, d *Decoder) (*ReleaseStatement, error) {
	if e.V() == entry.V1 {
		if o != nil {
			return nil, fmt.Errorf("%w: an opening for a version 1 entry, which has none", ErrMalformed)
		}
		st, err := decodeRelease(e.Envelope.Payload, d)
		if err != nil {
			return nil, fmt.Errorf("%w: %w", ErrMalformed, err)
		}
		return st, nil
	}
	rec, err := decodeReleaseRecord(e.Envelope.Payload, d)
	if err != nil {
		return nil, fmt.Errorf("%w: release record: %w", ErrMalformed, err)
	}
	if rec.Office != v.t.office {
		return nil, fmt.Errorf("%w: release by office %q, trust root is for %q", ErrUntrustedKey, truncate(rec.Office), v.t.office)
	}
	return openRelease(rec, o, d)
}

// DigestMismatchError is the error of a seal that is valid in every respect but one: it seals
// another file (ErrDigestMismatch, which it wraps). It carries the seal's checkpoint, verified
// under the trust root (signed by its log key, with its witness quorum, the release proven in
// its tree): a tree the log key signed, whatever file lies beside the seal, so that a caller
// comparing the checkpoints of many seals (chancery verify's run, for split views) may enter
// it. Callers that branch with errors.Is(err, ErrDigestMismatch) need not know of it.
type DigestMismatchError struct {
	// Sealed is the digest the seal's release statement names, and Reference its letter.
	Sealed    Digest
	Reference string
	// File is the digest of the file verified.
	File Digest
	// TreeSize and Root are the seal's checkpoint's tree, as in Result.
	TreeSize int64
	Root     tlog.Hash
}

func (e *DigestMismatchError) Error() string {
	return fmt.Sprintf("%v: the seal is for %s (%s), the file is %s", ErrDigestMismatch, e.Sealed, e.Reference, e.File)
}

func (e *DigestMismatchError) Unwrap() error { return ErrDigestMismatch }

// VerifyBytes is Verify for a file in memory.
func (v *Verifier) VerifyBytes(s *Seal, file []byte) (*Result, error) {
	return v.Verify(s, DigestOf(file))
}

// VerifyReader is Verify for a file read from r, hashed as it is read.
func (v *Verifier) VerifyReader(s *Seal, r io.Reader) (*Result, error) {
	h := sha256.New()
	if _, err := io.Copy(h, r); err != nil {
		return nil, fmt.Errorf("verify seal: read file: %w", err)
	}
	return v.Verify(s, Digest("sha256:"+hex.EncodeToString(h.Sum(nil))))
}

// VerifiedEntry is a log entry that VerifyEntry found signed by the office and in the log.
type VerifiedEntry struct {
	Entry *entry.Entry
	// Statement is the statement: a *ReleaseStatement, *RetractionStatement,
	// *SupersessionStatement, *KeyStatement (for key-added and key-revoked entries) or
	// *PolicyStatement. For a version 2 entry it is set only when the entry was verified with
	// its opening (VerifyLogged); Record is its public record.
	Statement any
	// Record is the public record of a version 2 entry (*ReleaseRecord, *RetractionRecord,
	// …), nil for a version 1 entry.
	Record   any
	Index    int64
	TreeSize int64
}

// VerifyLogged is VerifyEntry for a logged entry that may carry its opening: with one, the
// opening is checked against the entry's record and the opened statement is returned in
// Statement.
func (v *Verifier) VerifyLogged(le LoggedEntry, checkpoint []byte) (*VerifiedEntry, error) {
	ve, err := v.VerifyEntry(le.Entry, le.Index, le.Proof, checkpoint)
	if err != nil {
		return nil, err
	}
	if le.Opening == nil {
		return ve, nil
	}
	if ve.Record == nil {
		return nil, fmt.Errorf("verify %s entry: %w: an opening for a version 1 entry, which has none", ve.Entry.Kind, ErrMalformed)
	}
	st, err := Open(ve.Entry, le.Opening)
	if err != nil {
		return nil, fmt.Errorf("verify %s entry: %w", ve.Entry.Kind, err)
	}
	ve.Statement = st
	return ve, nil
}

// VerifyEntry checks a log entry fetched online (a retraction, a supersession, a key
// revocation): that it is canonical, signed by an office key of the trust root, for the trust
// root's office, and included at index in the tree of checkpoint, a signed checkpoint that
// the trust root's log key and witness quorum accept. Other signatures on the envelope, such
// as a retraction's signer's, are the caller's to check.
func (v *Verifier) VerifyEntry(data []byte, index int64, proof tlog.RecordProof, checkpoint []byte) (*VerifiedEntry, error) {
	cp, err := v.checkpoint(checkpoint)
	if err != nil {
		return nil, fmt.Errorf("verify entry: %w", err)
	}
	e, err := entry.Decode(data)
	if err != nil {
		return nil, fmt.Errorf("verify entry: %w: %w", ErrMalformed, err)
	}
	if err := v.officeSigned(e.Envelope, index); err != nil {
		return nil, fmt.Errorf("verify %s entry: %w", e.Kind, v.outdated(err, cp, index, data, proof))
	}
	if err := cp.prove(index, tlog.RecordHash(data), proof); err != nil {
		return nil, fmt.Errorf("verify %s entry: %w", e.Kind, err)
	}
	ve := &VerifiedEntry{Entry: e, Index: index, TreeSize: cp.size}
	var office string
	payload := e.Envelope.Payload
	if e.V() == entry.V2 {
		rec, err := Record(e)
		if err != nil {
			return nil, fmt.Errorf("verify %s entry: %w", e.Kind, err)
		}
		ve.Record = rec
		if kr, ok := rec.(*KeyRecord); ok {
			if len(kr.PublicKey) != ed25519.PublicKeySize || kr.KeyID != dsse.KeyID(kr.PublicKey) {
				return nil, fmt.Errorf("verify %s entry: %w: keyid %q is not the SHA-256 of a 32-byte public key", e.Kind, ErrMalformed, truncate(kr.KeyID))
			}
			if err := checkAddedKey(e.Kind, kr.PublicKey); err != nil {
				return nil, fmt.Errorf("verify %s entry: %w", e.Kind, err)
			}
		}
		if office, _ = rec.(record).parts(); office != v.t.office {
			return nil, fmt.Errorf("verify %s entry: %w: record of office %q, trust root is for %q", e.Kind, ErrUntrustedKey, truncate(office), v.t.office)
		}
		return ve, nil
	}
	switch e.Kind {
	case entry.Release:
		st := new(ReleaseStatement)
		err = Unmarshal(payload, st)
		ve.Statement, office = st, st.Office
	case entry.Retraction:
		st := new(RetractionStatement)
		err = Unmarshal(payload, st)
		ve.Statement, office = st, st.Office
	case entry.Supersession:
		st := new(SupersessionStatement)
		err = Unmarshal(payload, st)
		ve.Statement, office = st, st.Office
	case entry.KeyAdded, entry.KeyRevoked:
		st, err := v.keyStatement(payload)
		if err == nil {
			err = checkAddedKey(e.Kind, st.PublicKey)
		}
		if err != nil {
			return nil, fmt.Errorf("verify %s entry: %w", e.Kind, err)
		}
		ve.Statement, office = st, st.Office
	case entry.OfficeKeyRotated:
		st := new(RotationStatement)
		err = Unmarshal(payload, st)
		ve.Statement, office = st, st.Office
	default:
		return ve, nil
	}
	if err != nil {
		return nil, fmt.Errorf("verify %s entry: %w: %w", e.Kind, ErrMalformed, err)
	}
	if office != v.t.office {
		return nil, fmt.Errorf("verify %s entry: %w: statement of office %q, trust root is for %q", e.Kind, ErrUntrustedKey, truncate(office), v.t.office)
	}
	return ve, nil
}

// signers checks every signature of the statement against the key entries of the seal and
// returns the signing members, one per distinct key.
func (v *Verifier) signers(s *Seal, st *ReleaseStatement, cp *checkpoint) ([]string, error) {
	keys := make(map[string]*signerKey, len(s.Keys))
	for i, le := range s.Keys {
		ks, err := v.keyEntry(le, st, cp, s.Release.Index)
		if err != nil {
			return nil, fmt.Errorf("key entry %d: %w", i, err)
		}
		if keys[ks.KeyID] != nil {
			return nil, fmt.Errorf("key entry %d: %w: key %s repeated", i, ErrMalformed, ks.KeyID)
		}
		keys[ks.KeyID] = ks
	}
	if len(st.Signatures) == 0 {
		return nil, nil
	}
	// SigningMessage, in buffers on the stack when it fits.
	var jbuf, buf [1024]byte
	signing := st.Signing()
	payload, ok := appendSigningJSON(jbuf[:0], &signing)
	if !ok {
		payload = Marshal(signing)
	}
	msg := dsse.AppendPAE(buf[:0], SigningPayloadType, payload)
	names := make([]string, 0, len(st.Signatures))
	seen := make(map[string]bool, len(st.Signatures))
	for i, sig := range st.Signatures {
		ks := keys[sig.KeyID]
		if ks == nil {
			return nil, fmt.Errorf("signature %d by %q: %w: key %q has no key-added entry in the seal", i, sig.Signer, ErrUntrustedKey, truncate(sig.KeyID))
		}
		if ks.Member != sig.Signer {
			return nil, fmt.Errorf("signature %d by %q: %w: key %s belongs to %q", i, sig.Signer, ErrUntrustedKey, sig.KeyID, ks.Member)
		}
		if !ks.key.Verify(msg, sig.Sig) {
			return nil, fmt.Errorf("signature %d by %q: %w", i, sig.Signer, ErrBadSignature)
		}
		if !seen[sig.KeyID] {
			seen[sig.KeyID] = true
			names = append(names, sig.Signer)
		}
	}
	return names, nil
}

// keyEntry checks one key entry of a seal: a key-added entry for a key that signed st, signed
// by the office, in the checkpoint's tree before the release.
func (v *Verifier) keyEntry(le LoggedEntry, st *ReleaseStatement, cp *checkpoint, release int64) (*signerKey, error) {
	leaf := tlog.RecordHash(le.Entry)
	// The cache is keyed by the entry, its opening and its index together, so that a seal is
	// judged the same by a fresh verifier and by one that has seen the entry with another
	// opening, or at another index (keyEntryID). The salt's length is hashed too: else a salt
	// with the statement's first byte moved into it would hash as the valid opening does.
	id := leaf
	if o := le.Opening; o != nil {
		var n [8]byte
		binary.BigEndian.PutUint64(n[:], uint64(len(o.Salt)))
		h := sha256.New()
		h.Write(leaf[:])
		h.Write(n[:])
		h.Write(o.Salt)
		h.Write(o.Statement)
		h.Sum(id[:0])
	}
	v.mu.RLock()
	ks := v.keys[keyEntryID{id, le.Index}]
	v.mu.RUnlock()
	if ks == nil {
		e, err := entry.Decode(le.Entry)
		if err != nil {
			return nil, fmt.Errorf("%w: %w", ErrMalformed, err)
		}
		if e.Kind != entry.KeyAdded {
			return nil, fmt.Errorf("%w: a %s entry, not %s", ErrUntrustedKey, e.Kind, entry.KeyAdded)
		}
		opened, err := v.openKey(e, le.Opening)
		if err != nil {
			return nil, err
		}
		if err := checkAddedKey(e.Kind, opened.PublicKey); err != nil {
			return nil, err
		}
		// Refuse a key no signature uses before spending its expansion or a signature check
		// on it.
		if !signedBy(st, opened.KeyID) {
			return nil, fmt.Errorf("%w: key %s signed nothing in the release", ErrMalformed, opened.KeyID)
		}
		key, err := edkey.New(opened.PublicKey)
		if err != nil {
			return nil, fmt.Errorf("%w: %w", ErrMalformed, err)
		}
		ks = &signerKey{KeyStatement: opened, key: key}
		// No outdated-trust-root here: a key entry precedes the release, whose office key the
		// trust root knows, so a key entry by a key it does not know is untrusted.
		if err := v.officeSigned(e.Envelope, le.Index); err != nil {
			return nil, err
		}
		v.mu.Lock()
		evictOne(v.keys)
		v.keys[keyEntryID{id, le.Index}] = ks
		v.mu.Unlock()
	} else if !signedBy(st, ks.KeyID) {
		return nil, fmt.Errorf("%w: key %s signed nothing in the release", ErrMalformed, ks.KeyID)
	}
	if le.Index >= release {
		return nil, fmt.Errorf("%w: key added at index %d, not before the release at %d", ErrBadProof, le.Index, release)
	}
	v.mu.RLock()
	proven, ok := cp.keys[le.Index]
	v.mu.RUnlock()
	if !ok || proven.leaf != leaf || !slices.Equal(proven.proof, le.Proof) {
		if err := cp.prove(le.Index, leaf, le.Proof); err != nil {
			return nil, err
		}
		v.mu.Lock()
		evictOne(cp.keys)
		cp.keys[le.Index] = provenKey{leaf: leaf, proof: slices.Clone(le.Proof)}
		v.mu.Unlock()
	}
	return ks, nil
}

func signedBy(st *ReleaseStatement, keyID string) bool {
	for _, s := range st.Signatures {
		if s.KeyID == keyID {
			return true
		}
	}
	return false
}

// openKey returns the key statement of a key entry: its payload (version 1) or what its
// opening reveals (version 2), checked as keyStatement checks.
func (v *Verifier) openKey(e *entry.Entry, o *Opening) (*KeyStatement, error) {
	if e.V() == entry.V1 {
		if o != nil {
			return nil, fmt.Errorf("%w: an opening for a version 1 entry, which has none", ErrMalformed)
		}
		return v.keyStatement(e.Envelope.Payload)
	}
	rec := new(KeyRecord)
	if err := Unmarshal(e.Envelope.Payload, rec); err != nil {
		return nil, fmt.Errorf("%w: key record: %w", ErrMalformed, err)
	}
	if _, err := OpenKey(e.Kind, rec, o); err != nil {
		return nil, err
	}
	// The opened statement agrees with the record; check it as a version 1 payload.
	return v.keyStatement(o.Statement)
}

// keyStatement decodes a KeyStatement and checks that it is for this office and that its key
// ID is its key's.
func (v *Verifier) keyStatement(payload []byte) (*KeyStatement, error) {
	ks := new(KeyStatement)
	if err := Unmarshal(payload, ks); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrMalformed, err)
	}
	if len(ks.PublicKey) != ed25519.PublicKeySize || ks.KeyID != dsse.KeyID(ks.PublicKey) {
		return nil, fmt.Errorf("%w: key statement: keyid %q is not the SHA-256 of a 32-byte public key", ErrMalformed, truncate(ks.KeyID))
	}
	if ks.Office != v.t.office {
		return nil, fmt.Errorf("%w: key of office %q, trust root is for %q", ErrUntrustedKey, truncate(ks.Office), v.t.office)
	}
	return ks, nil
}

// checkAddedKey refuses the key of a key-added entry that signs nothing a verifier may
// accept (checkKey). A key-revoked entry may name any key: revoking a key the verifier
// refuses takes nothing from anyone.
func checkAddedKey(k entry.Kind, pub []byte) error {
	if k != entry.KeyAdded {
		return nil
	}
	if err := checkKey(pub); err != nil {
		return fmt.Errorf("%w: signer key %s: %w", ErrUntrustedKey, dsse.KeyID(pub), err)
	}
	return nil
}

// checkKey refuses a key the registry refuses to add (keys.CheckPublicKey): a key of small
// order, under which one signature verifies for every message, so that anyone could sign as
// its holder, and 32 bytes that are no point. It refuses too a key not in the canonical
// encoding of its point (RFC 8032, 5.1.3: y below p, no sign for x = 0), which
// crypto/ed25519 accepts: the point's canonical encoding is another key ID for the same key.
func checkKey(pub []byte) error {
	return keys.CheckPublicKey(pub)
}

// errUnknownOfficeKey: no signature of an entry names an office key of the trust root.
var errUnknownOfficeKey = fmt.Errorf("%w: no signature by an office key of the trust root", ErrUntrustedKey)

// officeSigned checks that env, the log entry at index, carries a valid signature by an
// office key of the trust root whose window covers index. Keys are chosen by the signatures'
// key IDs, and only the first signature naming each office key is checked: an entry carrying
// many signatures costs at most one check per office key.
func (v *Verifier) officeSigned(env *dsse.Envelope, index int64) error {
	// The signed message of an entry is a kilobyte or two: made on the stack when it fits.
	var buf [2048]byte
	var pae []byte
	named := false
	var retired *officeKey
	for i := range v.t.officeKeys {
		k := &v.t.officeKeys[i]
		for _, s := range env.Signatures {
			if s.KeyID != k.KeyID {
				continue
			}
			if !k.covers(index) {
				retired = k
				break
			}
			if pae == nil {
				pae = dsse.AppendPAE(buf[:0], env.PayloadType, env.Payload)
			}
			if k.key.Verify(pae, s.Sig) {
				return nil
			}
			named = true
			break
		}
	}
	if named {
		return fmt.Errorf("%w: office signature does not verify", ErrBadSignature)
	}
	if retired != nil {
		return fmt.Errorf("%w: signed by office key %s, which signs only %s, not entry %d", ErrUntrustedKey, retired.KeyID, retired.window(), index)
	}
	return errUnknownOfficeKey
}

// outdated turns errUnknownOfficeKey into ErrOutdatedTrustRoot when the entry is proven in the
// office's log all the same: only the office appends to its log, so an entry there signed by
// a key the trust root does not know means the office rotated its key after the trust root
// was exported. Any other error is returned as it is.
func (v *Verifier) outdated(err error, cp *checkpoint, index int64, data []byte, proof tlog.RecordProof) error {
	if err != errUnknownOfficeKey || cp.prove(index, tlog.RecordHash(data), proof) != nil {
		return err
	}
	return fmt.Errorf("%w: entry %d is in the office's log, but signed by no office key this trust root lists: the office rotated its key after the trust root was exported (else the entry is not the office's); refresh the trust root ('chancery trust export' from the registry) and verify again", ErrOutdatedTrustRoot, index)
}

// Cosigner is a witness that cosigned a checkpoint: its key's name and hash, and the time in
// its cosignature (C2SP tlog-cosignature), which the witness signed.
type Cosigner struct {
	Name    string
	KeyHash uint32
	Time    time.Time
}

// cosignatureTime reads the timestamp of a cosignature/v1 signature, whose bytes (after the
// 4-byte key hash) are an 8-byte big-endian Unix time and the Ed25519 signature. The
// signature was verified with that time in the signed message. It reports false for a
// signature of another length or a time past 2^63 − 1.
func cosignatureTime(b64 string) (time.Time, bool) {
	b, err := base64.StdEncoding.DecodeString(b64)
	if err != nil || len(b) != 4+8+ed25519.SignatureSize {
		return time.Time{}, false
	}
	// C2SP tlog-cosignature: the timestamp MUST NOT exceed 2^63 − 1; as a signed Unix time
	// a larger one would be a date before the Epoch.
	ts := binary.BigEndian.Uint64(b[4:12])
	if ts > math.MaxInt64 {
		return time.Time{}, false
	}
	return time.Unix(int64(ts), 0).UTC(), true
}

// QuorumTime returns the time from which quorum of the cosigners of a checkpoint vouch for
// it: the quorum-th newest cosignature time, or the zero time if they are fewer.
func QuorumTime(cosigners []Cosigner, quorum int) time.Time {
	if quorum < 1 || quorum > len(cosigners) {
		return time.Time{}
	}
	ts := make([]time.Time, len(cosigners))
	for i, c := range cosigners {
		ts[i] = c.Time
	}
	slices.SortFunc(ts, func(a, b time.Time) int { return b.Compare(a) })
	return ts[quorum-1]
}

// VerifyCheckpoint checks a signed checkpoint as a seal's is checked (docs/seal-format.md,
// step 2): the trust root's log, signed by its log key, with the witness quorum's
// cosignatures. It returns the tree's size and the trust root's witnesses that cosigned it,
// with their times (for a freshness bound, QuorumTime). An online verifier checks with it a
// checkpoint that an answer is judged against but that no seal carries (the latest one an
// answer comes with): one signed by the log key alone may be of a tree no witness saw, a
// split view. The cosigners are shared: the caller must not modify them.
func (v *Verifier) VerifyCheckpoint(signed []byte) (int64, []Cosigner, error) {
	c, err := v.checkpoint(signed)
	if err != nil {
		return 0, nil, fmt.Errorf("verify checkpoint: %w", err)
	}
	return c.size, c.cosigners, nil
}

// LogOrigin is the origin of the trust root's log, the first line of its checkpoints.
func (v *Verifier) LogOrigin() string { return v.t.log.Name() }

// checkpoint opens a signed checkpoint with the log key and the witnesses' keys, or returns it
// from the cache.
func (v *Verifier) checkpoint(signed []byte) (*checkpoint, error) {
	if len(signed) > maxCheckpointSize {
		return nil, fmt.Errorf("%w: larger than %d bytes", ErrBadCheckpoint, maxCheckpointSize)
	}
	id := sha256.Sum256(signed)
	v.mu.RLock()
	c := v.checkpoints[id]
	v.mu.RUnlock()
	if c != nil {
		return c, nil
	}
	n, err := tlogcp.OpenNote(signed, v.t.notes)
	if unverified := (*note.UnverifiedNoteError)(nil); errors.As(err, &unverified) {
		// Signed by none of the trust root's keys: neither the log key nor a witness.
		return nil, fmt.Errorf("%w %s: %w", ErrNotSignedByLog, v.t.log.Name(), err)
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrBadCheckpoint, err)
	}
	logKey := noteKey{v.t.log.Name(), v.t.log.KeyHash()}
	c = &checkpoint{keys: map[int64]provenKey{}}
	byLog := false
	for _, s := range n.Sigs {
		// OpenNote verified every signature line by a known key; n.Sigs holds each key once.
		switch k := (noteKey{s.Name, s.Hash}); {
		case k == logKey:
			byLog = true
		case v.t.witnesses[k]:
			t, ok := cosignatureTime(s.Base64)
			if !ok {
				return nil, fmt.Errorf("%w: the cosignature of %s is dated past 2^63 − 1 seconds (C2SP tlog-cosignature)", ErrBadCheckpoint, truncate(s.Name))
			}
			c.witnesses++
			c.cosigners = append(c.cosigners, Cosigner{Name: s.Name, KeyHash: s.Hash, Time: t})
		}
	}
	if !byLog {
		return nil, fmt.Errorf("%w %s", ErrNotSignedByLog, v.t.log.Name())
	}
	body, err := tlogcp.Parse([]byte(n.Text))
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrBadCheckpoint, err)
	}
	if body.Origin != v.t.log.Name() {
		return nil, fmt.Errorf("%w: origin %q, want %q", ErrBadCheckpoint, truncate(body.Origin), v.t.log.Name())
	}
	if c.witnesses < v.t.quorum {
		return nil, fmt.Errorf("%w: %d of %d cosignatures", ErrWitnessQuorum, c.witnesses, v.t.quorum)
	}
	c.size, c.root = body.Size, body.Root
	v.mu.Lock()
	evictOne(v.checkpoints)
	v.checkpoints[id] = c
	v.mu.Unlock()
	return c, nil
}

// prove checks that leaf is the record hash at index in the checkpoint's tree.
func (c *checkpoint) prove(index int64, leaf tlog.Hash, proof tlog.RecordProof) error {
	if index < 0 || index >= c.size {
		return fmt.Errorf("%w: index %d outside the checkpoint's tree of size %d", ErrBadProof, index, c.size)
	}
	if err := tlog.CheckRecord(proof, c.size, c.root, index, leaf); err != nil {
		return fmt.Errorf("%w: index %d in tree of size %d: %w", ErrBadProof, index, c.size, err)
	}
	return nil
}

// evictOne makes room in a full cache by dropping an arbitrary entry. The caller holds the
// write lock.
func evictOne[K comparable, V any](m map[K]V) {
	if len(m) < maxCached {
		return
	}
	for k := range m {
		delete(m, k)
		return
	}
}

// canonicalDigest reports whether d is "sha256:" and 64 lowercase hex digits.
func canonicalDigest(d Digest) bool {
	return isCanonicalDigest(string(d))
}
