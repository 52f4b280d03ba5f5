package registry

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/chancery/chancery/internal/i18n"
	"github.com/chancery/chancery/internal/keys"
	"github.com/chancery/chancery/internal/policy"
	"github.com/chancery/chancery/internal/store"
	"golang.org/x/crypto/argon2"
)

// Password rules: long enough to resist guessing, short enough to hash cheaply.
const (
	MinPasswordLength = 12
	MaxPasswordLength = 256
)

// argon2id parameters for new passwords (RFC 9106, section 4, with less memory): each hash
// records its own, so they can be raised without invalidating existing passwords.
const (
	argonTime    = 2
	argonMemory  = 32 * 1024 // KiB
	argonThreads = 2
	argonKeyLen  = 32
	argonSaltLen = 16
)

// dummyHash is checked against when the member does not exist or has no password, so that a
// wrong name costs as much time as a wrong password. It is made on first use, not at package
// initialisation: an argon2 hash at start-up cost every chancery command, verify included,
// a tenth of a second or more and 32 MiB.
var dummyHash = sync.OnceValue(func() string { return hashPassword("chancery: no such member") })

// hashPassword returns password hashed with argon2id, in the PHC string format
// $argon2id$v=19$m=M,t=T,p=P$salt$hash (unpadded base64).
func hashPassword(password string) string {
	salt := make([]byte, argonSaltLen)
	rand.Read(salt)
	key := argon2.IDKey([]byte(password), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads,
		b64.EncodeToString(salt), b64.EncodeToString(key))
}

// checkPassword reports whether password matches encoded, comparing in constant time.
func checkPassword(encoded, password string) bool {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[1] != "argon2id" || parts[2] != fmt.Sprintf("v=%d", argon2.Version) {
		return false
	}
	var m, t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil || m == 0 || m > 1<<20 || t == 0 || t > 16 || p == 0 {
		return false
	}
	salt, err := base64.RawStdEncoding.DecodeString(parts[4])
	if err != nil {
		return false
	}
	want, err := base64.RawStdEncoding.DecodeString(parts[5])
	if err != nil || len(want) < 16 {
		return false
	}
	got := argon2.IDKey([]byte(password), salt, t, m, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}

func checkNewPassword(password string) error {
	n := utf8.RuneCountInString(password)
	if !utf8.ValidString(password) || n < MinPasswordLength || len(password) > MaxPasswordLength {
		return i18n.Errorf(ErrInvalid, "a password needs at least %d characters (and at most %d bytes)", MinPasswordLength, MaxPasswordLength)
	}
	// As a key file's passphrase: whoever signs in as a signer signs in the browser.
	if keys.Predictable(password) != "" {
		return i18n.Errorf(ErrInvalid, "a password that guessing tries first (a character or a short string repeated, a run of the alphabet, of the digits or of a keyboard row): choose another")
	}
	return nil
}

// SetPassword sets the web sign-in password of member name: a member sets their own (name
// empty or their own name), an admin sets anyone's. It ends every session of that member. A
// member the office's OpenID provider created cannot set their own: a password would take
// them out of the provider's governance (their sign-in through it is then refused, and its
// role changes no longer reach them); an admin may, making them a local account.
func (r *Registry) SetPassword(ctx context.Context, a Actor, name, password string) error {
	if a.Member == nil {
		return ErrUnauthenticated
	}
	if name == "" {
		name = a.Member.Name
	}
	name = nfc(name) // as member names are stored
	if name != a.Member.Name {
		if err := a.require(RoleAdmin); err != nil {
			return fmt.Errorf("set password of %s: %w", name, err)
		}
	}
	if err := checkNewPassword(password); err != nil {
		return err
	}
	encoded := hashPassword(password)
	err := r.cfg.DB.Update(ctx, func(tx *store.Tx) error {
		if err := stillActs(ctx, tx, a); err != nil {
			return err
		}
		m, err := tx.MemberByName(ctx, name)
		if err != nil {
			return err
		}
		if m.ID != a.Member.ID {
			two, err := r.twoAdminsIn(ctx, tx)
			if err != nil {
				return err
			}
			if two {
				return i18n.Errorf(ErrForbidden, "the policy in force asks for two admins (two_admins): an admin cannot set another member's password; issue them a new token (a second admin approves it), and they set their own")
			}
		}
		if m.FromProvider() && m.ID == a.Member.ID {
			return i18n.Errorf(ErrForbidden, "%s signs in through the office's identity provider, which governs their roles: they cannot set themselves a password", name)
		}
		if err := tx.SetPassword(ctx, m.ID, encoded, r.now()); err != nil {
			return err
		}
		if _, err := tx.DeleteMemberSessions(ctx, m.ID); err != nil {
			return err
		}
		return r.audit(ctx, tx, a, "member.password", "", name)
	})
	if err != nil {
		return fmt.Errorf("set password of %s: %w", name, err)
	}
	return nil
}

// CheckPassword returns the member name if password is theirs. Every failure (no such member,
// no password set, a wrong password, a disabled member) is the same ErrUnauthenticated and takes the same time,
// so that the answer does not tell which names exist.
func (r *Registry) CheckPassword(ctx context.Context, name, password string) (*store.Member, error) {
	name = nfc(name) // as member names are stored: "Rene\u0301e" typed is the member Renée
	var m *store.Member
	encoded := dummyHash()
	err := r.cfg.DB.View(ctx, func(tx *store.Tx) error {
		var err error
		if m, err = tx.MemberByName(ctx, name); err != nil {
			return err
		}
		// A member without a password keeps the dummy hash: checked against nothing, the
		// refusal would come in microseconds, and its time would name the member.
		p, err := tx.Password(ctx, m.ID)
		if err == nil {
			encoded = p
		}
		return err
	})
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return nil, fmt.Errorf("check password: %w", err)
	}
	ok := checkPassword(encoded, password)
	if err != nil || !ok || len(password) > MaxPasswordLength || m.Disabled() {
		return nil, ErrUnauthenticated
	}
	m.Password = encoded // StartSession checks that it still stands
	return m, nil
}

