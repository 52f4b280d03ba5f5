package registry

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"strconv"

	"github.com/chancery/chancery/internal/checkpoint"
	"github.com/chancery/chancery/internal/cosigned"
	"github.com/chancery/chancery/internal/seal"
	"github.com/chancery/chancery/internal/store"
	"github.com/chancery/chancery/internal/translog"
	"golang.org/x/mod/sumdb/tlog"
)

// Kept seals. Each released letter's seal is built once, against the first checkpoint (the
// first cosigned one, with witnesses) that includes the release, and kept in the store. A seal
// against an older checkpoint proves exactly what it proved when it was made, so a lookup of a
// letter that stands reads the kept bytes instead of proving afresh; a verifier that wants to
// know the answer is current asks for Freshness, a consistency proof from the seal's
// checkpoint to the latest (docs/seal-format.md, "Kept seals").

// quorumKeys is the witness configuration cfg as keptSealCosigned reads it: for each key hash
// of a configured witness's signature lines, the names it is used under and the witness's
// public key, so that a key under two names counts once, as for the head.
type quorumKeys struct {
	cfg  *cosigned.Config
	keys map[uint32][]quorumKey
}

// quorumKey is a configured witness's signature line key: its name and its public key.
type quorumKey struct {
	name, id string
}

// keptSealCosigned reports whether cp, the checkpoint of a kept seal (as the registry signed
// it, with the cosignature lines it verified), carries the cosignatures of at least the quorum
// in force of the configured witnesses. A seal kept before a quorum was set or raised, or
// cosigned by witnesses removed since, does not: the trust root the office exports now
// refuses it, so a letter that stands is answered with a seal proved afresh against the
// cosigned checkpoint served (attachEvidence) instead. It reads the lines in place, without
// allocating for a quorum of up to 8: it runs at every lookup of a kept answer.
func (r *Registry) keptSealCosigned(cp []byte) bool {
	if r.cfg.Heads == nil {
		return true
	}
	cfg := r.cfg.Heads.Config()
	if cfg.Quorum == 0 {
		return true
	}
	q := r.quorumKeys.Load()
	if q == nil || q.cfg != cfg {
		q = &quorumKeys{cfg: cfg, keys: map[uint32][]quorumKey{}}
		for _, w := range cfg.Witnesses {
			v, err := seal.WitnessVerifier(w.VKey)
			if err != nil {
				continue
			}
			id := w.VKey
			if pub, err := seal.PublicKeyOf(w.VKey); err == nil {
				id = string(pub)
			}
			q.keys[v.KeyHash()] = append(q.keys[v.KeyHash()], quorumKey{v.Name(), id})
		}
		r.quorumKeys.Store(q)
	}
	i := bytes.LastIndex(cp, []byte("\n\n"))
	if i < 0 {
		return false
	}
	var buf [8]string
	seen := buf[:0]
	for rest := cp[i+2:]; len(rest) > 0; {
		var line []byte
		line, rest, _ = bytes.Cut(rest, []byte("\n"))
		name, b64, ok := bytes.Cut(bytes.TrimPrefix(line, []byte("— ")), []byte(" "))
		if !ok || len(b64) < 8 {
			continue
		}
		var hash [6]byte // the key hash is the signature's first 4 bytes: 8 base64 characters
		if _, err := base64.StdEncoding.Decode(hash[:], b64[:8]); err != nil {
			continue
		}
		for _, k := range q.keys[binary.BigEndian.Uint32(hash[:4])] {
			if k.name == string(name) && !slices.Contains(seen, k.id) {
				seen = append(seen, k.id)
			}
		}
	}
	return len(seen) >= cfg.Quorum
}

