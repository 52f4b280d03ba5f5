package web_test

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/server"
)

// TestDraftResultSaysNothingOfTheRelease: the verify page answered a draft's file "This is a
// draft of … It was never released: it commits the office to nothing." also for the file
// of the version the office approved, signed and released (the drafter's upload, leaked as
// in the founding story), whose text is a letter in force: a journalist was told the office
// never released what it did (found by audit, sixty-second session, live with the README's
// story). The page says what the file is, a draft and not a released letter, in every
// language, and nothing of whether its text was released.
func TestDraftResultSaysNothingOfTheRelease(t *testing.T) {
	o := newOffice(t, server.Config{})
	const body = "# Fuel\n\nThe office agrees to supply 40000 litres of fuel to the northern depot.\n"
	o.release(o.letter("Fuel", body))
	const never = "Nothing is decided yet about the southern depot.\n"
	o.letter("Southern depot", never)
	c := o.client()
	for _, file := range []string{body, never} {
		sum := sha256.Sum256([]byte(file))
		resp, page := c.post("/verify", url.Values{"q": {"sha256:" + hex.EncodeToString(sum[:])}})
		if resp.StatusCode != http.StatusOK || !strings.Contains(page, "NOT AN OFFICIAL DOCUMENT") {
			t.Fatalf("the draft's file is not answered as a draft: %s\n%s", resp.Status, page)
		}
		for _, claim := range []string{"never released", "jamais été émis", "لم تصدر قط"} {
			if strings.Contains(page, claim) {
				t.Errorf("the page for a draft's file says %q", claim)
			}
		}
		if !strings.Contains(page, "not a letter the office released") {
			t.Errorf("the page does not say the file is not a released letter:\n%s", page)
		}
	}
	for _, lang := range []string{"fr", "ar"} {
		sum := sha256.Sum256([]byte(body))
		_, page := c.do("POST", "/verify", url.Values{"q": {"sha256:" + hex.EncodeToString(sum[:])}},
			map[string]string{"Origin": o.srv.URL, "Sec-Fetch-Site": "same-origin", "Accept-Language": lang})
		for _, claim := range []string{"never released", "jamais été émis", "لم تصدر قط", "not a letter the office released"} {
			if strings.Contains(page, claim) {
				t.Errorf("%s: the page for a draft's file says %q", lang, claim)
			}
		}
	}
}
