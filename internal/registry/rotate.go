package registry

import (
	"context"
	"crypto"
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/chancery/chancery/internal/dsse"
	"github.com/chancery/chancery/internal/entry"
	"github.com/chancery/chancery/internal/keys"
	"github.com/chancery/chancery/internal/seal"
	"github.com/chancery/chancery/internal/store"
)

// officeKeysSetting names the store setting that holds the office key history (a JSON list of
// HistoryKey). It is absent until the first rotation: the office then has one key, the one
// its data directory names. It is written in the rotation entry's transaction, so the log and
// the history never disagree.
const officeKeysSetting = "office_keys"

// HistoryKey is one office key of the history: its public key and window, as trust roots
// carry it, and where the private key is (a key file in the data directory or a pkcs11: URI,
// without a PIN), so that a server opens the current one.
type HistoryKey struct {
	seal.OfficeKey
	Ref string `json:"ref"`
}

// Current reports whether k is the office's current key (its window has no end).
func (k HistoryKey) Current() bool { return k.UntilIndex == nil }

// OfficeKeyHistory returns the office key history recorded in db, oldest first; none before
// the first rotation.
func OfficeKeyHistory(ctx context.Context, db *store.DB) ([]HistoryKey, error) {
	var h []HistoryKey
	err := db.View(ctx, func(tx *store.Tx) error {
		var err error
		h, err = readHistory(ctx, tx)
		return err
	})
	return h, err
}

// firstKeySetting names the setting that records the ID of the office key an office first
// opened with, until its first rotation starts the key history.
const firstKeySetting = "office_key_first"

// PinOfficeKey checks that keyID is the office key the office first opened with, recording it
// if this is the first time. It is for an office whose key was never rotated (no history,
// OfficeKeyHistory): before, whatever key its file or token held was taken as the office's,
// and a second token under the office token's label could make the office sign with another
// key, served in its trust root as if it had always been the office's.
func PinOfficeKey(ctx context.Context, db *store.DB, keyID string) error {
	check := func(tx *store.Tx) (bool, error) {
		v, err := tx.Setting(ctx, firstKeySetting)
		if errors.Is(err, store.ErrNotFound) {
			return false, nil
		}
		if err != nil {
			return false, fmt.Errorf("the office's first key: %w", err)
		}
		if v != keyID {
			return true, fmt.Errorf("the office key opened (%s) is not the office's key (%s), with which it was first opened and which no rotation retired: is the key file or the token the office's?", keyID, v)
		}
		return true, nil
	}
	var pinned bool
	err := db.View(ctx, func(tx *store.Tx) (err error) {
		pinned, err = check(tx)
		return err
	})
	if err != nil || pinned {
		return err
	}
	return db.Update(ctx, func(tx *store.Tx) error {
		if pinned, err := check(tx); err != nil || pinned {
			return err
		}
		return tx.SetSetting(ctx, firstKeySetting, keyID)
	})
}

func readHistory(ctx context.Context, tx *store.Tx) ([]HistoryKey, error) {
	v, err := tx.Setting(ctx, officeKeysSetting)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("office key history: %w", err)
	}
	var h []HistoryKey
	if err := json.Unmarshal([]byte(v), &h); err != nil {
		return nil, fmt.Errorf("office key history: %w", err)
	}
	if len(h) == 0 || !h[len(h)-1].Current() {
		return nil, errors.New("office key history: no current key")
	}
	return h, nil
}

// officeSign signs payload of type pt with the office key k (any Ed25519 crypto.Signer: a key
// file's, or a token's).
func officeSign(k crypto.Signer, pt string, payload []byte) (dsse.Signature, error) {
	sig, err := k.Sign(nil, dsse.PAE(pt, payload), crypto.Hash(0))
	if err != nil {
		return dsse.Signature{}, fmt.Errorf("office key: sign: %w", err)
	}
	return dsse.Signature{KeyID: dsse.KeyID(k.Public().(ed25519.PublicKey)), Sig: sig}, nil
}

