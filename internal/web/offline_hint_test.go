package web_test

import (
	"html"
	"net/http"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/server"
)

// TestResultPageOfflineCommandIsOffline: every verify result page ended with "For an
// independent check, offline: chancery verify --trust trust.json FILE", a command that is not
// offline: without --offline, verify sends the registry the file's digest and, for bytes it
// does not know, the file's text, so a journalist who ran it on a leaked copy told the office
// which copy was checked, and when. The command named as offline now carries --offline, and
// the page says what the command without it sends. In every language.
func TestResultPageOfflineCommandIsOffline(t *testing.T) {
	o := newOffice(t, server.Config{RateLimit: -1})
	path := "/verify?digest=sha256:" + strings.Repeat("cd", 32)
	for _, tc := range []struct{ lang, offline, sends string }{
		{"en", "without asking anyone", "sends it the file's fingerprint (and, for a file it does not know, its text)"},
		{"fr", "sans rien demander à personne", "lui envoie l'empreinte du fichier (et, pour un fichier qu'il ne connaît pas, son texte)"},
		{"ar", "دون سؤال أي أحد", "يرسل إليه بصمة الملف (ونصه، إن كان ملفًا لا يعرفه)"},
	} {
		resp, body := o.client().getLang(path, tc.lang)
		page := html.UnescapeString(body)
		if resp.StatusCode != http.StatusOK || !strings.Contains(page, `<code class="cmd"><span>chancery</span> <span>verify</span> <span>--offline</span> <span>--trust</span> <span>trust.json</span> <span>FILE</span></code>`) ||
			!strings.Contains(page, tc.offline) || !strings.Contains(page, tc.sends) {
			t.Errorf("result page, in %s: %s; want the offline command with --offline, and what the command without it sends:\n%s", tc.lang, resp.Status, mainOf(body))
		}
	}
}

// TestSealFileLineNamesOfflineCommand: a seal file chosen on the verify page is answered
// that a seal "is checked offline, beside its letter, with chancery verify", and verify
// without --offline asks the registry, sending it the letter's digest (and, for bytes it does
// not know, its text): the command named now carries --offline. In every language.
func TestSealFileLineNamesOfflineCommand(t *testing.T) {
	o := newOffice(t, server.Config{RateLimit: -1})
	for _, lang := range []string{"en", "fr", "ar"} {
		resp, body := o.client().getLang("/verify", lang)
		i := strings.Index(body, `data-seal="`)
		if resp.StatusCode != http.StatusOK || i < 0 {
			t.Fatalf("verify page, in %s: %s, no seal file line", lang, resp.Status)
		}
		line := html.UnescapeString(body[i : i+strings.Index(body[i+len(`data-seal="`):], `"`)+len(`data-seal="`)])
		if !strings.Contains(line, "chancery verify --offline.") {
			t.Errorf("the seal file line, in %s: %q; want the command with --offline", lang, line)
		}
	}
}
