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
// recorded that was not. Without fetch metadata (plain HTTP to a host other than loopback),
// the notice needs a Referer of this site: a link whose page suppressed it shows nothing.
func TestNoticeOnlyAfterOwnForm(t *testing.T) {
	o := newOffice(t, server.Config{})
	c := o.client()
	c.signIn("rita")
	for site, shown := range map[string]bool{"same-origin": true, "": false, "cross-site": false, "same-site": false, "none": false,
		"referer:" + o.srv.URL + "/letters/x": true, "referer:http://evil.example/": false} {
		hdr := map[string]string{}
		if ref, ok := strings.CutPrefix(site, "referer:"); ok {
			hdr["Referer"] = ref // no fetch metadata (plain HTTP): the Referer says where from
		} else if site != "" {
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
	for site, shown := range map[string]bool{"same-origin": true, "": false, "cross-site": false, "same-site": false, "none": false,
		"referer:" + o.srv.URL + "/admin/members": true, "referer:http://evil.example/": false} {
		hdr := map[string]string{}
		if ref, ok := strings.CutPrefix(site, "referer:"); ok {
			hdr["Referer"] = ref
		} else if site != "" {
			hdr["Sec-Fetch-Site"] = site
		}
		_, body := c.do("GET", "/admin/members?done=disabled", nil, hdr)
		if got := strings.Contains(body, "The member is disabled"); got != shown {
			t.Errorf("Sec-Fetch-Site %q: notice shown %v, want %v", site, got, shown)
		}
	}
}
