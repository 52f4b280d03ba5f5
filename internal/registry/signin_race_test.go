package registry

import (
	"context"
	"errors"
	"testing"
	"time"
)

// TestSessionNotStartedAfterTheAnswer: a sign-in is checked (the password, or the provider's
// sign-in), then its session is started, and an admin may act in between, answering a leaked
// password or account: a new password, a new token (which removes the password), disabling
// the member. Before, the session was started whatever happened meanwhile, and outlived the
// answer, which ends the sessions there are: whoever signed in with a leaked password at that
// moment kept a session for 12 hours after the admin replaced it.
func TestSessionNotStartedAfterTheAnswer(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	times := SessionTimes{Lifetime: 8 * time.Hour, Idle: 30 * time.Minute}
	const pw = "the old password of rita"
	setPW := func() {
		t.Helper()
		if err := o.r.SetPassword(ctx, o.admin, "rita", pw); err != nil {
			t.Fatal(err)
		}
	}
	checked := func() *Actor {
		t.Helper()
		m, err := o.r.CheckPassword(ctx, "rita", pw)
		if err != nil {
			t.Fatal(err)
		}
		return &Actor{Member: m}
	}
	setPW()
	if _, err := o.r.StartSession(ctx, checked().Member, "test", times); err != nil {
		t.Fatalf("a session after the password's check: %v", err)
	}

	for _, tc := range []struct {
		name   string
		answer func() error
	}{
		{"a new password", func() error { return o.r.SetPassword(ctx, o.admin, "rita", "the new password of rita") }},
		{"a new token", func() error { _, err := o.r.IssueToken(ctx, o.admin, "rita"); return err }},
		{"disabled", func() error { _, err := o.r.DisableMember(ctx, o.admin, "rita"); return err }},
	} {
		setPW()
		a := checked()
		if err := tc.answer(); err != nil {
			t.Fatal(err)
		}
		id, err := o.r.StartSession(ctx, a.Member, "test", times)
		if !errors.Is(err, ErrUnauthenticated) {
			t.Errorf("%s between the check and the session: %v, want %v", tc.name, err, ErrUnauthenticated)
		}
		if id != "" {
			if m, err := o.r.SessionMember(ctx, id, times); err == nil {
				t.Errorf("%s between the check and the session: a session of %s works", tc.name, m.Name)
			}
		}
		if tc.name == "disabled" {
			if _, err := o.r.EnableMember(ctx, o.admin, "rita"); err != nil {
				t.Fatal(err)
			}
		}
	}

	// A provider's sign-in, then a password an admin sets: a local account now, which the
	// provider no longer signs in (SignInExternal), in the browser or on the command line.
	managed := []string{RoleReviewer}
	m, err := o.signInAs("sub-olga", "olga", managed, RoleReviewer)
	if err != nil {
		t.Fatal(err)
	}
	if err := o.r.SetPassword(ctx, o.admin, "olga", "a password of olga's"); err != nil {
		t.Fatal(err)
	}
	if _, err := o.r.StartSession(ctx, m, "test", times); !errors.Is(err, ErrUnauthenticated) {
		t.Errorf("a provider's sign-in, then a password: browser session %v, want %v", err, ErrUnauthenticated)
	}
	if _, _, err := o.r.StartCLISession(ctx, m, "test", time.Hour); !errors.Is(err, ErrUnauthenticated) {
		t.Errorf("a provider's sign-in, then a password: command-line session %v, want %v", err, ErrUnauthenticated)
	}
}
