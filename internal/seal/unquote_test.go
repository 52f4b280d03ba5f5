package seal

import (
	"encoding/json"
	"testing"
)

// TestUnquoteSimpleByteByByte puts every byte between two letters and checks unquoteSimple
// (its fast path for plain ASCII and its loop) against encoding/json: what it accepts decodes
// to the same string, and what the canonical encodings escape (control characters, a quote, a
// backslash not starting \n, \" or \\, and <, > and & when html) or leave invalid (a lone
// byte above 0x7f) it refuses.
func TestUnquoteSimpleByteByByte(t *testing.T) {
	for _, html := range []bool{false, true} {
		for c := range 256 {
			q := []byte{'x', byte(c), 'y'}
			got, ok := unquoteSimple(q, html)
			refuse := c < 0x20 || c == '"' || c == '\\' || c >= 0x80 || html && (c == '<' || c == '>' || c == '&')
			if ok == refuse {
				t.Errorf("unquoteSimple(%q, html %v) ok = %v, want %v", q, html, ok, !refuse)
				continue
			}
			if !ok {
				continue
			}
			var want string
			if err := json.Unmarshal(append(append([]byte{'"'}, q...), '"'), &want); err != nil || got != want {
				t.Errorf("unquoteSimple(%q, html %v) = %q, encoding/json gives %q (%v)", q, html, got, want, err)
			}
		}
	}
	for _, c := range []struct{ q, want string }{
		{`a\nb`, "a\nb"}, {`\"quoted\" \\`, `"quoted" \`}, {"Résumé — ok", "Résumé — ok"}, {"TFN-2026-000001", "TFN-2026-000001"},
	} {
		if got, ok := unquoteSimple([]byte(c.q), true); !ok || got != c.want {
			t.Errorf("unquoteSimple(%q) = %q, %v; want %q", c.q, got, ok, c.want)
		}
	}
}

// TestQuotedEndsAtTheClosingQuote checks parser.quoted, whose fast path for strings without
// a backslash stops at the first quote, against a byte-by-byte reading of escapes.
func TestQuotedEndsAtTheClosingQuote(t *testing.T) {
	reference := func(data []byte) (string, string, bool) {
		if len(data) == 0 || data[0] != '"' {
			return "", "", false
		}
		for i := 1; i < len(data); i++ {
			switch data[i] {
			case '\\':
				i++
			case '"':
				return string(data[1:i]), string(data[i+1:]), true
			}
		}
		return "", "", false
	}
	for _, in := range []string{`"abc"rest`, `""`, `"a\"b"rest`, `"a\\"rest`, `"a\\\"b"x"`, `"a\\\\"b"`, `"abc`, `"a\"`,
		`"a\\`, `x"a"`, ``, `"TFN-2026-000001","office":"x"`} {
		p := &parser{data: []byte(in)}
		got := p.quoted()
		want, rest, ok := reference([]byte(in))
		if ok != (p.err == nil) || ok && (string(got) != want || string(p.data) != rest || p.off != len(in)-len(rest)) {
			t.Errorf("quoted(%q) = %q, rest %q, off %d, err %v; want %q, rest %q, ok %v", in, got, p.data, p.off, p.err, want, rest, ok)
		}
	}
}
