package registry

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/chancery/chancery/internal/store"
)

// cached reports whether tok's member is in the token cache at the store's current version.
func cached(o *office, tok string) bool {
	_, ok := o.r.tokens.get(HashToken(tok), o.r.cfg.DB.MembersVersion())
	return ok
}

// A token's member comes from the cache until a member changes; then every change (roles,
// token, disabled) is seen by the next request.
func TestTokenCacheFollowsMemberChanges(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	tok, err := o.r.AddMember(ctx, o.admin, "tess", []string{RoleReviewer})
	if err != nil {
		t.Fatal(err)
	}
	auth := func() (*store.Member, error) { return o.r.Authenticate(ctx, tok) }
	m, err := auth()
	if err != nil || m.Name != "tess" {
		t.Fatalf("tess: %v, %v", m, err)
	}
	if !cached(o, tok) {
		t.Fatal("tess's token is not cached after a successful authentication")
	}
	// The caller's copy is its own: changing it does not change the next caller's.
	m.Roles[0] = RoleAdmin
	if m, err := auth(); err != nil || fmt.Sprint(m.Roles) != "[reviewer]" {
		t.Fatalf("tess from the cache: %v, %v", m, err)
	}

	if _, err := o.r.SetRoles(ctx, o.admin, "tess", []string{RoleSigner}, []string{RoleReviewer}); err != nil {
		t.Fatal(err)
	}
	if cached(o, tok) {
		t.Error("tess's token still cached after her roles changed")
	}
	if m, err := auth(); err != nil || fmt.Sprint(m.Roles) != "[signer]" {
		t.Errorf("tess after her roles changed: %v, %v", m, err)
	}

	newTok, err := o.r.IssueToken(ctx, o.admin, "tess")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := auth(); !errors.Is(err, ErrUnauthenticated) {
		t.Errorf("tess's replaced token: %v, want ErrUnauthenticated", err)
	}
	tok = newTok
	if m, err := auth(); err != nil || m.Name != "tess" || !cached(o, tok) {
		t.Fatalf("tess's new token: %v, %v, cached %v", m, err, cached(o, tok))
	}

	if _, err := o.r.DisableMember(ctx, o.admin, "tess"); err != nil {
		t.Fatal(err)
	}
	if _, err := auth(); !errors.Is(err, ErrUnauthenticated) {
		t.Errorf("disabled tess: %v, want ErrUnauthenticated", err)
	}
	if cached(o, tok) {
		t.Error("a disabled member's token is cached")
	}
	enabled, err := o.r.EnableMember(ctx, o.admin, "tess")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := auth(); !errors.Is(err, ErrUnauthenticated) {
		t.Errorf("tess's token from before she was disabled: %v, want ErrUnauthenticated", err)
	}
	if m, err := o.r.Authenticate(ctx, enabled); err != nil || m.Name != "tess" {
		t.Errorf("tess enabled again: %v, %v", m, err)
	}
}

// Requests authenticating all along while a member is disabled: once DisableMember has
// returned, no request gets through, whatever was cached or being read at that moment.
func TestTokenCacheDisableUnderLoad(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	tok, err := o.r.AddMember(ctx, o.admin, "tess", []string{RoleReviewer})
	if err != nil {
		t.Fatal(err)
	}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				o.r.Authenticate(ctx, tok)
			}
		})
	}
	if _, err := o.r.DisableMember(ctx, o.admin, "tess"); err != nil {
		t.Fatal(err)
	}
	var (
		mu     sync.Mutex
		passed int
	)
	var after sync.WaitGroup
	for range 8 {
		after.Go(func() {
			for range 200 {
				if _, err := o.r.Authenticate(ctx, tok); err == nil {
					mu.Lock()
					passed++
					mu.Unlock()
				}
			}
		})
	}
	after.Wait()
	close(stop)
	wg.Wait()
	if passed > 0 {
		t.Errorf("%d requests authenticated as tess after she was disabled", passed)
	}
}

// A member read at a version older than the cache's is not kept: it may predate a change.
func TestTokenCacheKeepsNoOlderRead(t *testing.T) {
	var c tokenCache
	h := HashToken("chy_x")
	c.put(h, 2, &store.Member{ID: 1, Name: "new", Roles: []string{"reviewer"}})
	c.put(h, 1, &store.Member{ID: 1, Name: "old", Roles: []string{"admin"}})
	if m, ok := c.get(h, 2); !ok || m.Name != "new" {
		t.Errorf("at version 2: %+v, %v", m, ok)
	}
	if _, ok := c.get(h, 3); ok {
		t.Error("an entry read at version 2 served at version 3")
	}
	c.put(h, 3, &store.Member{ID: 1, Name: "newer"})
	if _, ok := c.get(h, 2); ok {
		t.Error("an entry served at an older version than the cache's")
	}
}
