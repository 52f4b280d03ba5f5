package registry

import (
	"context"
	"errors"
	"fmt"

	"github.com/chancery/chancery/internal/store"
)

// RecoverAdmin gives the active admin name a new token and returns it, shown once: the
// operator's way back (chancery member recover, on the data directory with the server
// stopped) when the office's admins cannot give one. Under two_admins with two active admins
// neither can be disabled or lose the role, and the change that gives one of them a new token
// waits for the approval of that same admin, so a lost token locks the office's changes for
// ever and a stolen one cannot be cut off; an office whose only admin lost their token has no
// way back at all.
//
// It undoes what the old token may have been used for as IssueToken does for another member:
// the admin's signer keys are revoked, each by an entry in the log; their approvals of letters
// not yet released stop counting; the changes they proposed that wait for a second admin are
// refused; their sessions, 'chancery login' tokens and password end. It asks no second admin:
// whoever can run it holds the office's database and keys already. The audit trail records
// it as the operator's, and the key revocations are in the log for every monitor to see.
// The changes about the admin that other admins proposed and that still wait (under
// two_admins, root's new token for ada, which waits for ada's own approval) are refused too,
// in the same transaction: the recovery made them pointless. Every change it refused is in
// the Recovery, for the operator to be told.
func (r *Registry) RecoverAdmin(ctx context.Context, name string) (*Recovery, error) {
	name = nfc(name)
	a := operator("local")
	// Checked before issueToken revokes anything, and again in its transaction.
	err := r.cfg.DB.View(ctx, func(tx *store.Tx) error {
		m, err := activeMember(ctx, tx, name)
		if err != nil {
			return err
		}
		if !m.HasRole(RoleAdmin) {
			return errRecoverNotAdmin(name)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("recover %s: %w", name, err)
	}
	for try := 0; ; try++ {
		tok, refused, _, err := r.issueToken(ctx, a, name, false)
		if errors.Is(err, errKeyInForce) && try < keysRetries {
			continue
		}
		if errors.Is(err, errKeyInForce) {
			// Not member token's advice: disabling either of the last two admins under
			// two_admins is refused, the case this is for. Stopped, no server takes the keys.
			return nil, fmt.Errorf("recover %s: %w: %w: stop every server of the office (with PostgreSQL, on every machine), then recover %s again", name, ErrConflict, ErrOldTokenInUse, name)
		}
		if err != nil {
			return nil, fmt.Errorf("recover %s: %w", name, err)
		}
		rec := &Recovery{Token: tok}
		for _, f := range refused {
			// As the change list shows it, decided now, with its proposer's name: if that
			// cannot be read, the line names the change alone, and the token is still
			// returned.
			v := &ChangeView{ID: f.change.ID, Kind: f.change.Kind, Member: f.change.Subject, State: store.ChangeRefused}
			if c, err := r.readChange(ctx, f.change.ID); err == nil {
				if cv, err := r.changeView(ctx, c); err == nil {
					v = cv
				}
			}
			rec.Refused = append(rec.Refused, RefusedChange{Change: *v, Why: f.why})
		}
		return rec, nil
	}
}

// Recovery is what RecoverAdmin did.
type Recovery struct {
	// Token is the admin's new token, shown once.
	Token string
	// Refused are the changes it refused, each with the reason the audit trail records: those
	// the admin proposed, then those about the admin that others proposed.
	Refused []RefusedChange
}

// RefusedChange is a change refused in passing by another one, and why (the audit trail's
// reason: "ada was given a new token").
type RefusedChange struct {
	Change ChangeView
	Why    string
}

// refusal is a change refused in passing, and why.
type refusal struct {
	change store.Change
	why    string
}

// refusals pairs each of cs with why.
func refusals(cs []store.Change, why string) []refusal {
	out := make([]refusal, len(cs))
	for i, c := range cs {
		out[i] = refusal{c, why}
	}
	return out
}

// operatorName names the operator running RecoverAdmin, who is no member, in the audit trail
// and as the decider of the changes it refuses.
const operatorName = "operator (chancery member recover)"

// operator is the actor of what no member does: the operator's recovery (RecoverAdmin), and
// the refusals of a provider's sign-in (syncExternalRoles). Its refusals are decided by no
// member (refuseChanges), shown as the operator's; remote is the request's address, "local"
// for the recovery.
func operator(remote string) Actor {
	return Actor{Member: &store.Member{Name: operatorName, Roles: []string{RoleAdmin}}, Remote: remote, local: true}
}

// errRecoverNotAdmin refuses RecoverAdmin for a member who is not an admin: the office's
// admins give them a new token.
func errRecoverNotAdmin(name string) error {
	return fmt.Errorf("%w: %s is not an admin: an admin gives them a new token (chancery member token %s)", ErrConflict, name, name)
}

// ErrOldTokenInUse: a recovery that keys registered with the admin's old token, through a
// server of the office still running, made fail at every attempt (RecoverAdmin).
var ErrOldTokenInUse = errors.New("signer keys keep being registered with the old token while it is replaced, through a server of the office that still runs")
