package registry

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/officeca/officecatest"
	"github.com/chancery/chancery/internal/pdf"
)

// TestLaidOutFingerprintIsReadBack checks that the fingerprint a release stores, now from the
// text its layout gathered (laidOutFingerprint), is byte for byte the one computed before
// from the released file read back (releasedFingerprint): text letters, plain and Markdown,
// of one and of many pages, in several scripts, and enclosures, signed and unsigned, one of
// them named with a parenthesis that the signature's update must not break.
func TestLaidOutFingerprintIsReadBack(t *testing.T) {
	signer := officecatest.Signer(t, "Task Force North")
	at := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	h := pdf.Letterhead{Office: "Task Force North", Reference: "TFN-2026-0042", Subject: "Coordination — تنسيق — 协调",
		Date: at, Addressees: []string{"Ministry of Defence"}, Signatories: []string{"Sam Signer", "Rita Reviewer"}}
	f := pdf.Footer{Office: h.Office, Reference: h.Reference, Released: at, VerifyURL: "https://registry.example/v/TFN-2026-0042/abc"}
	var md strings.Builder
	for i := range 60 {
		fmt.Fprintf(&md, "## Section %d\n\nThe office affirms *officially* that **sector %d** moves. معالي الوزير، تلقينا رسالتكم. "+
			"हमें दलों के बीच समन्वय. 尊敬的部长先生。\n\n- a point (with parentheses) and a back\\slash\n\n", i, i)
	}
	type letter struct {
		name, mediaType string
		body            []byte
		enclosure       *pdf.Enclosure
	}
	letters := []letter{
		{name: "plain", mediaType: "text/plain", body: []byte(strings.Repeat("Dear Minister, the repositioning of forces follows the plan.\n\n", 12))},
		{name: "markdown-pages", mediaType: "text/markdown", body: []byte(md.String())},
		{name: "enclosure", mediaType: "application/octet-stream", enclosure: &pdf.Enclosure{Name: "data.bin", MediaType: "application/octet-stream", Data: bytes.Repeat([]byte{0, 1, 2, 250}, 80)}},
		{name: "enclosure-paren", mediaType: "application/zip", enclosure: &pdf.Enclosure{Name: "report (draft.zip", MediaType: "application/zip", Data: []byte("PK")}},
	}
	for _, l := range letters {
		for _, s := range []*pdf.Signer{nil, signer} {
			var (
				rel *pdf.Release
				err error
			)
			if l.enclosure != nil {
				rel, err = pdf.RenderEnclosureReleaseText(*l.enclosure, h, f, s)
			} else {
				rel, err = pdf.RenderReleaseText(l.mediaType, l.body, h, f, s)
			}
			if err != nil {
				t.Fatalf("%s: %v", l.name, err)
			}
			if !rel.HasText {
				t.Errorf("%s (signed %v): laid-out text %v", l.name, s != nil, rel.HasText)
			}
			fp, enc, err := laidOutFingerprint(l.mediaType, "application/pdf", rel)
			wantFP, want, wantErr := releasedFingerprint(l.mediaType, "application/pdf", rel.Doc)
			if (err == nil) != (wantErr == nil) || !bytes.Equal(enc, want) || (fp == nil) != (wantFP == nil) {
				t.Errorf("%s (signed %v): fingerprint %d bytes (%v), read back %d bytes (%v)", l.name, s != nil, len(enc), err, len(want), wantErr)
			}
			if enc == nil {
				t.Errorf("%s (signed %v): no fingerprint", l.name, s != nil)
			}
		}
	}
}
