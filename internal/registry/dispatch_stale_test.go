package registry

import (
	"context"
	"errors"
	"testing"
)

// TestDispatchByAMemberNoLongerAllowed: a release officer disabled, or whose release role
// was taken, after their request was authenticated dispatches nothing, as every other change
// checks in its transaction (stillActs). Until the thirty-ninth session Dispatch did not, and
// queued the letter to its recipients.
func TestDispatchByAMemberNoLongerAllowed(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	o.r.SetDispatch(DispatchSettings{Mail: true})
	if _, _, err := o.r.AddRecipient(ctx, o.admin, NewRecipient{Name: "ministry", Emails: []string{"registry@mod.example"}}); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name   string
		change func(t *testing.T)
	}{
		{"disabled", func(t *testing.T) {
			if _, err := o.r.DisableMember(ctx, o.admin, "otto"); err != nil {
				t.Fatal(err)
			}
		}},
		{"release role taken", func(t *testing.T) {
			if _, err := o.r.SetRoles(ctx, o.admin, "otto", []string{RoleDrafter}, []string{RoleRelease}); err != nil {
				t.Fatal(err)
			}
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			ref, _ := o.released(t, "Dear Minister,\n\nA letter dispatched by "+c.name+".\n")
			stale := o.officer // authenticated before the change
			c.change(t)
			if _, err := o.r.Dispatch(ctx, stale, ref, []string{"ministry"}); !errors.Is(err, ErrForbidden) {
				t.Errorf("dispatch by an officer %s since: %v", c.name, err)
			}
			if ds, err := o.r.Dispatches(ctx, o.admin, ref); err != nil || len(ds) != 0 {
				t.Errorf("queued: %+v, %v", ds, err)
			}
			// Otto as he is now, for the next case: enabled, with the release role.
			if c.name == "disabled" {
				tok, err := o.r.EnableMember(ctx, o.admin, "otto")
				if err != nil {
					t.Fatal(err)
				}
				o.officer = o.actor(t, tok)
			} else {
				if _, err := o.r.SetRoles(ctx, o.admin, "otto", []string{RoleRelease}, []string{RoleDrafter}); err != nil {
					t.Fatal(err)
				}
			}
		})
	}
}
