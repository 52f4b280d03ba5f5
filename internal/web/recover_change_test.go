package web_test

import (
	"context"
	"net/url"
	"strings"
	"testing"
)

// TestMembersPageSaysOperatorRefusedInReadersLanguage: a change the operator's 'chancery
// member recover' refused is decided by no member, and the members page named its decider in
// English, "operator (chancery member recover)", on a page in French or Arabic (audit,
// fifty-seventh session). It says so in the reader's language.
func TestMembersPageSaysOperatorRefusedInReadersLanguage(t *testing.T) {
	ctx := context.Background()
	o, root, ada, rootTok, _ := twoAdminsOffice(t)
	resp, _ := root.post("/admin/members/rita/roles", url.Values{"csrf": {rootTok}, "role": {"reviewer", "signer"}})
	id := proposedChange(t, root, "a role", resp)
	if _, err := o.reg.RecoverAdmin(ctx, "root"); err != nil {
		t.Fatal(err)
	}
	for lang, want := range map[string]string{
		"en": "by the operator (chancery member recover), ",
		"fr": "par l&#39;opérateur (chancery member recover), le ",
		"ar": "بواسطة المشغّل (chancery member recover)، في ",
	} {
		_, body := ada.do("GET", "/admin/members", nil, map[string]string{"Accept-Language": lang})
		row := changeRow(body, id)
		if !strings.Contains(row, want) || strings.Contains(row, "operator (chancery member recover), ") && lang != "en" {
			t.Errorf("%s: the change the operator refused reads\n%s\nwant %q", lang, row, want)
		}
	}
}
