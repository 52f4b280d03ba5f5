package pdf_test

import (
	"bytes"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/chancery/chancery/internal/officeca/officecatest"
	"github.com/chancery/chancery/internal/pdf"
)

// TestSignatureDictionaryNamesAnyOffice: the signature dictionary of a letter signed for an
// office whose name has a character with a byte '(', ')' or '\' in UTF-16 (Ĩ U+0128, 天
// U+5929, 小 U+5C0F) is well formed. The signing library wrote a name that is not ASCII as
// its UTF-16 bytes between parentheses, unescaped: pdfsig read "Unterminated string" and
// "Dictionary key must be a name object", the dictionary going on with bytes of the name.
// Such a name is left out of the dictionary; another is written there whole.
func TestSignatureDictionaryNamesAnyOffice(t *testing.T) {
	requireTool(t, "pdfsig")
	stamped := mustStamp(t, letter(t, 1), footer)
	sign := func(office string) []byte {
		signed, err := pdf.Sign(stamped, officecatest.Signer(t, office), released, office)
		if err != nil {
			t.Fatalf("%s: %v", office, err)
		}
		out, _ := exec.Command("pdfsig", writeTemp(t, "signed.pdf", signed)).CombinedOutput()
		if strings.Contains(string(out), "Error") || !strings.Contains(string(out), "Signature is Valid.") || !strings.Contains(string(out), "Total document signed") {
			t.Errorf("%s: pdfsig:\n%s", office, out)
		}
		return signed
	}
	for _, office := range []string{"Ĩnstitut national", "天津市外事办公室", "小作 Office"} {
		if signed := sign(office); bytes.Contains(signed[len(stamped):], []byte("/Name (")) {
			t.Errorf("%s: the signature dictionary names the office", office)
		}
	}
	office := "Ministère des Affaires étrangères"
	var name bytes.Buffer
	name.WriteString("/Name (\xfe\xff")
	for _, u := range utf16.Encode([]rune(office)) {
		name.Write([]byte{byte(u >> 8), byte(u)})
	}
	name.WriteString(")")
	if signed := sign(office); !bytes.Contains(signed[len(stamped):], name.Bytes()) {
		t.Errorf("%s: the signature dictionary does not name the office", office)
	}
}

// TestReleaseCertificationAllowsNoChange: the release's certification signature allows no
// later change (DocMDP P=1). With P=2, which allows later signatures, a signature field added
// afterwards whose appearance covers the letter left PDF readers showing the certification
// valid, where chancery verify answers "altered". pdfsig still reads the signature as valid
// and covering the whole document.
func TestReleaseCertificationAllowsNoChange(t *testing.T) {
	requireTool(t, "pdfsig")
	stamped := mustStamp(t, letter(t, 1), footer)
	signed, err := pdf.Sign(stamped, officecatest.Signer(t, "Ministry"), released, "Ministry")
	if err != nil {
		t.Fatal(err)
	}
	added := signed[len(stamped):]
	if !regexp.MustCompile(`/TransformMethod\s*/DocMDP\s*/TransformParams\s*<<\s*/Type\s*/TransformParams\s*/P\s+1\s`).Match(added) {
		t.Errorf("the signature's DocMDP permission is not P=1:\n%s", regexp.MustCompile(`/TransformParams\s*<<[^>]*>>`).Find(added))
	}
	out, _ := exec.Command("pdfsig", writeTemp(t, "signed.pdf", signed)).CombinedOutput()
	if !strings.Contains(string(out), "Signature is Valid.") || !strings.Contains(string(out), "Total document signed") {
		t.Errorf("pdfsig:\n%s", out)
	}
}
