package registry

import (
	"errors"
	"strings"
	"testing"
)

// TestCheckOfficeName: the office's name, printed on every released letter and signed into
// its seal and the trust root, was checked only for line breaks and NUL, so a right-to-left
// override or a zero-width space could make it read as another office's. Init now refuses
// control, format and invisible characters, spaces at its ends or other than U+0020, a name
// with nothing to read, and one too long for the footer's line; it keeps the name in NFC.
func TestCheckOfficeName(t *testing.T) {
	for _, name := range []string{
		"Task Force \u202eNorth", "Task Force \u2066North\u2069", "Task Force\u200e North", "Task Force\u200f North",
		"\u061cTask Force North", "Task\u200bForce North", "Task Force\u200d North", "Task\u2060Force", "\ufeffTask Force North",
		"Task\u00adForce", "Task Force\x07 North", "Task Force\u0085North", "Task Force\nNorth", "Task Force\x00",
		" Task Force North", "Task Force North ", "Task Force North\u3000", "", "   ", "\u0301",
		"Task\u00a0Force North", "Task Force\u2800North",
		strings.Repeat("Ministry of Foreign Affairs ", 4) + "and Cooperation", strings.Repeat("é", 101),
		"Task Force \ue000",
		"Task\ufe0f Force", "Task\u034f Force", "Task\u17b4 Force", "Task\u180b Force", "Task\U000e0100 Force",
		"Task\u2065 Force", "Task\ufff0 Force",
		"Task Force  North", "\u0301Task Force North", "\u064eوزارة الخارجية",
	} {
		if _, err := CheckOfficeName(name, "TFN"); !errors.Is(err, ErrInvalid) {
			t.Errorf("office name %q: %v, want ErrInvalid", name, err)
		}
	}
	for name, want := range map[string]string{
		"Task Force North (fictional)":                         "Task Force North (fictional)",
		"Ministe\u0300re des Affaires e\u0301trange\u0300res":  "Ministère des Affaires étrangères",
		"وزارة الخارجية":                                       "وزارة الخارجية",
		"Directorate of Consular Affairs, Legalisation Office": "Directorate of Consular Affairs, Legalisation Office",
	} {
		got, err := CheckOfficeName(name, "LONGPREFIX123456")
		if err != nil || got != want {
			t.Errorf("office name %q: %q, %v, want %q", name, got, err, want)
		}
	}
}
