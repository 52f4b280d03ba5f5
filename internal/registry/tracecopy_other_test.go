package registry

import (
	"context"
	"os/exec"
	"strings"
	"testing"
)

// TestIdentifyTracesDraftCopyCloseToAnotherReleasedLetter: a draft copy of a letter whose
// text is mostly another letter's, released (a correction of it, a note drafted from it),
// was answered to members "altered: close to" the released letter, since a text close to a
// released letter was traced among released letters only: the copy's line, naming the copy
// and its recipient, was never read. The public is still told nothing of the copy.
func TestIdentifyTracesDraftCopyCloseToAnotherReleasedLetter(t *testing.T) {
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext not installed")
	}
	ctx := context.Background()
	o := newOffice(t)
	body := strings.Repeat("Dear Minister, the brigade of the northern task force moves north on 3 March towards the river crossing at dawn. ", 6)
	released := o.letter(t, body)
	o.approvedAndReleased(t, released)
	draft := o.letter(t, body+"The crossing is postponed to 5 March at the request of the engineers.")
	c, err := o.r.ExportDraft(ctx, o.drafter, draft, "Embassy liaison")
	if err != nil {
		t.Fatal(err)
	}
	text := pdftotext(t, c.Data)
	id, err := o.r.Identify(ctx, o.reviewer, text)
	if err != nil {
		t.Fatal(err)
	}
	if id.Outcome != Draft || id.Reference != draft || id.Status == nil || id.Status.Draft == nil ||
		len(id.Status.Draft.Exports) != 1 || id.Status.Draft.Exports[0].Recipient != "Embassy liaison" {
		t.Errorf("the copy's text: a member is answered %s %s %q, not which copy it is", id.Outcome, id.Reference, id.Message)
	}
	pub, err := o.r.Identify(ctx, Actor{}, text)
	if err != nil {
		t.Fatal(err)
	}
	if pub.Outcome == Draft || pub.Reference == draft || pub.Status != nil && pub.Status.Draft != nil || strings.Contains(pub.Message, "liaison") {
		t.Errorf("the public is told of the copy: %s %s %q", pub.Outcome, pub.Reference, pub.Message)
	}
}