// appendSigned appends e, an entry this registry signed with its office key, as
// translog.Log.AppendTx does, after checking in the same transaction that the key is the
// office's current one. A server opened before a rotation (another server of a PostgreSQL
// office, which the rotating command cannot see) still holds the retired key; whatever it
// signed after the rotation every verifier with the new trust root refuses, so it must log
// nothing more.
func (r *Registry) appendSigned(ctx context.Context, e []byte, fn func(tx *store.Tx, index int64) error) (int64, error) {
	return r.appendSignedAll(ctx, [][]byte{e}, fn)
}

// appendSignedAll appends entries as appendSigned appends one, at consecutive indexes and in
// one transaction (translog.Log.AppendAllTx): fn is given the first one's index.
func (r *Registry) appendSignedAll(ctx context.Context, entries [][]byte, fn func(tx *store.Tx, index int64) error) (int64, error) {
	return r.cfg.Log.AppendAllTx(ctx, entries, func(tx *store.Tx, index int64) error {
		h, err := readHistory(ctx, tx)
		if err != nil {
			return err
		}
		if h != nil {
			cur := h[len(h)-1]
			if id := dsse.KeyID(r.cfg.OfficeKey.Public().(ed25519.PublicKey)); id != cur.KeyID {
				return fmt.Errorf("%w: this server signs with office key %s, retired: the office signs with %s since log entry %d; restart the server", ErrConflict, id, cur.KeyID, cur.FromIndex)
			}
		}
		return fn(tx, index)
	})
}

// officeKeys is the office key history for the trust root.
func (r *Registry) officeKeys() []seal.OfficeKey { return r.officeKeysOf(r.history.Load()) }

// officeKeysOf is the office key history for the trust root, h the history as read from the
// store (nil: none read).
func (r *Registry) officeKeysOf(h *[]seal.OfficeKey) []seal.OfficeKey {
	if h != nil {
		return append([]seal.OfficeKey(nil), *h...)
	}
	if r.cfg.OfficeKeys != nil {
		return append([]seal.OfficeKey(nil), r.cfg.OfficeKeys...)
	}
	return []seal.OfficeKey{seal.NewOfficeKey(r.cfg.OfficeKey.Public().(ed25519.PublicKey))}
}

// checkNewOfficeKey refuses as the office's next key one that verifiers would refuse, once
// logged, or read as another signer's: a key of small order, under which one signature
// verifies for every message (trust roots refuse it, so every later seal would fail), and the
// log's or a witness's key, since a signature on an entry, a checkpoint and a cosignature
// must each be made by the one party the verifier trusts for it. A key in a token is made
// elsewhere than by Chancery, so it is checked here as a registered one is.
func (r *Registry) checkNewOfficeKey(ctx context.Context, pub ed25519.PublicKey) error {
	if err := keys.CheckPublicKey(pub); err != nil {
		return fmt.Errorf("%w: the new key: %v", ErrInvalid, err)
	}
	if logPub, err := seal.PublicKeyOf(r.cfg.LogKey); err == nil && pub.Equal(logPub) {
		return fmt.Errorf("%w: the new key is the log's key", ErrInvalid)
	}
	return r.cfg.DB.View(ctx, func(tx *store.Tx) error {
		ws, err := tx.Witnesses(ctx)
		if err != nil {
			return err
		}
		for _, w := range ws {
			if p, err := seal.PublicKeyOf(w.VKey); err == nil && p.Equal(pub) {
				return fmt.Errorf("%w: the new key is witness %s's key", ErrInvalid, w.Name)
			}
		}
		return nil
	})
}