// keepSeal keeps s, the seal of the release entry at index, unless one is kept already or the
// release's content was erased (the seal holds its opening), and in the same transaction the
// public answer about the release (answer.go). Failing to keep them costs only the next
// lookup a rebuild, so the error is the caller's to report or ignore.
//
// Since the ninth pass of issue 19 item 5, a seal whose answer is kept is kept in the answer
// only: the answer's body holds the seal's own part (its inclusion proof), and its row names
// the shared part (store.Tx.PutSealAnswer), so no seals row repeats that proof. A seal whose
// answer is not kept (the letter is withdrawn, a signer's key is revoked, or another digest
// holds the answer's key) is kept in seals, as before; so are the seals kept before.
func (r *Registry) keepSeal(ctx context.Context, index int64, s *seal.Seal) error {
	k := compactSeal(s)
	return r.cfg.DB.Update(ctx, func(tx *store.Tx) error {
		lk, err := tx.LookupReleaseAt(ctx, index)
		if errors.Is(err, store.ErrNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		if lk.Seal != nil {
			return r.keepAnswerOf(ctx, tx, lk) // kept in seals already: that one stays
		}
		lk.Seal = &k
		keys, err := r.txKeyStates(ctx, tx, lk)
		if err != nil {
			return err
		}
		if _, body, err := r.answerWithRow(ctx, lk, keys); err == nil && body != nil {
			_, err := tx.PutSealAnswer(ctx, lk.Release.FileDigest, index, k, body)
			return err
		}
		// An answer that cannot be rendered is not kept: the seal is, in seals.
		if err := tx.PutSeal(ctx, index, k); err != nil {
			return err
		}
		return tx.DropAnswer(ctx, lk.Release.FileDigest)
	})
}

// answerSeal returns the kept seal that the kept answer a holds for the release entry at
// index: the shared part the row names and the inclusion proof in its body, which gives the
// same seal as the one kept (expandSeal); errNotKept if a holds none or is malformed.
func answerSeal(a store.Answer, index int64) (*store.KeptSeal, error) {
	if a.Part == 0 || a.Checkpoint == nil || len(a.Body) < 1 || a.Body[0]&packedBody == 0 {
		return nil, errNotKept
	}
	text, err := unpackAnswer(nil, a.Body[1:])
	if err != nil {
		return nil, errNotKept
	}
	// The body's pieces are head and middle, each behind its length, then the release's
	// logged entry up to the keys: `,"release":{"index":N,"entry":"…","proof":[…],…`. The
	// entry is base64, so the first "proof" after it is the release's.
	for range 2 {
		n, w := binary.Uvarint(text)
		if w <= 0 || n > uint64(len(text)-w) {
			return nil, errNotKept
		}
		text = text[w+int(n):]
	}
	pre := `,"release":{"index":` + strconv.FormatInt(index, 10) + `,"entry":"`
	if !bytes.HasPrefix(text, []byte(pre)) {
		return nil, errNotKept
	}
	text = text[len(pre):]
	end := bytes.IndexByte(text, '"')
	if end < 0 || !bytes.HasPrefix(text[end:], []byte(`","proof":[`)) {
		return nil, errNotKept
	}
	text = text[end+len(`","proof":[`):]
	end = bytes.IndexByte(text, ']')
	if end < 0 {
		return nil, errNotKept
	}
	var hashes []byte
	if end > 0 {
		for _, h := range bytes.Split(text[:end], []byte(",")) {
			if len(h) < 2 || h[0] != '"' || h[len(h)-1] != '"' {
				return nil, errNotKept
			}
			raw, err := base64.StdEncoding.DecodeString(string(h[1 : len(h)-1]))
			if err != nil || len(raw) != tlog.HashSize {
				return nil, errNotKept
			}
			hashes = append(hashes, raw...)
		}
	}
	proof := binary.AppendUvarint(nil, uint64(len(hashes)/tlog.HashSize))
	return &store.KeptSeal{Checkpoint: a.Checkpoint, SignerProofs: a.KeyProofs, Proof: append(proof, hashes...)}, nil
}

// sealFromAnswer sets lk.Seal, for a letter that stands with no seal in seals, to the seal its
// kept answer holds, if any.
func (r *Registry) sealFromAnswer(ctx context.Context, lk *store.ReleaseLookup) error {
	if lk.Seal != nil || lk.Withdrawal != nil || !lk.Release.ErasedAt.IsZero() {
		return nil
	}
	a, err := r.cfg.DB.Answer(ctx, lk.Release.FileDigest)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	if k, err := answerSeal(a, lk.Release.LogIndex); err == nil {
		lk.Seal = k
	}
	return nil
}

// A seal is kept in a compact form (issue 19 item 5): what only the seal holds (its checkpoint
// and its inclusion proofs) and not what the store holds anyway (the release entry and its
// opening, in releases and openings; the signer keys' entries and openings, one per key). A
// lookup reads the release and its opening in the same transaction, so expanding costs no
// further read, and gives the same bytes as the seal that was kept (Seal.Marshal). The
// checkpoint and the signer keys' proofs are the same for every release sealed against that
// checkpoint, and the store keeps them once (store.KeptSeal):
//
//	Proof        = proof
//	SignerProofs = uvarint keys | (uvarint index | proof)...
//	proof        = uvarint hashes | 32-byte hashes
//
// (Migration 16 cut the seals kept before, 'K' | uvarint len | checkpoint | Proof |
// SignerProofs, into these parts.)
func compactSeal(s *seal.Seal) store.KeptSeal {
	proof := func(b []byte, p tlog.RecordProof) []byte {
		b = binary.AppendUvarint(b, uint64(len(p)))
		for _, h := range p {
			b = append(b, h[:]...)
		}
		return b
	}
	keys := binary.AppendUvarint(nil, uint64(len(s.Keys)))
	for _, k := range s.Keys {
		keys = binary.AppendUvarint(keys, uint64(k.Index))
		keys = proof(keys, k.Proof)
	}
	return store.KeptSeal{Checkpoint: s.Checkpoint, SignerProofs: keys, Proof: proof(nil, s.Release.Proof)}
}

// expandSeal rebuilds the kept seal k of the release rel, whose opening is o and statement
// stmt: the signer keys' entries are those sealFor puts in, in the same order.
func (r *Registry) expandSeal(ctx context.Context, k store.KeptSeal, rel *store.Release, o *seal.Opening, stmt *seal.ReleaseStatement) (*seal.Seal, error) {
	bad := errors.New("malformed kept seal")
	uvarint := func(b *[]byte) (uint64, bool) {
		v, n := binary.Uvarint(*b)
		if n <= 0 {
			return 0, false
		}
		*b = (*b)[n:]
		return v, true
	}
	proof := func(b *[]byte) (tlog.RecordProof, bool) {
		n, ok := uvarint(b)
		if !ok || n > uint64(len(*b))/tlog.HashSize {
			return nil, false
		}
		p := make(tlog.RecordProof, n)
		for i := range p {
			copy(p[i][:], (*b)[:tlog.HashSize])
			*b = (*b)[tlog.HashSize:]
		}
		return p, true
	}
	if len(k.Checkpoint) == 0 {
		return nil, bad
	}
	s := &seal.Seal{Checkpoint: k.Checkpoint, Release: seal.LoggedEntry{Index: rel.LogIndex, Entry: rel.Entry, Opening: o}}
	b := k.Proof
	var ok bool
	if s.Release.Proof, ok = proof(&b); !ok || len(b) != 0 {
		return nil, bad
	}
	b = k.SignerProofs
	keys := seal.SignerKeys(stmt)
	if n, ok := uvarint(&b); !ok || n != uint64(len(keys)) {
		return nil, bad
	}
	for _, id := range keys {
		k, err := r.keyEntry(ctx, id)
		if err != nil {
			return nil, err
		}
		if idx, ok := uvarint(&b); !ok || idx != uint64(k.Index) {
			return nil, bad
		}
		if k.Proof, ok = proof(&b); !ok {
			return nil, bad
		}
		s.Keys = append(s.Keys, k)
	}
	if len(b) != 0 {
		return nil, bad
	}
	return s, nil
}

// Freshness is the latest checkpoint the registry serves, and the proof that it extends the
// checkpoint of a seal: with it, a verifier knows that an answer carrying an older (kept) seal
// was given against the log as it is now.
type Freshness struct {
	Checkpoint []byte
	// Proof proves that the tree of the seal's checkpoint is a prefix of the latest; empty
	// when they are the same size.
	Proof tlog.TreeProof
	// Status, from VerifyLatest, is the log's signed word that the letter had the answer's
	// outcome in the latest checkpoint's tree (checkpoint.Status): without it, anyone could
	// attach a fresh checkpoint and proof, both public, to an answer recorded before a
	// withdrawal, and pass it off as current.
	Status []byte
	head   *translog.Head
}

// Freshness proves that the latest served checkpoint extends sealCheckpoint.
func (r *Registry) Freshness(ctx context.Context, sealCheckpoint []byte) (*Freshness, error) {
	old, err := checkpoint.Size(sealCheckpoint)
	if err != nil {
		return nil, err
	}
	head, err := r.headCovering(ctx, old-1)
	if err != nil {
		return nil, err
	}
	f := &Freshness{Checkpoint: head.Checkpoint, head: head}
	if head.Size > old {
		if f.Proof, err = r.cfg.Log.ConsistencyProof(ctx, old, head.Size); err != nil {
			return nil, err
		}
	}
	return f, nil
}

// ErrStateMoving says that a letter was withdrawn while VerifyLatest answered about it.
var ErrStateMoving = fmt.Errorf("%w: the letter's state changed while it was read: ask again", ErrConflict)

// VerifyLatest is VerifyDigest for a verifier that refuses answers older than what it has seen
// (`chancery verify`): with the answer, the latest checkpoint, the proof that it extends the
// seal's, and the log's signed status of the letter in that checkpoint's tree. The status is
// signed only if the letter's state, read again from the store after the checkpoint was
// taken, still has the answer's outcome and revocations: a withdrawal or a revocation commits
// with its log entry, so one not in the store then was not in that tree. Without a seal there
// is no freshness.
func (r *Registry) VerifyLatest(ctx context.Context, a Actor, d seal.Digest) (_ *Status, _ *Freshness, err error) {
	defer catchingUp(&err)
	for range 3 {
		st, err := r.VerifyDigest(ctx, a, d)
		if err != nil || st.Seal == nil {
			return st, nil, err
		}
		switch st.Outcome {
		case Valid, Retracted, Superseded:
		default:
			return st, nil, nil
		}
		f, err := r.Freshness(ctx, st.Seal.Checkpoint)
		if err != nil {
			return nil, nil, err
		}
		// Read again from the store, past every cached answer.
		now, err := r.verifyDigest(ctx, a, d)
		if err != nil {
			return nil, nil, err
		}
		if now.Outcome != st.Outcome || len(now.Revocations) != len(st.Revocations) {
			continue
		}
		if f.Status, err = r.cfg.Log.SignStatus(f.head, st.Seal.Release.Index, st.Outcome, len(st.Revocations)); err != nil {
			return nil, nil, err
		}
		return st, f, nil
	}
	return nil, nil, ErrStateMoving
}
