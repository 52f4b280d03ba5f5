package registry

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/policy"
	"github.com/chancery/chancery/internal/store"
)

// TestDispatchRefusesRecipientTheRulesWouldHaveCaught: a letter may be dispatched to any
// recipient of the directory, not only to those its addressees name. A rule written over the
// addressees ("Ministry of Defence" in letter.addressees: legal review) must not be escaped by
// releasing the letter to other addressees and dispatching it to the ministry afterwards: a
// recipient for whom the policy in force would have applied a rule the letter's own addressees
// do not is refused, and one that changes nothing is sent the letter as before.
func TestDispatchRefusesRecipientTheRulesWouldHaveCaught(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	o.ministryNeedsLegal(t)
	o.addRecipients(t,
		NewRecipient{Name: "ministry", Organization: "Ministry of Defence", Emails: []string{"registry@mod.example"}},
		NewRecipient{Name: "liaison", Organization: "Liaison cell", Emails: []string{"cell@liaison.example"}},
	)
	// Addressed to the ministry, the letter needs legal review, which nobody gave.
	direct := o.letterTo(t, "Repositioning of forces", "The forces will be repositioned.", "Ministry of Defence")
	o.approve(t, direct)
	if err := o.sign(t, direct); err != nil {
		t.Fatal(err)
	}
	wantGate(t, tryRelease(o, direct), "1 approval by a member with role legal")
	// The same text to the staff leaves under the default rule, and was dispatched to the
	// ministry all the same.
	staff := o.letterTo(t, "Repositioning of forces (staff)", "The forces will be repositioned.", "Staff")
	o.approvedAndReleased(t, staff)
	_, err := o.r.Dispatch(ctx, o.officer, staff, []string{"ministry"})
	wantErr(t, "dispatch to a recipient whose organisation a stricter rule names", err, ErrConflict)
	wantRuleNamed(t, err, "to-the-ministry")
	if _, err := o.r.Dispatch(ctx, o.officer, staff, []string{"liaison"}); err != nil {
		t.Fatalf("dispatch to a recipient no other rule names: %v", err)
	}
	// A letter released under the stricter rule goes to the ministry.
	if _, err := o.r.SetRoles(ctx, o.admin, "rita", []string{"legal"}, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := o.r.Release(ctx, o.officer, direct); err != nil {
		t.Fatalf("release with legal review: %v", err)
	}
	if _, err := o.r.Dispatch(ctx, o.officer, direct, []string{"ministry", "liaison"}); err != nil {
		t.Fatalf("dispatch of the letter addressed to the ministry: %v", err)
	}
}

// TestDispatchRefusesRecipientAddressedByTheirDirectoryName: a letter addressed to a
// recipient's name in the directory ("ministry"), not to the organisation a rule tests
// ("Ministry of Defence"), leaves under the default rule; it is not dispatched to that
// recipient, to whose organisation the stricter rule applies, while a letter addressed to the
// organisation itself is, once released under that rule.
func TestDispatchRefusesRecipientAddressedByTheirDirectoryName(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	o.ministryNeedsLegal(t)
	if _, _, err := o.r.AddRecipient(ctx, o.admin, NewRecipient{Name: "ministry", Organization: "Ministry of Defence", Emails: []string{"registry@mod.example"}}); err != nil {
		t.Fatal(err)
	}
	byName := o.letterTo(t, "Repositioning of forces", "The forces will be repositioned.", "ministry")
	o.approvedAndReleased(t, byName)
	_, err := o.r.Dispatch(ctx, o.officer, byName, []string{"ministry"})
	wantErr(t, "dispatch to a recipient the letter names by their directory name alone", err, ErrConflict)
	wantRuleNamed(t, err, "to-the-ministry")
	if _, err := o.r.SetRoles(ctx, o.admin, "rita", []string{"legal"}, nil); err != nil {
		t.Fatal(err)
	}
	both := o.letterTo(t, "Repositioning of forces (ministry)", "The forces will be repositioned soon.", "ministry", "Ministry of Defence")
	o.approvedAndReleased(t, both)
	if _, err := o.r.Dispatch(ctx, o.officer, both, []string{"ministry"}); err != nil {
		t.Fatalf("dispatch of the letter addressed to the ministry: %v", err)
	}
}

// TestDispatchToRecipientWhoseRuleAsksNothingMore: a letter released under a rule is
// dispatched to a recipient for whom another rule would apply that asks nothing its own
// rules did not (legal review for the embassy as for the ministry): its release was checked
// against as much. A rule that asks for more is still refused.
func TestDispatchToRecipientWhoseRuleAsksNothingMore(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	o.adopt(t, `version: 1
name: legal-for-foreign-bodies
rules:
  - name: to-the-ministry
    when: '"Ministry of Defence" in letter.addressees'
    require:
      approvals: [{role: legal}]
      signatures: [{role: signer}]
  - name: to-the-embassy
    when: '"Embassy of Ruritania" in letter.addressees'
    require:
      approvals: [{role: legal}]
      signatures: [{role: signer}]
  - name: to-the-council
    when: '"Council" in letter.addressees'
    require:
      approvals: [{role: legal, count: 2}]
      signatures: [{role: signer}]
  - name: to-the-press
    when: '"Press office" in letter.addressees'
    require:
      approvals: [{role: legal}]
      signatures: [{role: signer}]
      max_approval_age: 1h
  - name: default
    default: true
    require:
      approvals: [{role: reviewer}]
      signatures: [{role: signer}]
`)
	o.r.SetDispatch(DispatchSettings{Mail: true})
	o.addRecipients(t,
		NewRecipient{Name: "ministry", Organization: "Ministry of Defence", Emails: []string{"registry@mod.example"}},
		NewRecipient{Name: "council", Organization: "Council", Emails: []string{"clerk@council.example"}},
		NewRecipient{Name: "press", Organization: "Press office", Emails: []string{"desk@press.example"}},
	)
	if _, err := o.r.SetRoles(ctx, o.admin, "rita", []string{"legal"}, nil); err != nil {
		t.Fatal(err)
	}
	embassy := o.letterTo(t, "Repositioning of forces", "The forces will be repositioned.", "Embassy of Ruritania")
	o.approvedAndReleased(t, embassy)
	if _, err := o.r.Dispatch(ctx, o.officer, embassy, []string{"ministry"}); err != nil {
		t.Errorf("dispatch to a recipient whose rule asks what the letter's did: %v", err)
	}
	_, err := o.r.Dispatch(ctx, o.officer, embassy, []string{"council"})
	wantErr(t, "dispatch to a recipient whose rule asks for a second legal approval", err, ErrConflict)
	wantRuleNamed(t, err, "to-the-council")
	_, err = o.r.Dispatch(ctx, o.officer, embassy, []string{"press"})
	wantErr(t, "dispatch to a recipient whose rule counts only approvals of the last hour", err, ErrConflict)
	wantRuleNamed(t, err, "to-the-press")
}

// TestRecipientOrganisationStoredAsAnAddressee: a recipient's organisation is what the rules
// over addressees are checked against when a letter is dispatched to them: it is stored as an
// addressee is (single ASCII spaces, none at either end), and one mixing scripts in a word
// ("Ministry of D\u0435fence", with a Cyrillic е) is refused, as an addressee is, so that one
// that reads as the organisation a rule names is that organisation.
func TestRecipientOrganisationStoredAsAnAddressee(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	o.ministryNeedsLegal(t)
	if _, _, err := o.r.AddRecipient(ctx, o.admin, NewRecipient{Name: "mixed", Organization: "Ministry of D\u0435fence", Emails: []string{"a@mod.example"}}); !errors.Is(err, ErrInvalid) {
		t.Errorf("an organisation mixing Latin and Cyrillic letters in a word: %v, want ErrInvalid", err)
	}
	for i, org := range []string{"Ministry of Defence ", "Ministry of  Defence", "Ministry\u00a0of Defence"} {
		name := fmt.Sprintf("ministry-%d", i)
		v, _, err := o.r.AddRecipient(ctx, o.admin, NewRecipient{Name: name, Organization: org, Emails: []string{name + "@mod.example"}})
		if err != nil {
			t.Fatal(err)
		}
		if v.Organization != "Ministry of Defence" {
			t.Errorf("organisation %+q stored as %+q", org, v.Organization)
		}
		staff := o.letterTo(t, "Repositioning of forces "+name, "The forces will be repositioned, "+name+".", "Staff")
		o.approvedAndReleased(t, staff)
		_, err = o.r.Dispatch(ctx, o.officer, staff, []string{name})
		wantErr(t, fmt.Sprintf("dispatch to a recipient of organisation %+q", org), err, ErrConflict)
	}
}

// TestDispatchCheckedAgainstThePolicyInForce: a server that has not yet read a policy another
// adopted (it reads it within a second) does not check a dispatch, nor a new member's name,
// against the policy before; and while the policy in force does not compile with this build,
// its rules are not known, and a letter is not dispatched to a recipient it is not addressed
// to, whom one of them might have named.
func TestDispatchCheckedAgainstThePolicyInForce(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	o.r.SetDispatch(DispatchSettings{Mail: true})
	if _, _, err := o.r.AddRecipient(ctx, o.admin, NewRecipient{Name: "ministry", Organization: "Ministry of Defence", Emails: []string{"registry@mod.example"}}); err != nil {
		t.Fatal(err)
	}
	other := New(o.r.cfg) // another server of the office, which read the policy before
	other.SetDispatch(DispatchSettings{Mail: true})
	ministry := `  - name: to-the-ministry
    when: '"Ministry of Defence" in letter.addressees'
    require:
      approvals: [{role: legal}]
      signatures: [{role: signer}]
`
	o.adopt(t, "version: 1\nname: ministry-needs-legal\ngroups:\n  legal-signers: [carol]\nrules:\n"+ministry+
		"  - name: default\n    default: true\n    require:\n      approvals: [{role: reviewer}]\n      signatures: [{role: signer}]\n")
	staff := o.letterTo(t, "Repositioning of forces", "The forces will be repositioned.", "Staff")
	o.approvedAndReleased(t, staff)
	_, err := other.Dispatch(ctx, o.officer, staff, []string{"ministry"})
	wantErr(t, "dispatch by a server that has not read the policy in force", err, ErrConflict)
	_, err = other.AddMember(ctx, o.admin, "Carol", []string{RoleSigner})
	wantErr(t, "a member added by a server that has not read the policy in force", err, ErrConflict)
	if _, err := o.r.Dispatch(ctx, o.officer, staff, []string{"ministry"}); !errors.Is(err, ErrConflict) {
		t.Fatalf("dispatch by the server that adopted the policy: %v, want ErrConflict", err)
	}

	// The policy in force no longer compiles.
	memo := o.letterTo(t, "Repositioning of forces (memo)", "The forces will be repositioned soon.", "Staff")
	o.approvedAndReleased(t, memo)
	adoptStale(t, o, "stale", stalePolicy+ministry)
	if err := restart(t, o); err != nil {
		t.Fatal(err)
	}
	o.r.SetDispatch(DispatchSettings{Mail: true})
	_, err = o.r.Dispatch(ctx, o.officer, memo, []string{"ministry"})
	wantErr(t, "dispatch while the rules of the policy in force are not known", err, ErrConflict)
}

// TestDispatchOnAServerThatHasNotReadThePolicy: two servers of one office on one PostgreSQL
// database; a policy one adopts is not yet in force on the other, which refuses a dispatch
// the policy's rules would refuse rather than check it against the policy before.
func TestDispatchOnAServerThatHasNotReadThePolicy(t *testing.T) {
	ctx := context.Background()
	a, b := sharedOffices(t)
	b.r.SetDispatch(DispatchSettings{Mail: true})
	if _, _, err := a.r.AddRecipient(ctx, a.admin, NewRecipient{Name: "ministry", Organization: "Ministry of Defence", Emails: []string{"registry@mod.example"}}); err != nil {
		t.Fatal(err)
	}
	a.adopt(t, `version: 1
name: ministry-needs-legal
rules:
  - name: to-the-ministry
    when: '"Ministry of Defence" in letter.addressees'
    require:
      approvals: [{role: legal}]
      signatures: [{role: signer}]
  - name: default
    default: true
    require:
      approvals: [{role: reviewer}]
      signatures: [{role: signer}]
`)
	staff := a.letterTo(t, "Repositioning of forces", "The forces will be repositioned.", "Staff")
	a.approvedAndReleased(t, staff)
	_, err := b.r.Dispatch(ctx, b.officer, staff, []string{"ministry"})
	wantErr(t, "dispatch by the server that has not read the policy", err, ErrConflict)
	if err := b.r.LoadPolicy(ctx, policy.Parse); err != nil {
		t.Fatal(err)
	}
	_, err = b.r.Dispatch(ctx, b.officer, staff, []string{"ministry"})
	wantErr(t, "dispatch once the server has read the policy", err, ErrConflict)
	wantRuleNamed(t, err, "to-the-ministry")
}

// TestDispatchRefusesRecipientTheReleaseWasNotCheckedFor: a letter released under one policy
// is not dispatched to a recipient whose rule asks for what its release was never checked
// against, even when the policy adopted since asks as much of every letter: legal review,
// which the ministry's rule asks for, was not given for a letter released to the staff under
// the default rule before the policy asked it of all. A recipient no rule names is still sent
// it.
func TestDispatchRefusesRecipientTheReleaseWasNotCheckedFor(t *testing.T) {
	dispatchRefusesRecipientTheReleaseWasNotCheckedFor(t, newOffice(t))
}

func TestDispatchRefusesRecipientTheReleaseWasNotCheckedForPostgres(t *testing.T) {
	dispatchRefusesRecipientTheReleaseWasNotCheckedFor(t, postgresOffice(t))
}

func dispatchRefusesRecipientTheReleaseWasNotCheckedFor(t *testing.T, o *office) {
	ctx := context.Background()
	o.ministryNeedsLegal(t)
	o.addRecipients(t,
		NewRecipient{Name: "ministry", Organization: "Ministry of Defence", Emails: []string{"registry@mod.example"}},
		NewRecipient{Name: "liaison", Organization: "Liaison cell", Emails: []string{"cell@liaison.example"}},
	)
	staff := o.letterTo(t, "Repositioning of forces (staff)", "The forces will be repositioned.", "Staff")
	o.approvedAndReleased(t, staff)
	o.adopt(t, `version: 1
name: legal-for-all
rules:
  - name: to-the-ministry
    when: '"Ministry of Defence" in letter.addressees'
    require:
      approvals: [{role: legal}]
      signatures: [{role: signer}]
  - name: everything
    when: 'true'
    require:
      approvals: [{role: legal}]
      signatures: [{role: signer}]
  - name: default
    default: true
    require:
      approvals: [{role: reviewer}]
      signatures: [{role: signer}]
`)
	_, err := o.r.Dispatch(ctx, o.officer, staff, []string{"ministry"})
	wantErr(t, "dispatch to the ministry of a letter released without legal review", err, ErrConflict)
	wantRuleNamed(t, err, "to-the-ministry")
	// A recipient no rule names is asked nothing the letter's addressees were not.
	if _, err := o.r.Dispatch(ctx, o.officer, staff, []string{"liaison"}); err != nil {
		t.Fatalf("dispatch to a recipient no rule names: %v", err)
	}
}

// TestDispatchRefusesRecipientWhoseOrganisationIsNotStoredAsItReads: a recipient added
// before their organisation was stored as an addressee is (with two spaces, or a Cyrillic е
// in "Defence") is not the organisation a rule names, and a letter released under the default
// rule would be dispatched to them unchecked: such a recipient is refused, and is added again.
func TestDispatchRefusesRecipientWhoseOrganisationIsNotStoredAsItReads(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	o.ministryNeedsLegal(t)
	err := o.r.cfg.DB.Update(ctx, func(tx *store.Tx) error {
		for name, org := range map[string]string{"ministry": "Ministry of D\u0435fence", "mod": "Ministry of  Defence"} {
			if err := tx.AddRecipient(ctx, &store.Recipient{Name: name, Organization: org, Emails: []string{name + "@mod.example"}, CreatedAt: o.r.now()}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	staff := o.letterTo(t, "Repositioning of forces (staff)", "The forces will be repositioned.", "Staff")
	o.approvedAndReleased(t, staff)
	for _, name := range []string{"ministry", "mod"} {
		_, err := o.r.Dispatch(ctx, o.officer, staff, []string{name})
		wantErr(t, "dispatch to "+name+", whose organisation is not stored as it reads", err, ErrConflict)
	}
}

// TestDispatchCountsEveryPartyForARuleOverTheAddressees: a rule over the number of
// addressees (legal review beyond two) counts the parties a letter was, or is being,
// dispatched to, not the letter's addressees and one recipient: two recipients in one
// dispatch, or one after another, are refused once the letter would reach more parties than
// its release was checked for.
func TestDispatchCountsEveryPartyForARuleOverTheAddressees(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	o.wideCirculationNeedsLegal(t)
	o.addRecipients(t,
		NewRecipient{Name: "ministry", Organization: "Ministry of Defence", Emails: []string{"registry@mod.example"}},
		NewRecipient{Name: "liaison", Organization: "Liaison cell", Emails: []string{"cell@liaison.example"}},
		NewRecipient{Name: "press", Organization: "Press office", Emails: []string{"desk@press.example"}},
	)
	staff := o.letterTo(t, "Repositioning of forces (staff)", "The forces will be repositioned.", "Staff")
	o.approvedAndReleased(t, staff)
	_, err := o.r.Dispatch(ctx, o.officer, staff, []string{"ministry", "liaison"})
	wantErr(t, "dispatch to two parties at once", err, ErrConflict)
	wantRuleNamed(t, err, "wide-circulation")
	if _, err := o.r.Dispatch(ctx, o.officer, staff, []string{"ministry"}); err != nil {
		t.Fatalf("dispatch to one party: %v", err)
	}
	_, err = o.r.Dispatch(ctx, o.officer, staff, []string{"press"})
	wantErr(t, "dispatch to a second party after the first", err, ErrConflict)
}

// ministryNeedsLegal adopts a policy whose rule for letters to the Ministry of Defence asks
// for legal review, where every other letter needs a reviewer, and lets the office dispatch.
func (o *office) ministryNeedsLegal(t *testing.T) {
	t.Helper()
	o.adopt(t, `version: 1
name: ministry-needs-legal
rules:
  - name: to-the-ministry
    when: '"Ministry of Defence" in letter.addressees'
    require:
      approvals: [{role: legal}]
      signatures: [{role: signer}]
  - name: default
    default: true
    require:
      approvals: [{role: reviewer}]
      signatures: [{role: signer}]
`)
	o.r.SetDispatch(DispatchSettings{Mail: true})
}

// wideCirculationNeedsLegal adopts a policy whose rule for letters to more than two
// addressees asks for legal review, where every other letter needs a reviewer, and lets the
// office dispatch.
func (o *office) wideCirculationNeedsLegal(t *testing.T) {
	t.Helper()
	o.adopt(t, `version: 1
name: wide-needs-legal
rules:
  - name: wide-circulation
    when: 'size(letter.addressees) > 2'
    require:
      approvals: [{role: legal}]
      signatures: [{role: signer}]
  - name: default
    default: true
    require:
      approvals: [{role: reviewer}]
      signatures: [{role: signer}]
`)
	o.r.SetDispatch(DispatchSettings{Mail: true})
}

// addRecipients adds recipients to the office's directory, as its admin.
func (o *office) addRecipients(t *testing.T, rs ...NewRecipient) {
	t.Helper()
	for _, r := range rs {
		if _, _, err := o.r.AddRecipient(context.Background(), o.admin, r); err != nil {
			t.Fatal(err)
		}
	}
}

// wantRuleNamed fails unless err, a refused dispatch, names the rule that refused it.
func wantRuleNamed(t *testing.T, err error, rule string) {
	t.Helper()
	if err != nil && !strings.Contains(err.Error(), "the rule "+rule) {
		t.Errorf("the refusal does not name the rule %s: %v", rule, err)
	}
}