// RotateOfficeKey moves the office to the release key next, whose private key ref names (a
// key file in the data directory, or a pkcs11: URI without a PIN). It logs an
// office-key-rotated entry signed by the current key and by next, and records in the same
// transaction the key history: the current key (at oldRef) retired at the entry's index, next
// in force from it. It returns the entry's index.
//
// Every entry the registry signs must be logged before the rotation's: a server still
// signing with the old key after it would log entries that verifiers refuse. So the office
// rotates with its servers stopped (chancery key rotate holds the data directory's lock),
// and this registry must not be used afterwards: open the office again to sign with next.
func (r *Registry) RotateOfficeKey(ctx context.Context, a Actor, next crypto.Signer, oldRef, ref, reason string) (int64, error) {
	oldPub := r.cfg.OfficeKey.Public().(ed25519.PublicKey)
	newPub, ok := next.Public().(ed25519.PublicKey)
	if !ok {
		return 0, fmt.Errorf("rotate office key: %w: the new key is not an Ed25519 key", ErrInvalid)
	}
	if newPub.Equal(oldPub) {
		return 0, fmt.Errorf("rotate office key: %w: the new key is the current key", ErrInvalid)
	}
	if err := checkText("reason", reason, 1000); reason != "" && err != nil {
		return 0, err
	}
	if err := r.checkNewOfficeKey(ctx, newPub); err != nil {
		return 0, fmt.Errorf("rotate office key: %w", err)
	}
	for _, k := range r.officeKeys() {
		if k.KeyID == dsse.KeyID(newPub) {
			return 0, fmt.Errorf("rotate office key: %w: key %s was the office's before: a retired key does not come back", ErrConflict, k.KeyID)
		}
	}
	st := seal.RotationStatement{Office: r.cfg.Office.Name, OldKeyID: dsse.KeyID(oldPub), NewKeyID: dsse.KeyID(newPub),
		NewPublicKey: newPub, Reason: reason, Time: r.now()}
	payload := seal.Marshal(st)
	pt := entry.OfficeKeyRotated.PayloadType()
	oldSig, err := officeSign(r.cfg.OfficeKey, pt, payload)
	if err != nil {
		return 0, fmt.Errorf("rotate office key: %w", err)
	}
	newSig, err := officeSign(next, pt, payload)
	if err != nil {
		return 0, fmt.Errorf("rotate office key: the new key: %w", err)
	}
	e, err := (&entry.Entry{Kind: entry.OfficeKeyRotated, Envelope: &dsse.Envelope{Payload: payload, PayloadType: pt,
		Signatures: []dsse.Signature{oldSig, newSig}}}).Encode()
	if err != nil {
		return 0, fmt.Errorf("rotate office key: %w", err)
	}
	defer r.public.changing()() // no answer kept until the log's transaction has ended (see publicCache)
	idx, err := r.cfg.Log.AppendTx(ctx, e, func(tx *store.Tx, index int64) error {
		h, err := readHistory(ctx, tx)
		if err != nil {
			return err
		}
		if h == nil {
			h = []HistoryKey{{OfficeKey: seal.NewOfficeKey(oldPub), Ref: oldRef}}
		}
		cur := &h[len(h)-1]
		if cur.KeyID != st.OldKeyID {
			return fmt.Errorf("%w: the history's current key is %s, this registry signs with %s: another rotation happened", ErrConflict, cur.KeyID, st.OldKeyID)
		}
		cur.UntilIndex = &index
		nk := HistoryKey{OfficeKey: seal.NewOfficeKey(newPub), Ref: ref}
		nk.FromIndex = index
		h = append(h, nk)
		js, err := json.Marshal(h)
		if err != nil {
			return err
		}
		if err := tx.SetSetting(ctx, officeKeysSetting, string(js)); err != nil {
			return err
		}
		return r.audit(ctx, tx, a, "office-key.rotate", "", fmt.Sprintf("%s retired, %s in force from log entry %d", st.OldKeyID, st.NewKeyID, index))
	})
	if err != nil {
		return 0, fmt.Errorf("rotate office key: %w", err)
	}
	return idx, nil
}

// LoadOfficeKeys reads the office key history from the store again, for the trust root: a
// server of a PostgreSQL office keeps running through a rotation made through another data
// directory (it then logs nothing more, appendSigned), and the trust root it serves must name
// the new key and close the retired key's window, or a verifier pinning it would take entries
// signed by the retired key after the rotation. The server still signs with the key it was
// opened with.
func (r *Registry) LoadOfficeKeys(ctx context.Context) error {
	h, err := OfficeKeyHistory(ctx, r.cfg.DB)
	if err != nil || h == nil {
		return err
	}
	keys := OfficeKeysOf(h)
	r.history.Store(&keys)
	return nil
}

// OfficeKeysOf turns a key history into the trust root's office keys.
func OfficeKeysOf(h []HistoryKey) []seal.OfficeKey {
	out := make([]seal.OfficeKey, len(h))
	for i, k := range h {
		out[i] = k.OfficeKey
	}
	return out
}
