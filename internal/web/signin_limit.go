package web

import (
	"errors"
	"fmt"
	"net/http"
	"time"
	"unicode/utf8"

	"github.com/chancery/chancery/internal/ratelimit"
	"github.com/chancery/chancery/internal/registry"
	"github.com/chancery/chancery/internal/store"
	"github.com/chancery/chancery/internal/verify"
)

// Limits on failed sign-ins. Each is a token bucket: a burst of failures, then one more every
// so often, so a lockout ends on its own a few seconds after the failures stop and can never
// lock a member out for longer than an attacker keeps failing (and the attacker's own
// address runs out first).
const (
	SigninAccountBurst = 5        // failed sign-ins per account name in a row
	SigninAccountRate  = 5.0 / 60 // then this many per second: 5 a minute
	SigninAddressBurst = 20       // failed sign-ins per client address in a row
	SigninAddressRate  = 20.0 / 60
	// SigninWorkBurst bounds the password computations one account may ask for in a row,
	// whatever their outcome: sign-ins that succeed, and passwords set by a member (POST
	// /api/v1/password, charged to the member who sets it); then SigninWorkRate a second.
	// It keeps one member, signing in again and again with their own password or setting it
	// again and again, from taking every turn of the SigninChecks computations, which
	// everyone else's sign-in would wait behind.
	SigninWorkBurst = 20
	SigninWorkRate  = 20.0 / 60
	// SigninChecks bounds the password checks in progress at once, and the hashing of new
	// passwords (POST /api/v1/password) with them: each argon2id computation holds 32 MiB, so
	// 60 parallel attempts would otherwise hold 2 GB.
	SigninChecks = 2
)

// signinLimits are the sign-in's limits: failed attempts per account and per client address,
// password computations per account (work), and the password checks running at once.
type signinLimits struct {
	account, address, work *ratelimit.Limiter
	checks                 chan struct{}
}

// signinWorkRate is SigninWorkRate, which tests slow down: a password computation under the
// race detector on a loaded machine takes longer than the refill.
var signinWorkRate = SigninWorkRate

func newSigninLimits() *signinLimits {
	return &signinLimits{account: ratelimit.New(SigninAccountRate, SigninAccountBurst),
		address: ratelimit.New(SigninAddressRate, SigninAddressBurst), work: ratelimit.New(signinWorkRate, SigninWorkBurst),
		checks: make(chan struct{}, SigninChecks)}
}

// errLimited is a sign-in refused because the account or the client's address has no failed
// attempt left; wait is how long until it will.
type errLimited struct {
	per  string
	wait time.Duration
}

func (e *errLimited) Error() string {
	return fmt.Sprintf("too many failed sign-ins for this %s: try again in %s", e.per, e.wait.Round(time.Second))
}

// checkSignin returns an *errLimited when the client's address or the account name has no
// failed attempt left, or the account no password computation left.
func (h *Handler) checkSignin(r *http.Request, name string) error {
	for _, c := range []struct {
		l        *ratelimit.Limiter
		key, per string
	}{{h.signins.address, ratelimit.Key(r), "address"}, {h.signins.account, name, "account"}, {h.signins.work, name, "account"}} {
		if ok, wait := c.l.Check(c.key); !ok {
			h.cfg.Logger.InfoContext(r.Context(), "sign-in limited", "per", c.per, "name", logName(name), "remote", r.RemoteAddr, "wait", wait)
			return &errLimited{per: c.per, wait: wait}
		}
	}
	return nil
}

// authenticate checks the sign-in's credentials, at most SigninChecks at a time (a request
// waits its turn for as long as its context lives), charges the check to the account name's
// password computations, and a failure to the account name and the client's address. The
// limits are checked before the wait and again after it, so a client out of attempts costs
// no argon2 work, however many requests it queued, and learns nothing about the password.
func (h *Handler) authenticate(r *http.Request, name string) (*store.Member, error) {
	return h.checkedSignin(r, name, func() (*store.Member, error) { return h.cfg.Authenticator.Authenticate(r) })
}

// checkedSignin runs check, a password check for the account name, under the sign-in's
// limits, as authenticate does.
func (h *Handler) checkedSignin(r *http.Request, name string, check func() (*store.Member, error)) (*store.Member, error) {
	if err := h.checkSignin(r, name); err != nil {
		return nil, err
	}
	select {
	case h.signins.checks <- struct{}{}:
	case <-r.Context().Done():
		return nil, r.Context().Err()
	}
	defer func() { <-h.signins.checks }()
	if err := h.checkSignin(r, name); err != nil {
		return nil, err
	}
	if ok, wait := h.signins.work.Allow(name); !ok {
		return nil, &errLimited{per: "account", wait: wait}
	}
	m, err := check()
	if errors.Is(err, registry.ErrUnauthenticated) {
		h.signins.address.Allow(ratelimit.Key(r))
		h.signins.account.Allow(name)
	}
	return m, err
}

// maxLogName is the most of a typed account name the log keeps: member names have at most
// 64 bytes.
const maxLogName = 64

// logName is name as the sign-in's log lines show it: cut after maxLogName bytes (at a
// character's end), since the form may carry 64 KB of it, and a client over its limits
// still has a line logged for each attempt; and quoted as the command line prints what it
// did not write (verify.Printable: a bidirectional override as \u202e, a zero-width
// character, an invalid byte), since anyone may type it and slog's JSON lines keep such
// characters as they are: a right-to-left override reordered the line in a log viewer.
func logName(name string) string {
	if len(name) <= maxLogName {
		return verify.Printable(name)
	}
	cut := maxLogName
	for cut > 0 && !utf8.RuneStart(name[cut]) {
		cut--
	}
	return verify.Printable(name[:cut]) + "…"
}

// limited answers 429 with Retry-After and returns true if err is a sign-in refused by the
// limits.
func limited(w http.ResponseWriter, r *http.Request, err error) bool {
	var l *errLimited
	if !errors.As(err, &l) {
		return false
	}
	TooMany(w, r, l.wait)
	return true
}
