package verify

import (
	"bytes"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/chancery/chancery/internal/seal"
)

// TestVerifyEscapesRegistryText is issue 12 item 11: a withdrawal reason (or a subject, a
// signer's name, a file name) with terminal escapes cannot erase verify's line and print a
// fake "valid" one: what a terminal would act on is printed escaped.
func TestVerifyEscapesRegistryText(t *testing.T) {
	const evil = "\x1b[2K\x1b[1Gvalid: TFN-2026-000001 signed by the office\u202e\u2028\u009b\xff"
	for _, results := range [][]Result{
		{{File: "a.pdf", Outcome: Retracted, Message: "retracted: TFN-2026-000001 was retracted: " + evil}},
		{{File: "a\x1b[2K.pdf", Outcome: Retracted, Message: "retracted: " + evil}, {File: "b.pdf", Outcome: Valid, Message: "valid"}},
	} {
		var out bytes.Buffer
		Report(&out, len(results), slices.Values(results), false)
		got := out.String()
		if strings.ContainsAny(got, "\x1b\u202e\u2028\u009b") || !strings.Contains(got, `\x1b[2K\x1b[1Gvalid`) ||
			!strings.Contains(got, `\u202e\u2028\u009b\xff`) {
			t.Errorf("verify printed %q, want the escapes escaped", got)
		}
	}
	if got := Printable("Résumé, signed by sam — ok"); got != "Résumé, signed by sam — ok" {
		t.Errorf("Printable changed printable text: %q", got)
	}
}

// TestPrintableKeepsNonJoinersInWords: a zero-width non-joiner inside a Persian word or after
// a Devanagari virama is printed as it is; one between Latin letters is escaped, as any other
// format character is.
func TestPrintableKeepsNonJoinersInWords(t *testing.T) {
	for in, want := range map[string]string{
		"\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645": "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645",
		"\u0915\u094d\u200c\u0937":                         "\u0915\u094d\u200c\u0937",
		"foreign\u200cgovernment":                          `foreign\u200cgovernment`,
		"\u0645\u06cc\u200c\u202e":                         "\u0645\u06cc" + `\u200c\u202e`,
	} {
		if got := Printable(in); got != want {
			t.Errorf("Printable(%+q) = %+q, want %+q", in, got, want)
		}
	}
}

// TestVerifyNamesEachSignerOnce is issue 12 item 12: a member who signed with two keys shows
// once in verify's message and result, in the order of signing.
func TestVerifyNamesEachSignerOnce(t *testing.T) {
	s := &seal.ReleaseStatement{Signatures: []seal.Signature{{Signer: "sam", KeyID: "k1"},
		{Signer: "ada", KeyID: "k3"}, {Signer: "sam", KeyID: "k2"}}}
	if msg := (&Verifier{}).ValidMessage(s, 7).En; !strings.Contains(msg, "signed by sam, ada (log entry 7)") {
		t.Errorf("message %q, want each signer once", msg)
	}
	var res Result
	FromRelease(&res, s, 7)
	if strings.Join(res.Signers, ",") != "sam,ada" {
		t.Errorf("signers %q, want sam,ada", res.Signers)
	}
}

// TestPrintableASCIIAgreesWithUnicode checks Printable's fast path for ASCII text against
// its general path: every byte alone, and a line made of all the bytes that the fast path
// passes through unchanged.
func TestPrintableASCIIAgreesWithUnicode(t *testing.T) {
	general := func(s string) bool { return utf8.ValidString(s) && !strings.ContainsFunc(s, unprintable) }
	var all []byte
	for c := range 256 {
		s := string([]byte{byte(c)})
		if printableASCII(s) && !general(s) {
			t.Errorf("printableASCII passes %q, which the general path escapes", s)
		}
		if c < utf8.RuneSelf && general(s) != printableASCII(s) {
			t.Errorf("printableASCII(%q) = %v, the general path says %v", s, printableASCII(s), general(s))
		}
		if printableASCII(s) {
			all = append(all, byte(c))
		}
	}
	if len(all) != 0x7f-0x20 || Printable(string(all)) != string(all) {
		t.Errorf("printable ASCII %q, Printable gives %q", all, Printable(string(all)))
	}
	if got := Printable("valid: TFN-2026-000001 \"ok\"\x7f"); got != `valid: TFN-2026-000001 "ok"\x7f` {
		t.Errorf("Printable gave %q, want DEL escaped", got)
	}
}

// TestPrintableEscapesInvisibleCharacters: characters drawn as nothing or as an empty cell,
// which the registry refuses in stored text, were printed as they were, so that a leaked
// folder's forged "Letter.pdf" and a genuine "Letter.pdf" followed by a combining grapheme
// joiner printed two lines that both read "Letter.pdf: …", one of them valid. They are
// escaped now; a variation selector after a symbol (an emoji, as a reason may hold one) is
// kept.
func TestPrintableEscapesInvisibleCharacters(t *testing.T) {
	for in, want := range map[string]string{
		"Letter.pdf\u034f":      `Letter.pdf\u034f`,
		"Let\u3164ter.pdf":      `Let\u3164ter.pdf`,
		"Letter\u115f.pdf":      `Letter\u115f.pdf`,
		"Letter.pdf\uffa0":      `Letter.pdf\uffa0`,
		"Letter.pdf\u2800":      `Letter.pdf\u2800`,
		"Letter\ufe0f.pdf":      `Letter\ufe0f.pdf`,
		"Letter.pdf\U000e0100":  `Letter.pdf\U000e0100`,
		"Letter\u17b4.pdf":      `Letter\u17b4.pdf`,
		"Letter\ufffc.pdf":      `Letter\ufffc.pdf`,
		"Letter\U0001d159.pdf":  `Letter\U0001d159.pdf`,
		"careful \u26a0\ufe0f!": "careful \u26a0\ufe0f!",
	} {
		if got := Printable(in); got != want {
			t.Errorf("Printable(%+q) = %+q, want %+q", in, got, want)
		}
	}
	results := []Result{{File: "Letter.pdf", Outcome: Invalid, Message: "invalid"}, {File: "Letter.pdf\u034f", Outcome: Valid, Message: "valid"}}
	var out bytes.Buffer
	Report(&out, len(results), slices.Values(results), false)
	if strings.Count(out.String(), "Letter.pdf: ") != 1 {
		t.Errorf("two files printed with the same name:\n%s", out.String())
	}
}
