package seal

import (
	"crypto"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"fmt"
	"strconv"
	"unicode/utf8"

	"github.com/chancery/chancery/internal/dsse"
)

// SigningMessage returns the bytes a signer signs for st: the DSSE pre-authentication encoding
// of st's canonical JSON under SigningPayloadType. The payload type keeps a signing signature
// from being read as any other statement's signature.
func SigningMessage(st SigningStatement) []byte {
	return dsse.PAE(SigningPayloadType, Marshal(st))
}

// Sign signs st for member with s, an Ed25519 crypto.Signer (an ed25519.PrivateKey, or a
// hardware key behind the same interface; see package keys). It verifies the signature it
// got, so that a faulty external signer is caught at signing time rather than at release.
func Sign(s crypto.Signer, member string, st SigningStatement) (Signature, error) {
	pub, ok := s.Public().(ed25519.PublicKey)
	if !ok {
		return Signature{}, fmt.Errorf("sign: %T is not an Ed25519 key", s.Public())
	}
	msg := SigningMessage(st)
	// crypto.Hash(0): Ed25519 signs the message itself, not a digest of it.
	sig, err := s.Sign(rand.Reader, msg, crypto.Hash(0))
	if err != nil {
		return Signature{}, fmt.Errorf("sign: %w", err)
	}
	if !ed25519.Verify(pub, msg, sig) {
		return Signature{}, errors.New("sign: the signer returned an invalid signature")
	}
	return Signature{Signer: member, KeyID: dsse.KeyID(pub), Sig: sig}, nil
}

// Verify checks that sig is a signature of st by pub, the key sig names. It fails with
// ErrUntrustedKey if sig names another key, and with ErrBadSignature if it does not verify.
func (sig Signature) Verify(pub ed25519.PublicKey, st SigningStatement) error {
	if len(pub) != ed25519.PublicKeySize || sig.KeyID != dsse.KeyID(pub) {
		return fmt.Errorf("signature by %q: %w: it names key %q", sig.Signer, ErrUntrustedKey, truncate(sig.KeyID))
	}
	if !ed25519.Verify(pub, SigningMessage(st), sig.Sig) {
		return fmt.Errorf("signature by %q: %w", sig.Signer, ErrBadSignature)
	}
	return nil
}

// appendSigningJSON appends Marshal(st) to b without encoding/json, for the strings JSON
// writes as they are: UTF-8 text without control characters, quotes, backslashes, the <, >
// and & that Marshal escapes, and U+2028 and U+2029. It reports false for anything else,
// which the caller hands to Marshal. A signature is checked for every seal verified, and the
// statement's encoding through encoding/json was most of the garbage left of it.
func appendSigningJSON(b []byte, st *SigningStatement) ([]byte, bool) {
	ok := true
	str := func(key, s string) {
		b = append(b, key...)
		b = append(b, '"')
		ok = ok && plainJSON(s)
		b = append(b, s...)
		b = append(b, '"')
	}
	list := func(key string, l []string) {
		b = append(b, key...)
		if l == nil {
			b = append(b, "null"...)
			return
		}
		b = append(b, '[')
		for i, s := range l {
			if i > 0 {
				b = append(b, ',')
			}
			str("", s)
		}
		b = append(b, ']')
	}
	str(`{"office":`, st.Office)
	str(`,"reference":`, st.Reference)
	str(`,"subject":`, st.Subject)
	str(`,"class":`, st.Class)
	list(`,"tags":`, st.Tags)
	list(`,"addressees":`, st.Addressees)
	b = append(b, `,"version":`...)
	b = strconv.AppendInt(b, int64(st.Version), 10)
	str(`,"digest":`, string(st.Digest))
	str(`,"media_type":`, st.MediaType)
	str(`,"policy":`, string(st.Policy))
	return append(b, '}'), ok
}

// plainJSON reports whether Marshal writes s between quotes as it is.
func plainJSON(s string) bool {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c < 0x20 || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
				return false
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError || r == '\u2028' || r == '\u2029' {
			return false
		}
		i += n
	}
	return true
}
