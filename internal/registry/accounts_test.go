package registry

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"
)

func TestPasswords(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	const pw = "correct horse battery"
	if err := o.r.SetPassword(ctx, o.reviewer, "", "short"); !errors.Is(err, ErrInvalid) {
		t.Errorf("a short password: %v, want ErrInvalid", err)
	}
	if err := o.r.SetPassword(ctx, o.reviewer, "otto", pw); !errors.Is(err, ErrForbidden) {
		t.Errorf("a reviewer setting another member's password: %v, want ErrForbidden", err)
	}
	if err := o.r.SetPassword(ctx, Actor{}, "rita", pw); !errors.Is(err, ErrUnauthenticated) {
		t.Errorf("anonymous: %v, want ErrUnauthenticated", err)
	}
	if err := o.r.SetPassword(ctx, o.reviewer, "", pw); err != nil {
		t.Fatal(err)
	}
	if err := o.r.SetPassword(ctx, o.admin, "otto", pw+"!"); err != nil {
		t.Fatalf("an admin setting a password: %v", err)
	}
	m, err := o.r.CheckPassword(ctx, "rita", pw)
	if err != nil || m.Name != "rita" {
		t.Fatalf("check the right password: %v, %v", m, err)
	}
	for _, c := range []struct{ name, pw string }{{"rita", pw + "x"}, {"rita", ""}, {"nobody", pw}, {"sam", pw}, {"otto", pw}} {
		if _, err := o.r.CheckPassword(ctx, c.name, c.pw); !errors.Is(err, ErrUnauthenticated) {
			t.Errorf("CheckPassword(%q, %q): %v, want ErrUnauthenticated", c.name, c.pw, err)
		}
	}
	if h := hashPassword(pw); !strings.HasPrefix(h, "$argon2id$v=19$m=") || h == hashPassword(pw) {
		t.Errorf("hash %q: want the PHC format with a fresh salt each time", h)
	}
	if checkPassword("$argon2id$v=19$m=0,t=1,p=1$AAAA$AAAA", pw) || checkPassword("garbage", pw) {
		t.Error("a malformed hash matched")
	}
}

func TestSessions(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	now := time.Date(2020, 1, 6, 9, 0, 0, 0, time.UTC)
	o.r.cfg.Now = func() time.Time { return now }
	times := SessionTimes{Lifetime: 8 * time.Hour, Idle: 30 * time.Minute}
	id, err := o.r.StartSession(ctx, o.reviewer.Member, "test", times)
	if err != nil {
		t.Fatal(err)
	}
	if m, err := o.r.SessionMember(ctx, id, times); err != nil || m.Name != "rita" {
		t.Fatalf("fresh session: %v, %v", m, err)
	}
	if _, err := o.r.SessionMember(ctx, id+"x", times); !errors.Is(err, ErrUnauthenticated) {
		t.Errorf("a wrong session ID: %v", err)
	}
	// Used every 20 minutes, the session lives until its lifetime ends.
	for range 30 {
		now = now.Add(20 * time.Minute)
		_, err := o.r.SessionMember(ctx, id, times)
		if now.Sub(time.Date(2020, 1, 6, 9, 0, 0, 0, time.UTC)) < times.Lifetime && err != nil {
			t.Fatalf("at %v: %v", now, err)
		}
		if now.Sub(time.Date(2020, 1, 6, 9, 0, 0, 0, time.UTC)) >= times.Lifetime && !errors.Is(err, ErrUnauthenticated) {
			t.Fatalf("after its lifetime, at %v: %v", now, err)
		}
	}
	// Idle too long.
	id2, _ := o.r.StartSession(ctx, o.reviewer.Member, "test", times)
	now = now.Add(31 * time.Minute)
	if _, err := o.r.SessionMember(ctx, id2, times); !errors.Is(err, ErrUnauthenticated) {
		t.Errorf("an idle session: %v", err)
	}
	// Sign-out, and a password change, end sessions server-side.
	id3, _ := o.r.StartSession(ctx, o.reviewer.Member, "test", times)
	if err := o.r.EndSession(ctx, id3); err != nil {
		t.Fatal(err)
	}
	if _, err := o.r.SessionMember(ctx, id3, times); !errors.Is(err, ErrUnauthenticated) {
		t.Errorf("after sign-out: %v", err)
	}
	id4, _ := o.r.StartSession(ctx, o.reviewer.Member, "test", times)
	if err := o.r.SetPassword(ctx, o.reviewer, "", "a new long password"); err != nil {
		t.Fatal(err)
	}
	if _, err := o.r.SessionMember(ctx, id4, times); !errors.Is(err, ErrUnauthenticated) {
		t.Errorf("after a password change: %v", err)
	}
}

// TestDummyHashCostsTheSame: signing in under an unknown name checks the password against a
// dummy hash made with the parameters of real ones, so that it costs the same argon2id work
// as a wrong password for a real member, and the answer's time does not tell which names exist.
func TestDummyHashCostsTheSame(t *testing.T) {
	params := func(encoded string) string {
		parts := strings.Split(encoded, "$")
		if len(parts) != 6 {
			t.Fatalf("not a PHC string: %q", encoded)
		}
		return parts[1] + " " + parts[2] + " " + parts[3] + " " + fmt.Sprint(len(parts[5]))
	}
	if d, r := params(dummyHash()), params(hashPassword("a real password")); d != r {
		t.Fatalf("dummy hash %s, real hash %s", d, r)
	}
	if !checkPassword(dummyHash(), "chancery: no such member") {
		t.Fatal("the dummy hash is not a hash that checks")
	}
}

// TestSignInWithoutPasswordCostsTheSame: a member who has no password (one given only a token,
// as 'member add' makes them, or one the identity provider created) is checked against the
// dummy hash like an unknown name, so that /signin does not answer such a name in
// microseconds and an unknown one after an argon2id computation: the time of a refusal would
// tell an outsider trying a list of staff names which of them are members. The work is
// measured as memory allocated, which argon2id's 32 MiB dominates, not as time.
func TestSignInWithoutPasswordCostsTheSame(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	dummyHash() // made once, outside the measurements
	allocated := func(name string) uint64 {
		t.Helper()
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		if _, err := o.r.CheckPassword(ctx, name, "a guessed long password"); !errors.Is(err, ErrUnauthenticated) {
			t.Fatalf("CheckPassword(%q): %v, want ErrUnauthenticated", name, err)
		}
		runtime.ReadMemStats(&after)
		return after.TotalAlloc - before.TotalAlloc
	}
	if err := o.r.SetPassword(ctx, o.reviewer, "", "rita's own long password"); err != nil {
		t.Fatal(err)
	}
	const argonWork = argonMemory * 1024 // bytes an argon2id check allocates
	for _, c := range []struct{ what, name string }{
		{"an unknown name", "nobody"}, {"a member with a password", "rita"}, {"a member without a password", "sam"}} {
		if n := allocated(c.name); n < argonWork {
			t.Errorf("%s: the refusal allocated %d bytes, want at least the %d of an argon2id check", c.what, n, argonWork)
		}
	}
}
