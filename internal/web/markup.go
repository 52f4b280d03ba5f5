package web

import (
	"html/template"
	"reflect"
	"regexp"
	"strings"

	"github.com/chancery/chancery/internal/i18n"
)

// markup is the template function th: it translates a message whose text holds markup around
// some of its words (a link, an emphasis), so that a translation can move the markup with the
// words it belongs to, as word order requires. The catalogue's texts are the application's
// own and trusted; every argument is escaped before it is formatted into them, except
// numbers (which the printer writes in the page's digits) and template.HTML.
func markup(pr *i18n.Printer) func(key string, args ...any) template.HTML {
	return func(key string, args ...any) template.HTML {
		safe := make([]any, len(args))
		for i, a := range args {
			switch v := a.(type) {
			case template.HTML:
				safe[i] = string(v)
			case string:
				safe[i] = template.HTMLEscapeString(v)
			default:
				switch reflect.ValueOf(a).Kind() {
				case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
					reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64,
					reflect.Float32, reflect.Float64:
					safe[i] = a
				default:
					safe[i] = template.HTMLEscaper(a)
				}
			}
		}
		return template.HTML(commandWords(pr.T(key, safe...)))
	}
}

// cmdRE finds a command of a message, a code element of class cmd, and what it holds.
var cmdRE = regexp.MustCompile(`(<code class="cmd"[^>]*>)([^<]*)(</code>)`)

// commandWords puts each word of a message's commands (code elements of class cmd) in a span
// that the style sheet keeps on one line: "Get-FileHash FILE" broke at its hyphen, "Get-" at
// the end of one line and "FileHash FILE" on the next, and a reader typed "Get- FileHash". The
// command is itself kept on one line (an inline block); one longer than the column, on a
// phone, breaks at its spaces only, between the spans. The spans add nothing to the text: a
// copy of the command is as written.
func commandWords(s string) string {
	if !strings.Contains(s, `<code class="cmd"`) {
		return s
	}
	return cmdRE.ReplaceAllStringFunc(s, func(m string) string {
		parts := cmdRE.FindStringSubmatch(m)
		words := strings.Split(parts[2], " ")
		for i, w := range words {
			if w != "" {
				words[i] = "<span>" + w + "</span>"
			}
		}
		return parts[1] + strings.Join(words, " ") + parts[3]
	})
}

// textCommands are the commands that plain texts name, messages set without markup (a
// handler's error, the registry's errors a page shows, the verify page's line of a seal file
// chosen): on a page they are drawn as the catalogue's commands are, never broken at a
// hyphen. They are every command the registry's error texts name, in English and in their
// French and Arabic translations (which carry them verbatim), found by reading them, not by
// a pattern: a free text may quote a letter's subject. A command that begins another is
// found as the longer one (commands).
var textCommands = []string{
	"chancery verify --offline",
	"chancery recipient add",
	"chancery recipient add --webhook",
	"chancery recipient set-emails",
	"chancery draft send",
	"chancery member token",
	"chancery member disable",
	"chancery member recover",
	"chancery change refuse ID",
	"chancery login",
	"chancery policy check",
	"chancery policy adopt",
	"chancery key rotate pdf-cert",
}

// commands is the template function that writes a plain text, escaped, with the commands it
// names (textCommands) as code elements of class cmd, their words in spans (commandWords). A
// command is found where it stands as words of its own, not followed by a letter, a digit or
// a hyphen ("chancery login" is not in "chancery logins"), and the longest that stands there
// is taken, so a command is never written inside another's element.
func commands(s string) template.HTML {
	e := template.HTMLEscapeString(s)
	var b strings.Builder
	for i := 0; i < len(e); {
		c := textCommandAt(e, i)
		if c == "" {
			b.WriteByte(e[i])
			i++
			continue
		}
		b.WriteString(`<code class="cmd">` + c + `</code>`)
		i += len(c)
	}
	return template.HTML(commandWords(b.String()))
}

// textCommandAt returns the longest of textCommands that stands at s[i:] as words of its
// own, or "".
func textCommandAt(s string, i int) string {
	if i > 0 && wordByte(s[i-1]) {
		return ""
	}
	found := ""
	for _, c := range textCommands {
		if len(c) > len(found) && strings.HasPrefix(s[i:], c) && (i+len(c) == len(s) || !wordByte(s[i+len(c)])) {
			found = c
		}
	}
	return found
}

// wordByte reports whether b continues a command's word: a letter, a digit, a hyphen or an
// underscore.
func wordByte(b byte) bool {
	return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || b == '-' || b == '_'
}
