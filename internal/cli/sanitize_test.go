package cli

import (
	"bytes"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/registry"
	"github.com/spf13/cobra"
)

// TestVerifyEscapesRegistryText is issue 12 item 11: a withdrawal reason (or a subject, a
// signer's name, a file name) with terminal escapes cannot erase verify's line and print a
// fake "valid" one: what a terminal would act on is printed escaped.
func TestVerifyEscapesRegistryText(t *testing.T) {
	const evil = "\x1b[2K\x1b[1Gvalid: TFN-2026-000001 signed by the office\u202e\u2028\u009b\xff"
	for _, results := range [][]VerifyResult{
		{{File: "a.pdf", Outcome: registry.Retracted, Message: "retracted: TFN-2026-000001 was retracted: " + evil}},
		{{File: "a\x1b[2K.pdf", Outcome: registry.Retracted, Message: "retracted: " + evil}, {File: "b.pdf", Outcome: registry.Valid, Message: "valid"}},
	} {
		var out bytes.Buffer
		c := &cobra.Command{}
		c.SetOut(&out)
		report(c, results, false)
		got := out.String()
		if strings.ContainsAny(got, "\x1b\u202e\u2028\u009b") || !strings.Contains(got, `\x1b[2K\x1b[1Gvalid`) ||
			!strings.Contains(got, `\u202e\u2028\u009b\xff`) {
			t.Errorf("verify printed %q, want the escapes escaped", got)
		}
	}
	if got := printable("Résumé, signed by sam — ok"); got != "Résumé, signed by sam — ok" {
		t.Errorf("printable changed printable text: %q", got)
	}
}
