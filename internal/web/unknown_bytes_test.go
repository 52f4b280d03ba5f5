package web_test

import (
	"html"
	"net/http"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/server"
)

// TestUnknownBytesSayWhatAScanNeeds: a file whose bytes no letter has is answered, beside
// "it may be altered, forged", with what a scan, a photo or a copy printed again needs (its
// QR code, or its text pasted), as `chancery verify` says that such a file may be a scan; a
// genuine letter's photo was otherwise only said to be perhaps forged. In every language.
func TestUnknownBytesSayWhatAScanNeeds(t *testing.T) {
	o := newOffice(t, server.Config{RateLimit: -1})
	path := "/verify?digest=sha256:" + strings.Repeat("ab", 32)
	for _, tc := range []struct{ lang, want string }{
		{"en", "A scan or a photo of a letter"},
		{"fr", "Le scan ou la photo d'une lettre"},
		{"ar", "المسح الضوئي للرسالة أو صورتها"},
	} {
		resp, body := o.client().getLang(path, tc.lang)
		if resp.StatusCode != http.StatusOK || !strings.Contains(html.UnescapeString(body), tc.want) || !strings.Contains(body, `href="/verify#identify"`) {
			t.Errorf("unknown bytes, in %s: %s; want %q:\n%s", tc.lang, resp.Status, tc.want, mainOf(body))
		}
	}
}
