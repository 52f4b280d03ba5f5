package web_test

import (
	"crypto/sha256"
	"encoding/hex"
	"html"
	"net/http"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/server"
)

// TestResultPageShowsTrustFingerprint: the verify result page's independent check linked the
// trust root from the registry it is meant to check independently, with nothing a holder could
// compare with what the office publishes elsewhere (fifty-sixth session's not-fixed list; the
// lead's decision). It shows the fingerprint of the trust root it links (the SHA-256 of the
// bytes /api/v1/trust serves, in groups of four hexadecimal digits) and says to compare it
// with the office's published one. In every language.
func TestResultPageShowsTrustFingerprint(t *testing.T) {
	o := newOffice(t, server.Config{RateLimit: -1})
	resp, trust := o.client().getLang("/api/v1/trust", "")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /api/v1/trust: %s", resp.Status)
	}
	sum := sha256.Sum256([]byte(trust))
	h := hex.EncodeToString(sum[:])
	var groups []string
	for i := 0; i < len(h); i += 4 {
		groups = append(groups, h[i:i+4])
	}
	want := `<code dir="ltr">` + strings.Join(groups, " ") + `</code>`
	path := "/verify?digest=sha256:" + strings.Repeat("cd", 32)
	for _, tc := range []struct{ lang, compare string }{
		{"en", "compare this fingerprint with the one the office publishes elsewhere (its letterhead, its web site)"},
		{"fr", "comparez cette empreinte avec celle que le service publie ailleurs (son papier à en-tête, son site web)"},
		{"ar", "قارن هذه البصمة بالبصمة التي تنشرها الجهة في مكان آخر (ورقها الرسمي، موقعها على الويب)"},
	} {
		resp, body := o.client().getLang(path, tc.lang)
		page := html.UnescapeString(body)
		if resp.StatusCode != http.StatusOK || !strings.Contains(page, want) || !strings.Contains(page, tc.compare) {
			t.Errorf("result page, in %s: %s; want the trust root's fingerprint %s and the advice to compare it:\n%s", tc.lang, resp.Status, want, mainOf(body))
		}
	}
}