// SessionTimes bound a browser session: it ends Lifetime after sign-in, or after Idle without
// a request, whichever comes first.
type SessionTimes struct {
	Lifetime time.Duration
	Idle     time.Duration
}

// touchEvery limits how often a session's last use is written: at most once a minute.
const touchEvery = time.Minute

// StartSession opens a browser session for m and returns its ID, for a cookie. Only the ID's
// SHA-256 is stored. Any authenticator (password, single sign-on) ends with this call. It is
// refused (ErrUnauthenticated) if the sign-in no longer holds (signedInStill).
func (r *Registry) StartSession(ctx context.Context, m *store.Member, remote string, times SessionTimes) (string, error) {
	b := make([]byte, 32)
	rand.Read(b)
	id := "chs_" + base64.RawURLEncoding.EncodeToString(b)
	now := r.witnessedNow()
	err := r.cfg.DB.Update(ctx, func(tx *store.Tx) error {
		if err := signedInStill(ctx, tx, m); err != nil {
			return err
		}
		if _, err := tx.DeleteExpiredSessions(ctx, now); err != nil {
			return err
		}
		if err := tx.AddSession(ctx, store.Session{IDHash: HashToken(id), MemberID: m.ID, CreatedAt: now, LastSeen: now,
			ExpiresAt: now.Add(times.Lifetime), Remote: remote}); err != nil {
			return err
		}
		return r.audit(ctx, tx, Actor{Member: m, Remote: remote}, "member.signin", "", m.Name)
	})
	if err != nil {
		return "", fmt.Errorf("start session for %s: %w", m.Name, err)
	}
	return id, nil
}

// signedInStill refuses, in the transaction that starts a session for m, a sign-in that no
// longer holds: m was checked (their password, or the provider's sign-in) before, and an admin
// may have acted in between, answering a leaked password or account. A session started after
// that would outlive the answer, which ends the sessions there are: m disabled since (and
// perhaps enabled again), the password checked replaced or removed (a new password, a new
// token, or an enabling, which a disabling precedes), or, for a member the provider signs in, a password set since, which
// makes them a local account that the provider no longer signs in.
func signedInStill(ctx context.Context, tx *store.Tx, m *store.Member) error {
	cur, err := tx.MemberByID(ctx, m.ID)
	if err != nil {
		return err
	}
	if cur.Disabled() {
		return fmt.Errorf("%w: %s was disabled since the sign-in was checked", ErrUnauthenticated, m.Name)
	}
	pw, err := tx.Password(ctx, m.ID)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	switch {
	case m.Password != "" && pw != m.Password:
		return fmt.Errorf("%w: %s's password changed since the sign-in checked it", ErrUnauthenticated, m.Name)
	case m.Password == "" && m.FromProvider() && err == nil:
		return fmt.Errorf("%w: %s was given a password since the sign-in through the provider", ErrUnauthenticated, m.Name)
	}
	return nil
}

