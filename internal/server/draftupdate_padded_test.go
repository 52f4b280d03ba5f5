package server_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/identify/synth"
	"github.com/chancery/chancery/internal/registry"
)

// TestStrippedCopyPaddedWithMarkers: pdf.RevisionEnds kept the latest 16 ends only, and a
// stripped draft copy followed by nine comment lines "%%EOF" pushed the copy's own end out of
// them (found by the session's review). It keeps the earliest, the copy's among them.
func TestStrippedCopyPaddedWithMarkers(t *testing.T) {
	o := cfNewOffice(t)
	text := synth.Corpus{Seed: 49, FamilySize: 1}.Letter(0).Text() + "\n\nBODY\n"
	l := o.create(t, "juliet", ".txt", "text/plain", text)
	c, err := o.reg.ExportDraft(context.Background(), o.actors[cfDrafter], l.ref, cfRecipient)
	if err != nil {
		t.Fatal(err)
	}
	o.release(t, l)
	stripped := stripMarks(t, c.Data)
	padded := append(append([]byte{}, stripped...), strings.Repeat("%%EOF\r\n", 9)...)
	ctype, body := multipartFile("copy.pdf", padded)
	id := askIdentify(t, o.srv.URL, cfNewDetector(nil), "padded stripped copy", ctype, body)
	if id.Outcome != registry.Draft {
		t.Errorf("the stripped copy with nine more end-of-file markers: %s (%s): %s", id.Outcome, id.Match, id.Message)
	}
}
