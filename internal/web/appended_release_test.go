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

// TestReleasedFileWithAnUpdateSaysTheLetterIsWithdrawn: a withdrawn letter's file with changes
// appended is answered as altered, and the page says that the office withdrew the letter
// (retracted or superseded), as the public answer for its reference says, in every language.
// Before, the page named the letter and told to ask the office for the original, and said
// nothing of the withdrawal. The reason and the new letter stay for the letter's holders.
func TestReleasedFileWithAnUpdateSaysTheLetterIsWithdrawn(t *testing.T) {
	o := newOffice(t, server.Config{RateLimit: -1})
	retracted := o.letter("Coordination of force movements", "# Coordination\n\nSir,\n")
	retractedFile := o.release(retracted)
	o.withdraw(retracted, "", "sent to the wrong embassy")
	superseded := o.letter("Schedule of the brigade", "# Schedule\n\nSir, the schedule.\n")
	supersededFile := o.release(superseded)
	by := o.letter("Schedule of the brigade, corrected", "# Schedule\n\nSir, the corrected schedule.\n")
	o.release(by)
	o.withdraw(superseded, by, "the dates were wrong")
	for _, tc := range []struct {
		ref  string
		file []byte
		says map[string]string
	}{
		{retracted, retractedFile, map[string]string{"en": "(retracted)", "fr": "(annulée)", "ar": "(أُلغيت)"}},
		{superseded, supersededFile, map[string]string{"en": "(superseded)", "fr": "(remplacée)", "ar": "(استُبدلت بغيرها)"}},
	} {
		sum := sha256.Sum256(tc.file)
		changed := sha256.Sum256(append(tc.file, "\n1 0 obj\n<<>>\nendobj\n%%EOF\n"...))
		path := "/verify?digest=sha256:" + hex.EncodeToString(changed[:]) + "&earlier=sha256:" + hex.EncodeToString(sum[:])
		for _, lang := range []string{"en", "fr", "ar"} {
			resp, body := o.client().getLang(path, lang)
			text := html.UnescapeString(body)
			if resp.StatusCode != http.StatusOK || !strings.Contains(text, `id="appended"`) || !strings.Contains(text, tc.says[lang]) {
				t.Errorf("%s in %s: %s; want the altered answer saying %q:\n%s", tc.ref, lang, resp.Status, tc.says[lang], mainOf(body))
			}
			if strings.Contains(text, "wrong") || strings.Contains(text, by) {
				t.Errorf("%s in %s: the page shows the reason or the new letter:\n%s", tc.ref, lang, mainOf(body))
			}
		}
	}
}
