package registry

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/chancery/chancery/internal/i18n"
	"github.com/chancery/chancery/internal/store"
)

func TestDuplicateProposalRefused(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) { duplicateProposalRefused(t, newOffice(t)) })
	t.Run("postgres", func(t *testing.T) { duplicateProposalRefused(t, postgresOffice(t)) })
}

// duplicateProposalRefused: an admin could propose the same change again and again (five new
// tokens for sam by root: five pending, up to the bound of 20), each to be approved or refused
// on its own (fifty-ninth session's not-fixed list). A proposal asking what a pending change
// asks already, whoever proposed it, is refused now with a conflict naming that change; of two
// such proposals at once, one is refused.
func duplicateProposalRefused(t *testing.T, o *office) {
	ctx := context.Background()
	root, ada, bob := threeAdminsTwoNeeded(t, o)
	refused := func(err error, what, want string) {
		t.Helper()
		if !errors.Is(err, ErrConflict) || Proposed(err) != nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want a conflict saying %q", what, err, want)
		}
	}

	_, err := o.r.IssueToken(ctx, root, "sam")
	tok := proposed(t, err, ChangeToken, "root")
	_, err = o.r.IssueToken(ctx, root, "sam")
	refused(err, "root's second new token for sam", fmt.Sprintf("you proposed this already as change %d: another admin approves it", tok.ID))
	_, err = o.r.IssueToken(ctx, bob, "sam")
	refused(err, "bob's new token for sam", fmt.Sprintf("change %d already asks this: approve it", tok.ID))
	// Said in the members page's languages.
	for lang, want := range map[string]string{
		"fr": fmt.Sprintf("la modification %d le demande déjà : approuvez-la", tok.ID),
		"ar": fmt.Sprintf("التعديل %d يطلب هذا بالفعل: وافق عليه", tok.ID),
	} {
		p, _ := i18n.Parse(lang)
		if got := p.Error(err); !strings.HasSuffix(got, want) {
			t.Errorf("in %s: %q, want %q", lang, got, want)
		}
	}

	// Roles compare as sets; another payload is another change.
	_, err = o.r.SetRoles(ctx, root, "sam", []string{RoleReviewer, RoleDrafter}, nil)
	roles := proposed(t, err, ChangeRoles, "root")
	_, err = o.r.SetRoles(ctx, bob, "sam", []string{RoleDrafter, RoleReviewer}, nil)
	refused(err, "bob's same role change", fmt.Sprintf("change %d already asks this: approve it", roles.ID))
	_, err = o.r.SetRoles(ctx, bob, "sam", []string{RoleReviewer}, nil)
	proposed(t, err, ChangeRoles, "bob")
	_, err = o.r.IssueToken(ctx, bob, "rita")
	proposed(t, err, ChangeToken, "bob")

	// Once the pending one is decided, it may be proposed again.
	if _, err := o.r.RefuseChange(ctx, ada, tok.ID); err != nil {
		t.Fatal(err)
	}
	_, err = o.r.IssueToken(ctx, bob, "sam")
	proposed(t, err, ChangeToken, "bob")

	// Two at once: one is proposed, the other refused.
	var wg sync.WaitGroup
	start := make(chan struct{})
	errs := make([]error, 2)
	for i, a := range []Actor{root, ada} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			_, errs[i] = o.r.EnableMember(ctx, a, "dana")
		}()
	}
	if _, err := o.r.DisableMember(ctx, bob, "dana"); err != nil {
		t.Fatal(err)
	}
	close(start)
	wg.Wait()
	n := 0
	for _, err := range errs {
		switch {
		case Proposed(err) != nil:
			n++
		case errors.Is(err, ErrConflict) && strings.Contains(err.Error(), "already asks this: approve it"):
		default:
			t.Errorf("two enablings of dana at once: %v", err)
		}
	}
	if n != 1 {
		t.Errorf("two enablings of dana at once: %d proposed (%v), want 1", n, errs)
	}
	pending := 0
	cs, err := o.r.Changes(ctx, root)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cs {
		if c.Kind == ChangeEnable && c.State == store.ChangePending {
			pending++
		}
	}
	if pending != 1 {
		t.Errorf("%d enablings of dana pending, want 1", pending)
	}
}
