package verify

import (
	"bytes"
	"testing"
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
	p := newProgress(&b, 10)
	if p != nil {
		t.Fatal("a progress line on a buffer")
	}
	p.step()
	p.finish()
	if b.Len() != 0 {
		t.Errorf("wrote %q", b.String())
	}
}
