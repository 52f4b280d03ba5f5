package registry

import (
	"sync"

	"github.com/chancery/chancery/internal/store"
)

// tokenCache remembers which member a bearer token belongs to, so that a request does not
// open a read transaction only to look its token up: that was a tenth of the server's CPU on
// the write path (docs/benchmarks.md, issue 19 item 4). Entries are keyed by the token's
// SHA-256 (the stored hash), never by the token.
//
// An entry is used only while the store's MembersVersion is the one it was read at, and that
// version changes before any Update that disabled a member, changed their roles or replaced
// their token returns: a revoked token, a disabled member or a removed role is never served
// from the cache once the change is acknowledged. The version only sees this process's
// writes, so the cache is used on SQLite (one server per data directory, serve's lock) and
// never on PostgreSQL, where other servers change members too.
type tokenCache struct {
	mu      sync.Mutex
	version uint64
	members map[[32]byte]store.Member
}

// maxCachedTokens bounds the cache: an office has far fewer members, and past the bound it
// starts afresh rather than track use.
const maxCachedTokens = 4096

// get returns a copy of the member cached for hash at version.
func (c *tokenCache) get(hash []byte, version uint64) (*store.Member, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.version != version {
		return nil, false
	}
	m, ok := c.members[[32]byte(hash)]
	if !ok {
		return nil, false
	}
	m.Roles = append([]string(nil), m.Roles...)
	return &m, true
}

// put caches m for hash, read at version (taken before the read). A member read at an older
// version than the cache's is not kept: it may predate a change.
func (c *tokenCache) put(hash []byte, version uint64, m *store.Member) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if version < c.version {
		return
	}
	if version > c.version || c.members == nil || len(c.members) >= maxCachedTokens {
		c.version, c.members = version, map[[32]byte]store.Member{}
	}
	cp := *m
	cp.Roles = append([]string(nil), m.Roles...)
	c.members[[32]byte(hash)] = cp
}