// SessionMember returns the member whose session id is, and records its use. An unknown,
// expired or idle session is ErrUnauthenticated.
func (r *Registry) SessionMember(ctx context.Context, id string, times SessionTimes) (*store.Member, error) {
	if !strings.HasPrefix(id, "chs_") {
		return nil, ErrUnauthenticated
	}
	h := HashToken(id)
	// A clock stepped back would make the session look younger and less idle than it is.
	now := r.witnessedNow()
	var s *store.Session
	var m *store.Member
	err := r.cfg.DB.View(ctx, func(tx *store.Tx) error {
		var err error
		if s, err = tx.SessionByHash(ctx, h); err != nil {
			return err
		}
		m, err = tx.MemberByID(ctx, s.MemberID)
		return err
	})
	if errors.Is(err, store.ErrNotFound) {
		return nil, ErrUnauthenticated
	}
	if err != nil {
		return nil, fmt.Errorf("session: %w", err)
	}
	if !now.Before(s.ExpiresAt) || now.Sub(s.LastSeen) >= times.Idle || fromAhead(s, now) || m.Disabled() {
		return nil, ErrUnauthenticated
	}
	if now.Sub(s.LastSeen) >= touchEvery {
		err := r.cfg.DB.Update(ctx, func(tx *store.Tx) error { return tx.TouchSession(ctx, h, now) })
		if errors.Is(err, store.ErrNotFound) {
			return nil, ErrUnauthenticated // ended meanwhile
		}
		if err != nil {
			return nil, fmt.Errorf("session: %w", err)
		}
	}
	m.SessionHash = h
	return m, nil
}

// fromAhead reports whether session s was started or last used at a time ahead of now by more
// than the servers of one office may disagree: a clock that was wrong then (set ahead, since
// corrected) dated it, and its idleness and lifetime, measured from those times, would last
// for as much longer as that clock was ahead.
func fromAhead(s *store.Session, now time.Time) bool {
	return s.CreatedAt.Sub(now) > policy.MaxClockSkew || s.LastSeen.Sub(now) > policy.MaxClockSkew
}

// EndSession ends the session id (sign-out). Ending an unknown session is not an error.
func (r *Registry) EndSession(ctx context.Context, id string) error {
	err := r.cfg.DB.Update(ctx, func(tx *store.Tx) error { return tx.DeleteSession(ctx, HashToken(id)) })
	if err != nil {
		return fmt.Errorf("end session: %w", err)
	}
	return nil
}

// SpendForm records that a web form whose one-use value is once was posted now, and reports
// whether it had been posted before (then it records nothing): the members page refuses such
// a form rather than carry it out twice, a browser without JavaScript posting it again on a
// reload. The values are kept for keep, the sessions' lifetime: later, the session that could
// post one again has ended, and its form is refused for that.
func (r *Registry) SpendForm(ctx context.Context, once string, keep time.Duration) (bool, error) {
	now := r.now()
	var used bool
	err := r.cfg.DB.Update(ctx, func(tx *store.Tx) error {
		var err error
		used, err = tx.SpendFormValue(ctx, once, now, now.Add(-keep))
		return err
	})
	if err != nil {
		return false, fmt.Errorf("a form posted: %w", err)
	}
	return used, nil
}

// GiveFormBack forgets that the web form whose one-use value is once was posted (SpendForm):
// the change it asked for was refused, nothing done, and the same form may be sent again once
// the cause is gone (a reload of "try again", the page kept in the history).
func (r *Registry) GiveFormBack(ctx context.Context, once string) error {
	err := r.cfg.DB.Update(ctx, func(tx *store.Tx) error { return tx.ForgetFormValue(ctx, once) })
	if err != nil {
		return fmt.Errorf("a form given back: %w", err)
	}
	return nil
}
