package web_test

import (
	"crypto/sha256"
	"encoding/hex"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/server"
)

// TestVerifyTakesTheLineSha256sumPrints: the verify page without JavaScript says to compute
// the digest with sha256sum and paste it; the line sha256sum prints (the digest, then the
// file's name), or PowerShell's Get-FileHash, is answered for its digest. A text with two
// digests, or none, is still refused.
func TestVerifyTakesTheLineSha256sumPrints(t *testing.T) {
	o := newOffice(t, server.Config{RateLimit: -1})
	ref := o.letter("Coordination", "# Coordination\n\nSir,\n")
	sum := sha256.Sum256(o.release(ref))
	h := hex.EncodeToString(sum[:])
	for _, q := range []string{
		h + "  " + ref + ".pdf",
		h + " *" + ref + ".pdf",
		"\\" + h + "  my\\\\letter.pdf",
		"SHA256          " + strings.ToUpper(h) + "       C:\\Users\\me\\" + ref + ".pdf",
	} {
		resp, body := o.client().get("/verify?q=" + url.QueryEscape(q))
		if resp.StatusCode != http.StatusOK || !strings.Contains(html.UnescapeString(body), "Released and valid") {
			t.Errorf("GET /verify?q=%s: %s\n%s", q, resp.Status, mainOf(body))
		}
	}
	for _, q := range []string{h + "  " + h, "a letter.pdf", ref + " " + h + "x"} {
		if resp, _ := o.client().get("/verify?q=" + url.QueryEscape(q)); resp.StatusCode != http.StatusBadRequest {
			t.Errorf("GET /verify?q=%s: %s; want 400", q, resp.Status)
		}
	}
}
