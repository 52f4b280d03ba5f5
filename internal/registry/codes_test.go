package registry

import (
	"strings"
	"testing"
)

// TestWrittenIn: a QR code's content is written in a text when its words, from a word's
// start to a word's end, spell it, spaces aside; a part of a word never is.
func TestWrittenIn(t *testing.T) {
	const text = "Verify at https://tfn.example/v/TFN-2026-000042/abc\nPay at https://pay.gov.example.org/x before\nthe end of https://split.example/v/TFN-\n2026-000042/abc."
	for _, c := range []struct {
		code string
		want bool
	}{
		{"https://tfn.example/v/TFN-2026-000042/abc", true},
		{"https://pay.gov.example.org/x", true},
		{"https://split.example/v/TFN-2026-000042/abc.", true}, // split by a line break
		{"Pay at", true},
		{"https://pay.gov.example", false}, // a word's start, not its end
		{"gov.example.org/x", false},       // a word's end, not its start
		{"https://tfn.example/v/TFN-2026", false},
		{"https://split.example/v/TFN-2026-000042/abc", false}, // ends inside "…/abc."
		{"https://evil.example/v/TFN-2026-000042/abc", false},
		{"", false},
		{" \n", false},
	} {
		if got := writtenIn(text, c.code); got != c.want {
			t.Errorf("writtenIn(%q) = %v, want %v", c.code, got, c.want)
		}
	}
}

// FuzzWrittenIn: a code written in a text is spelled by the text's words run together, and a
// code placed between two spaces is always written in.
func FuzzWrittenIn(f *testing.F) {
	f.Add("Verify at https://tfn.example/v/R/abc now", "https://tfn.example/v/R/abc")
	f.Add("a b c", "b c")
	f.Add("", "x")
	f.Fuzz(func(t *testing.T, text, code string) {
		if len(text) > 1<<12 || len(code) > 1<<10 {
			return
		}
		squeezed := strings.Join(strings.Fields(code), "")
		if writtenIn(text, code) && !strings.Contains(strings.Join(strings.Fields(text), ""), squeezed) {
			t.Errorf("writtenIn(%q, %q), but its words do not spell it", text, code)
		}
		if squeezed != "" && !writtenIn(text+" "+code+" "+text, code) {
			t.Errorf("%q between spaces is not written in", code)
		}
	})
}
