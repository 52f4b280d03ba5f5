package registry

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base32"
	"strings"
)

// A check code is the capability printed on a released letter, in its footer and QR code
// (/v/REF/CODE): 128 random bits, written as 26 lowercase base32 characters. Whoever holds the
// paper holds the code, and with it sees the letter's details and the released file on the
// verify page, so that a paper copy can be compared with what the office released. A
// reference alone says no more than that a letter with that reference exists and whether it
// stands. The registry keeps only the code's SHA-256.

// checkCodeLen is the length of a check code.
const checkCodeLen = 26

var checkCodeEncoding = base32.StdEncoding.WithPadding(base32.NoPadding)

// newCheckCode returns a fresh check code.
func newCheckCode() string {
	b := make([]byte, 16)
	rand.Read(b) // never fails (crypto/rand)
	return strings.ToLower(checkCodeEncoding.EncodeToString(b))
}

func checkCodeHash(code string) []byte {
	h := sha256.Sum256([]byte(code))
	return h[:]
}

// checkCodeMatches reports whether code, in any case, is the check code whose hash is
// stored. A code of the wrong form never matches.
func checkCodeMatches(stored []byte, code string) bool {
	if len(stored) != sha256.Size || !ValidCheckCodeForm(code) {
		return false
	}
	return subtle.ConstantTimeCompare(stored, checkCodeHash(strings.ToLower(code))) == 1
}

// checkCodeIn returns the check code whose SHA-256 is stored as it appears in text, such as a
// released letter's footer, in lower case; "" if text holds none (or stored is nil).
func checkCodeIn(text string, stored []byte) string {
	if len(stored) != sha256.Size {
		return ""
	}
	for w := range strings.FieldsFuncSeq(text, func(r rune) bool {
		return !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9')
	}) {
		if len(w) == checkCodeLen && checkCodeMatches(stored, w) {
			return strings.ToLower(w)
		}
	}
	return ""
}

// ValidCheckCodeForm reports whether s has the form of a check code (any case).
func ValidCheckCodeForm(s string) bool {
	if len(s) != checkCodeLen {
		return false
	}
	_, err := checkCodeEncoding.DecodeString(strings.ToUpper(s))
	return err == nil
}
