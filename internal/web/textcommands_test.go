package web

import (
	"fmt"
	"html/template"
	"regexp"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/i18n"
	"github.com/chancery/chancery/internal/registry"
	xlang "golang.org/x/text/language"
)

// TestTextCommandsOfTheRegistryErrors: the registry's errors that the pages show name
// commands, some with hyphens, 'chancery recipient add --webhook' (the recipients page, a
// webhook named "Recipient:…") and chancery recipient set-emails (the letter page, a dispatch
// to a recipient whose stored address is now refused). The layout's commands function drew
// only chancery verify --offline as a command, and these broke after their hyphens in a
// narrow column, "--" on one line and "webhook" on the next (review of 0d67c44, fifty-ninth
// session); the others ('chancery recipient add', chancery member token NAME, 'chancery draft
// send', chancery key rotate pdf-cert, …) were drawn as prose (the lead's decision, sixtieth
// session). Every command the registry's error texts name is now a code element of class
// cmd, its words in spans, in each language the text has; the text itself is unchanged.
func TestTextCommandsOfTheRegistryErrors(t *testing.T) {
	langs := []xlang.Tag{xlang.English, xlang.French, xlang.Arabic}
	for _, tc := range []struct {
		key   string
		args  []any
		langs []xlang.Tag // nil: the catalogue's three
		spans []string
	}{
		{key: "webhook name %q: names beginning with \"recipient:\" are those of recipients' endpoints, which 'chancery recipient add --webhook' adds",
			args:  []any{"Recipient:x"},
			spans: []string{`<code class="cmd"><span>chancery</span> <span>recipient</span> <span>add</span> <span>--webhook</span></code>`}},
		{key: "%v (the address of recipient %s was stored before that was refused): nothing is sent to them until their addresses are given again (chancery recipient set-emails)",
			args:  []any{fmt.Errorf("refused"), "apple"},
			spans: []string{`<code class="cmd"><span>chancery</span> <span>recipient</span> <span>set-emails</span></code>`}},
		{key: "%s is not released: only a released letter leaves by dispatch (a draft leaves as a coordination copy: 'chancery draft send')",
			args:  []any{"TFN-2026-000001"},
			spans: []string{`<code class="cmd"><span>chancery</span> <span>draft</span> <span>send</span></code>`}},
		{key: "only a token of 'chancery login' can be signed out: a member's lasting token ends when an admin issues a new one",
			spans: []string{`<code class="cmd"><span>chancery</span> <span>login</span></code>`}},
		{key: "signer keys keep being registered with the old token while it is replaced: disable the member (chancery member disable), which refuses new keys at once, then enable them",
			spans: []string{`<code class="cmd"><span>chancery</span> <span>member</span> <span>disable</span></code>`}},
		{key: "the policy in force, %s, does not compile with this version of Chancery (%v): nothing is released, approved or signed until an admin checks a corrected policy with `chancery policy check` and adopts it with `chancery policy adopt`",
			args: []any{"office-2026", fmt.Errorf("bad rule")},
			spans: []string{`<code class="cmd"><span>chancery</span> <span>policy</span> <span>check</span></code>`,
				`<code class="cmd"><span>chancery</span> <span>policy</span> <span>adopt</span></code>`}},
		{key: "you have %d changes waiting for a second admin: withdraw one (chancery change refuse ID) or ask another admin to decide them",
			args:  []any{2},
			spans: []string{`<code class="cmd"><span>chancery</span> <span>change</span> <span>refuse</span> <span>ID</span></code>`}},
		// The registry's errors without a translation (fmt.Errorf), as the registry writes them.
		{key: "recipient not found (add it with 'chancery recipient add')", langs: []xlang.Tag{xlang.English},
			spans: []string{`<code class="cmd"><span>chancery</span> <span>recipient</span> <span>add</span></code>`}},
		{key: "conflict: clerk is not an admin: an admin gives them a new token (chancery member token clerk)", langs: []xlang.Tag{xlang.English},
			spans: []string{`<code class="cmd"><span>chancery</span> <span>member</span> <span>token</span></code> clerk)`}},
		{key: "clerk's account was recovered by the operator (chancery member recover)", langs: []xlang.Tag{xlang.English},
			spans: []string{`<code class="cmd"><span>chancery</span> <span>member</span> <span>recover</span></code>`}},
		{key: "the PDF signing certificate expired: nothing was released; " + registry.RenewPDFCertificate, langs: []xlang.Tag{xlang.English},
			spans: []string{`<code class="cmd"><span>chancery</span> <span>key</span> <span>rotate</span> <span>pdf-cert</span></code>`}},
	} {
		ls := tc.langs
		if ls == nil {
			ls = langs
		}
		for _, lang := range ls {
			text := tc.key
			if tc.langs == nil {
				text = i18n.For(lang).T(tc.key, tc.args...)
			}
			got := string(commands(text))
			if n := strings.Count(got, `<code class="cmd">`); n != len(tc.spans) {
				t.Errorf("the %s message is written with %d commands, want %d: %s", lang, n, len(tc.spans), got)
			}
			for _, want := range tc.spans {
				if !strings.Contains(got, want) {
					t.Errorf("the %s message is written %s\nwant %s in it", lang, got, want)
				}
			}
			if plain := tagRE.ReplaceAllString(got, ""); plain != template.HTMLEscapeString(text) {
				t.Errorf("the %s message reads %q once written, want %q", lang, plain, text)
			}
		}
	}
}

// TestTextCommandsStandAsWords: a command is found where it stands as words of its own, the
// longest that stands there, and nowhere else.
func TestTextCommandsStandAsWords(t *testing.T) {
	for text, want := range map[string]string{
		"see chancery logins":                "see chancery logins",
		"xchancery login":                    "xchancery login",
		"chancery login-now":                 "chancery login-now",
		"(chancery login)":                   `(<code class="cmd"><span>chancery</span> <span>login</span></code>)`,
		"chancery recipient add":             `<code class="cmd"><span>chancery</span> <span>recipient</span> <span>add</span></code>`,
		"'chancery recipient add --webhook'": `&#39;<code class="cmd"><span>chancery</span> <span>recipient</span> <span>add</span> <span>--webhook</span></code>&#39;`,
		"<b>chancery login</b>":              `&lt;b&gt;<code class="cmd"><span>chancery</span> <span>login</span></code>&lt;/b&gt;`,
	} {
		if got := string(commands(text)); got != want {
			t.Errorf("commands(%q) = %s, want %s", text, got, want)
		}
	}
}

// tagRE finds an element's tags in a text written by commands.
var tagRE = regexp.MustCompile(`<[^>]*>`)
