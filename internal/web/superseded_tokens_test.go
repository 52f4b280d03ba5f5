package web_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/registry"
	"github.com/chancery/chancery/internal/store"
)

// TestApprovalNamesTheTokensItSuperseded: under two_admins, root and ada each propose a new
// token for sam (ada's as an older build left it, since a duplicate is refused now); approving root's refuses ada's as superseded (item 967), and the members
// page then showed the token and the change list, where ada's read "refused", with no
// sentence naming it (fifty-ninth session's not-fixed list, the lead's decision). A notice
// under the token now names each, in the page's language; a token that superseded none has no
// such notice.
func TestApprovalNamesTheTokensItSuperseded(t *testing.T) {
	o, root, ada, rootTok, adaTok := twoAdminsOffice(t)
	issued := regexp.MustCompile(`<code id="issued-token">(chy_[A-Za-z0-9_-]+)</code>`)
	notice := regexp.MustCompile(`(?s)<p class="notice" id="superseded">(.*?)</p>`)
	for _, tc := range []struct{ lang, want string }{
		{"en", "Also refused, as superseded: change %s (new token for sam, proposed by ada)"},
		{"fr", "Aussi refusées, car remplacées par ce jeton : modification %s (nouveau jeton pour sam, proposée par ada)"},
		{"ar", "ورُفضت كذلك لأن هذا الرمز حلّ محلها: التغيير %s (رمز دخول جديد لـ sam، اقترحه ada)"},
	} {
		resp, _ := root.post("/admin/members/sam/token", url.Values{"csrf": {rootTok}})
		first := proposedChange(t, root, "root's new token for sam", resp)
		// ada's own proposal of the same is refused now (a duplicate); one left by an older
		// build, which did not refuse it, is what the approval supersedes.
		second := duplicateProposal(t, o, "ada", registry.ChangeToken, "sam")
		resp, body := ada.do("POST", "/admin/changes/"+first+"/approve", url.Values{"csrf": {adaTok}, "password": {password("ada")}},
			map[string]string{"Origin": o.srv.URL, "Sec-Fetch-Site": "same-origin", "Accept-Language": tc.lang})
		if resp.StatusCode != http.StatusOK || !issued.MatchString(body) {
			t.Fatalf("%s: the approval of root's new token for sam: %s, no token shown", tc.lang, resp.Status)
		}
		want := strings.Replace(tc.want, "%s", second, 1)
		m := notice.FindStringSubmatch(body)
		if m == nil || html.UnescapeString(m[1]) != want {
			t.Errorf("%s: the notice under the token: %q, want %q", tc.lang, m, want)
		}
		if i, j := strings.Index(body, `id="issued-token"`), strings.Index(body, `id="superseded"`); j < i {
			t.Errorf("%s: the notice is not under the token", tc.lang)
		}
	}

	// Nothing pending for sam: no notice.
	resp, _ := root.post("/admin/members/sam/token", url.Values{"csrf": {rootTok}})
	only := proposedChange(t, root, "root's new token for sam", resp)
	resp, body := ada.post("/admin/changes/"+only+"/approve", url.Values{"csrf": {adaTok}, "password": {password("ada")}})
	if resp.StatusCode != http.StatusOK || !issued.MatchString(body) || strings.Contains(body, `id="superseded"`) {
		t.Errorf("an approval that superseded nothing: %s, token shown %v, notice %v; want the token alone", resp.Status, issued.MatchString(body), strings.Contains(body, `id="superseded"`))
	}
}

// duplicateProposal records a pending change of kind about subject, proposed by the member
// named by now, as a build that did not refuse a duplicate proposal left it, and returns its
// number.
func duplicateProposal(t *testing.T, o *office, by, kind, subject string) string {
	t.Helper()
	ctx := context.Background()
	var id int64
	err := o.db.Update(ctx, func(tx *store.Tx) error {
		m, err := tx.MemberByName(ctx, by)
		if err != nil {
			return err
		}
		c := &store.Change{Kind: kind, Subject: subject, Detail: []byte("{}"), ProposedBy: m.ID, ProposedAt: time.Now()}
		if err := tx.AddChange(ctx, c); err != nil {
			return err
		}
		id = c.ID
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return strconv.FormatInt(id, 10)
}
