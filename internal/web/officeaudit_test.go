package web_test

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/registry"
	"github.com/chancery/chancery/internal/server"
)

// TestOfficeAuditPage: admins read the office's audit trail (the events that name no letter,
// here 101 recipients added) on /admin/audit, a hundred at a time with a link to the older
// ones, every event once across the pages and no letter's event among them; the members page
// links to it; members who are not admins are refused it; it is translated.
func TestOfficeAuditPage(t *testing.T) {
	o := newOffice(t, server.Config{})
	ctx := context.Background()
	ref := o.letter("Coordination of force movements", "# Coordination\n\nSir, the troop withdrawal is postponed.\n")
	for i := range 101 {
		if _, _, err := o.reg.AddRecipient(ctx, o.actors["root"], registry.NewRecipient{Name: fmt.Sprintf("liaison-%03d", i),
			Emails: []string{fmt.Sprintf("liaison%d@mod.example", i)}}); err != nil {
			t.Fatal(err)
		}
	}
	if err := o.reg.SetPassword(ctx, o.actors["root"], "root", password("root")); err != nil {
		t.Fatal(err)
	}
	admin := o.client()
	admin.signIn("root")
	if _, body := admin.get("/admin/members"); !strings.Contains(body, `<a href="/admin/audit">Office audit trail</a>`) {
		t.Error("the members page does not link to the office's audit trail")
	}
	older := regexp.MustCompile(`<a href="([^"]*)" rel="next">Older events</a>`)
	added := regexp.MustCompile(`<span title="recipient.add">recipient.add</span></td><td class="hint"><bdi>[^<]*(liaison-\d{3})`)
	seen := map[string]int{}
	next := "/admin/audit"
	for pages := 0; next != ""; pages++ {
		if pages > 3 {
			t.Fatal("more pages than events call for")
		}
		resp, body := admin.get(next)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: %s", next, resp.Status)
		}
		if strings.Contains(body, ref) || strings.Contains(body, "letter.create") {
			t.Errorf("the office's audit trail shows a letter's event")
		}
		for _, m := range added.FindAllStringSubmatch(body, -1) {
			seen[m[1]]++
		}
		next = ""
		if m := older.FindStringSubmatch(body); m != nil {
			next = html.UnescapeString(m[1])
		}
	}
	for i := range 101 {
		if name := fmt.Sprintf("liaison-%03d", i); seen[name] != 1 {
			t.Errorf("recipient.add of %s shown %d times across the pages, want once", name, seen[name])
		}
	}

	rita := o.client()
	rita.signIn("rita")
	if resp, _ := rita.get("/admin/audit"); resp.StatusCode != http.StatusForbidden {
		t.Errorf("a reviewer reads the office's audit trail: %s", resp.Status)
	}
	if resp, _ := admin.get("/admin/audit?before=x"); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("before=x: %s, want 400", resp.Status)
	}
	admin.getLang("/lang/fr?next=/admin/audit", "")
	if _, body := admin.do("GET", "/admin/audit", nil, map[string]string{"Referer": o.srv.URL + "/admin/members"}); !strings.Contains(body, "Piste d&#39;audit de l&#39;office") || strings.Contains(body, "Office audit trail") {
		t.Error("the office's audit trail is not in French")
	}
}
