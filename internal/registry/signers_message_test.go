package registry

import (
	"context"
	"strings"
	"testing"
)

// TestStatusMessageNamesSigners: the message of a valid letter's answer (the API's "message",
// and the line 'chancery identify' prints) names its signers as a list of names, "signed by
// sam", and a letter released under a rule that asks for no signature names none, rather than
// Go's "signed by [sam]" and "signed by []".
func TestStatusMessageNamesSigners(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	signed, _ := o.released(t, "Signed by one member.")
	st, err := o.r.MemberStatus(ctx, o.reviewer, signed)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(st.Message, ", signed by sam") {
		t.Errorf("message %q, want it to end with \", signed by sam\"", st.Message)
	}
	o.adopt(t, "version: 1\nname: memos\nrules:\n  - name: memo\n    default: true\n    require:\n      approvals: [{role: reviewer}]\n")
	memo := o.letter(t, "An internal memo that needs one approval and no signature.")
	o.approve(t, memo)
	if err := tryRelease(o, memo); err != nil {
		t.Fatal(err)
	}
	if st, err = o.r.MemberStatus(ctx, o.reviewer, memo); err != nil {
		t.Fatal(err)
	}
	if len(st.Signers) != 0 || strings.Contains(st.Message, "signed by") || strings.Contains(st.Message, "[") {
		t.Errorf("signers %q, message %q; want no signers named", st.Signers, st.Message)
	}
	if !strings.HasPrefix(st.Message, "valid: released by Task Force North on ") {
		t.Errorf("message %q, want the valid line", st.Message)
	}
}
