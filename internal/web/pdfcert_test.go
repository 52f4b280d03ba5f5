package web_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/officeca/officecatest"
	"github.com/chancery/chancery/internal/registry"
	"github.com/chancery/chancery/internal/server"
)

// TestAdminPagesWarnOfThePDFCertificatesEnd: only /readyz and the server's log said that the
// PDF signing certificate was about to end, or had: the first an admin heard of it on the web
// was a release refused with 503. Signed-in admins now see a banner on every page from 30 days
// before its end, saying how to renew it; other members and visitors do not.
func TestAdminPagesWarnOfThePDFCertificatesEnd(t *testing.T) {
	now := time.Now()
	for _, c := range []struct {
		name      string
		from, end time.Time
		want      string // in the admins' banner; "" for no banner
	}{
		{"ended", now.AddDate(-3, 0, 0), now.Add(-time.Hour), "is not valid now"},
		{"ends within 30 days", now.AddDate(-3, 0, 0), now.AddDate(0, 0, 10), "ends on " + now.AddDate(0, 0, 10).UTC().Format("2 January 2006")},
		{"ends later", now.AddDate(-1, 0, 0), now.AddDate(0, 0, 40), ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			o := newOffice(t, server.Config{}, func(rc *registry.Config) {
				rc.PDFSigner = officecatest.SignerValid(t, "Task Force North", c.from, c.end)
			})
			if err := o.reg.SetPassword(context.Background(), o.actors["root"], "root", password("root")); err != nil {
				t.Fatal(err)
			}
			admin := o.client()
			admin.signIn("root")
			for _, path := range []string{"/inbox", "/admin/members", "/letters"} {
				_, body := admin.get(path)
				banner := strings.Contains(body, `id="pdf-certificate"`)
				if c.want == "" {
					if banner {
						t.Errorf("%s shows the banner for a certificate ending in 40 days", path)
					}
					continue
				}
				if !banner || !strings.Contains(body, c.want) || !strings.Contains(body, "<span>chancery</span> <span>key</span> <span>rotate</span> <span>pdf-cert</span>") {
					t.Errorf("%s for an admin: no banner saying %q and how to renew", path, c.want)
				}
			}
			if c.want == "" {
				return
			}
			_, body := admin.getLang("/inbox", "fr")
			if !strings.Contains(body, "certificat de signature PDF") {
				t.Error("the banner is not in the page's language")
			}
			rita := o.client()
			rita.signIn("rita")
			for _, cl := range []*browserless{rita, o.client()} {
				for _, path := range []string{"/inbox", "/", "/verify", "/log"} {
					if _, body := cl.get(path); strings.Contains(body, `id="pdf-certificate"`) || strings.Contains(body, "pdf-cert") {
						t.Errorf("%s shows the certificate's end to a reviewer or a visitor", path)
					}
				}
			}
		})
	}
}
