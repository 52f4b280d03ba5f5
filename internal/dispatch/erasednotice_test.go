package dispatch

import (
	"context"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/registry"
)

// TestNoticeAfterErasureSaysTheReasonWasErased: a withdrawal notice still waiting when the
// letter was erased (a mail outage, `dispatch retry` of a failed one) was sent with an empty
// reason under "Reason, as signed in the office's transparency log", telling its recipient
// that the office had signed no reason (audit, fifty-sixth session). It says the reason was
// erased, and quotes nothing of it.
func TestNoticeAfterErasureSaysTheReasonWasErased(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	o.r.SetDispatch(registry.DispatchSettings{Mail: true})
	o.recipient(t, "ministry", "registry@mod.freedonia.example")
	ref := o.release(t, "The brigade moves north on 3 March.")
	if _, err := o.r.Dispatch(ctx, o.officer, ref, []string{"ministry"}); err != nil {
		t.Fatal(err)
	}
	if err := o.r.Delivered(ctx, registry.Delivery{Message: takeAgain(t, o), Reply: "250 ok"}); err != nil {
		t.Fatal(err)
	}
	const reason = "Addressed to Colonel Mkrperson by mistake"
	o.withdraw(t, ref, "", reason)
	if err := o.r.Erase(ctx, o.admin, ref, "erasure request"); err != nil {
		t.Fatal(err)
	}
	out, err := o.r.Compose(ctx, takeAgain(t, o))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out.Text, "Mkrperson") {
		t.Errorf("the notice quotes the erased reason:\n%s", out.Text)
	}
	if !strings.Contains(out.Text, "erased") || strings.Contains(out.Text, "):\n  \n") {
		t.Errorf("the notice does not say the reason was erased:\n%s", out.Text)
	}
}
