package registry

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/seal"
)

// TestOfficeTimeZoneDatesLetters: an office in Tokyo releasing at 20:00 UTC on 31 December
// releases on 1 January there: its letterhead, its footer, the year of its reference and
// the date its answer gives say so. An office without a zone dates the same letter in UTC.
func TestOfficeTimeZoneDatesLetters(t *testing.T) {
	tool(t, "pdftotext")
	tokyo, err := time.LoadLocation("Asia/Tokyo")
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	at := time.Date(2026, 12, 31, 20, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		zone       *time.Location
		year, date string
	}{
		{tokyo, "2027", "1 January 2027"},
		{nil, "2026", "31 December 2026"},
	} {
		t.Run(c.date, func(t *testing.T) {
			o := newOffice(t)
			o.r.cfg.Office.Zone = c.zone
			o.r.cfg.Now = func() time.Time { return at }
			ref, rel := o.released(t, "Dear Minister,\n\nThe forces will be repositioned.")
			if !strings.HasPrefix(ref, "TFN-"+c.year+"-") {
				t.Errorf("reference %s, want one of %s", ref, c.year)
			}
			page := pageText(t, writeFile(t, "released.pdf", rel.File), 1)
			if n := strings.Count(page, c.date); n != 2 {
				t.Errorf("the released letter gives %q %d times, want twice (letterhead, footer):\n%s", c.date, n, page)
			}
			if !strings.Contains(page, "Official letter, released "+c.date) {
				t.Errorf("the footer does not say released %s:\n%s", c.date, page)
			}
			st, err := o.r.VerifyDigest(ctx, Actor{}, seal.DigestOf(rel.File))
			if err != nil || st.Outcome != Valid {
				t.Fatalf("verify: %+v, %v", st, err)
			}
			if !strings.Contains(st.Message, " on "+c.date) {
				t.Errorf("the answer says %q, want the date %s", st.Message, c.date)
			}
			if !st.ReleasedAt.Equal(at) {
				t.Errorf("the answer's release time is %s, want the instant %s", st.ReleasedAt, at)
			}
		})
	}
}
