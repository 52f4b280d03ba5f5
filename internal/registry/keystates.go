package registry

import (
	"sync/atomic"

	"github.com/chancery/chancery/internal/seal"
	"github.com/chancery/chancery/internal/store"
)

// keyStates keeps the revoked signer keys, which an answer about a released letter needs
// (a letter signed with a revoked key is answered with the revocation) and which change
// rarely, so that a lookup does not read them.
//
// The set is kept with the count of revoked keys it was read at. Every lookup statement
// counts the revoked keys in its own snapshot (store.ReleaseLookup.RevokedKeys), and the set
// is used only when that count is the kept one. Revocation cannot be undone and key rows are
// never deleted, so the set only grows: equal counts are equal sets, and the kept set is
// exactly the snapshot's. A revocation by this server or by any other on the same database
// changes the count in every snapshot taken after its commit, and the next lookup reads the
// letter and the set again in one snapshot (Registry.lookup): an answer never says "valid"
// for a letter whose signer's key was revoked in the state it read.
type keyStates struct {
	cur atomic.Pointer[revokedKeys]
}

// revokedKeys is the set of revoked keys at one count: each key-revoked entry's index (its
// entry is read from the log when an answer needs it; its opening is never given).
type revokedKeys struct {
	count int64
	byID  map[string]seal.LoggedEntry
	// added holds the index of each revoked key's key-added entry, as kept seals name keys.
	added map[int64]bool
}

// at returns the kept set if it was read at count, else nil.
func (c *keyStates) at(count int64) *revokedKeys {
	if k := c.cur.Load(); k != nil && k.count == count {
		return k
	}
	return nil
}

// put keeps keys, read in a snapshot that counted count revoked keys, unless a larger set is
// kept already (two lookups may race), and returns it.
func (c *keyStates) put(count int64, keys []store.RevokedKey) *revokedKeys {
	k := &revokedKeys{count: count, byID: make(map[string]seal.LoggedEntry, len(keys)), added: make(map[int64]bool, len(keys))}
	for _, rk := range keys {
		k.added[rk.AddedIndex] = true
		k.byID[rk.KeyID] = seal.LoggedEntry{Index: rk.Index}
	}
	for {
		old := c.cur.Load()
		if old != nil && old.count >= count {
			return k
		}
		if c.cur.CompareAndSwap(old, k) {
			return k
		}
	}
}
