package cli

import (
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/seal"
)

// TestVerifyNamesEachSignerOnce is issue 12 item 12: a member who signed with two keys shows
// once in verify's message and result, in the order of signing.
func TestVerifyNamesEachSignerOnce(t *testing.T) {
	s := &seal.ReleaseStatement{Signatures: []seal.Signature{{Signer: "sam", KeyID: "k1"},
		{Signer: "ada", KeyID: "k3"}, {Signer: "sam", KeyID: "k2"}}}
	if msg := (&verifier{}).validMessage(s, 7).en; !strings.Contains(msg, "signed by sam, ada (log entry 7)") {
		t.Errorf("message %q, want each signer once", msg)
	}
	var res VerifyResult
	fromRelease(&res, s, 7)
	if strings.Join(res.Signers, ",") != "sam,ada" {
		t.Errorf("signers %q, want sam,ada", res.Signers)
	}
}
