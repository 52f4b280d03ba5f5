package registry

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"testing"
	"time"
)

// TestReplacedCredentialActsNoMore: a request is authenticated when it arrives and acts when
// its body has been read, up to serve's 30-second read timeout later, on whichever server of
// the office it reached. A new token another admin issues answers a leaked one (IssueToken),
// and a password set by an admin ends the member's sessions; a request authenticated with the
// old token or an ended session before that must not act after it. Before, it did: whoever
// held a leaked token kept a slow request open, and once the admin replaced the token, the
// request's approval was recorded after the approvals were voided and counted, and its key
// was registered after the member's keys were revoked.
func TestReplacedCredentialActsNoMore(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)

	t.Run("release with a replaced token", func(t *testing.T) {
		ref := o.letter(t, "Dear Minister, released with a token replaced meanwhile.")
		if err := o.r.Approve(ctx, o.reviewer, ref, "", "fine"); err != nil {
			t.Fatal(err)
		}
		if err := o.sign(t, ref); err != nil {
			t.Fatal(err)
		}
		stale := o.officer
		tok, err := o.r.IssueToken(ctx, o.admin, "otto")
		if err != nil {
			t.Fatal(err)
		}
		o.officer = o.actor(t, tok)
		if _, err := o.r.Release(ctx, stale, ref); !errors.Is(err, ErrUnauthenticated) {
			t.Errorf("release by a request authenticated with the replaced token: %v, want %v", err, ErrUnauthenticated)
		}
		if _, err := o.r.Release(ctx, o.officer, ref); err != nil {
			t.Errorf("release with the new token: %v", err)
		}
	})

	t.Run("approval with a replaced token", func(t *testing.T) {
		ref := o.letter(t, "Dear Minister, approved with a token replaced meanwhile.")
		stale := o.reviewer // authenticated as the request arrived
		tok, err := o.r.IssueToken(ctx, o.admin, "rita")
		if err != nil {
			t.Fatal(err)
		}
		o.reviewer = o.actor(t, tok)
		if err := o.r.Approve(ctx, stale, ref, "", "slow"); !errors.Is(err, ErrUnauthenticated) {
			t.Errorf("approval by a request authenticated with the replaced token: %v, want %v", err, ErrUnauthenticated)
		}
		v, err := o.r.Letter(ctx, o.reviewer, ref)
		if err != nil {
			t.Fatal(err)
		}
		if len(v.Approvals) != 0 {
			t.Errorf("approvals recorded after the token was replaced: %+v", v.Approvals)
		}
		if err := o.r.Approve(ctx, o.reviewer, ref, "", "with the new token"); err != nil {
			t.Errorf("approval with the new token: %v", err)
		}
	})

	t.Run("key registered with a replaced token", func(t *testing.T) {
		stale := o.signer
		tok, err := o.r.IssueToken(ctx, o.admin, "sam")
		if err != nil {
			t.Fatal(err)
		}
		o.signer = o.actor(t, tok)
		pub, _, _ := ed25519.GenerateKey(rand.Reader)
		if id, _, err := o.r.RegisterKey(ctx, stale, pub); !errors.Is(err, ErrUnauthenticated) {
			t.Errorf("key registered by a request authenticated with the replaced token: %q, %v, want %v", id, err, ErrUnauthenticated)
		}
	})

	t.Run("approval in an ended session", func(t *testing.T) {
		ref := o.letter(t, "Dear Minister, approved in a session ended meanwhile.")
		if _, err := o.r.AddMember(ctx, o.admin, "rhea", []string{RoleReviewer}); err != nil {
			t.Fatal(err)
		}
		if err := o.r.SetPassword(ctx, o.admin, "rhea", "correct horse battery staple"); err != nil {
			t.Fatal(err)
		}
		m, err := o.r.CheckPassword(ctx, "rhea", "correct horse battery staple")
		if err != nil {
			t.Fatal(err)
		}
		times := SessionTimes{Lifetime: 8 * time.Hour, Idle: 30 * time.Minute}
		id, err := o.r.StartSession(ctx, m, "test", times)
		if err != nil {
			t.Fatal(err)
		}
		sm, err := o.r.SessionMember(ctx, id, times)
		if err != nil {
			t.Fatal(err)
		}
		stale := Actor{Member: sm, Remote: "test"}
		// The admin sets a new password: the member's sessions end.
		if err := o.r.SetPassword(ctx, o.admin, "rhea", "another horse battery staple"); err != nil {
			t.Fatal(err)
		}
		if err := o.r.Approve(ctx, stale, ref, "", "slow"); !errors.Is(err, ErrUnauthenticated) {
			t.Errorf("approval by a request of the ended session: %v, want %v", err, ErrUnauthenticated)
		}
	})
}
