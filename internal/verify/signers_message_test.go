package verify

import (
	"strings"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/i18n"
	"github.com/chancery/chancery/internal/seal"
)

// TestValidMessageWithoutSigners: a policy may release a letter without signatures (an
// internal memo that needs one approval). Its valid line names no signers rather than
// "signed by  (log entry 8)", in every language.
func TestValidMessageWithoutSigners(t *testing.T) {
	s := &seal.ReleaseStatement{Letter: seal.Letter{Reference: "TFN-2026-000005", Subject: "Memo"}, Office: "Task Force North",
		ReleasedAt: time.Date(2026, 12, 6, 16, 41, 0, 0, time.UTC)}
	for _, lang := range []string{"en", "fr", "ar"} {
		p, _ := i18n.Parse(lang)
		vf := &Verifier{P: p}
		msg := vf.ValidMessage(s, 8)
		for _, m := range []string{msg.En, msg.Local} {
			if strings.Contains(m, "signed by") || strings.Contains(m, "signée par") || strings.Contains(m, "ووقّعها") {
				t.Errorf("%s: message %q names signers, want none", lang, m)
			}
			if !strings.Contains(m, "8") || !strings.Contains(m, "TFN-2026-000005") {
				t.Errorf("%s: message %q, want the reference and log entry", lang, m)
			}
		}
	}
	want := `valid: TFN-2026-000005 "Memo", released by Task Force North on 2026-12-06 16:41 UTC (log entry 8)`
	if got := (&Verifier{}).ValidMessage(s, 8).En; got != want {
		t.Errorf("message %q, want %q", got, want)
	}
}
