package web

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/i18n"
	xlang "golang.org/x/text/language"
)

// TestTextCommandsOfTheRegistryErrors: the registry's errors that the pages show name
// commands with hyphens, 'chancery recipient add --webhook' (the recipients page, a webhook
// named "Recipient:…") and chancery recipient set-emails (the letter page, a dispatch to a
// recipient whose stored address is now refused). The layout's commands function drew only
// chancery verify --offline as a command, and these broke after their hyphens in a narrow
// column, "--" on one line and "webhook" on the next (review of 0d67c44, fifty-ninth session).
// In each language, each is now a code element of class cmd, its words in spans.
func TestTextCommandsOfTheRegistryErrors(t *testing.T) {
	for _, tc := range []struct {
		key     string
		args    []any
		command string
		spans   string
	}{
		{"webhook name %q: names beginning with \"recipient:\" are those of recipients' endpoints, which 'chancery recipient add --webhook' adds",
			[]any{"Recipient:x"}, "chancery recipient add --webhook",
			`<code class="cmd"><span>chancery</span> <span>recipient</span> <span>add</span> <span>--webhook</span></code>`},
		{"%v (the address of recipient %s was stored before that was refused): nothing is sent to them until their addresses are given again (chancery recipient set-emails)",
			[]any{fmt.Errorf("refused"), "apple"}, "chancery recipient set-emails",
			`<code class="cmd"><span>chancery</span> <span>recipient</span> <span>set-emails</span></code>`},
	} {
		for _, lang := range []xlang.Tag{xlang.English, xlang.French, xlang.Arabic} {
			text := i18n.For(lang).T(tc.key, tc.args...)
			if !strings.Contains(text, tc.command) {
				t.Fatalf("the %s message does not name %q: %s", lang, tc.command, text)
			}
			if got := string(commands(text)); !strings.Contains(got, tc.spans) {
				t.Errorf("the %s message is written %s\nwant %s in it", lang, got, tc.spans)
			}
		}
	}
}
