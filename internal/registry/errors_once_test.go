package registry

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/witness"
)

// TestErrorsSayWhatOnce: an error names the letter, member, recipient, webhook or witness it
// is about once. The store's errors already say "letter REF: not found" or "add member NAME:
// conflict", and the registry wrapped them again in the same words, which the API and the
// command line showed as "letter REF: letter REF: not found". The sentinel still wraps.
func TestErrorsSayWhatOnce(t *testing.T) {
	ctx := context.Background()
	w := newWitnessedOffice(t, 0)
	o := w.office
	check := func(what string, err, sentinel error, want string) {
		t.Helper()
		if !errors.Is(err, sentinel) {
			t.Errorf("%s: %v, want %v", what, err, sentinel)
		}
		if err == nil || err.Error() != want {
			t.Errorf("%s: %q, want %q", what, err, want)
		}
	}

	_, err := o.r.Letter(ctx, o.drafter, "TFN-2026-000099")
	check("letter", err, ErrNotFound, "letter TFN-2026-000099: not found")
	_, err = o.r.Member(ctx, o.admin, "nobody")
	check("member", err, ErrNotFound, "member nobody: not found")
	_, err = o.r.AddMember(ctx, o.admin, "dana", []string{RoleReviewer})
	check("add member", err, ErrConflict, "add member dana: conflict")

	if _, _, err := o.r.AddRecipient(ctx, o.admin, NewRecipient{Name: "ministry", Emails: []string{"registry@mod.example"}}); err != nil {
		t.Fatal(err)
	}
	_, _, err = o.r.AddRecipient(ctx, o.admin, NewRecipient{Name: "ministry", Emails: []string{"other@mod.example"}})
	check("add recipient", err, ErrConflict, "add recipient ministry: conflict")

	if _, err := o.r.AddWebhook(ctx, o.admin, "ops", "https://hooks.example/in"); err != nil {
		t.Fatal(err)
	}
	_, err = o.r.AddWebhook(ctx, o.admin, "ops", "https://hooks.example/other")
	check("add webhook", err, ErrConflict, "add webhook endpoint ops: conflict")

	vkey := func(name string) string {
		k, err := witness.LoadKey(t.TempDir(), name)
		if err != nil {
			t.Fatal(err)
		}
		return k.VerifierKey()
	}
	if err := o.r.AddWitness(ctx, o.admin, "justice", "https://witness.justice.example", vkey("witness.justice.example")); err != nil {
		t.Fatal(err)
	}
	err = o.r.AddWitness(ctx, o.admin, "justice", "https://witness.other.example", vkey("witness.other.example"))
	check("add witness", err, ErrConflict, "add witness justice: conflict")
}

// TestUnknownRoleListsEachRoleOnce: the refusal of an unknown role lists the roles a member
// can be given, each once, though the policy in force names core roles (reviewer, signer)
// among its own: it listed "drafter, reviewer, signer, release, admin, reviewer, signer".
func TestUnknownRoleListsEachRoleOnce(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	roles := o.r.AssignableRoles()
	seen := map[string]bool{}
	for _, r := range roles {
		if seen[r] {
			t.Errorf("AssignableRoles lists %s twice: %v", r, roles)
		}
		seen[r] = true
	}
	_, err := o.r.SetRoles(ctx, o.admin, "dana", []string{"pope"}, nil)
	if !errors.Is(err, ErrInvalid) {
		t.Fatalf("an unknown role: %v, want ErrInvalid", err)
	}
	if want := "(roles: drafter, reviewer, signer, release, admin; "; !strings.Contains(err.Error(), want) {
		t.Errorf("an unknown role: %q, want it to list %q", err, want)
	}
}
