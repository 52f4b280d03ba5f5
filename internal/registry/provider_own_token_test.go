package registry

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

// TestProviderAdminCannotIssueOwnToken: an admin the office's OpenID provider created cannot
// give themselves a long-lived token, as they cannot give themselves a password (item 32):
// the provider governs their roles, which follow its claim only at a sign-in through it, and
// a token of their own would let them act on without ever signing in there again. Another
// admin may still issue them one.
func TestProviderAdminCannotIssueOwnToken(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	managed := []string{RoleAdmin, RoleReviewer}
	m, err := o.signInAs("sub-pat", "pat", managed, RoleAdmin)
	if err != nil {
		t.Fatal(err)
	}
	cli, _, err := o.r.StartCLISession(ctx, m, "test", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	pat := o.actor(t, cli)
	tok, err := o.r.IssueToken(ctx, pat, "pat")
	if !errors.Is(err, ErrForbidden) {
		held := "no token"
		if err == nil {
			if a, err := o.r.Authenticate(ctx, tok); err == nil {
				held = "a token that acts for " + a.Name + " with roles " + strings.Join(a.Roles, ",")
			}
		}
		t.Fatalf("pat, made by the provider, issues herself a token: %v (%s)", err, held)
	}
	if _, err := o.r.IssueToken(ctx, o.admin, "pat"); err != nil {
		t.Errorf("another admin issues pat a token: %v", err)
	}
}
