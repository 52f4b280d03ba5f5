package verify

import (
	"bytes"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/i18n"
	"golang.org/x/text/language"
)

func TestColorOutcome(t *testing.T) {
	for _, tc := range []struct{ outcome, msg, want string }{
		{"valid", "valid: TFN-2026-000123", green + "valid" + reset + ": TFN-2026-000123"},
		{"retracted", "retracted: withdrawn", amber + "retracted" + reset + ": withdrawn"},
		{"superseded", "superseded: by TFN-2", amber + "superseded" + reset + ": by TFN-2"},
		{"invalid", "invalid: the seal is damaged", red + "invalid" + reset + ": the seal is damaged"},
		{"draft", "draft: not an official document", red + "draft" + reset + ": not an official document"},
		{"unknown", "unknown: never released", red + "unknown" + reset + ": never released"},
		{"altered", "altered: these bytes", red + "altered" + reset + ": these bytes"},
		{"error", "could not verify: gone", red + "could not verify: gone" + reset},
	} {
		if got := colorOutcome(tc.outcome, tc.msg); got != tc.want {
			t.Errorf("colorOutcome(%q, %q) = %q, want %q", tc.outcome, tc.msg, got, tc.want)
		}
	}
}

// Output that is not a terminal gets no colour and no progress line.
func TestNotATerminal(t *testing.T) {
	var b bytes.Buffer
	if useColor(&b) {
		t.Error("useColor on a buffer")
	}
	p := newProgress(&b, 10, i18n.For(language.English))
	if p != nil {
		t.Fatal("a progress line on a buffer")
	}
	p.step()
	p.finish()
	if b.Len() != 0 {
		t.Errorf("wrote %q", b.String())
	}
}

// TestProgressLineInTheReadersLanguage: the progress line was English in a run with --lang fr
// or --lang ar, whose every other line is French or Arabic. (Found by review of cf0ebc3,
// sixtieth session.)
func TestProgressLineInTheReadersLanguage(t *testing.T) {
	for _, tc := range []struct{ lang, want string }{
		{"en", "\rverified 1 of 2 files"},
		{"fr", "\rfichiers vérifiés : 1 sur 2"},
		{"ar", "\rالملفات المتحقَّق منها: 1 من 2"},
	} {
		p, err := outputLanguage(tc.lang, func(string) string { return "" })
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		// A progress line on b whose run began long ago, so that the first step shows it.
		pr := &progress{w: &b, total: 2, start: time.Now().Add(-time.Hour), lang: p}
		pr.step()
		if b.String() != tc.want {
			t.Errorf("--lang %s: the progress line is %q, want %q", tc.lang, b.String(), tc.want)
		}
	}
}
