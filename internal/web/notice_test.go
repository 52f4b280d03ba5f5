package web_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/server"
)

// TestNoticeOnlyAfterOwnForm: "Your approval is recorded." is shown after the member's own
// form redirected to the page, a navigation from this site; a link from a mail or another
// site with ?done=approved shows nothing, so that it cannot tell a member an approval was
// recorded that was not.
func TestNoticeOnlyAfterOwnForm(t *testing.T) {
	o := newOffice(t, server.Config{})
	c := o.client()
	c.signIn("rita")
	for site, shown := range map[string]bool{"same-origin": true, "": true, "cross-site": false, "same-site": false, "none": false} {
		hdr := map[string]string{}
		if site != "" {
			hdr["Sec-Fetch-Site"] = site
		}
		_, body := c.do("GET", "/inbox?done=approved", nil, hdr)
		if got := strings.Contains(body, "Your approval is recorded."); got != shown {
			t.Errorf("Sec-Fetch-Site %q: notice shown %v, want %v", site, got, shown)
		}
	}
}

// TestMembersNoticeOnlyAfterOwnForm: the members page's confirmations are held to the same
// rule, so that a link cannot tell an admin that a member is disabled (their token, sessions
// and signer keys ended) when nothing was done.
func TestMembersNoticeOnlyAfterOwnForm(t *testing.T) {
	o := newOffice(t, server.Config{})
	if err := o.reg.SetPassword(context.Background(), o.actors["root"], "root", password("root")); err != nil {
		t.Fatal(err)
	}
	c := o.client()
	c.signIn("root")
	for site, shown := range map[string]bool{"same-origin": true, "": true, "cross-site": false, "same-site": false, "none": false} {
		hdr := map[string]string{}
		if site != "" {
			hdr["Sec-Fetch-Site"] = site
		}
		_, body := c.do("GET", "/admin/members?done=disabled", nil, hdr)
		if got := strings.Contains(body, "The member is disabled"); got != shown {
			t.Errorf("Sec-Fetch-Site %q: notice shown %v, want %v", site, got, shown)
		}
	}
}
