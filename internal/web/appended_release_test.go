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

// TestReleasedFileWithAnUpdateIsAltered: a released file with changes appended to it (an
// incremental update, which can change what a PDF shows while its signature still verifies)
// is answered on the verify page as altered, naming the letter, as `chancery verify` answers
// it; nothing else of the letter is shown, nor its seal offered. Before, the page's script
// sent the released file's digest among the earlier revisions, and the page answered
// "unknown to this registry". In every language.
func TestReleasedFileWithAnUpdateIsAltered(t *testing.T) {
	o := newOffice(t, server.Config{RateLimit: -1})
	ref := o.letter("Coordination of force movements", "# Coordination\n\nSir,\n")
	file := o.release(ref)
	sum := sha256.Sum256(file)
	released := "sha256:" + hex.EncodeToString(sum[:])
	changed := sha256.Sum256(append(file, "\n1 0 obj\n<<>>\nendobj\n%%EOF\n"...))
	path := "/verify?digest=sha256:" + hex.EncodeToString(changed[:]) + "&earlier=sha256:" + strings.Repeat("ab", 32) + "," + released
	for _, tc := range []struct{ lang, heading, says string }{
		{"en", "Altered", "with changes appended to it"},
		{"fr", "Altéré", "avec des modifications ajoutées"},
		{"ar", "محرَّف", "مع تغييرات أُلحقت به"},
	} {
		resp, body := o.client().getLang(path, tc.lang)
		text := html.UnescapeString(body)
		if resp.StatusCode != http.StatusOK || !strings.Contains(text, tc.heading) || !strings.Contains(text, tc.says) || !strings.Contains(text, ref) {
			t.Errorf("in %s: %s; want %q, %q and %s:\n%s", tc.lang, resp.Status, tc.heading, tc.says, ref, mainOf(body))
		}
		if strings.Contains(text, "Coordination of force movements") || strings.Contains(body, "/seal") {
			t.Errorf("in %s, the page shows the letter's subject or offers its seal:\n%s", tc.lang, mainOf(body))
		}
	}
}
